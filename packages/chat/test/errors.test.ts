import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { chatLayer, clocked, type Script, scripted, SERVICE, TOKEN, USER, userJson } from "./utils.js"

const twilioError = (status: number, code: number, message = "Boom") => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
})

/** Runs one operation against a single scripted answer, without retries, and returns its failure. */
const failureOf = (
  op: "create" | "fetch" | "update" | "delete" | "list",
  answer: Script
) => {
  const fake = scripted([answer])
  return Effect.gen(function*() {
    const chat = yield* ChatV2UserApi
    const effect = op === "create"
      ? chat.createUser(SERVICE, "alice")
      : op === "fetch"
      ? chat.fetchUser(SERVICE, USER)
      : op === "update"
      ? chat.updateUser(SERVICE, USER, { friendlyName: "x" })
      : op === "delete"
      ? chat.deleteUser(SERVICE, USER)
      : chat.listUser(SERVICE)
    return yield* Effect.flip(effect as Effect.Effect<unknown, { readonly _tag: string }>)
  }).pipe(Effect.provide(chatLayer(fake.layer, { retry: false })))
}

describe("error mapping: every status to its tag", () => {
  it.effect("404 is UserNotFound for fetch, update and delete, with Twilio's code and link", () =>
    Effect.gen(function*() {
      for (const op of ["fetch", "update", "delete"] as const) {
        const error = yield* failureOf(op, twilioError(404, 20404, "The requested resource was not found"))
        expect(error).toMatchObject({
          _tag: "UserNotFound",
          status: 404,
          code: 20404,
          message: `ChatV2UserApi.${op}User: HTTP 404 (20404) after 1 attempt: The requested resource was not found`,
          moreInfo: "https://www.twilio.com/docs/errors/20404",
          operation: `ChatV2UserApi.${op}User`,
          attempts: 1
        })
      }
    }))

  it.effect("404 on create and list (an unknown service) is a TwilioApiError with status 404", () =>
    Effect.gen(function*() {
      expect(yield* failureOf("create", twilioError(404, 20404))).toMatchObject({ _tag: "TwilioApiError", status: 404 })
      expect(yield* failureOf("list", twilioError(404, 20404))).toMatchObject({ _tag: "TwilioApiError", status: 404 })
    }))

  it.effect("409 / 50201 on create is UserAlreadyExists", () =>
    Effect.gen(function*() {
      expect(yield* failureOf("create", twilioError(409, 50201))).toMatchObject({
        _tag: "UserAlreadyExists",
        code: 50201
      })
    }))

  it.effect("401 is AuthenticationFailed for every operation", () =>
    Effect.gen(function*() {
      for (const op of ["create", "fetch", "update", "delete", "list"] as const) {
        expect(yield* failureOf(op, twilioError(401, 20003, "Authenticate"))).toMatchObject({
          _tag: "AuthenticationFailed",
          status: 401,
          code: 20003
        })
      }
    }))

  it.effect("429 without retries is RateLimited, carrying Retry-After when sent", () =>
    Effect.gen(function*() {
      const withHeader = yield* failureOf("fetch", { ...twilioError(429, 20429), headers: { "retry-after": "7" } })
      expect(withHeader._tag).toBe("RateLimited")
      expect((withHeader as unknown as { retryAfter: Duration.Duration }).retryAfter).toEqual(Duration.seconds(7))
      const without = yield* failureOf("fetch", twilioError(429, 20429))
      expect(without).toMatchObject({ _tag: "RateLimited", code: 20429 })
      expect((without as unknown as { retryAfter?: unknown }).retryAfter).toBeUndefined()
    }))

  it.effect("400, 403 and 5xx are TwilioApiError with status, code, message and moreInfo", () =>
    Effect.gen(function*() {
      for (const [status, code] of [[400, 50206], [403, 50205], [500, 20500], [503, 20503]] as const) {
        expect(yield* failureOf("create", twilioError(status, code, "nope"))).toMatchObject({
          _tag: "TwilioApiError",
          status,
          code,
          message: `ChatV2UserApi.createUser: HTTP ${status} (${code}) after 1 attempt: nope`,
          moreInfo: `https://www.twilio.com/docs/errors/${code}`
        })
      }
    }))

  it.effect("an error body without code or JSON still gives a TwilioApiError with a message", () =>
    Effect.gen(function*() {
      const html = yield* failureOf("fetch", { status: 502, body: "<html><body>Bad Gateway</body></html>" })
      expect(html).toMatchObject({ _tag: "TwilioApiError", status: 502, code: null, moreInfo: null })
      expect((html as unknown as Error).message).toContain("Bad Gateway")
      const empty = yield* failureOf("fetch", { status: 400 })
      expect(empty).toMatchObject({
        _tag: "TwilioApiError",
        status: 400,
        code: null,
        message: "ChatV2UserApi.fetchUser: HTTP 400 after 1 attempt"
      })
    }))

  it.effect("a 2xx body that is not JSON, or lacks required fields, is UnexpectedResponse", () =>
    Effect.gen(function*() {
      expect(yield* failureOf("fetch", { status: 200, body: "<html>" })).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200
      })
      const missing = yield* failureOf("fetch", { status: 200, body: { sid: USER } })
      expect(missing._tag).toBe("UnexpectedResponse")
      expect((missing as unknown as Error).message).toContain("account_sid")
      expect(yield* failureOf("list", { status: 200, body: { users: "none" } })).toMatchObject({
        _tag: "UnexpectedResponse"
      })
    }))

  it.effect("a redirect is not followed: UnexpectedResponse", () =>
    Effect.gen(function*() {
      expect(yield* failureOf("fetch", { status: 302, headers: { location: "https://evil.example.com/" } }))
        .toMatchObject({ _tag: "UnexpectedResponse", status: 302 })
    }))

  it.effect("no answer is a TransportError that names no credential", () =>
    Effect.gen(function*() {
      const error = yield* failureOf("fetch", "reset")
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Connection" })
      const text = `${String(error)} ${JSON.stringify(error)} ${(error as unknown as Error).message}`
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(Buffer.from(TOKEN).toString("base64").slice(0, 12))
    }))
})

describe("retries and timeouts, on the TestClock", () => {
  const times = (fake: ReturnType<typeof scripted>) => fake.sent.map((s) => s.at)
  const gaps = (fake: ReturnType<typeof scripted>) => times(fake).slice(1).map((t, i) => t - times(fake)[i])

  it.effect("503 twice then 200: fetch succeeds on the third attempt after growing backoff", () => {
    const fake = scripted([twilioError(503, 20503), twilioError(503, 20503), { status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const user = yield* chat.fetchUser(SERVICE, USER)
      expect(user.sid).toBe(USER)
      expect(fake.sent).toHaveLength(3)
      const [first, second] = gaps(fake)
      // base 250 ms, doubling, ±20% jitter
      expect(first).toBeGreaterThanOrEqual(200)
      expect(first).toBeLessThanOrEqual(300)
      expect(second).toBeGreaterThanOrEqual(400)
      expect(second).toBeLessThanOrEqual(600)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("5xx retries stop after `times` and surface the last error", () => {
    const fake = scripted([twilioError(502, 20502)])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(chat.listUser(SERVICE))
      expect(error).toMatchObject({ _tag: "TwilioApiError", status: 502 })
      expect(fake.sent).toHaveLength(4)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("backoff doubles and is capped", () => {
    const fake = scripted([twilioError(500, 20500)])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* Effect.flip(chat.fetchUser(SERVICE, USER))
      expect(fake.sent).toHaveLength(7)
      const waits = gaps(fake)
      for (const [i, wait] of waits.entries()) {
        expect(wait).toBeLessThanOrEqual(2_000)
        expect(wait).toBeGreaterThanOrEqual(Math.min(2_000, 0.8 * 250 * 2 ** i))
      }
      expect(waits.slice(-2)).toEqual([2_000, 2_000])
    }).pipe(
      clocked,
      Effect.provide(chatLayer(fake.layer, { retry: { times: 6, base: "250 millis", cap: "2 seconds" } }))
    )
  })

  it.effect("create is never retried on 5xx: it might have been processed", () =>
    Effect.gen(function*() {
      for (const status of [500, 502, 503, 504]) {
        const fake = scripted([twilioError(status, 20500), { status: 201, body: userJson() }])
        const error = yield* Effect.flip(
          Effect.flatMap(ChatV2UserApi, (chat) => chat.createUser(SERVICE, "alice")).pipe(
            clocked,
            Effect.provide(chatLayer(fake.layer))
          )
        )
        expect(error).toMatchObject({ _tag: "TwilioApiError", status })
        expect(fake.sent).toHaveLength(1)
      }
    }))

  it.effect("create is never retried after no answer", () => {
    const fake = scripted(["reset", { status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(yield* Effect.flip(chat.createUser(SERVICE, "alice"))).toMatchObject({ _tag: "TransportError" })
      expect(fake.sent).toHaveLength(1)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("429 is retried for create too, honouring Retry-After in seconds", () => {
    const fake = scripted([
      { ...twilioError(429, 20429), headers: { "retry-after": "5" } },
      { status: 201, body: userJson() }
    ])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.createUser(SERVICE, "alice")
      expect(fake.sent).toHaveLength(2)
      expect(gaps(fake)).toEqual([5_000])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("Retry-After as an HTTP date is honoured relative to the clock", () => {
    const fake = scripted((_, index) =>
      index === 0
        ? { ...twilioError(429, 20429), headers: { "retry-after": new Date(12_000).toUTCString() } }
        : { status: 200, body: userJson() }
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.fetchUser(SERVICE, USER)
      expect(times(fake)).toEqual([0, 12_000])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a Retry-After of a year is capped", () => {
    const fake = scripted([{ ...twilioError(429, 20429), headers: { "retry-after": String(365 * 24 * 3600) } }, {
      status: 200,
      body: userJson()
    }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.fetchUser(SERVICE, USER)
      expect(gaps(fake)).toEqual([30_000])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("429 on every attempt ends as RateLimited after 1 + times attempts", () => {
    const fake = scripted([{ ...twilioError(429, 20429), headers: { "retry-after": "1" } }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(chat.deleteUser(SERVICE, USER))
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfter: Duration.seconds(1) })
      expect(fake.sent).toHaveLength(4)
      expect(gaps(fake)).toEqual([1_000, 1_000, 1_000])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("retry: false makes a single attempt", () => {
    const fake = scripted([{ ...twilioError(429, 20429) }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* Effect.flip(chat.fetchUser(SERVICE, USER))
      expect(fake.sent).toHaveLength(1)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer, { retry: false })))
  })

  it.effect("a delete whose retry answers 404 after an attempt got no answer has succeeded", () => {
    const fake = scripted(["reset", twilioError(404, 20404)])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.deleteUser(SERVICE, USER)
      expect(fake.sent.map((s) => s.method)).toEqual(["DELETE", "DELETE"])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a delete that answers 404 at once is UserNotFound", () => {
    const fake = scripted([twilioError(404, 20404)])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(yield* Effect.flip(chat.deleteUser(SERVICE, USER))).toMatchObject({ _tag: "UserNotFound" })
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("each attempt has the timeout; a stalled attempt is aborted and retried", () => {
    const fake = scripted((_, index) => index < 2 ? "hang" : { status: 200, body: userJson() })
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const user = yield* chat.fetchUser(SERVICE, USER)
      expect(user.sid).toBe(USER)
      expect(fake.sent).toHaveLength(3)
      expect(gaps(fake)[0]).toBeGreaterThanOrEqual(5_000)
      // The stalled attempts were aborted. (The third's body, sent without a Content-Length, is read as a stream,
      // whose end also signals abort: harmless once the body is whole, the connection stays in the pool.)
      expect(fake.sent.slice(0, 2).map((s) => s.signal.aborted)).toEqual([true, true])
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer, { timeout: "5 seconds" })))
  })

  it.effect("a stalled create times out as TransportError(Timeout), once", () => {
    const fake = scripted(["hang"])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(chat.createUser(SERVICE, "alice"))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
      expect(fake.sent).toHaveLength(1)
      expect(fake.sent[0].signal.aborted).toBe(true)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer, { timeout: "2 seconds" })))
  })

  it.effect("nextPage of a last page is None without a request", () => {
    const fake = scripted([{
      status: 200,
      body: {
        users: [],
        meta: {
          page: 0,
          page_size: 50,
          first_page_url: "u",
          previous_page_url: null,
          url: "u",
          next_page_url: null,
          key: "users"
        }
      }
    }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const page = yield* chat.listUser(SERVICE)
      expect(yield* chat.nextPage(page)).toEqual(Option.none())
      expect(fake.sent).toHaveLength(1)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })
})
