/**
 * An `HttpClient` for Node over `node:http` and `node:https`: keep-alive agents, no redirects followed, and
 * interruption destroys the request (and closes its socket). Both modules are part of Node, so loading this layer
 * costs next to nothing at start-up.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Agents from "./internal/agents.js"
import * as Client from "./internal/client.js"
import * as Transport from "./internal/transport.js"

/**
 * The options of `NodeHttpClient.make` and `NodeHttpClient.layerWith`: how the agents behind the client pool their
 * sockets.
 *
 * Timeouts of whole requests belong to Effect (`Effect.timeout`, or the timeout option of the client using this
 * layer).
 *
 * @example
 * ```ts
 * import type { NodeHttpClientOptions } from "@effect-twilio/http-node"
 *
 * const options: NodeHttpClientOptions = { connections: 16, keepAliveTimeout: "30 seconds" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface NodeHttpClientOptions {
  /**
   * The most sockets per origin. Default: unlimited (one per request in flight, kept alive and reused). Set it to
   * bound the sockets a burst of concurrent requests may open; the requests beyond it wait for a free one.
   */
  readonly connections?: number | undefined
  /** How long an idle socket is kept for reuse (the server's `Keep-Alive` hint may shorten it). Default `4 seconds`. */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
}

/** The key of `@effect-twilio/chat`'s `ChatTransport`, written out so that nothing of that package is loaded. */
const ChatTransportTypeId = Symbol.for("@effect-twilio/chat/ChatTransport")

const poolOptions = (options: NodeHttpClientOptions): Agents.PoolOptions => ({
  maxSockets: options.connections ?? Infinity,
  keepAliveMillis: options.keepAliveTimeout === undefined
    ? 4_000
    : Duration.toMillis(Duration.decode(options.keepAliveTimeout))
})

/** The client over `agents`, carrying the one-step exchange `@effect-twilio/chat` uses when it finds it. */
const fromAgents = (agents: Agents.Agents): HttpClient.HttpClient =>
  Object.assign(Client.make(agents), { [ChatTransportTypeId]: Transport.make(agents) })

/**
 * Builds an `HttpClient` over fresh keep-alive `http.Agent` and `https.Agent`, destroyed (every socket closed) when
 * the scope closes. Redirects are answered as they are, never followed; interruption destroys the request.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect-twilio/http-node"
 * import * as Effect from "effect/Effect"
 *
 * const status = Effect.scoped(
 *   Effect.flatMap(NodeHttpClient.make({ connections: 8 }), (client) => client.get("http://127.0.0.1:8080/"))
 * ).pipe(Effect.map((response) => response.status))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: NodeHttpClientOptions = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => Agents.make(poolOptions(options))),
      (agents) => Effect.sync(() => Agents.destroy(agents))
    ),
    fromAgents
  )

/**
 * A scoped `HttpClient` layer over fresh keep-alive agents built from `options`; they (and their sockets) are
 * destroyed when the layer is released.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { NodeHttpClient } from "@effect-twilio/http-node"
 * import * as Layer from "effect/Layer"
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(NodeHttpClient.layerWith({ connections: 16 })))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: NodeHttpClientOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/**
 * A scoped `HttpClient` layer over fresh keep-alive agents with the default options: unlimited sockets per origin,
 * idle ones kept 4 seconds, no timeouts of their own (leave them to Effect).
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { NodeHttpClient } from "@effect-twilio/http-node"
 * import * as Layer from "effect/Layer"
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(NodeHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
