/**
 * The emulator's admin API (`/__emulator/...`) driven with plain `fetch`, as a test in any language would: services,
 * seeded users, recorded requests, scripted faults (as the official `twilio` package and our client see them),
 * reset, authentication and errors. And the same routes in memory: the fake has one router.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { Emulator, FakeTwilioChat } from "../src/index.js"
import { officialClient, rejection } from "./official.js"
import { basic, raw, ROLE } from "./utils.js"

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: any
}

/** One request with `fetch`: a value as a JSON body, a string as is; the emulator's credentials unless `auth`. */
const call = (
  method: string,
  path: string,
  options: { readonly body?: unknown; readonly auth?: string | null } = {}
) =>
  Effect.flatMap(Emulator, (emulator) =>
    Effect.promise(async (): Promise<Answer> => {
      const authorization = options.auth === undefined
        ? basic(emulator.accountSid, Redacted.value(emulator.authToken))
        : options.auth
      const response = await fetch(`${emulator.baseUrl}${path}`, {
        method,
        headers: {
          ...(authorization === null ? {} : { authorization }),
          ...(options.body === undefined ? {} : { "content-type": "application/json" })
        },
        ...(options.body === undefined
          ? {}
          : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) })
      })
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, body: text === "" ? "" : JSON.parse(text) }
    }))

const injectFaults = (operation: string, faults: ReadonlyArray<unknown>) =>
  call("POST", "/__emulator/faults", { body: { operation, faults } })

const identities = (users: ReadonlyArray<{ readonly identity: string }>) => users.map((user) => user.identity)

/** Our client over a real socket, retrying after 10 ms instead of 250. */
const OurClient = (options: Parameters<typeof Emulator.layerClient>[0] = {}) =>
  Emulator.layerClient({ ...options, client: { retry: { base: "10 millis" } } }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )

describe("the admin API under /__emulator/", () => {
  it.live("answers 401 without the emulator's credentials, accepts both of its pairs, and records no admin call", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const anonymous = yield* call("GET", "/__emulator/requests", { auth: null })
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 20003])
      expect(anonymous.headers.get("www-authenticate")).toBe("Basic realm=\"Twilio API\"")
      const wrong = yield* call("POST", "/__emulator/reset", { auth: basic(emulator.accountSid, "wrong") })
      expect(wrong.status).toBe(401)
      const apiKey = basic(emulator.apiKeySid, Redacted.value(emulator.apiKeySecret))
      expect((yield* call("GET", "/__emulator/services", { auth: apiKey })).status).toBe(200)
      expect((yield* call("GET", "/__emulator/requests")).body).toEqual({ requests: [] })
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("creates services, seeds users (listed, or a count) and reads them back as stored", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const created = yield* call("POST", "/__emulator/services", { body: { friendlyName: "Second" } })
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ friendlyName: "Second" })
      const sid: string = created.body.sid
      expect(sid).toMatch(/^IS[0-9a-f]{32}$/)
      expect((yield* call("POST", "/__emulator/services", { body: { sid } })).status).toBe(409)
      expect((yield* call("GET", "/__emulator/services")).body.services.map((s: any) => s.sid)).toEqual([
        emulator.serviceSid,
        sid
      ])

      const seeded = yield* call("POST", `/__emulator/services/${sid}/users`, {
        body: [
          { identity: "alice", friendlyName: "Alice", attributes: { team: "blue" } },
          { identity: "bob", roleSid: ROLE, attributes: "{\"team\":\"red\"}" }
        ]
      })
      expect(seeded.status).toBe(201)
      expect(identities(seeded.body.users)).toEqual(["alice", "bob"])
      expect(identities((yield* call("POST", `/__emulator/services/${sid}/users`, { body: { count: 2 } })).body.users))
        .toEqual(["user-001", "user-002"])

      const stored = (yield* call("GET", `/__emulator/services/${sid}/users`)).body.users
      expect(identities(stored)).toEqual(["alice", "bob", "user-001", "user-002"])
      expect(stored[0]).toMatchObject({
        serviceSid: sid,
        accountSid: emulator.accountSid,
        friendlyName: "Alice",
        attributes: "{\"team\":\"blue\"}",
        joinedChannelsCount: 0
      })
      expect(stored[1].roleSid).toBe(ROLE)
      expect(stored[0].dateCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      // Seeded users are Twilio's users too.
      const alice = yield* call("GET", `/v2/Services/${sid}/Users/alice`)
      expect([alice.status, alice.body.sid]).toEqual([200, stored[0].sid])

      // Twilio would refuse a second alice: nothing is seeded.
      const duplicate = yield* call("POST", `/__emulator/services/${sid}/users`, {
        body: [{ identity: "carol" }, { identity: "alice" }]
      })
      expect(duplicate.status).toBe(400)
      expect(duplicate.body.message).toContain("50201")
      expect((yield* call("GET", `/__emulator/services/${sid}/users`)).body.users).toHaveLength(4)
      const unknown = "IS00000000000000000000000000000042"
      expect((yield* call("GET", `/__emulator/services/${unknown}/users`)).status).toBe(404)
      expect((yield* call("POST", `/__emulator/services/${unknown}/users`, { body: [] })).status).toBe(404)
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("reads the recorded requests as FakeTwilioChat.requests does, credentials redacted, and clears them", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const token = Redacted.value(emulator.authToken)
      const { users } = yield* officialClient()
      yield* Effect.promise(() => users.create({ identity: "dora", friendlyName: "Dora" }))
      const listed = yield* call("GET", "/__emulator/requests")
      expect(listed.body.requests).toEqual(JSON.parse(JSON.stringify(yield* (yield* FakeTwilioChat).requests)))
      expect(listed.body.requests).toHaveLength(1)
      expect(listed.body.requests[0]).toMatchObject({
        operation: "createUser",
        method: "POST",
        path: `/v2/Services/${emulator.serviceSid}/Users`,
        form: { Identity: "dora", FriendlyName: "Dora" },
        username: emulator.accountSid
      })
      expect(listed.body.requests[0].headers.authorization).toBe("[redacted]")
      expect(listed.text).not.toContain(token)
      expect(listed.text).not.toContain(Buffer.from(`${emulator.accountSid}:${token}`).toString("base64"))
      expect((yield* call("DELETE", "/__emulator/requests")).body).toEqual({ requests: [] })
      expect((yield* call("GET", "/__emulator/requests")).body).toEqual({ requests: [] })
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("a 503 then a normal answer: the official twilio package fails once, our client retries and succeeds", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      const { users } = yield* officialClient()
      const script = yield* injectFaults("listUser", [{ type: "status", status: 503 }, { type: "pass" }])
      expect([script.status, script.body]).toEqual([200, { pending: 2 }])
      expect(yield* rejection(() => users.list())).toMatchObject({ status: 503, code: 20503 })
      expect(yield* Effect.promise(() => users.list())).toHaveLength(3)
      expect((yield* call("GET", "/__emulator/faults")).body).toEqual({ pending: 0 })

      yield* fake.clearRequests
      yield* injectFaults("listUser", [{ type: "status", status: 503, retryAfter: 0 }])
      const page = yield* chat.listUser(emulator.serviceSid)
      expect(identities(page.users)).toEqual(["user-001", "user-002", "user-003"])
      expect((yield* fake.requests).map((r) => r.operation)).toEqual(["listUser", "listUser"])
    }).pipe(Effect.provide(OurClient({ seedUsers: 3 }))))

  it.live("a page that fails: the official twilio package gives up the list, our client retries that page", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      const { users } = yield* officialClient()
      const secondPageFails = [{ type: "pass" }, { type: "status", status: 503, message: "Service Unavailable" }]
      yield* injectFaults("listUser", secondPageFails)
      expect(yield* rejection(() => users.list({ pageSize: 2 }))).toMatchObject({ status: 503 })

      yield* call("DELETE", "/__emulator/faults")
      yield* fake.clearRequests
      yield* injectFaults("listUser", secondPageFails)
      const streamed = yield* Stream.runCollect(chat.streamUsers(emulator.serviceSid, { pageSize: 2 }))
      expect(identities(Chunk.toReadonlyArray(streamed))).toEqual([
        "user-001",
        "user-002",
        "user-003",
        "user-004",
        "user-005"
      ])
      const pages = (yield* fake.requests).map((r) => r.query.Page ?? "0")
      expect(pages).toEqual(["0", "1", "1", "2"])
    }).pipe(Effect.provide(OurClient({ seedUsers: 5 }))))

  it.live("faults happen on the socket as scripted, are cleared by DELETE, and reset starts over", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const alice = `/v2/Services/${emulator.serviceSid}/Users/alice`
      yield* injectFaults("fetchUser", [{ type: "reset" }])
      const authorization = basic(emulator.accountSid, Redacted.value(emulator.authToken))
      const cut = yield* Effect.promise(() =>
        fetch(`${emulator.baseUrl}${alice}`, { headers: { authorization } }).then(() => "answered", () => "failed")
      )
      expect(cut).toBe("failed")
      yield* injectFaults("fetchUser", [
        { type: "status", status: 500 },
        { type: "delay", millis: 10, then: { type: "rateLimited", retryAfter: 1 } }
      ])
      expect((yield* call("GET", "/__emulator/faults")).body).toEqual({ pending: 2 })
      expect((yield* call("DELETE", "/__emulator/faults")).body).toEqual({ pending: 0 })
      expect((yield* call("GET", alice)).status).toBe(404)

      const other = (yield* call("POST", "/__emulator/services", { body: {} })).body.sid
      yield* call("POST", `/__emulator/services/${other}/users`, { body: { count: 3 } })
      yield* call("POST", `/v2/Services/${emulator.serviceSid}/Users`, { body: undefined })
      const reset = yield* call("POST", "/__emulator/reset")
      expect(reset.status).toBe(200)
      expect(reset.body.services.map((s: any) => s.sid)).toEqual([emulator.serviceSid])
      expect(identities((yield* call("GET", `/__emulator/services/${emulator.serviceSid}/users`)).body.users))
        .toEqual(["user-001", "user-002"])
      expect((yield* call("GET", "/__emulator/requests")).body).toEqual({ requests: [] })
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 2 }))))

  it.live("scripts faults for one API (api: chat | conversations) or both, and names the default service", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const listed = (yield* call("GET", "/__emulator/services")).body
      expect(listed.defaultServiceSid).toBe(emulator.serviceSid)
      expect(listed.services.map((s: any) => s.sid)).toEqual([emulator.serviceSid])
      const chatUser = `/v2/Services/${emulator.serviceSid}/Users/user-001`
      const script = (api: string | undefined, status: number) =>
        call("POST", "/__emulator/faults", {
          body: { operation: "fetchUser", faults: [{ type: "status", status }], ...(api ? { api } : {}) }
        })
      expect((yield* script("conversations", 503)).body).toEqual({ pending: 1 })
      yield* script("chat", 502)
      yield* script(undefined, 500)
      // Each request takes the first fault scripted for its API or for both, in the order they were scripted.
      expect((yield* call("GET", chatUser)).status).toBe(502)
      expect((yield* call("GET", chatUser)).status).toBe(500)
      expect((yield* call("GET", chatUser)).status).toBe(200)
      expect((yield* call("GET", "/v1/Users/user-001")).status).toBe(503)
      expect((yield* call("GET", "/v1/Users/user-001")).status).toBe(200)
      const recorded = (yield* call("GET", "/__emulator/requests")).body.requests
      expect(recorded.map((r: any) => r.api)).toEqual(["chat", "chat", "chat", "conversations", "conversations"])
      const unknownApi = yield* script("voice", 503)
      expect([unknownApi.status, unknownApi.body.message]).toEqual([400, expect.stringContaining("api")])
      expect((yield* call("GET", "/__emulator/faults")).body).toEqual({ pending: 0 })
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 1 }))))

  it.live("answers 400 with a JSON error to a body that is not JSON, an unknown fault type or operation, a typo", () =>
    Effect.gen(function*() {
      const notJson = yield* call("POST", "/__emulator/faults", { body: "{\"operation\": \"listUser\"," })
      expect(notJson.status).toBe(400)
      expect(notJson.headers.get("content-type")).toBe("application/json; charset=utf-8")
      expect(notJson.body).toMatchObject({ status: 400, message: expect.stringContaining("The body is not JSON") })

      const unknownType = yield* injectFaults("listUser", [{ type: "pass" }, { type: "explode" }])
      expect(unknownType.status).toBe(400)
      expect(unknownType.body.message).toContain("faults.1.type")
      expect(unknownType.body.message).toContain("\"explode\"")
      const unknownOperation = yield* injectFaults("listUsers", [{ type: "pass" }])
      expect(unknownOperation.body.message).toContain("Expected an operation: createUser, fetchUser")
      const typo = yield* injectFaults("fetchUser", [{ type: "status", status: 503, retry_after: 1 }])
      expect([typo.status, typo.body.message]).toEqual([400, expect.stringContaining("retry_after")])
      const badStatus = yield* injectFaults("fetchUser", [{ type: "redirect", location: "/x", status: 200 }])
      expect(badStatus.status).toBe(400)
      // Nothing of a refused script is kept.
      expect((yield* call("GET", "/__emulator/faults")).body).toEqual({ pending: 0 })

      expect(
        (yield* call("POST", "/__emulator/services/IS00000000000000000000000000000000/users", { body: "[" }))
          .status
      ).toBe(404)
      const badSeed = yield* call("POST", `/__emulator/services/${(yield* Emulator).serviceSid}/users`, {
        body: [{ identity: "erin", friendly_name: "Erin" }]
      })
      expect([badSeed.status, badSeed.body.message]).toEqual([400, expect.stringContaining("friendly_name")])
      expect((yield* call("GET", "/__emulator/nothing-here")).body).toEqual({
        status: 404,
        message: "The emulator's admin API has no such path"
      })
      expect((yield* call("DELETE", "/__emulator/reset")).status).toBe(405)
    }).pipe(Effect.provide(Emulator.layer())))

  it.effect("is served by the in-memory fake too: one router for Twilio's routes and the admin routes", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat.make({ seedUsers: 1 })
      const request = raw(fake)
      expect((yield* request("GET", "/__emulator/services")).body.services).toHaveLength(1)
      const seeded = yield* request("POST", `/__emulator/services/${fake.defaultServiceSid}/users`, {
        headers: { "content-type": "application/json" },
        form: JSON.stringify([{ identity: "frank" }])
      })
      expect(seeded.status).toBe(201)
      expect((yield* fake.users(fake.defaultServiceSid)).map((user) => user.identity)).toEqual(["user-001", "frank"])
      expect(yield* fake.requests).toEqual([])
    }))
})
