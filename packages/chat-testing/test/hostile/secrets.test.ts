/**
 * No credential in any error, whatever the server says. The servers here echo the request's `Authorization` header,
 * the secret it carries and its base64 back in a JSON error message, in `more_info`, in an HTML 502 page and in a
 * 401: the error of fetchUser and createUser holds neither the secret, nor `Basic <base64>`, nor the base64, in any
 * rendering (message, moreInfo, String, JSON, stack, inspect, `Cause.pretty`), for an auth token, an API key
 * secret, and secrets made of regex-special characters.
 */
import type { ChatError, ChatV2UserApiOptions } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Http from "node:http"
import { ACCOUNT, failureOf, httpServer, LAYERS, renderings, SERVICE, TOKEN, USER, withChat } from "./servers.js"

const KEY = "SK0123456789abcdef0123456789abcdef"
const base64 = (text: string) => Buffer.from(text).toString("base64")

interface Credentials {
  readonly what: string
  readonly options: Partial<ChatV2UserApiOptions>
  readonly username: string
  readonly secret: string
}

const CREDENTIALS: ReadonlyArray<Credentials> = [
  { what: "an auth token", options: {}, username: ACCOUNT, secret: TOKEN },
  {
    what: "an auth token of regex-special characters",
    options: { accountSid: ACCOUNT, authToken: "s3cr3t.+*?(x)" },
    username: ACCOUNT,
    secret: "s3cr3t.+*?(x)"
  },
  {
    what: "an API key secret of regex-special characters",
    options: { apiKeySid: KEY, apiKeySecret: "k3y|s3cr3t^$[y]{2}\\d" },
    username: KEY,
    secret: "k3y|s3cr3t^$[y]{2}\\d"
  }
]

/** What the server echoes: everything the request's `Authorization` header gives away. */
const echoOf = (authorization: string) => {
  const b64 = authorization.replace(/^Basic /, "")
  const decoded = Buffer.from(b64, "base64").toString("utf8")
  const secret = decoded.slice(decoded.indexOf(":") + 1)
  return `${secret} ${authorization} ${b64} ${decoded}`
}

const sendText = (response: Http.ServerResponse, status: number, type: string, text: string) => {
  response.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(text)) })
  response.end(text)
}

const ECHOES: ReadonlyArray<
  readonly [string, string, (response: Http.ServerResponse, echo: string) => void]
> = [
  ["in a JSON error's message", "TwilioApiError", (response, echo) =>
    sendText(
      response,
      400,
      "application/json",
      JSON.stringify({
        code: 20001,
        message: `Bad request from ${echo}`,
        more_info: "https://www.twilio.com/docs/errors/20001",
        status: 400
      })
    )],
  ["in a JSON error's more_info", "TwilioApiError", (response, echo) =>
    sendText(
      response,
      400,
      "application/json",
      JSON.stringify({
        code: 20001,
        message: "Bad request",
        more_info: `https://www.twilio.com/docs/errors/20001?auth=${echo}`,
        status: 400
      })
    )],
  ["in an HTML 502 page", "TwilioApiError", (response, echo) =>
    sendText(
      response,
      502,
      "text/html",
      `<html><body><h1>502 Bad Gateway</h1><pre>${echo}</pre></body></html>`
    )],
  ["in a 401 answer", "AuthenticationFailed", (response, echo) =>
    sendText(
      response,
      401,
      "application/json",
      JSON.stringify({
        code: 20003,
        message: `Authenticate ${echo}`,
        more_info: `https://www.twilio.com/docs/errors/20003#${echo}`,
        status: 401
      })
    )]
]

describe.each(LAYERS)("credentials echoed by the server, over $name", ({ layer }) => {
  for (const credentials of CREDENTIALS) {
    const b64 = base64(`${credentials.username}:${credentials.secret}`)
    const forbidden = [credentials.secret, `Basic ${b64}`, b64]
    for (const [where, tag, answer] of ECHOES) {
      it.scopedLive(
        `with ${credentials.what}, echoed ${where}: the ${tag} of fetchUser and createUser holds none`,
        () =>
          Effect.gen(function*() {
            const server = yield* httpServer((_, response, seen) => answer(response, echoOf(seen.authorization ?? "")))
            yield* withChat(layer, server.origin, credentials.options, (chat) =>
              Effect.gen(function*() {
                const calls: ReadonlyArray<Effect.Effect<unknown, ChatError>> = [
                  chat.fetchUser(SERVICE, USER),
                  chat.createUser(SERVICE, "alice")
                ]
                for (const call of calls) {
                  const exit = yield* Effect.exit(call)
                  expect(failureOf(exit)).toMatchObject({ _tag: tag })
                  const rendered = renderings(exit)
                  for (const secret of forbidden) expect(rendered).not.toContain(secret)
                }
              }))
            // The server did receive the credentials, and echoed them.
            expect(server.requests.map((r) => r.authorization)).toEqual([`Basic ${b64}`, `Basic ${b64}`])
          }),
        15_000
      )
    }
  }
})
