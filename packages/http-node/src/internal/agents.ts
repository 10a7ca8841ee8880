/**
 * The keep-alive agents of `NodeHttpClient`, one per protocol, and how a request is opened on them.
 *
 * Internal: not exported (the package's `exports` map hides `./internal/*`). Not tagged as internal in TSDoc: with
 * `stripInternal` it would strip the first import from this module's `.d.ts`.
 */
import * as Http from "node:http"
import * as Https from "node:https"

/** The agents requests go through: `http:` URLs on one, `https:` URLs on the other. */
export interface Agents {
  readonly http: Http.Agent
  readonly https: Https.Agent
}

/** How the agents pool their sockets. */
export interface PoolOptions {
  /** The most sockets per origin (`Infinity` for no bound). */
  readonly maxSockets: number
  /** How long an idle socket is kept for reuse, in milliseconds (a server's `Keep-Alive` hint may shorten it). */
  readonly keepAliveMillis: number
}

const agentOptions = (options: PoolOptions): Http.AgentOptions => ({
  keepAlive: true,
  scheduling: "lifo",
  maxSockets: options.maxSockets,
  timeout: options.keepAliveMillis
})

/** Fresh agents for `options`. */
export const make = (options: PoolOptions): Agents => ({
  http: new Http.Agent(agentOptions(options)),
  https: new Https.Agent(agentOptions(options))
})

/** Closes every socket of `agents`, idle or busy. */
export const destroy = (agents: Agents): void => {
  agents.http.destroy()
  agents.https.destroy()
}

/**
 * Opens a request to `url` on the agent of its protocol (it is sent when it is ended). Throws for a protocol other
 * than `http:` and `https:`, and for headers Node refuses.
 */
export const open = (
  agents: Agents,
  url: URL,
  method: string,
  headers: Http.OutgoingHttpHeaders
): Http.ClientRequest => {
  if (url.protocol === "https:") return Https.request(url, { method, headers, agent: agents.https })
  if (url.protocol === "http:") return Http.request(url, { method, headers, agent: agents.http })
  throw new TypeError(`The protocol ${url.protocol} is not supported: only http: and https: are`)
}
