/**
 * Safe retries and readable errors. A refused connection proves nothing was sent, so even a create is retried;
 * a connection reset after the request arrived is not retried for a create. Each error says what happened: the
 * operation, the HTTP status and Twilio code, how many attempts, and Twilio's message; it carries `operation` and
 * `attempts`; `Cause.pretty` names the operation with no tracer installed; a `TransportError` keeps a sanitized
 * `cause` for debugging.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Util from "node:util"
import {
  ACCOUNT,
  closedPort,
  expectTag,
  failureOf,
  httpServer,
  LAYERS,
  renderings,
  sendJson,
  SERVICE,
  TOKEN,
  USER,
  wallWait,
  withChat
} from "./servers.js"

const QUICK_RETRIES = { times: 2, base: "10 millis", cap: "50 millis" } as const

describe.each(LAYERS)("retries and error messages over $name", ({ layer }) => {
  it.live(
    "createUser where nothing listens is retried: TransportError \"Connection\" after 3 attempts",
    () =>
      Effect.gen(function*() {
        const port = yield* closedPort
        const error = expectTag(
          failureOf(
            yield* Effect.exit(
              withChat(
                layer,
                `http://127.0.0.1:${port}`,
                { retry: QUICK_RETRIES },
                (chat) => chat.createUser(SERVICE, "alice")
              )
            )
          ),
          "TransportError"
        )
        expect(error.reason).toBe("Connection")
        expect(error.message).toContain("after 3 attempts")
        expect(error.attempts).toBe(3)
      }),
    15_000
  )

  it.scopedLive(
    "createUser whose connection is reset once the request arrived is not retried: 1 request",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((request) => request.socket.destroy())
        const error = failureOf(
          yield* Effect.exit(
            withChat(layer, server.origin, { retry: QUICK_RETRIES }, (chat) => chat.createUser(SERVICE, "alice"))
          )
        )
        expect(error).toMatchObject({ _tag: "TransportError", reason: "Connection" })
        yield* wallWait(200)
        expect(server.requests.map((r) => `${r.method} ${r.body}`)).toEqual(["POST Identity=alice"])
      }),
    15_000
  )

  it.scopedLive(
    "a 401 to fetchUser reads \"ChatV2UserApi.fetchUser: HTTP 401 (20003) after 1 attempt: Authenticate\"",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response) =>
          sendJson(response, 401, {
            code: 20003,
            message: "Authenticate",
            more_info: "https://www.twilio.com/docs/errors/20003",
            status: 401
          })
        )
        const error = expectTag(
          failureOf(
            yield* Effect.exit(
              withChat(layer, server.origin, { retry: QUICK_RETRIES }, (chat) => chat.fetchUser(SERVICE, USER))
            )
          ),
          "AuthenticationFailed"
        )
        expect(error).toMatchObject({
          status: 401,
          code: 20003,
          moreInfo: "https://www.twilio.com/docs/errors/20003"
        })
        expect(error.message).toBe("ChatV2UserApi.fetchUser: HTTP 401 (20003) after 1 attempt: Authenticate")
        expect(error.operation).toBe("ChatV2UserApi.fetchUser")
        expect(error.attempts).toBe(1)
        expect(server.requests).toHaveLength(1)
      }),
    15_000
  )

  it.scopedLive(
    "a 503 to every attempt of fetchUser reads \"ChatV2UserApi.fetchUser: HTTP 503 … after 3 attempts\"",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response) =>
          sendJson(response, 503, {
            code: 20503,
            message: "Service unavailable",
            more_info: "https://www.twilio.com/docs/errors/20503",
            status: 503
          })
        )
        const error = expectTag(
          failureOf(
            yield* Effect.exit(
              withChat(layer, server.origin, { retry: QUICK_RETRIES }, (chat) => chat.fetchUser(SERVICE, USER))
            )
          ),
          "TwilioApiError"
        )
        expect(error).toMatchObject({ status: 503, code: 20503 })
        expect(error.message).toMatch(/^ChatV2UserApi\.fetchUser: HTTP 503/)
        expect(error.message).toContain("after 3 attempts")
        expect(error.operation).toBe("ChatV2UserApi.fetchUser")
        expect(error.attempts).toBe(3)
        expect(server.requests).toHaveLength(3)
      }),
    15_000
  )

  it.scopedLive(
    "Cause.pretty of a failed fetchUser names ChatV2UserApi.fetchUser, with no tracer installed",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response, seen) =>
          seen.url.endsWith(USER)
            ? sendJson(response, 400, { code: 20001, message: "Bad request", status: 400 })
            : sendJson(response, 200, "<html>not JSON</html>")
        )
        yield* withChat(layer, server.origin, {}, (chat) =>
          Effect.gen(function*() {
            for (const [sid, tag] of [[USER, "TwilioApiError"], ["bob", "UnexpectedResponse"]] as const) {
              const exit = yield* Effect.exit(chat.fetchUser(SERVICE, sid))
              expect(failureOf(exit)).toMatchObject({ _tag: tag })
              expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("ChatV2UserApi.fetchUser")
            }
          }))
      }),
    15_000
  )

  it.live(
    "a refused connection's TransportError keeps a cause naming ECONNREFUSED, and no rendering holds the token",
    () =>
      Effect.gen(function*() {
        const port = yield* closedPort
        const exit = yield* Effect.exit(
          withChat(layer, `http://127.0.0.1:${port}`, {}, (chat) => chat.fetchUser(SERVICE, USER))
        )
        const error = expectTag(failureOf(exit), "TransportError")
        expect(error.reason).toBe("Connection")
        expect(error.cause).toBeDefined()
        expect(`${error.message}\n${Util.inspect(error.cause, { depth: 10 })}`).toContain("ECONNREFUSED")
        const rendered = renderings(exit)
        expect(rendered).not.toContain(TOKEN)
        expect(rendered).not.toContain(Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64"))
      }),
    15_000
  )
})
