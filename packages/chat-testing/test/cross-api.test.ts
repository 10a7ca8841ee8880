/**
 * One store behind two APIs: a user created through Chat V2 is fetched, listed, updated and deleted through
 * Conversations v1 (on the service's path and on the default service's `/v1/Users`) and the other way round; each API
 * answers with its own fields, URLs and error bodies. Raw requests, as curl would send them, in memory
 * (`fake.handle`) and over the emulator's socket (`fetch` on 127.0.0.1).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import {
  ChatTest,
  Emulator,
  FakeTwilioChat,
  FakeTwilioChatError,
  type FakeTwilioChatOptions,
  type FakeTwilioChatService,
  Fault
} from "../src/index.js"
import { basic, raw, rawHttp, type Send } from "./utils.js"

interface Setup {
  readonly fake: FakeTwilioChatService
  readonly send: Send
  /** The origin of Chat V2 URLs in answers. */
  readonly chat: string
  /** The origin of Conversations v1 URLs in answers. */
  readonly conversations: string
}

const ways: ReadonlyArray<
  readonly [string, (options?: FakeTwilioChatOptions) => Effect.Effect<Setup, unknown, Scope.Scope>]
> = [
  [
    "in memory",
    (options) =>
      Effect.map(FakeTwilioChat.make(options), (fake) => ({
        fake,
        send: raw(fake),
        chat: "https://chat.twilio.com",
        conversations: "https://conversations.twilio.com"
      }))
  ],
  [
    "over the emulator",
    (options) =>
      Effect.map(Layer.build(Emulator.layer(options)), (context) => {
        const emulator = Context.get(context, Emulator)
        return {
          fake: Context.get(context, FakeTwilioChat),
          send: rawHttp(emulator.localUrl, emulator),
          chat: emulator.baseUrl,
          conversations: emulator.baseUrl
        }
      })
  ]
]

const CONVERSATIONS_FIELDS = [
  "account_sid",
  "attributes",
  "chat_service_sid",
  "date_created",
  "date_updated",
  "friendly_name",
  "identity",
  "is_notifiable",
  "is_online",
  "links",
  "role_sid",
  "sid",
  "url"
]

/** Chat V2's fields: Conversations' with `service_sid` for `chat_service_sid`, and `joined_channels_count`. */
const CHAT_FIELDS = [
  ...CONVERSATIONS_FIELDS.filter((field) => field !== "chat_service_sid"),
  "service_sid",
  "joined_channels_count"
].sort()

const fields = (body: object) => Object.keys(body).sort()

const authorizationOf = (fake: FakeTwilioChatService) => basic(fake.accountSid, Redacted.value(fake.authToken))

for (const [name, setup] of ways) {
  describe(`one store behind Chat V2 and Conversations v1, ${name}`, () => {
    it.scopedLive("a user created through Chat V2 is fetched, listed, updated and deleted through Conversations", () =>
      Effect.gen(function*() {
        const { chat, conversations, fake, send } = yield* setup({ seedUsers: 2 })
        const is = fake.defaultServiceSid
        const created = yield* send("POST", `/v2/Services/${is}/Users`, {
          form: "Identity=alice%40example.com&FriendlyName=Alice&Attributes=%7B%22team%22%3A%22blue%22%7D"
        })
        expect(created.status).toBe(201)
        expect(fields(created.body)).toEqual(CHAT_FIELDS)
        const us = created.body.sid

        const onService = yield* send("GET", `/v1/Services/${is}/Users/alice%40example.com`)
        expect(onService.status).toBe(200)
        expect(onService.body).toEqual({
          sid: us,
          account_sid: fake.accountSid,
          chat_service_sid: is,
          role_sid: created.body.role_sid,
          identity: "alice@example.com",
          friendly_name: "Alice",
          attributes: "{\"team\":\"blue\"}",
          is_online: null,
          is_notifiable: null,
          date_created: created.body.date_created,
          date_updated: created.body.date_updated,
          url: `${conversations}/v1/Services/${is}/Users/${us}`,
          links: { user_conversations: `${conversations}/v1/Services/${is}/Users/${us}/Conversations` }
        })
        const onDefault = yield* send("GET", `/v1/Users/${us}`)
        expect(onDefault.body).toEqual({
          ...onService.body,
          url: `${conversations}/v1/Users/${us}`,
          links: { user_conversations: `${conversations}/v1/Users/${us}/Conversations` }
        })

        const first = yield* send("GET", "/v1/Users?PageSize=2")
        expect(first.body.meta.next_page_url).toMatch(
          new RegExp(`^${conversations.replace(/[.]/g, "\\.")}/v1/Users\\?PageSize=2&Page=1&PageToken=`)
        )
        const next = new URL(first.body.meta.next_page_url)
        const listed = yield* send("GET", next.pathname + next.search)
        expect(listed.status).toBe(200)
        expect(listed.body.users.map((u: any) => u.identity)).toEqual(["alice@example.com"])
        expect(fields(listed.body.users[0])).toEqual(CONVERSATIONS_FIELDS)
        expect(listed.body.users[0]).toMatchObject({ is_online: null, url: onDefault.body.url })
        expect(listed.body.meta).toMatchObject({
          page: 1,
          page_size: 2,
          first_page_url: `${conversations}/v1/Users?PageSize=2&Page=0`,
          previous_page_url: expect.stringMatching(/\/v1\/Users\?PageSize=2&Page=0&PageToken=/),
          url: `${conversations}/v1/Users${next.search}`,
          next_page_url: null,
          key: "users"
        })

        const updated = yield* send("POST", `/v1/Users/alice%40example.com`, { form: "FriendlyName=Alice+B." })
        expect([updated.status, updated.body.friendly_name, updated.body.url]).toEqual([
          200,
          "Alice B.",
          `${conversations}/v1/Users/${us}`
        ])
        const throughChat = yield* send("GET", `/v2/Services/${is}/Users/${us}`)
        expect(throughChat.body).toMatchObject({
          friendly_name: "Alice B.",
          service_sid: is,
          joined_channels_count: 0,
          url: `${chat}/v2/Services/${is}/Users/${us}`
        })

        expect((yield* send("DELETE", `/v1/Services/${is}/Users/${us}`)).status).toBe(204)
        const gone = yield* send("GET", `/v2/Services/${is}/Users/${us}`)
        expect(gone.status).toBe(404)
        expect(Option.isNone(yield* fake.user(is, us))).toBe(true)
      }))

    it.scopedLive("a user created through Conversations' default service is the same user through Chat V2", () =>
      Effect.gen(function*() {
        const { chat, conversations, fake, send } = yield* setup()
        const is = fake.defaultServiceSid
        const created = yield* send("POST", "/v1/Users", {
          form: "Identity=bob&Attributes=%7B%7D",
          headers: { "x-twilio-webhook-enabled": "true" }
        })
        expect(created.status).toBe(201)
        expect(fields(created.body)).toEqual(CONVERSATIONS_FIELDS)
        expect(created.body.chat_service_sid).toBe(is)
        expect(created.body.url).toBe(`${conversations}/v1/Users/${created.body.sid}`)

        const page = yield* send("GET", `/v2/Services/${is}/Users`)
        expect(page.body.users.map((u: any) => [u.sid, u.service_sid])).toEqual([[created.body.sid, is]])
        expect(page.body.meta.url).toBe(`${chat}/v2/Services/${is}/Users?PageSize=50&Page=0`)
        const updated = yield* send("POST", `/v2/Services/${is}/Users/bob`, {
          form: "Attributes=%7B%22n%22%3A1%7D&FriendlyName=Bob"
        })
        expect(updated.body.attributes).toBe("{\"n\":1}")
        const fetched = yield* send("GET", `/v1/Services/${is}/Users/bob`)
        expect([fetched.body.attributes, fetched.body.friendly_name]).toEqual(["{\"n\":1}", "Bob"])

        expect((yield* send("DELETE", `/v2/Services/${is}/Users/bob`)).status).toBe(204)
        const gone = yield* send("GET", "/v1/Users/bob")
        expect(gone).toMatchObject({
          status: 404,
          body: {
            code: 20404,
            message: "The requested resource /v1/Users/bob was not found",
            more_info: "https://www.twilio.com/docs/errors/20404",
            status: 404
          }
        })
      }))

    it.scopedLive("the default service is the one /v1/Users reaches; another service has its own users", () =>
      Effect.gen(function*() {
        const { fake, send } = yield* setup({ seedUsers: 1 })
        const other = yield* fake.createService({ friendlyName: "Second" })
        const created = yield* send("POST", `/v1/Services/${other.sid}/Users`, { form: "Identity=carol" })
        expect(created.body.chat_service_sid).toBe(other.sid)
        expect(created.body.role_sid).toBe(other.defaultRoleSid)
        const defaults = yield* send("GET", "/v1/Users")
        expect(defaults.body.users.map((u: any) => u.identity)).toEqual(["user-001"])
        const second = yield* send("GET", `/v2/Services/${other.sid}/Users`)
        expect(second.body.users.map((u: any) => u.identity)).toEqual(["carol"])
        expect((yield* send("GET", "/v1/Users/carol")).status).toBe(404)
        expect((yield* fake.users(other.sid)).map((u) => u.identity)).toEqual(["carol"])
      }))

    it.scopedLive("pages through Conversations on the path it was listed from, next and previous", () =>
      Effect.gen(function*() {
        const { conversations, fake, send } = yield* setup({ seedUsers: 5 })
        const is = fake.defaultServiceSid
        for (const collection of [`/v1/Services/${is}/Users`, "/v1/Users"]) {
          let page = (yield* send("GET", `${collection}?PageSize=2`)).body
          const seen: Array<string> = page.users.map((u: any) => u.identity)
          while (page.meta.next_page_url !== null) {
            const next = new URL(page.meta.next_page_url)
            expect(next.origin + next.pathname).toBe(conversations + collection)
            page = (yield* send("GET", next.pathname + next.search)).body
            seen.push(...page.users.map((u: any) => u.identity))
          }
          expect(seen).toEqual(["user-001", "user-002", "user-003", "user-004", "user-005"])
          expect(page.users.every((u: any) => u.is_online === null && u.is_notifiable === null)).toBe(true)
          const previous = new URL(page.meta.previous_page_url)
          expect(previous.pathname).toBe(collection)
          const back = (yield* send("GET", previous.pathname + previous.search)).body
          expect(back.users.map((u: any) => u.identity)).toEqual(["user-003", "user-004"])
        }
      }))

    it.scopedLive("answers Twilio's error bodies on Conversations as on Chat V2", () =>
      Effect.gen(function*() {
        const { fake, send } = yield* setup()
        const is = fake.defaultServiceSid
        const error = (status: number, code: number) => ({
          status,
          body: { code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status }
        })
        yield* send("POST", `/v2/Services/${is}/Users`, { form: "Identity=dora" })
        expect(yield* send("POST", "/v1/Users", { form: "Identity=dora" })).toMatchObject(error(409, 50201))
        expect(yield* send("POST", `/v1/Services/${is}/Users`, { form: "FriendlyName=x" })).toMatchObject(
          error(400, 50204)
        )
        expect(yield* send("POST", "/v1/Users", { form: "Identity=US0123456789abcdef0123456789abcdef" }))
          .toMatchObject(error(400, 50206))
        expect(yield* send("POST", "/v1/Users", { form: `Identity=${"x".repeat(257)}` })).toMatchObject(
          error(400, 50207)
        )
        const big = encodeURIComponent(JSON.stringify({ a: "x".repeat(16 * 1024) }))
        expect(yield* send("POST", "/v1/Users/dora", { form: `Attributes=${big}` })).toMatchObject(error(400, 20001))
        expect(yield* send("POST", "/v1/Users/dora", { form: "Attributes=not-json" })).toMatchObject(error(400, 20001))
        expect(yield* send("POST", "/v1/Users/dora", { form: "RoleSid=RL1" })).toMatchObject(error(400, 20001))
        expect(yield* send("GET", "/v1/Users?PageSize=0")).toMatchObject(error(400, 20001))
        expect(yield* send("GET", "/v1/Users?Page=-1")).toMatchObject(error(400, 20001))
        expect(yield* send("GET", "/v1/Users?PageToken=forged")).toMatchObject(error(400, 21481))
        expect(yield* send("GET", "/v1/Users/nobody")).toMatchObject(error(404, 20404))
        const otherService = "IS00000000000000000000000000000099"
        expect(yield* send("GET", `/v1/Services/${otherService}/Users`)).toMatchObject(error(404, 20404))
        expect(yield* send("GET", "/v1/Services/IS1/Users/dora")).toMatchObject(error(404, 20404))
        expect(yield* send("PUT", "/v1/Users/dora")).toMatchObject(error(405, 20004))
        expect(yield* send("GET", "/v1/Conversations")).toMatchObject(error(404, 20404))
        const stranger = { authorization: basic(fake.accountSid, "wrong") }
        expect(yield* send("GET", "/v1/Users", { headers: stranger })).toMatchObject(error(401, 20003))
      }))

    it.scopedLive("a page holds at most 50 users on Conversations (its spec's maximum), 100 on Chat V2", () =>
      Effect.gen(function*() {
        const { fake, send } = yield* setup({ seedUsers: 60 })
        const is = fake.defaultServiceSid
        expect((yield* send("GET", "/v1/Users?PageSize=50")).body.users).toHaveLength(50)
        expect((yield* send("GET", `/v1/Services/${is}/Users?PageSize=51`)).body).toMatchObject({
          code: 20001,
          message: "Invalid PageSize: expected an integer from 1 to 50"
        })
        expect((yield* send("GET", `/v2/Services/${is}/Users?PageSize=100`)).body.users).toHaveLength(60)
        expect((yield* send("GET", `/v2/Services/${is}/Users?PageSize=101`)).status).toBe(400)
      }))

    it.scopedLive("X-Twilio-Webhook-Enabled: read on Conversations' create, update, delete; not on Chat V2's delete", () =>
      Effect.gen(function*() {
        const { fake, send } = yield* setup({ seedUsers: 2 })
        const is = fake.defaultServiceSid
        const yes = { "x-twilio-webhook-enabled": "yes" }
        for (
          const [method, path, form] of [["POST", "/v1/Users", "Identity=eve"], ["POST", "/v1/Users/user-001", ""]]
        ) {
          expect((yield* send(method, path, { form, headers: yes })).body.code).toBe(20001)
        }
        expect((yield* send("DELETE", "/v1/Users/user-001", { headers: yes })).status).toBe(400)
        expect(
          (yield* send("DELETE", "/v1/Users/user-001", { headers: { "x-twilio-webhook-enabled": "false" } })).status
        )
          .toBe(204)
        expect((yield* send("DELETE", `/v2/Services/${is}/Users/user-002`, { headers: yes })).status).toBe(204)
        expect(yield* fake.users(is)).toEqual([])
      }))

    it.scopedLive("records which API each request came by; a fault can target one API or both", () =>
      Effect.gen(function*() {
        const { fake, send } = yield* setup({ seedUsers: 1 })
        const is = fake.defaultServiceSid
        yield* fake.injectFaults("fetchUser", [Fault.status(503)], { api: "conversations" })
        expect((yield* send("GET", `/v2/Services/${is}/Users/user-001`)).status).toBe(200)
        expect((yield* send("GET", "/v1/Users/user-001")).status).toBe(503)
        expect((yield* send("GET", "/v1/Users/user-001")).status).toBe(200)
        // Without an API, a fault goes to the first request of the operation, whichever API it comes by.
        yield* fake.injectFaults("listUser", [Fault.status(500)])
        expect((yield* send("GET", `/v2/Services/${is}/Users`)).status).toBe(500)
        expect((yield* send("GET", "/v1/Users")).status).toBe(200)
        expect(yield* fake.pendingFaults).toBe(0)
        const recorded = (yield* fake.requests).map((r) => [r.api, r.operation, r.path])
        expect(recorded).toEqual([
          ["chat", "fetchUser", `/v2/Services/${is}/Users/user-001`],
          ["conversations", "fetchUser", "/v1/Users/user-001"],
          ["conversations", "fetchUser", "/v1/Users/user-001"],
          ["chat", "listUser", `/v2/Services/${is}/Users`],
          ["conversations", "listUser", "/v1/Users"]
        ])
        yield* send("GET", "/v1/Nothing")
        yield* send("GET", "/elsewhere")
        expect((yield* fake.requests).slice(-2).map((r) => [r.api, r.operation])).toEqual([
          ["conversations", null],
          [null, null]
        ])
      }))
  })
}

describe("the fake's origins for each API", () => {
  it.effect("in memory: Chat V2 on https://chat.twilio.com, Conversations on https://conversations.twilio.com", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat.make({ seedUsers: 1 })
      expect([fake.baseUrl, fake.conversationsBaseUrl]).toEqual([
        "https://chat.twilio.com",
        "https://conversations.twilio.com"
      ])
      const http = ChatTest.httpClient(fake).pipe(
        HttpClient.mapRequest(HttpClientRequest.setHeader("authorization", authorizationOf(fake)))
      )
      const read = (url: string) => Effect.flatMap(http.get(url), (response) => response.json)
      const conversations: any = yield* read("https://conversations.twilio.com/v1/Users")
      expect(conversations.users[0].url).toMatch(/^https:\/\/conversations\.twilio\.com\/v1\/Users\/US/)
      expect(conversations.meta.url).toBe("https://conversations.twilio.com/v1/Users?PageSize=50&Page=0")
      const chat: any = yield* read(`https://chat.twilio.com/v2/Services/${fake.defaultServiceSid}/Users`)
      expect(chat.users[0].url).toMatch(/^https:\/\/chat\.twilio\.com\/v2\/Services\/IS/)
      const elsewhere = yield* Effect.flip(http.get("https://api.twilio.com/v1/Users"))
      expect(elsewhere._tag).toBe("RequestError")
    }))

  it.effect("conversationsBaseUrl follows a baseUrl of one's own, unless given; both are checked", () =>
    Effect.gen(function*() {
      const own = yield* FakeTwilioChat.make({ baseUrl: "https://twilio.test:8443/ignored" })
      expect([own.baseUrl, own.conversationsBaseUrl]).toEqual(["https://twilio.test:8443", "https://twilio.test:8443"])
      const both = yield* FakeTwilioChat.make({ conversationsBaseUrl: "https://conv.test" })
      expect([both.baseUrl, both.conversationsBaseUrl]).toEqual(["https://chat.twilio.com", "https://conv.test"])
      const created = yield* raw(both)("POST", "/v1/Users", { form: "Identity=x" })
      expect(created.body.url).toBe(`https://conv.test/v1/Users/${created.body.sid}`)
      expect(yield* Effect.flip(FakeTwilioChat.make({ conversationsBaseUrl: "conv.test" }))).toBeInstanceOf(
        FakeTwilioChatError
      )
    }))

  it.effect("reachability: is_online and is_notifiable as stored on fetch, null on list, through both APIs", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat.make()
      const send = raw(fake)
      yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: "on", isOnline: true, isNotifiable: false }])
      for (const collection of ["/v1/Users", `/v1/Services/${fake.defaultServiceSid}/Users`]) {
        expect((yield* send("GET", `${collection}/on`)).body).toMatchObject({ is_online: true, is_notifiable: false })
        expect((yield* send("GET", collection)).body.users[0]).toMatchObject({ is_online: null, is_notifiable: null })
      }
    }))
})
