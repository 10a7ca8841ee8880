import { ChatV2UserApi } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Tracer from "effect/Tracer"
import * as Contract from "../../../test-support/http-layer-contract.js"

const SERVICE = "IS0123456789abcdef0123456789abcdef"
const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
const USER = {
  sid: "US0123456789abcdef0123456789abcdef",
  account_sid: ACCOUNT,
  service_sid: SERVICE,
  attributes: "{}",
  friendly_name: null,
  role_sid: null,
  identity: "alice",
  is_online: null,
  is_notifiable: null,
  date_created: "2016-03-24T21:05:19Z",
  date_updated: "2016-03-24T21:05:19Z",
  joined_channels_count: 0,
  links: null,
  url: `https://chat.twilio.com/v2/Services/${SERVICE}/Users/US0123456789abcdef0123456789abcdef`
}

Contract.httpLayerContract("UndiciHttpClient", UndiciHttpClient.layer, {
  releasable: UndiciHttpClient.layerWith({ connections: 2, keepAliveTimeout: "1 minute" }),
  // undici frees a connection just after the body ends, so the next request may open a second one; not more.
  maxSequentialConnections: 2
})

/** The contract server, with the chat routes the tests below call. */
const server = Contract.useContractServer({
  [`/v2/Services/${SERVICE}/Users/alice`]: (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify(USER))
  },
  [`/v2/Services/${SERVICE}/Users/moved`]: (_req, res) => {
    res.writeHead(302, { location: `/v2/Services/${SERVICE}/Users/alice` })
    res.end()
  },
  [`/v2/Services/${SERVICE}/Users/hang`]: (_req, res, _body, hang) => hang(res)
})

describe("UndiciHttpClient under the chat client", () => {
  const chat = (timeout: Duration.DurationInput, http: Layer.Layer<HttpClient.HttpClient> = UndiciHttpClient.layer) =>
    ChatV2UserApi.layer({ accountSid: ACCOUNT, authToken: "token", baseUrl: server.base, timeout, retry: false }).pipe(
      Layer.provide(http),
      Layer.orDie
    )

  /** A tracer that records the names of the spans it makes. */
  const recording = Effect.map(Effect.tracer, (native) => {
    const names: Array<string> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        names.push(name)
        return native.span(name, parent, context, links, startTime, kind, options)
      },
      context: (f, fiber) => native.context(f, fiber)
    })
    return { names, tracer }
  })

  for (
    const [name, http] of [["UndiciHttpClient", UndiciHttpClient.layer], [
      "FetchHttpClient",
      FetchHttpClient.layer
    ]] as const
  ) {
    it.live(`over ${name} on the live clock: the operation's span, and no http.client span (its URL holds PII)`, () =>
      Effect.gen(function*() {
        const { names, tracer } = yield* recording
        const api = yield* ChatV2UserApi
        yield* Effect.withTracer(api.fetchUser(SERVICE, "alice"), tracer)
        expect(names).toContain("ChatV2UserApi.fetchUser")
        expect(names.filter((n) => n.startsWith("http.client"))).toEqual([])
      }).pipe(Effect.provide(chat("5 seconds", http))))

    it.live(`over ${name} on the live clock: a redirect is not followed`, () =>
      Effect.gen(function*() {
        const api = yield* ChatV2UserApi
        const before = server.seen.length
        const error = yield* Effect.flip(api.fetchUser(SERVICE, "moved"))
        expect(error._tag).toBe("UnexpectedResponse")
        expect(server.seen.length).toBe(before + 1)
      }).pipe(Effect.provide(chat("5 seconds", http))))
  }

  it.live("fetches a user", () =>
    Effect.gen(function*() {
      const api = yield* ChatV2UserApi
      const user = yield* api.fetchUser(SERVICE, "alice")
      expect(user.identity).toBe("alice")
      expect(server.seen[server.seen.length - 1].url).toBe(`/v2/Services/${SERVICE}/Users/alice`)
    }).pipe(Effect.provide(chat("5 seconds"))))

  it.live("times out on the live clock: a TransportError, and the request is aborted", () =>
    Effect.gen(function*() {
      const closed = server.expectHangClosed()
      const api = yield* ChatV2UserApi
      const started = Date.now()
      const error = yield* Effect.flip(api.fetchUser(SERVICE, "hang"))
      expect(error._tag).toBe("TransportError")
      if (error._tag === "TransportError") expect(error.reason).toBe("Timeout")
      expect(Date.now() - started).toBeGreaterThanOrEqual(90)
      yield* Effect.promise(() => closed)
    }).pipe(Effect.provide(chat("100 millis"))))

  it.live("an interruption of the call aborts the request", () =>
    Effect.gen(function*() {
      const closed = server.expectHangClosed()
      const api = yield* ChatV2UserApi
      const fiber = yield* Effect.fork(api.fetchUser(SERVICE, "hang"))
      yield* Effect.sleep(Duration.millis(50))
      yield* Fiber.interrupt(fiber)
      yield* Effect.promise(() => closed)
    }).pipe(Effect.provide(chat("30 seconds"))))
})
