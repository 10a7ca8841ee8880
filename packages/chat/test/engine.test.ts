/**
 * The engine's promises against a scripted `HttpClient`: paging that stays on its collection and never requests a
 * page twice, credentials scrubbed from whatever a server says, safe retries of a create, errors that say what
 * happened, and a timeout that holds in any region, on the `TestClock` and on the live clock (both of its paths).
 */
import { ChatTransport, ChatV2UserApi } from "@effect-twilio/chat"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { LiveClockProto } from "../src/internal/attempt.js"
import {
  ACCOUNT,
  chatLayer,
  clocked,
  type Script,
  scripted,
  type Sent,
  SERVICE,
  TOKEN,
  USER,
  userJson
} from "./utils.js"

const COLLECTION = `/v2/Services/${SERVICE}/Users`
const OTHER_SERVICE = "IS00000000000000000000000000000bad"
const TWILIO = "https://chat.twilio.com"

const page = (url: string, next: string | null, identities: ReadonlyArray<string>): Script => ({
  status: 200,
  body: {
    users: identities.map((identity, i) => userJson({ identity, sid: `US${String(i).padStart(32, "0")}` })),
    meta: {
      page: 0,
      page_size: identities.length,
      first_page_url: url,
      previous_page_url: null,
      url,
      next_page_url: next,
      key: "users"
    }
  }
})

/** A server that answers each URL (path and query, on any host) from `pages`, and 404 for anything else. */
const routed = (pages: Record<string, Script>) => (sent: Sent): Script => {
  const url = new URL(sent.url)
  return pages[url.pathname + url.search] ?? { status: 404, body: { code: 20404, message: "nope", status: 404 } }
}

const pathOf = (s: Sent) => {
  const url = new URL(s.url)
  return url.pathname + url.search
}

describe("paging never requests a page twice and stays on its collection", () => {
  const A = `${COLLECTION}?PageSize=1`
  const B = `${COLLECTION}?PageSize=1&Page=1&PageToken=B`
  const C = `${COLLECTION}?PageSize=1&Page=2&PageToken=C`

  it.effect("a cycle A -> B -> A ends the stream with UnexpectedResponse after each page was read once", () => {
    const fake = scripted(
      routed({ [A]: page(TWILIO + A, TWILIO + B, ["a"]), [B]: page(TWILIO + B, TWILIO + A, ["b"]) })
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(chat.streamUsers(SERVICE, { pageSize: 1 }), (u) => Effect.sync(() => seen.push(u.identity)))
      )
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: null })
      expect(error.message).toBe(
        "ChatV2UserApi.streamUsers: next_page_url leads back to a page already requested (a cycle); not followed"
      )
      expect(seen).toEqual(["a", "b"])
      expect(fake.sent.map(pathOf)).toEqual([A, B])
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a cycle of three pages is found as well, and a stream run twice reads its pages again", () => {
    const fake = scripted(
      routed({
        [A]: page(TWILIO + A, TWILIO + B, ["a"]),
        [B]: page(TWILIO + B, TWILIO + C, ["b"]),
        [C]: page(TWILIO + C, TWILIO + B, ["c"])
      })
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const users = chat.streamUsers(SERVICE, { pageSize: 1 })
      expect((yield* Effect.flip(Stream.runDrain(users)))._tag).toBe("UnexpectedResponse")
      expect((yield* Effect.flip(Stream.runDrain(users)))._tag).toBe("UnexpectedResponse")
      expect(fake.sent.map(pathOf)).toEqual([A, B, C, A, B, C])
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("nextPage by hand refuses to go back along its own chain, and may re-read a page", () => {
    const fake = scripted(
      routed({ [A]: page(TWILIO + A, TWILIO + B, ["a"]), [B]: page(TWILIO + B, TWILIO + A, ["b"]) })
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const first = yield* chat.listUser(SERVICE, { pageSize: 1 })
      const second = Option.getOrThrow(yield* chat.nextPage(first))
      const again = Option.getOrThrow(yield* chat.nextPage(first))
      expect(again.users[0].identity).toBe(second.users[0].identity)
      const error = yield* Effect.flip(chat.nextPage(second))
      expect(error.message).toContain("a cycle")
      expect(fake.sent.map(pathOf)).toEqual([A, B, B])
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  const refusals: ReadonlyArray<readonly [string, string, string]> = [
    [
      "a path that merely ends in the collection",
      `${TWILIO}/2010-04-01/Accounts/AC0/Messages.json${COLLECTION}?Page=1`,
      `next_page_url's path is not the collection the page was listed from (${COLLECTION})`
    ],
    [
      "another service's users",
      `${TWILIO}/v2/Services/${OTHER_SERVICE}/Users?Page=1`,
      `next_page_url points at the users of another service (${OTHER_SERVICE})`
    ],
    [
      "another port of the configured host",
      `http://127.0.0.1:4011${COLLECTION}?Page=1`,
      "next_page_url is on http://127.0.0.1:4011, which differs from the configured http://127.0.0.1:4010 in port"
    ],
    [
      "https where http is configured",
      `https://127.0.0.1:4010${COLLECTION}?Page=1`,
      "next_page_url is on https://127.0.0.1:4010, which differs from the configured http://127.0.0.1:4010 in scheme"
    ]
  ]

  for (const [what, next, reason] of refusals) {
    it.effect(`refuses ${what}, saying what differed, and sends nothing there`, () => {
      const base = "http://127.0.0.1:4010"
      const fake = scripted(routed({ [A]: page(base + A, next, ["a"]) }))
      return Effect.gen(function*() {
        const chat = yield* ChatV2UserApi
        const streamed = yield* Effect.flip(Stream.runDrain(chat.streamUsers(SERVICE, { pageSize: 1 })))
        expect(streamed.message).toBe(`ChatV2UserApi.streamUsers: ${reason}; not followed`)
        const first = yield* chat.listUser(SERVICE, { pageSize: 1 })
        const byHand = yield* Effect.flip(chat.nextPage(first))
        expect(byHand).toMatchObject({ _tag: "UnexpectedResponse", status: null })
        expect(byHand.message).toBe(`ChatV2UserApi.nextPage: ${reason}; not followed`)
        expect(fake.sent.map(pathOf)).toEqual([A, A])
      }).pipe(Effect.provide(chatLayer(fake.layer, { baseUrl: base })))
    })
  }

  it.effect("a base URL with a path prefix (a proxy) pages under that prefix", () => {
    const base = "http://127.0.0.1:4010/proxy/twilio"
    const fake = scripted(
      routed({
        [`/proxy/twilio${A}`]: page(base + A, base + B, ["a"]),
        [`/proxy/twilio${B}`]: page(base + B, null, ["b"])
      })
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(yield* Stream.runCount(chat.streamUsers(SERVICE, { pageSize: 1 }))).toBe(2)
    }).pipe(Effect.provide(chatLayer(fake.layer, { baseUrl: base })))
  })
})

describe("no credential in any error, whatever the server says", () => {
  const API_KEY = "SK0123456789abcdef0123456789abcdef"
  const SECRET = "s3cr3t.+*?(x)/é"
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64")
  const credentials = [
    { name: "auth token", options: {}, user: ACCOUNT, secret: TOKEN },
    { name: "API key", options: { apiKeySid: API_KEY, apiKeySecret: SECRET }, user: API_KEY, secret: SECRET }
  ] as const

  /** Every way the server may echo what it was sent. */
  const echoes = (sent: Sent, secret: string): ReadonlyArray<Script> => {
    const header = sent.headers.authorization
    const all = `${header} ${secret} ${encodeURIComponent(secret)} ${b64(secret)}`
    return [
      {
        status: 400,
        body: { code: 20001, message: `bad auth: ${all}`, more_info: `https://x/?a=${all}`, status: 400 }
      },
      { status: 401, body: { code: 20003, message: `Authenticate ${all}`, status: 401 } },
      {
        status: 502,
        body: `<html><body>${"x".repeat(150)} ${all}</body></html>`,
        headers: { "content-type": "text/html" }
      }
    ]
  }

  for (const credential of credentials) {
    it.effect(`the ${credential.name} never reaches an error's message, moreInfo, JSON, stack or Cause.pretty`, () =>
      Effect.gen(function*() {
        for (let variant = 0; variant < 3; variant++) {
          const fake = scripted((sent) => echoes(sent, credential.secret)[variant])
          const exit = yield* Effect.exit(
            Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser(SERVICE, USER)).pipe(
              Effect.provide(chatLayer(fake.layer, { retry: false, ...credential.options }))
            )
          )
          expect(Exit.isFailure(exit)).toBe(true)
          if (Exit.isSuccess(exit)) continue
          const error = Option.getOrThrow(Cause.failureOption(exit.cause))
          const text = [error.message, JSON.stringify(error), String(error), error.stack, Cause.pretty(exit.cause)]
            .join("\n")
          for (
            const form of [credential.secret, b64(`${credential.user}:${credential.secret}`), b64(credential.secret)]
          ) {
            expect(text).not.toContain(form)
          }
          expect(text).toContain("<redacted>")
        }
      }))
  }
})

describe("retries are safe and errors say what happened", () => {
  it.effect("a create whose connection was refused is retried: nothing was sent", () => {
    const fake = scripted(["refused", "refused", { status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const user = yield* clocked(chat.createUser(SERVICE, "alice"))
      expect(user.identity).toBe("alice")
      expect(fake.sent).toHaveLength(3)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a refused connection on every attempt ends as TransportError naming the cause and the attempts", () => {
    const fake = scripted(["refused"])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(clocked(chat.createUser(SERVICE, "alice")))
      expect(error).toMatchObject({
        _tag: "TransportError",
        reason: "Connection",
        operation: "ChatV2UserApi.createUser",
        attempts: 4,
        notSent: true,
        message: "ChatV2UserApi.createUser: connect ECONNREFUSED 127.0.0.1:9 after 4 attempts"
      })
      expect(error._tag === "TransportError" && error.cause).toMatchObject({
        name: "RequestError",
        message: "Transport",
        cause: { name: "TypeError", message: "fetch failed", cause: { code: "ECONNREFUSED" } }
      })
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a create whose connection broke after sending is not retried", () => {
    const fake = scripted(["reset", { status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(clocked(chat.createUser(SERVICE, "alice")))
      expect(error).toMatchObject({ _tag: "TransportError", reason: "Connection", notSent: false, attempts: 1 })
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a 503 on every attempt says the operation, the status, the code and the attempts", () => {
    const fake = scripted([{ status: 503, body: { code: 20503, message: "Service unavailable", status: 503 } }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(clocked(chat.fetchUser(SERVICE, USER)))
      expect(error.message).toBe("ChatV2UserApi.fetchUser: HTTP 503 (20503) after 4 attempts: Service unavailable")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("Cause.pretty of a failure names the operation with no tracer installed", () => {
    const fake = scripted([{ status: 401, body: { code: 20003, message: "Authenticate", status: 401 } }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const exit = yield* Effect.exit(chat.fetchUser(SERVICE, USER))
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain(
        "AuthenticationFailed: ChatV2UserApi.fetchUser: HTTP 401 (20003) after 1 attempt: Authenticate"
      )
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})

/** A `Clock` that is the live clock in all but its class: the timeout then takes its generic path. */
const delegatingClock = (): Clock.Clock => {
  const live = Clock.make()
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => live.unsafeCurrentTimeMillis(),
    currentTimeMillis: live.currentTimeMillis,
    unsafeCurrentTimeNanos: () => live.unsafeCurrentTimeNanos(),
    currentTimeNanos: live.currentTimeNanos,
    sleep: (d) => live.sleep(d)
  }
}

/** The regions a caller may run an operation in, each of which must not stop the timeout. */
const regions = <A, E>(op: Effect.Effect<A, E>): ReadonlyArray<readonly [string, Effect.Effect<Exit.Exit<A, E>>]> => [
  ["Effect.uninterruptible", Effect.exit(Effect.uninterruptible(op))],
  ["acquireRelease's acquire", Effect.scoped(Effect.acquireRelease(Effect.exit(op), () => Effect.void))],
  [
    "acquireRelease's release",
    Effect.flatMap(Effect.makeLatch(), (done) =>
      Effect.suspend(() => {
        let result: Exit.Exit<A, E> | undefined
        return Effect.scoped(
          Effect.acquireRelease(Effect.void, () => Effect.map(Effect.exit(op), (e) => (result = e)))
        ).pipe(Effect.zipRight(done.open), Effect.map(() => result!))
      }))
  ],
  [
    "a finalizer",
    Effect.suspend(() => {
      let result: Exit.Exit<A, E> | undefined
      return Effect.void.pipe(
        Effect.ensuring(Effect.map(Effect.exit(op), (e) => (result = e))),
        Effect.map(() => result!)
      )
    })
  ]
]

describe("the timeout holds in any region", () => {
  const stalled = () => scripted(["hang"])

  for (const [region, _] of regions(Effect.void)) {
    it.effect(`on the TestClock, in ${region}: TransportError(Timeout) at the timeout, the request aborted`, () => {
      const fake = stalled()
      return Effect.gen(function*() {
        const chat = yield* ChatV2UserApi
        const [, run] = regions(chat.createUser(SERVICE, "alice")).find(([r]) => r === region)!
        // Bounded: without the fix the attempt could never be interrupted, and this fails instead of hanging.
        const exit = yield* clocked(Effect.timeout(Effect.disconnect(run), "10 seconds"))
        expect(exit).toMatchObject({ _tag: "Failure" })
        expect(Exit.isFailure(exit) && Option.getOrThrow(Cause.failureOption(exit.cause))).toMatchObject({
          _tag: "TransportError",
          reason: "Timeout",
          message: "ChatV2UserApi.createUser: timed out (no whole answer within 300 ms) after 1 attempt"
        })
        expect(fake.sent[0].signal.aborted).toBe(true)
      }).pipe(Effect.provide(chatLayer(fake.layer, { timeout: "300 millis" })))
    })

    for (
      const [path, withClock] of [
        ["its timer path (the live clock)", <A, E, R>(e: Effect.Effect<A, E, R>) => e],
        [
          "its generic path (another clock)",
          <A, E, R>(e: Effect.Effect<A, E, R>) => Effect.withClock(e, delegatingClock())
        ]
      ] as const
    ) {
      it.live(`on the live clock, ${path}, in ${region}: TransportError(Timeout) on time`, () => {
        const fake = stalled()
        return Effect.gen(function*() {
          const chat = yield* ChatV2UserApi
          const [, run] = regions(chat.fetchUser(SERVICE, USER)).find(([r]) => r === region)!
          const started = Date.now()
          // Bounded: without the fix the attempt could never be interrupted, and this fails instead of hanging.
          const exit = yield* Effect.timeout(Effect.disconnect(withClock(run)), "3 seconds")
          const elapsed = Date.now() - started
          expect(Exit.isFailure(exit) && Option.getOrThrow(Cause.failureOption(exit.cause))).toMatchObject({
            _tag: "TransportError",
            reason: "Timeout"
          })
          expect(elapsed).toBeGreaterThanOrEqual(95)
          expect(elapsed).toBeLessThan(1000)
          expect(fake.sent[0].signal.aborted).toBe(true)
        }).pipe(Effect.provide(chatLayer(fake.layer, { timeout: "100 millis", retry: false })))
      }, 5_000)
    }
  }

  it.live("the default clock is the live clock's class: the timer path is the one applications get", () =>
    Effect.clockWith((clock) => Effect.sync(() => expect(Object.getPrototypeOf(clock)).toBe(LiveClockProto))))

  it.live("caller interruption still stops the attempt at once and aborts its request", () => {
    const fake = stalled()
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const fiber = yield* Effect.fork(chat.fetchUser(SERVICE, USER))
      yield* Effect.sleep("20 millis")
      const started = Date.now()
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(Date.now() - started).toBeLessThan(500)
      expect(fake.sent[0].signal.aborted).toBe(true)
    }).pipe(Effect.provide(chatLayer(fake.layer, { timeout: "30 seconds" })))
  })
})

describe("an HttpClient carrying a ChatTransport is used through it, on the live clock only", () => {
  /** The scripted client, carrying a transport that answers a user (and counts its exchanges). */
  const withCountingTransport = () => {
    const fake = scripted([{ status: 200, body: userJson({ identity: "via-execute" }) }])
    const exchanges: Array<ChatTransport.Limits> = []
    const transport: ChatTransport.ChatTransport = {
      exchange: (_request, limits, onAnswer) =>
        Effect.sync(() => {
          exchanges.push(limits)
          return onAnswer(200, {}, JSON.stringify(userJson({ identity: "via-transport" })))
        })
    }
    const client = ChatTransport.withTransport(fake.client, transport)
    return { fake, exchanges, layer: Layer.succeed(HttpClient.HttpClient, client) }
  }

  it.live("on the live clock each attempt is one exchange of the transport, with the timeout and the body limit", () => {
    const { exchanges, fake, layer } = withCountingTransport()
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect((yield* chat.fetchUser(SERVICE, USER)).identity).toBe("via-transport")
      expect(exchanges).toEqual([{ timeoutMillis: 1234, maxBodyBytes: 8 * 1024 * 1024 }])
      expect(fake.sent).toHaveLength(0)
    }).pipe(Effect.provide(chatLayer(layer, { timeout: "1234 millis" })))
  })

  it.effect("on the TestClock the attempt goes through execute, so that timeouts follow that clock", () => {
    const { exchanges, layer } = withCountingTransport()
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect((yield* chat.fetchUser(SERVICE, USER)).identity).toBe("via-execute")
      expect(exchanges).toHaveLength(0)
    }).pipe(Effect.provide(chatLayer(layer)))
  })

  it.live("with a transformClient the attempt goes through execute, so that its decorations apply", () => {
    const { exchanges, fake, layer } = withCountingTransport()
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect((yield* chat.fetchUser(SERVICE, USER)).identity).toBe("via-execute")
      expect(exchanges).toHaveLength(0)
      expect(fake.sent[0].headers["x-proxy"]).toBe("1")
    }).pipe(
      Effect.provide(
        chatLayer(layer, { transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-proxy", "1")) })
      )
    )
  })

  it.live("a transport's failures become the client's errors: Timeout, Connection (not sent when refused), BodyRefused", () => {
    const failing = (failure: ChatTransport.Failure) => {
      const fake = scripted([{ status: 200, body: userJson() }])
      const transport: ChatTransport.ChatTransport = { exchange: () => Effect.fail(failure) }
      return Layer.succeed(HttpClient.HttpClient, ChatTransport.withTransport(fake.client, transport))
    }
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" })
    return Effect.gen(function*() {
      const errorOf = (failure: ChatTransport.Failure) =>
        Effect.flip(Effect.flatMap(ChatV2UserApi, (chat) => chat.createUser(SERVICE, "alice"))).pipe(
          Effect.provide(chatLayer(failing(failure), { retry: false }))
        )
      expect(yield* errorOf({ _tag: "Timeout" })).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
      expect(yield* errorOf({ _tag: "Connection", cause: refused })).toMatchObject({
        _tag: "TransportError",
        reason: "Connection",
        notSent: true
      })
      expect(yield* errorOf({ _tag: "BodyRefused", status: 200, reason: "too big" })).toMatchObject({
        _tag: "UnexpectedResponse",
        status: 200,
        message: "ChatV2UserApi.createUser: HTTP 200 after 1 attempt: too big"
      })
    })
  })
})
