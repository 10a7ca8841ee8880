import { ChatV2UserApi } from "@effect-twilio/chat"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ChatTest, FakeTwilioChat, Fault } from "../src/index.js"
import { contractSuite } from "./contract.js"

contractSuite("ChatV2UserApi over ChatTest.layer (in memory)", ChatTest.layer, false)

/** A program of the kind users test with `ChatTest.layer`: get-or-create. */
const ensureUser = (serviceSid: string, identity: string) =>
  Effect.flatMap(ChatV2UserApi, (chat) =>
    chat.createUser(serviceSid, identity).pipe(
      Effect.catchTag("UserAlreadyExists", () => chat.fetchUser(serviceSid, identity))
    ))

describe("ChatTest", () => {
  it.effect("tests a user's own program: get-or-create returns the existing user on the second call", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const first = yield* ensureUser(fake.defaultServiceSid, "alice")
      const second = yield* ensureUser(fake.defaultServiceSid, "alice")
      expect(second.sid).toBe(first.sid)
      expect((yield* fake.requests).map((r) => r.operation)).toEqual(["createUser", "createUser", "fetchUser"])
    }).pipe(Effect.provide(ChatTest.layer())))

  it.effect("gives each build of the layer a fresh fake", () =>
    Effect.gen(function*() {
      const created = yield* Effect.flatMap(FakeTwilioChat, (fake) => ensureUser(fake.defaultServiceSid, "bob")).pipe(
        Effect.provide(ChatTest.layer())
      )
      const users = yield* Effect.flatMap(FakeTwilioChat, (fake) => fake.users(fake.defaultServiceSid)).pipe(
        Effect.provide(ChatTest.layer())
      )
      expect(created.identity).toBe("bob")
      expect(users).toEqual([])
    }))

  it.effect("hands out the same SIDs for the same seed, and other SIDs for another seed", () =>
    Effect.gen(function*() {
      const sids = (seed: string) =>
        Effect.gen(function*() {
          const fake = yield* FakeTwilioChat
          const chat = yield* ChatV2UserApi
          const user = yield* chat.createUser(fake.defaultServiceSid, "carol")
          return [fake.accountSid, fake.defaultServiceSid, user.sid, user.roleSid]
        }).pipe(Effect.provide(ChatTest.layer({ seed })))
      const a = yield* sids("one")
      expect(yield* sids("one")).toEqual(a)
      const b = yield* sids("two")
      for (let i = 0; i < a.length; i++) expect(b[i]).not.toBe(a[i])
    }))

  it.effect("serves the client's real HttpClient stack: layerHttpClient under a client built by hand", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi.make({ apiKeySid: fake.apiKeySid, apiKeySecret: fake.apiKeySecret })
      yield* fake.seedUsers(fake.defaultServiceSid, 3)
      const page = yield* chat.listUser(fake.defaultServiceSid)
      expect(page.users.map((u) => u.identity)).toEqual(["user-001", "user-002", "user-003"])
      expect(page.users[0].url.startsWith("https://chat.twilio.com/")).toBe(true)
    }).pipe(Effect.provide(ChatTest.layerHttpClient())))

  it.effect("fails requests to any other host as an unknown host, without the fake seeing them", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const client = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(client.get("https://evil.example.com/v2/Services"))
      expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport" })
      expect(yield* fake.requests).toEqual([])
    }).pipe(Effect.provide(ChatTest.layerHttpClient())))

  it.effect("leaves faults of one operation to that operation", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      yield* fake.injectFaults("deleteUser", [Fault.status(500)])
      const user = yield* chat.createUser(fake.defaultServiceSid, "dan")
      expect((yield* chat.fetchUser(fake.defaultServiceSid, user.sid)).sid).toBe(user.sid)
      expect(yield* fake.pendingFaults).toBe(1)
      const error = yield* Effect.flip(chat.deleteUser(fake.defaultServiceSid, user.sid))
      expect(error).toMatchObject({ _tag: "TwilioApiError", status: 500 })
    }).pipe(Effect.provide(ChatTest.layer({ client: { retry: false } }))))

  it.effect("fails to build with a ConfigError when the client options are invalid", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Layer.build(ChatTest.layer({ client: { baseUrl: "http://example.com" } })))
      expect(error).toMatchObject({ _tag: "ConfigError", _op: "InvalidData", path: ["baseUrl"] })
    }).pipe(Effect.scoped))
})
