/**
 * The fake at the wire, through `FakeTwilioChat.handle`: what Twilio answers to requests our client never sends
 * (it validates first), and the control API.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { FakeTwilioChat, FakeTwilioChatError, Fault } from "../src/index.js"
import { basic, OTHER_SERVICE, raw, ROLE, T0 } from "./utils.js"

const setup = (options?: Parameters<typeof FakeTwilioChat.make>[0]) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(T0)
    const fake = yield* FakeTwilioChat.make(options)
    const users = `/v2/Services/${fake.defaultServiceSid}/Users`
    return { fake, send: raw(fake), users }
  })

const twilioError = (status: number, code: number) => ({
  status,
  body: { status, code, more_info: `https://www.twilio.com/docs/errors/${code}`, message: expect.any(String) }
})

describe("FakeTwilioChat at the wire", () => {
  describe("authentication", () => {
    it.effect("answers 401 / 20003 with WWW-Authenticate without credentials, or with wrong ones", () =>
      Effect.gen(function*() {
        const { fake, send, users } = yield* setup()
        const none = yield* send("GET", users, { headers: { authorization: "" } })
        expect(none).toMatchObject(twilioError(401, 20003))
        expect(none.headers["www-authenticate"]).toBe("Basic realm=\"Twilio API\"")
        const wrong = yield* send("GET", users, { headers: { authorization: basic(fake.accountSid, "nope") } })
        expect(wrong).toMatchObject(twilioError(401, 20003))
        const swapped = yield* send("GET", users, {
          headers: { authorization: basic(fake.accountSid, Redacted.value(fake.apiKeySecret)) }
        })
        expect(swapped.status).toBe(401)
        const key = yield* send("GET", users, {
          headers: { authorization: basic(fake.apiKeySid, Redacted.value(fake.apiKeySecret)) }
        })
        expect(key.status).toBe(200)
      }))

    it.effect("authenticates before routing: an unknown path without credentials is a 401", () =>
      Effect.gen(function*() {
        const { send } = yield* setup()
        expect((yield* send("GET", "/v2/Nope", { headers: { authorization: "" } })).status).toBe(401)
      }))
  })

  describe("routing", () => {
    it.effect("answers 404 / 20404 for malformed service SIDs, unknown services and unknown paths", () =>
      Effect.gen(function*() {
        const { send } = yield* setup()
        for (
          const path of [
            "/v2/Services/IS123/Users",
            "/v2/Services/XX0123456789abcdef0123456789abcdef/Users",
            `/v2/Services/${OTHER_SERVICE}/Users`,
            `/v2/Services/${OTHER_SERVICE}/Users/alice`,
            "/v2/Services",
            "/v1/Services/IS0123456789abcdef0123456789abcdef/Users",
            "/v2/Services/%E0%A4%A/Users"
          ]
        ) {
          const answer = yield* send("GET", path)
          expect(answer).toMatchObject(twilioError(404, 20404))
          expect(answer.body.message).toBe(`The requested resource ${path} was not found`)
        }
      }))

    it.effect("answers 405 for a method the resource does not have", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        expect(yield* send("PUT", users)).toMatchObject({ status: 405 })
        expect(yield* send("DELETE", users)).toMatchObject({ status: 405 })
        expect(yield* send("PATCH", `${users}/alice`)).toMatchObject({ status: 405 })
      }))

    it.effect("decodes the user segment once: an encoded '/' is part of the identity", () =>
      Effect.gen(function*() {
        const { fake, send, users } = yield* setup()
        yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: "a/b" }, { identity: "a%2Fb" }])
        expect((yield* send("GET", `${users}/a%2Fb`)).body.identity).toBe("a/b")
        expect((yield* send("GET", `${users}/a%252Fb`)).body.identity).toBe("a%2Fb")
        expect((yield* send("GET", `${users}/a/b`)).status).toBe(404)
      }))
  })

  describe("create", () => {
    it.effect("answers 201 with the user JSON, dates to the second", () =>
      Effect.gen(function*() {
        const { fake, send, users } = yield* setup()
        yield* TestClock.adjust("1234 millis")
        const answer = yield* send("POST", users, { form: "Identity=alice" })
        expect(answer.status).toBe(201)
        expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8")
        expect(answer.body).toEqual({
          sid: expect.stringMatching(/^US[0-9a-f]{32}$/),
          account_sid: fake.accountSid,
          service_sid: fake.defaultServiceSid,
          role_sid: expect.stringMatching(/^RL[0-9a-f]{32}$/),
          identity: "alice",
          attributes: "{}",
          is_online: null,
          is_notifiable: null,
          friendly_name: null,
          joined_channels_count: 0,
          date_created: "2026-01-02T03:04:06Z",
          date_updated: "2026-01-02T03:04:06Z",
          links: {
            user_channels: `https://chat.twilio.com${users}/${answer.body.sid}/Channels`,
            user_bindings: `https://chat.twilio.com${users}/${answer.body.sid}/Bindings`
          },
          url: `https://chat.twilio.com${users}/${answer.body.sid}`
        })
      }))

    it.effect("requires Identity (400 / 50204), also when the body is not a form", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        expect(yield* send("POST", users, { form: "FriendlyName=x" })).toMatchObject(twilioError(400, 50204))
        expect(yield* send("POST", users, { form: "Identity=" })).toMatchObject(twilioError(400, 50204))
        const asJson = yield* send("POST", users, {
          form: "Identity=alice",
          headers: { "content-type": "application/json" }
        })
        expect(asJson).toMatchObject(twilioError(400, 50204))
      }))

    it.effect("reads '+' and '%20' in a form as spaces", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        const answer = yield* send("POST", users, { form: "Identity=a+b%20c&FriendlyName=x%2By" })
        expect([answer.body.identity, answer.body.friendly_name]).toEqual(["a b c", "x+y"])
      }))

    it.effect("refuses Attributes that are not JSON or exceed 16 KiB, and accepts exactly 16 KiB", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        const notJson = yield* send("POST", users, { form: "Identity=a&Attributes=%7Bnope" })
        expect(notJson).toMatchObject(twilioError(400, 20001))
        const big = (n: number) => encodeURIComponent(JSON.stringify({ k: "x".repeat(n - 8) }))
        expect((yield* send("POST", users, { form: `Identity=b&Attributes=${big(16 * 1024)}` })).status).toBe(201)
        const tooBig = yield* send("POST", users, { form: `Identity=c&Attributes=${big(16 * 1024 + 1)}` })
        expect(tooBig).toMatchObject(twilioError(400, 20001))
      }))

    it.effect("refuses a malformed RoleSid (400) and a friendly name over 256 characters (400 / 50003)", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        expect(yield* send("POST", users, { form: "Identity=a&RoleSid=RL123" })).toMatchObject(
          twilioError(400, 20001)
        )
        const long = yield* send("POST", users, { form: `Identity=a&FriendlyName=${"n".repeat(257)}` })
        expect(long).toMatchObject(twilioError(400, 50003))
        const ok = yield* send("POST", users, { form: `Identity=a&RoleSid=${ROLE}&FriendlyName=${"n".repeat(256)}` })
        expect(ok.body.role_sid).toBe(ROLE)
      }))

    it.effect("refuses an X-Twilio-Webhook-Enabled other than true or false (400)", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        const answer = yield* send("POST", users, {
          form: "Identity=a",
          headers: { "x-twilio-webhook-enabled": "yes" }
        })
        expect(answer).toMatchObject(twilioError(400, 20001))
      }))

    it.effect("ignores Identity on update: the identity cannot change", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        yield* send("POST", users, { form: "Identity=alice" })
        const answer = yield* send("POST", `${users}/alice`, { form: "Identity=bob&FriendlyName=A" })
        expect([answer.status, answer.body.identity, answer.body.friendly_name]).toEqual([200, "alice", "A"])
      }))
  })

  describe("delete", () => {
    it.effect("answers 204 with an empty body", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        yield* send("POST", users, { form: "Identity=alice" })
        const answer = yield* send("DELETE", `${users}/alice`)
        expect([answer.status, answer.body]).toEqual([204, ""])
      }))
  })

  describe("list", () => {
    it.effect("refuses a PageSize outside 1..100 or not a number (400 / 20001), and a bad Page", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup()
        for (const size of ["0", "101", "1000", "abc", "-1", "2.5", ""]) {
          expect(yield* send("GET", `${users}?PageSize=${size}`)).toMatchObject(twilioError(400, 20001))
        }
        expect(yield* send("GET", `${users}?Page=-1`)).toMatchObject(twilioError(400, 20001))
        expect((yield* send("GET", `${users}?PageSize=100`)).body.meta.page_size).toBe(100)
        expect((yield* send("GET", `${users}?PageSize=1`)).body.meta.page_size).toBe(1)
      }))

    it.effect("refuses forged page tokens, tokens of another service and tokens from before a reset (21481)", () =>
      Effect.gen(function*() {
        const { fake, send, users } = yield* setup({ seedUsers: 5 })
        const next: string = (yield* send("GET", `${users}?PageSize=2`)).body.meta.next_page_url
        const token = new URL(next).searchParams.get("PageToken")!
        expect((yield* send("GET", `${users}?PageSize=2&Page=1&PageToken=${token}`)).status).toBe(200)
        const forged = token.slice(0, 2) + "9" + token.slice(3)
        for (const bad of [forged, "PA1", "garbage", token + "0", token.replace(/^PA/, "PB")]) {
          const answer = yield* send("GET", `${users}?PageSize=2&PageToken=${encodeURIComponent(bad)}`)
          expect(answer).toMatchObject(twilioError(400, 21481))
        }
        const other = yield* fake.createService()
        yield* fake.seedUsers(other.sid, 5)
        const elsewhere = yield* send("GET", `/v2/Services/${other.sid}/Users?PageSize=2&PageToken=${token}`)
        expect(elsewhere).toMatchObject(twilioError(400, 21481))
        yield* fake.reset
        expect(yield* send("GET", `${users}?PageSize=2&PageToken=${token}`)).toMatchObject(twilioError(400, 21481))
      }))

    it.effect("links pages both ways: previous_page_url leads back to the page before", () =>
      Effect.gen(function*() {
        const { send, users } = yield* setup({ seedUsers: 7 })
        const identities = (page: any) => page.users.map((u: any) => u.identity)
        const path = (url: string) => new URL(url).pathname + new URL(url).search
        const first = (yield* send("GET", `${users}?PageSize=3`)).body
        const second = (yield* send("GET", path(first.meta.next_page_url))).body
        const third = (yield* send("GET", path(second.meta.next_page_url))).body
        expect([second.meta.page, third.meta.page]).toEqual([1, 2])
        expect(identities(third)).toEqual(["user-007"])
        expect(third.meta.next_page_url).toBeNull()
        expect(second.meta.url).toBe(first.meta.next_page_url)
        const back = (yield* send("GET", path(third.meta.previous_page_url))).body
        expect(identities(back)).toEqual(identities(second))
        expect(back.meta.page).toBe(1)
        const front = (yield* send("GET", path(back.meta.previous_page_url))).body
        expect(identities(front)).toEqual(identities(first))
        expect(front.meta.previous_page_url).toBeNull()
      }))
  })

  describe("faults", () => {
    it.effect("send Retry-After and Twilio's body, or leave code and more_info out with code null", () =>
      Effect.gen(function*() {
        const { fake, send, users } = yield* setup()
        yield* fake.injectFaults("listUser", [
          Fault.rateLimited({ retryAfter: 3 }),
          Fault.status(500, { code: null, message: "oops" })
        ])
        const limited = yield* send("GET", users)
        expect(limited).toMatchObject(twilioError(429, 20429))
        expect(limited.headers["retry-after"]).toBe("3")
        expect(yield* send("GET", users)).toMatchObject({ status: 500, body: { status: 500, message: "oops" } })
        expect((yield* send("GET", users)).status).toBe(200)
      }))

    it.effect("answer a truncated body flagged as such, and a reset as no answer at all", () =>
      Effect.gen(function*() {
        const { fake } = yield* setup()
        yield* fake.injectFaults("listUser", [Fault.truncated, Fault.reset()])
        const request = {
          method: "GET",
          path: `/v2/Services/${fake.defaultServiceSid}/Users`,
          query: "",
          headers: { authorization: basic(fake.accountSid, Redacted.value(fake.authToken)) },
          body: ""
        }
        expect(yield* fake.handle(request)).toMatchObject({ _tag: "Answer", status: 200, truncated: true })
        expect(yield* fake.handle(request)).toEqual({ _tag: "Reset" })
      }))
  })
})

describe("FakeTwilioChat control API", () => {
  it.effect("seeds users as a create would, dated by the Clock, in the order given", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup({ seedUsers: 3 })
      yield* TestClock.adjust("1 hour")
      const [dora] = yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: "dora", attributes: { a: 1 } }])
      expect(dora.attributes).toBe("{\"a\":1}")
      expect(DateTime.toEpochMillis(dora.dateCreated)).toBe(T0 + 3_600_000)
      const all = yield* fake.users(fake.defaultServiceSid)
      expect(all.map((u) => u.identity)).toEqual(["user-001", "user-002", "user-003", "dora"])
      expect(Option.map(yield* fake.user(fake.defaultServiceSid, dora.sid), (u) => u.identity)).toEqual(
        Option.some("dora")
      )
      expect(yield* fake.user(fake.defaultServiceSid, "nobody")).toEqual(Option.none())
    }))

  it.effect("refuses seed users Twilio would refuse, seeding none of the batch", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup()
      const service = fake.defaultServiceSid
      for (
        const batch of [
          [{ identity: "ok" }, { identity: "ok" }],
          [{ identity: "ok" }, { identity: "US0123456789abcdef0123456789abcdef" }],
          [{ identity: "ok" }, { identity: "bad", attributes: "{" }]
        ]
      ) {
        const error = yield* Effect.flip(fake.seedUsers(service, batch))
        expect(error._tag).toBe("FakeTwilioChatError")
      }
      expect(yield* fake.users(service)).toEqual([])
    }))

  it.effect("creates services with SIDs from the seed or given, and refuses duplicates and malformed SIDs", () =>
    Effect.gen(function*() {
      const { fake } = yield* setup()
      const generated = yield* fake.createService({ friendlyName: "second" })
      expect(generated.sid).toMatch(/^IS[0-9a-f]{32}$/)
      const given = yield* fake.createService({ sid: OTHER_SERVICE })
      expect(given.sid).toBe(OTHER_SERVICE)
      expect((yield* fake.services).map((s) => s.sid)).toEqual([fake.defaultServiceSid, generated.sid, OTHER_SERVICE])
      expect((yield* Effect.flip(fake.createService({ sid: OTHER_SERVICE })))._tag).toBe("FakeTwilioChatError")
      expect((yield* Effect.flip(fake.createService({ sid: "IS1" })))._tag).toBe("FakeTwilioChatError")
      expect((yield* Effect.flip(fake.users("IS1")))._tag).toBe("FakeTwilioChatError")
    }))

  it.effect("resets to the default service with its seeded users, no requests and no faults", () =>
    Effect.gen(function*() {
      const { fake, send, users } = yield* setup({ seedUsers: 2 })
      const before = yield* fake.users(fake.defaultServiceSid)
      yield* send("POST", users, { form: "Identity=extra" })
      yield* fake.createService()
      yield* fake.injectFaults("fetchUser", [Fault.status(500)])
      yield* fake.reset
      expect((yield* fake.services).map((s) => s.sid)).toEqual([fake.defaultServiceSid])
      expect(yield* fake.users(fake.defaultServiceSid)).toEqual(before)
      expect(yield* fake.requests).toEqual([])
      expect(yield* fake.pendingFaults).toBe(0)
    }))

  it.effect("records requests with the Authorization header redacted, and forgets them on clearRequests", () =>
    Effect.gen(function*() {
      const { fake, send, users } = yield* setup()
      yield* send("GET", `${users}?PageSize=5&PageSize=6`, { headers: { cookie: "session=1" } })
      const [request] = yield* fake.requests
      expect(request).toMatchObject({
        operation: "listUser",
        method: "GET",
        path: users,
        query: { PageSize: "5" },
        username: fake.accountSid,
        headers: { authorization: "[redacted]", cookie: "[redacted]" }
      })
      yield* fake.clearRequests
      expect(yield* fake.requests).toEqual([])
    }))

  it.effect("refuses invalid options with FakeTwilioChatError", () =>
    Effect.gen(function*() {
      for (
        const options of [{ serviceSid: "IS1" }, { seedUsers: -1 }, { seedUsers: 1.5 }, { baseUrl: "chat.twilio.com" }]
      ) {
        expect(yield* Effect.flip(FakeTwilioChat.make(options))).toBeInstanceOf(FakeTwilioChatError)
      }
    }))

  it.effect("accepts the credentials it is given, and derives them from the seed otherwise", () =>
    Effect.gen(function*() {
      const given = yield* FakeTwilioChat.make({
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken: Redacted.make("token")
      })
      const answer = yield* raw(given)("GET", `/v2/Services/${given.defaultServiceSid}/Users`)
      expect(answer.status).toBe(200)
      const a = yield* FakeTwilioChat.make({ seed: 1 })
      const b = yield* FakeTwilioChat.make({ seed: 1 })
      expect([a.accountSid, Redacted.value(a.authToken), a.apiKeySid, a.defaultServiceSid]).toEqual([
        b.accountSid,
        Redacted.value(b.authToken),
        b.apiKeySid,
        b.defaultServiceSid
      ])
      expect(a.accountSid).toMatch(/^AC[0-9a-f]{32}$/)
      expect(a.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/)
    }))
})
