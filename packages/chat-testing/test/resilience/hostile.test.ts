/**
 * A hostile or broken server: next pages elsewhere, downgrades, enormous and deeply nested bodies, a `Retry-After`
 * of a year, redirects to another host. Each ends in a typed error or a bounded wait, never a crash, and the
 * credentials go nowhere but the configured host.
 */
import { ChatV2UserApi, type ListUserResponse } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { ChatTest, Emulator, FakeTwilioChat, Fault } from "../../src/index.js"
import { T0 } from "../utils.js"
import { bystander, clocked, eventually, gaps, OPERATIONS, TARGET } from "./utils.js"

const overSocket = (options: Parameters<typeof Emulator.layerClient>[0] = {}) =>
  Emulator.layerClient(options).pipe(Layer.provide(FetchHttpClient.layer))

/** A valid page of no users whose `next_page_url` is `next`. */
const pageLinkingTo = (next: string, base = "https://chat.twilio.com") => ({
  users: [],
  meta: {
    page: 0,
    page_size: 50,
    first_page_url: `${base}/v2/Services/IS0/Users?PageSize=50&Page=0`,
    previous_page_url: null,
    url: `${base}/v2/Services/IS0/Users?PageSize=50&Page=0`,
    next_page_url: next,
    key: "users"
  }
})

describe("next_page_url that must not be followed", () => {
  it.scopedLive("on another local server: refused, and that server receives nothing", () =>
    Effect.gen(function*() {
      const other = yield* bystander
      const fake = yield* FakeTwilioChat
      const emulator = yield* Emulator
      const chat = yield* ChatV2UserApi
      const foreign = Fault.foreignNextPage(other.origin)
      yield* fake.injectFaults("listUser", [foreign, foreign])
      const first = yield* chat.listUser(emulator.serviceSid, { pageSize: 2 })
      expect(first.meta.nextPageUrl?.startsWith(other.origin)).toBe(true)
      const next = yield* Effect.flip(chat.nextPage(first))
      expect(next).toMatchObject({ _tag: "UnexpectedResponse", status: null })
      const streamed = yield* Effect.flip(Stream.runDrain(chat.streamUsers(emulator.serviceSid, { pageSize: 2 })))
      expect(streamed).toMatchObject({ _tag: "UnexpectedResponse", status: null })
      expect(other.received).toEqual([])
      expect(yield* fake.requests).toHaveLength(2)
    }).pipe(Effect.provide(overSocket({ seedUsers: 5 }))))

  const service = "IS0123456789abcdef0123456789abcdef"
  const refused: ReadonlyArray<readonly [string, string]> = [
    ["http: where the base URL is https:", `http://chat.twilio.com/v2/Services/${service}/Users?PageToken=PA1`],
    ["another host", `https://evil.example.com/v2/Services/${service}/Users?PageToken=PA1`],
    ["a look-alike host", `https://chat.twilio.com.evil.example.com/v2/Services/${service}/Users?PageToken=PA1`],
    ["credentials in the URL", `https://user:pass@chat.twilio.com/v2/Services/${service}/Users?PageToken=PA1`],
    ["another resource on Twilio's host", `https://chat.twilio.com/v2/Services/${service}/Roles?PageToken=PA1`],
    ["a path that climbs out of Users", `https://chat.twilio.com/v2/Services/${service}/Users/../../Credentials`],
    ["a protocol-relative URL", `//evil.example.com/v2/Services/${service}/Users`],
    ["not a URL", "javascript:alert(1)"]
  ]
  for (const [what, next] of refused) {
    it.effect(`${what}: UnexpectedResponse from nextPage and streamUsers, and no second request`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        yield* fake.injectFaults("listUser", [Fault.json(pageLinkingTo(next)), Fault.json(pageLinkingTo(next))])
        const first: ListUserResponse = yield* chat.listUser(fake.defaultServiceSid)
        expect(yield* Effect.flip(chat.nextPage(first))).toMatchObject({ _tag: "UnexpectedResponse", status: null })
        expect(yield* Effect.flip(Stream.runDrain(chat.streamUsers(fake.defaultServiceSid)))).toMatchObject({
          _tag: "UnexpectedResponse",
          status: null
        })
        expect(yield* fake.requests).toHaveLength(2)
      }).pipe(Effect.provide(ChatTest.layer({ client: { retry: false } }))))
  }
})

describe("enormous bodies", () => {
  for (const contentLength of [false, true]) {
    const how = contentLength ? "announced by Content-Length" : "chunked, without Content-Length"
    for (const op of OPERATIONS.filter((o) => o.name !== "deleteUser")) {
      it.effect(`${op.name}: a 32 MiB body ${how} is UnexpectedResponse, read no further than the limit`, () =>
        Effect.gen(function*() {
          const fake = yield* FakeTwilioChat
          const chat = yield* ChatV2UserApi
          yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: TARGET }])
          yield* fake.injectFaults(op.name, [Fault.enormous({ bytes: 32 * 1024 * 1024, contentLength })])
          const error = yield* Effect.flip(op.run(chat, fake.defaultServiceSid))
          expect(error).toMatchObject({ _tag: "UnexpectedResponse" })
          expect(error.message).toContain("at most")
          expect(yield* fake.requests).toHaveLength(1)
        }).pipe(Effect.provide(ChatTest.layer())))
    }
  }

  it.live("over a socket, a 1 GiB chunked page is refused within a second and its connection closed", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const emulator = yield* Emulator
      const chat = yield* ChatV2UserApi
      yield* fake.injectFaults("listUser", [Fault.enormous({ bytes: 1024 * 1024 * 1024 })])
      const start = Date.now()
      const error = yield* Effect.flip(chat.listUser(emulator.serviceSid))
      expect(Date.now() - start).toBeLessThan(1_000)
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
      expect(yield* eventually(emulator.abandoned, (n) => n === 1)).toBe(1)
      expect(yield* emulator.inFlight).toBe(0)
    }).pipe(Effect.provide(overSocket({ seedUsers: 3, client: { timeout: "20 seconds" } }))))
})

describe("deeply nested JSON", () => {
  const depth = 1_000_000
  const bodies = [
    ["a million nested arrays", "[".repeat(depth) + "]".repeat(depth)],
    ["a million nested objects", "{\"a\":".repeat(depth) + "null" + "}".repeat(depth)]
  ] as const
  for (const [what, body] of bodies) {
    it.effect(`${what} as a 200 answer is UnexpectedResponse for every operation`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: TARGET }])
        for (const op of OPERATIONS) {
          yield* fake.injectFaults(op.name, [Fault.json(body)])
          expect(yield* Effect.flip(op.run(chat, fake.defaultServiceSid))).toMatchObject({
            _tag: "UnexpectedResponse",
            status: 200
          })
        }
        expect(yield* fake.requests).toHaveLength(OPERATIONS.length)
      }).pipe(Effect.provide(ChatTest.layer())))

    it.effect(`${what} as an error answer, or as one user of a page, is a typed error`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        const service = fake.defaultServiceSid
        yield* fake.injectFaults("fetchUser", [Fault.json(body, { status: 400 })])
        expect(yield* Effect.flip(chat.fetchUser(service, TARGET))).toMatchObject({
          _tag: "TwilioApiError",
          status: 400
        })
        const page = JSON.stringify(pageLinkingTo("https://chat.twilio.com/x"))
          .replace("\"users\":[]", `"users":[${body}]`)
        yield* fake.injectFaults("listUser", [Fault.json(page)])
        expect(yield* Effect.flip(chat.listUser(service))).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
      }).pipe(Effect.provide(ChatTest.layer({ client: { retry: false } }))))
  }
})

describe("Retry-After from a hostile server", () => {
  const aYear = 365 * 24 * 3600
  for (
    const [what, retryAfter] of [
      ["a year in seconds", aYear],
      ["an HTTP date a year ahead", new Date(T0 + aYear * 1000).toUTCString()],
      ["more seconds than a Duration holds", "9".repeat(400)]
    ] as const
  ) {
    for (const op of OPERATIONS) {
      it.effect(`${op.name}: Retry-After of ${what} is capped: the retry comes after 30 s and succeeds`, () =>
        Effect.gen(function*() {
          yield* TestClock.setTime(T0)
          const fake = yield* FakeTwilioChat
          const chat = yield* ChatV2UserApi
          yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: TARGET }])
          yield* fake.injectFaults(op.name, [Fault.rateLimited({ retryAfter })])
          yield* clocked(op.run(chat, fake.defaultServiceSid))
          expect(gaps(yield* fake.requests)).toEqual([30_000])
        }).pipe(Effect.provide(ChatTest.layer())))
    }
  }

  for (const retryAfter of ["soon", "-5", "5 minutes", "1e9999", ""]) {
    it.effect(`an unreadable Retry-After ${JSON.stringify(retryAfter)} falls back to the backoff`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T0)
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: TARGET }])
        yield* fake.injectFaults("fetchUser", [Fault.rateLimited({ retryAfter })])
        yield* clocked(chat.fetchUser(fake.defaultServiceSid, TARGET))
        const [wait] = gaps(yield* fake.requests)
        expect(wait).toBeGreaterThanOrEqual(200)
        expect(wait).toBeLessThanOrEqual(300)
      }).pipe(Effect.provide(ChatTest.layer())))
  }
})

describe("redirects", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it.scopedLive(`a ${status} to another host is UnexpectedResponse for every operation, and is not followed`, () =>
      Effect.gen(function*() {
        const other = yield* bystander
        const fake = yield* FakeTwilioChat
        const emulator = yield* Emulator
        const chat = yield* ChatV2UserApi
        yield* fake.seedUsers(emulator.serviceSid, [{ identity: TARGET }])
        for (const op of OPERATIONS) {
          const elsewhere = `${other.origin}/v2/Services/${emulator.serviceSid}/Users`
          yield* fake.injectFaults(op.name, [Fault.redirect(elsewhere, { status })])
          const result = yield* Effect.either(op.run(chat, emulator.serviceSid))
          expect(Either.isLeft(result) ? result.left : "success").toMatchObject({ _tag: "UnexpectedResponse", status })
        }
        expect(other.received).toEqual([])
        expect(yield* fake.requests).toHaveLength(OPERATIONS.length)
      }).pipe(Effect.provide(overSocket())))
  }
})
