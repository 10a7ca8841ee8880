/**
 * Regressions of the fake's list: counterexamples the streaming property test found, replayed as plain tests, the
 * deletion edge cases around page tokens (a token says "after" or "before" a creation sequence, whether or not that
 * user still exists), and the fake answering Twilio's 500 (20500) instead of dying when it fails unexpectedly.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { ChatTest, Emulator, type FakeResponse, FakeTwilioChat, Fault } from "../src/index.js"
import * as Handler from "../src/internal/handler.js"
import * as Store from "../src/internal/store.js"
import { checkResponse } from "./openapi.js"
import { walkThroughChurn as walk } from "./resilience/churn.js"
import { capture } from "./resilience/utils.js"
import { liveWait, raw, T0 } from "./utils.js"

/** A plain client over the fake: no retries, so a 500 would show as the failure it is. */
const inMemory = (seedUsers: number) => ChatTest.layer({ seedUsers, client: { retry: false } })

describe("the fake's list never dies, whatever was deleted between pages", () => {
  describe("streaming through the real client", () => {
    it.effect("replays the counterexample of seed -224445974: 2 users, page size 1, user-002 deleted after page 1", () =>
      Effect.gen(function*() {
        // { users: 2, pageSize: 1, faults: [], churn: [{ creates: 0, deletes: [434857239] }] }: 434857239 % 2 = 1.
        const { deleted, left, streamed } = yield* walk({
          users: 2,
          pageSize: 1,
          churn: [{ creates: 0, deletes: [434857239] }]
        })
        expect([...deleted]).toEqual(["user-002"])
        expect(left).toEqual(["user-001"])
        expect(streamed).toEqual(["user-001"])
      }))

    it.effect("deleting the user the next page token points at (the page's last user) loses and repeats nothing", () =>
      Effect.gen(function*() {
        // After page 1 (user-001, user-002), delete user-002 (index 1); after page 2 (003, 004), delete user-004.
        const { streamed } = yield* walk({
          users: 6,
          pageSize: 2,
          churn: [{ creates: 0, deletes: [1] }, { creates: 0, deletes: [2] }]
        })
        expect(streamed).toEqual(["user-001", "user-002", "user-003", "user-004", "user-005", "user-006"])
      }))

    it.effect("deleting the token's user and the user after it yields the rest once, in order", () =>
      Effect.gen(function*() {
        // After page 1 (001, 002): delete user-002, then user-003 (index 1 of what is left).
        const { streamed } = yield* walk({ users: 6, pageSize: 2, churn: [{ creates: 0, deletes: [1, 1] }] })
        expect(streamed).toEqual(["user-001", "user-002", "user-004", "user-005", "user-006"])
      }))

    it.effect("deleting every remaining user between pages ends the walk with what was read", () =>
      Effect.gen(function*() {
        // After page 1 (001, 002): delete the 3 users not read yet (always index 2 of what is left).
        const { left, streamed } = yield* walk({ users: 5, pageSize: 2, churn: [{ creates: 0, deletes: [2, 2, 2] }] })
        expect(left).toEqual(["user-001", "user-002"])
        expect(streamed).toEqual(["user-001", "user-002"])
      }))

    it.effect("deleting every user, read or not, then paging ends the walk", () =>
      Effect.gen(function*() {
        const { left, streamed } = yield* walk({ users: 3, pageSize: 1, churn: [{ creates: 0, deletes: [0, 0, 0] }] })
        expect(left).toEqual([])
        expect(streamed).toEqual(["user-001"])
      }))

    it.effect("deleting every user and creating new ones between pages streams the new ones", () =>
      Effect.gen(function*() {
        // After page 1 (001): create late-1-0, then delete 001, 002 and 003 (index 0 each time).
        const { left, streamed } = yield* walk({ users: 3, pageSize: 1, churn: [{ creates: 1, deletes: [0, 0, 0] }] })
        expect(left).toEqual(["late-1-0"])
        expect(streamed).toEqual(["user-001", "late-1-0"])
      }))

    it.effect("an empty service streams nothing", () =>
      Effect.gen(function*() {
        expect((yield* walk({ users: 0, pageSize: 1, churn: [] })).streamed).toEqual([])
      }))
  })

  describe("at the wire: valid Twilio pages, linked both ways", () => {
    const setup = (seedUsers: number) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T0)
        const fake = yield* FakeTwilioChat.make({ seedUsers })
        const usersPath = `/v2/Services/${fake.defaultServiceSid}/Users`
        const send = raw(fake)
        /** GETs a page (by path or absolute URL) and checks it against Twilio's OpenAPI. */
        const get = (url: string) =>
          Effect.gen(function*() {
            const pathAndQuery = url.startsWith("/") ? url : new URL(url).pathname + new URL(url).search
            const answer = yield* send("GET", pathAndQuery)
            expect(answer.status).toBe(200)
            expect(checkResponse("GET", pathAndQuery.split("?")[0], 200, JSON.stringify(answer.body))).toEqual([])
            return answer.body as {
              users: Array<{ identity: string }>
              meta: { page: number; next_page_url: string | null; previous_page_url: string | null; url: string }
            }
          })
        const identities = (page: { users: Array<{ identity: string }> }) => page.users.map((u) => u.identity)
        const remove = (identity: string) =>
          Effect.gen(function*() {
            expect((yield* send("DELETE", `${usersPath}/${identity}`)).status).toBe(204)
          })
        return { fake, get, identities, remove, usersPath }
      })

    it.effect("a page past the end (its users deleted) is empty, ends, and leads back to the users left", () =>
      Effect.gen(function*() {
        const { get, identities, remove, usersPath } = yield* setup(2)
        const first = yield* get(`${usersPath}?PageSize=1`)
        expect(identities(first)).toEqual(["user-001"])
        yield* remove("user-002")
        const second = yield* get(first.meta.next_page_url!)
        expect(identities(second)).toEqual([])
        expect(second.meta.next_page_url).toBeNull()
        expect(second.meta.page).toBe(1)
        const back = yield* get(second.meta.previous_page_url!)
        expect(identities(back)).toEqual(["user-001"])
      }))

    it.effect("with every user deleted, the next page is empty with no next and no previous page", () =>
      Effect.gen(function*() {
        const { get, identities, remove, usersPath } = yield* setup(3)
        const first = yield* get(`${usersPath}?PageSize=2`)
        for (const identity of ["user-001", "user-002", "user-003"]) yield* remove(identity)
        const second = yield* get(first.meta.next_page_url!)
        expect(identities(second)).toEqual([])
        expect(second.meta.next_page_url).toBeNull()
        expect(second.meta.previous_page_url).toBeNull()
        // A first page of the emptied service is a valid, empty page too.
        const again = yield* get(usersPath)
        expect([identities(again), again.meta.next_page_url, again.meta.previous_page_url]).toEqual([[], null, null])
      }))

    it.effect("deleting the token's user moves nothing: the next page starts after it, previous ends before", () =>
      Effect.gen(function*() {
        const { get, identities, remove, usersPath } = yield* setup(5)
        const first = yield* get(`${usersPath}?PageSize=2`)
        yield* remove("user-002")
        const second = yield* get(first.meta.next_page_url!)
        expect(identities(second)).toEqual(["user-003", "user-004"])
        expect(identities(yield* get(second.meta.previous_page_url!))).toEqual(["user-001"])
        yield* remove("user-004")
        const third = yield* get(second.meta.next_page_url!)
        expect(identities(third)).toEqual(["user-005"])
        expect(third.meta.next_page_url).toBeNull()
      }))

    it.effect("a previous page whose users were all deleted is empty and leads forward to the users after it", () =>
      Effect.gen(function*() {
        const { get, identities, remove, usersPath } = yield* setup(4)
        const first = yield* get(`${usersPath}?PageSize=2`)
        const second = yield* get(first.meta.next_page_url!)
        yield* remove("user-001")
        yield* remove("user-002")
        const back = yield* get(second.meta.previous_page_url!)
        expect(identities(back)).toEqual([])
        expect(back.meta.previous_page_url).toBeNull()
        expect(identities(yield* get(back.meta.next_page_url!))).toEqual(["user-003", "user-004"])
      }))

    it.effect("an empty service answers an empty first page with no links", () =>
      Effect.gen(function*() {
        const { get, identities, usersPath } = yield* setup(0)
        const page = yield* get(`${usersPath}?PageSize=1`)
        expect([identities(page), page.meta.next_page_url, page.meta.previous_page_url]).toEqual([[], null, null])
      }))

    it("removing a user that is gone already removes no other user", () => {
      const store = Store.makeStore("regressions")
      const service = Store.addService(store, undefined, null) as Store.ServiceRecord
      const [a, b] = ["a", "b"].map((identity) => Store.insertUser(store, service, { identity }, T0))
      Store.removeUser(service, a)
      Store.removeUser(service, a)
      expect(service.users).toEqual([b])
    })
  })
})

describe("the fake answers Twilio's 500 (20500) when it fails unexpectedly, instead of dying", () => {
  const INTERNAL_ERROR = {
    code: 20500,
    message: "An internal server error has occurred",
    more_info: "https://www.twilio.com/docs/errors/20500",
    status: 500
  }
  /** A fault no version of the fake knows: applying it throws inside the handler. */
  const BROKEN_FAULT = { _tag: "NoSuchFault" } as unknown as Fault.Fault

  const bodyOf = (response: FakeResponse) => {
    expect(response._tag).toBe("Answer")
    return response._tag === "Answer" ? { status: response.status, body: JSON.parse(response.body) } : undefined
  }

  it.effect("an exception while reading the request (FakeTwilioChat.handle) is a 500 with Twilio's body", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat.make()
      const exit = yield* Effect.exit(fake.handle({
        method: "GET",
        path: `/v2/Services/${fake.defaultServiceSid}/Users`,
        query: "",
        get headers(): Record<string, string> {
          throw new TypeError("headers exploded")
        },
        body: ""
      }))
      expect(Exit.isSuccess(exit)).toBe(true)
      if (Exit.isSuccess(exit)) expect(bodyOf(exit.value)).toEqual({ status: 500, body: INTERNAL_ERROR })
      expect(checkResponse("GET", `/v2/Services/${fake.defaultServiceSid}/Users`, 500, JSON.stringify(INTERNAL_ERROR)))
        .toEqual([])
    }))

  it.effect("through the real client in memory, it is a TwilioApiError 500 / 20500, not a defect; the fake goes on", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      yield* fake.injectFaults("listUser", [BROKEN_FAULT])
      // A typed failure: a defect would fail `flip` (and this test) instead.
      expect(yield* Effect.flip(chat.listUser(fake.defaultServiceSid))).toMatchObject({
        _tag: "TwilioApiError",
        status: 500,
        code: 20500,
        moreInfo: INTERNAL_ERROR.more_info
      })
      expect((yield* chat.listUser(fake.defaultServiceSid)).users.map((u) => u.identity)).toEqual(["user-001"])
    }).pipe(Effect.provide(inMemory(1))))

  it.live("over the emulator's socket, it is an HTTP 500 with Twilio's body; the emulator goes on", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("fetchUser", [BROKEN_FAULT])
      const authorization = "Basic " +
        Buffer.from(`${emulator.accountSid}:${Redacted.value(emulator.authToken)}`).toString("base64")
      const get = (url: string) =>
        Effect.promise(async () => {
          const response = await fetch(url, { headers: { authorization } })
          return { status: response.status, type: response.headers.get("content-type"), body: await response.json() }
        })
      const url = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users/user-001`
      expect(yield* get(url)).toEqual({ status: 500, type: "application/json; charset=utf-8", body: INTERNAL_ERROR })
      expect(yield* get(url)).toMatchObject({ status: 200, body: { identity: "user-001" } })
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 1 }))))

  it.live("over the emulator, the real client gets TwilioApiError 500 / 20500", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      yield* fake.injectFaults("listUser", [BROKEN_FAULT])
      // A typed failure: a defect would fail `flip` (and this test) instead.
      expect(yield* Effect.flip(chat.listUser(fake.defaultServiceSid))).toMatchObject({
        _tag: "TwilioApiError",
        status: 500,
        code: 20500
      })
    }).pipe(
      Effect.provide(
        Emulator.layerClient({ seedUsers: 1, client: { retry: false } }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
      )
    ))

  it.effect("the handler over a broken store answers 500 and logs the defect without any secret", () =>
    Effect.gen(function*() {
      const authToken = "0123456789abcdef0123456789abcdef"
      const apiKeySecret = "fedcba9876543210fedcba9876543210"
      const store = Store.makeStore("broken")
      // A store whose lookups throw, with the credentials in the exception's message.
      const services = new Map<string, Store.ServiceRecord>()
      services.get = () => {
        throw new Error(`store exploded near ${authToken} and ${apiKeySecret}`)
      }
      const config: Handler.HandlerConfig = {
        store: { ...store, services },
        baseUrl: "https://chat.twilio.com",
        conversationsBaseUrl: "https://conversations.twilio.com",
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken,
        apiKeySid: "SK0123456789abcdef0123456789abcdef",
        apiKeySecret,
        control: yield* FakeTwilioChat.make()
      }
      const captured = capture()
      const response = yield* Handler.handle(config)({
        method: "GET",
        path: "/v2/Services/IS0123456789abcdef0123456789abcdef/Users",
        query: "PageSize=1",
        headers: { authorization: "Basic " + Buffer.from(`${config.accountSid}:${authToken}`).toString("base64") },
        body: ""
      }).pipe(Effect.provide(captured.layer))
      expect(bodyOf(response)).toEqual({ status: 500, body: INTERNAL_ERROR })
      const logs = captured.dump()
      expect(logs).toContain("store exploded")
      for (const secret of [authToken, apiKeySecret, store.tokenKey]) expect(logs).not.toContain(secret)
      expect(logs).not.toContain(Buffer.from(`${config.accountSid}:${authToken}`).toString("base64"))
    }))

  it.live("an interrupted request stays interrupted (it is not turned into a 500)", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat.make({ seedUsers: 1 })
      yield* fake.injectFaults("listUser", [Fault.delay("1 hour")])
      const fiber = yield* Effect.fork(raw(fake)("GET", `/v2/Services/${fake.defaultServiceSid}/Users`))
      yield* liveWait(10)
      yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
    }))
})
