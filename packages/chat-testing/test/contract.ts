/**
 * The contract suite: what a program using `ChatV2UserApi` observes against the stateful fake, for every
 * operation. It runs once in memory (`ChatTest.layer`) and once over a real socket (`Emulator.layerClient` +
 * `FetchHttpClient`), so both ways of testing give the same answers.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type { ChatTestOptions } from "../src/index.js"
import { FakeTwilioChat, Fault } from "../src/index.js"
import { awaitSleepWithin, driveToEnd, type MakeLayer, OTHER_SERVICE, ROLE, T0 } from "./utils.js"

const USER_SID = /^US[0-9a-f]{32}$/

export const contractSuite = (name: string, makeLayer: MakeLayer, io: boolean) =>
  describe(name, () => {
    const env = Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      return { fake, chat, service: fake.defaultServiceSid }
    })
    const run = <A, E>(
      body: Effect.Effect<A, E, ChatV2UserApi | FakeTwilioChat>,
      options?: ChatTestOptions
    ) => Effect.provide(body, makeLayer(options))

    describe("createUser", () => {
      it.effect("answers the new user: a US SID, the service's default role, attributes {} and today's dates", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const [info] = yield* fake.services
          const user = yield* chat.createUser(service, "alice")
          expect(user.sid).toMatch(USER_SID)
          expect(user.identity).toBe("alice")
          expect(user.serviceSid).toBe(service)
          expect(user.accountSid).toBe(fake.accountSid)
          expect(user.roleSid).toBe(info.defaultRoleSid)
          expect(user.attributes).toEqual({})
          expect(user.friendlyName).toBeNull()
          expect(user.joinedChannelsCount).toBe(0)
          expect(DateTime.toEpochMillis(user.dateCreated)).toBe(T0)
          expect(DateTime.toEpochMillis(user.dateUpdated)).toBe(T0)
          expect(user.url).toBe(`${fake.baseUrl}/v2/Services/${service}/Users/${user.sid}`)
          expect(user.links).toEqual({
            user_channels: `${user.url}/Channels`,
            user_bindings: `${user.url}/Bindings`
          })
        })))

      it.effect("stores the attributes, friendly name and role as sent, and reads them back", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const attributes = { team: "blue", tags: ["a", "b"], nested: { level: 3, ok: true, none: null } }
          const user = yield* chat.createUser(service, "bob", { attributes, friendlyName: "Bob B.", roleSid: ROLE })
          expect(user.attributes).toEqual(attributes)
          expect(user.friendlyName).toBe("Bob B.")
          expect(user.roleSid).toBe(ROLE)
          const stored = Option.getOrThrow(yield* fake.user(service, "bob"))
          expect(JSON.parse(stored.attributes)).toEqual(attributes)
          expect(stored.sid).toBe(user.sid)
        })))

      it.effect("refuses a taken identity with UserAlreadyExists (409 / 50201)", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* chat.createUser(service, "carol")
          const error = yield* Effect.flip(chat.createUser(service, "carol"))
          expect(error).toMatchObject({ _tag: "UserAlreadyExists", status: 409, code: 50201 })
          expect(yield* fake.users(service)).toHaveLength(1)
        })))

      it.effect("refuses an identity that looks like a user SID (400 / 50206)", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const error = yield* Effect.flip(chat.createUser(service, "US0123456789abcdef0123456789abcdef"))
          expect(error).toMatchObject({ _tag: "TwilioApiError", status: 400, code: 50206 })
        })))

      it.effect("accepts a 256-character identity and refuses 257 characters (400 / 50207)", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const ok = yield* chat.createUser(service, "é".repeat(256))
          expect(ok.identity).toHaveLength(256)
          const error = yield* Effect.flip(chat.createUser(service, "x".repeat(257)))
          expect(error).toMatchObject({ _tag: "TwilioApiError", status: 400, code: 50207 })
        })))

      it.effect("refuses wrong credentials with AuthenticationFailed (401 / 20003) and creates nothing", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const error = yield* Effect.flip(chat.createUser(service, "mallory"))
            expect(error).toMatchObject({ _tag: "AuthenticationFailed", status: 401, code: 20003 })
            expect(yield* fake.users(service)).toHaveLength(0)
          }),
          { client: { authToken: "not-the-token" } }
        ))

      it.effect("accepts an API key and its secret instead of the account's auth token", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* chat.createUser(service, "dave")
            const [request] = yield* fake.requests
            expect(request.username).toBe("SK0123456789abcdef0123456789abcdef")
          }),
          {
            apiKeySid: "SK0123456789abcdef0123456789abcdef",
            apiKeySecret: "key-secret",
            client: { apiKeySid: "SK0123456789abcdef0123456789abcdef", apiKeySecret: Redacted.make("key-secret") }
          }
        ))

      it.effect("answers 404 / 20404 for a service that does not exist: TwilioApiError on create and list", () =>
        run(Effect.gen(function*() {
          const { chat } = yield* env
          const created = yield* Effect.flip(chat.createUser(OTHER_SERVICE, "erin"))
          expect(created).toMatchObject({ _tag: "TwilioApiError", status: 404, code: 20404 })
          const listed = yield* Effect.flip(chat.listUser(OTHER_SERVICE))
          expect(listed).toMatchObject({ _tag: "TwilioApiError", status: 404, code: 20404 })
          const fetched = yield* Effect.flip(chat.fetchUser(OTHER_SERVICE, "erin"))
          expect(fetched).toMatchObject({ _tag: "UserNotFound", status: 404, code: 20404 })
        })))

      it.effect("keeps users of different services apart", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const other = yield* fake.createService()
          yield* chat.createUser(service, "frank")
          yield* chat.createUser(other.sid, "frank")
          const page = yield* chat.listUser(other.sid)
          expect(page.users.map((u) => [u.identity, u.serviceSid, u.roleSid])).toEqual([
            ["frank", other.sid, other.defaultRoleSid]
          ])
        })))
    })

    describe("fetchUser", () => {
      it.effect("finds the same user by SID and by identity, with its reachability", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const [seeded] = yield* fake.seedUsers(service, [{ identity: "grace", isOnline: true, isNotifiable: false }])
          const bySid = yield* chat.fetchUser(service, seeded.sid)
          const byIdentity = yield* chat.fetchUser(service, "grace")
          expect(bySid).toEqual(byIdentity)
          expect(bySid.isOnline).toBe(true)
          expect(bySid.isNotifiable).toBe(false)
        })))

      it.effect("fails with UserNotFound (404 / 20404) for an unknown SID or identity", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const byIdentity = yield* Effect.flip(chat.fetchUser(service, "nobody"))
          expect(byIdentity).toMatchObject({ _tag: "UserNotFound", status: 404, code: 20404 })
          const bySid = yield* Effect.flip(chat.fetchUser(service, "USffffffffffffffffffffffffffffffff"))
          expect(bySid).toMatchObject({ _tag: "UserNotFound", status: 404, code: 20404 })
        })))

      it.effect("addresses identities holding '/', '?', '#', '%', spaces, '+' and emoji as one path segment", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const identities = ["a/b?c#d %", "alice@example.com", "x+y z", "🙂 ünï", "..a", "%2F", "US123"]
          for (const identity of identities) {
            const created = yield* chat.createUser(service, identity)
            expect(created.identity).toBe(identity)
            expect((yield* chat.fetchUser(service, identity)).sid).toBe(created.sid)
            const updated = yield* chat.updateUser(service, identity, { friendlyName: identity })
            expect(updated.friendlyName).toBe(identity)
            yield* chat.deleteUser(service, identity)
          }
          expect(yield* fake.users(service)).toHaveLength(0)
        })))
    })

    describe("updateUser", () => {
      it.effect("changes attributes and friendly name, keeps identity and date_created, bumps date_updated", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const created = yield* chat.createUser(service, "heidi", { attributes: { v: 1 }, friendlyName: "H" })
          yield* TestClock.adjust("90 seconds")
          const updated = yield* chat.updateUser(service, created.sid, { attributes: { v: 2 } })
          expect(updated.attributes).toEqual({ v: 2 })
          expect(updated.friendlyName).toBe("H")
          expect(updated.identity).toBe("heidi")
          expect(DateTime.toEpochMillis(updated.dateCreated)).toBe(T0)
          expect(DateTime.toEpochMillis(updated.dateUpdated)).toBe(T0 + 90_000)
          const renamed = yield* chat.updateUser(service, "heidi", { friendlyName: "Heidi", roleSid: ROLE })
          expect(renamed.attributes).toEqual({ v: 2 })
          expect(renamed.friendlyName).toBe("Heidi")
          expect(renamed.roleSid).toBe(ROLE)
        })))

      it.effect("fails with UserNotFound for a user that does not exist, and creates nothing", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const error = yield* Effect.flip(chat.updateUser(service, "ivan", { friendlyName: "Ivan" }))
          expect(error).toMatchObject({ _tag: "UserNotFound", status: 404 })
          expect(yield* fake.users(service)).toHaveLength(0)
        })))
    })

    describe("deleteUser", () => {
      it.effect("removes the user: it is no longer fetched, listed or stored", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          const judy = yield* chat.createUser(service, "judy")
          yield* chat.createUser(service, "ken")
          yield* chat.deleteUser(service, judy.sid)
          expect(yield* Effect.flip(chat.fetchUser(service, "judy"))).toMatchObject({ _tag: "UserNotFound" })
          expect((yield* chat.listUser(service)).users.map((u) => u.identity)).toEqual(["ken"])
          expect((yield* fake.users(service)).map((u) => u.identity)).toEqual(["ken"])
        })))

      it.effect("fails with UserNotFound for a user that does not exist", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const error = yield* Effect.flip(chat.deleteUser(service, "nobody"))
          expect(error).toMatchObject({ _tag: "UserNotFound", status: 404, code: 20404 })
        })))
    })

    describe("listUser and streamUsers", () => {
      it.effect("lists 50 users by default, with Twilio's meta and absolute URLs", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const page = yield* chat.listUser(service)
            expect(page.users).toHaveLength(50)
            expect(page.users[0].identity).toBe("user-001")
            const base = `${fake.baseUrl}/v2/Services/${service}/Users`
            expect(page.meta.page).toBe(0)
            expect(page.meta.pageSize).toBe(50)
            expect(page.meta.key).toBe("users")
            expect(page.meta.firstPageUrl).toBe(`${base}?PageSize=50&Page=0`)
            expect(page.meta.url).toBe(`${base}?PageSize=50&Page=0`)
            expect(page.meta.previousPageUrl).toBeNull()
            expect(page.meta.nextPageUrl).toMatch(new RegExp(`^${base}\\?PageSize=50&Page=1&PageToken=[^&]+$`))
          }),
          { seedUsers: 60 }
        ))

      it.effect("shows is_online and is_notifiable as null in lists, even when a fetch shows them", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.seedUsers(service, [{ identity: "online", isOnline: true, isNotifiable: true }])
          const [listed] = (yield* chat.listUser(service)).users
          expect([listed.isOnline, listed.isNotifiable]).toEqual([null, null])
          const fetched = yield* chat.fetchUser(service, "online")
          expect([fetched.isOnline, fetched.isNotifiable]).toEqual([true, true])
        })))

      it.effect("walks every user once, in creation order, with listUser and nextPage", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const seen: Array<string> = []
            let page = yield* chat.listUser(service, { pageSize: 7 })
            const pages: Array<number> = []
            while (true) {
              pages.push(page.meta.page)
              seen.push(...page.users.map((u) => u.identity))
              const next = yield* chat.nextPage(page)
              if (Option.isNone(next)) break
              page = next.value
            }
            expect(seen).toEqual((yield* fake.users(service)).map((u) => u.identity))
            expect(pages).toEqual([0, 1, 2])
          }),
          { seedUsers: 20 }
        ))

      it.effect("streams all 250 users of a service across three pages of 100, in creation order", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const streamed = yield* Stream.runCollect(chat.streamUsers(service))
            expect(Chunk.toReadonlyArray(streamed).map((u) => u.sid)).toEqual(
              (yield* fake.users(service)).map((u) => u.sid)
            )
            const lists = (yield* fake.requests).filter((r) => r.operation === "listUser")
            expect(lists.map((r) => r.query.PageSize)).toEqual(["100", "100", "100"])
          }),
          { seedUsers: 250 }
        ))

      it.effect("stops streaming at the limit without asking for another page", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const taken = yield* Stream.runCollect(chat.streamUsers(service, { limit: 15, pageSize: 10 }))
            expect(Chunk.size(taken)).toBe(15)
            expect((yield* fake.requests).filter((r) => r.operation === "listUser")).toHaveLength(2)
          }),
          { seedUsers: 40 }
        ))

      it.effect("pages stably: users created or deleted between pages make no other user repeat or vanish", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const initial = (yield* fake.users(service)).map((u) => u.identity)
            const deleted = new Set<string>()
            const seen: Array<string> = []
            let page = yield* chat.listUser(service, { pageSize: 10 })
            for (let round = 0;; round++) {
              seen.push(...page.users.map((u) => u.identity))
              // Between pages: delete one user already seen and one not yet seen, and create two.
              for (const identity of [initial[round * 10 + 3], initial[round * 10 + 14]]) {
                if (identity === undefined || deleted.has(identity)) continue
                yield* chat.deleteUser(service, identity)
                deleted.add(identity)
              }
              yield* chat.createUser(service, `late-${round}-a`)
              yield* chat.createUser(service, `late-${round}-b`)
              const next = yield* chat.nextPage(page)
              if (Option.isNone(next)) break
              page = next.value
            }
            expect(new Set(seen).size).toBe(seen.length)
            for (const identity of initial.filter((i) => !deleted.has(i))) expect(seen).toContain(identity)
          }),
          { seedUsers: 45 }
        ))

      it.effect("refuses a page token from before a reset with 400 / 21481", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const page = yield* chat.listUser(service, { pageSize: 5 })
            yield* fake.reset
            const error = yield* Effect.flip(chat.nextPage(page))
            expect(error).toMatchObject({ _tag: "TwilioApiError", status: 400, code: 21481 })
          }),
          { seedUsers: 12 }
        ))

      it.effect("lists an empty service as one empty page", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const page = yield* chat.listUser(service, { pageSize: 20 })
          expect(page.users).toEqual([])
          expect(page.meta.nextPageUrl).toBeNull()
          expect(Chunk.size(yield* Stream.runCollect(chat.streamUsers(service)))).toBe(0)
        })))
    })

    describe("faults", () => {
      it.effect("retries a 429 after its Retry-After, and the second attempt succeeds", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.seedUsers(service, [{ identity: "olivia" }])
          yield* fake.injectFaults("fetchUser", [Fault.rateLimited({ retryAfter: 7 })])
          const fiber = yield* Effect.fork(chat.fetchUser(service, "olivia"))
          yield* awaitSleepWithin(7_000, io)
          yield* TestClock.adjust("6999 millis")
          expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
          expect(yield* fake.requests).toHaveLength(1)
          yield* TestClock.adjust("1 millis")
          expect((yield* Fiber.join(fiber)).identity).toBe("olivia")
          expect(yield* fake.requests).toHaveLength(2)
        })))

      it.effect("retries a 503 on fetch with backoff, and succeeds", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.seedUsers(service, [{ identity: "peggy" }])
          yield* fake.injectFaults("fetchUser", [Fault.status(503), Fault.status(503)])
          const fiber = yield* Effect.fork(chat.fetchUser(service, "peggy"))
          expect((yield* driveToEnd(fiber, 1_000, io)).identity).toBe("peggy")
          expect(yield* fake.requests).toHaveLength(3)
        })))

      it.effect("does not retry a 503 on create: TwilioApiError 503 after one request", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.injectFaults("createUser", [Fault.status(503)])
          const error = yield* Effect.flip(chat.createUser(service, "quinn"))
          expect(error).toMatchObject({ _tag: "TwilioApiError", status: 503, code: 20503 })
          expect(yield* fake.requests).toHaveLength(1)
          expect(yield* fake.users(service)).toHaveLength(0)
        })))

      it.effect("gives up on 429 after the retries allowed, with RateLimited and the server's Retry-After", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.injectFaults("createUser", [Fault.rateLimited({ retryAfter: 1 }), Fault.rateLimited()])
            const fiber = yield* Effect.fork(Effect.flip(chat.createUser(service, "rupert")))
            yield* awaitSleepWithin(1_000, io)
            yield* TestClock.adjust("1 second")
            const error = yield* Fiber.join(fiber)
            expect(error).toMatchObject({ _tag: "RateLimited", status: 429, code: 20429 })
            expect(yield* fake.requests).toHaveLength(2)
          }),
          { client: { retry: { times: 1 } } }
        ))

      it.effect("turns a proxy's HTML 502 page into TwilioApiError with no code", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.injectFaults("listUser", [Fault.htmlBadGateway])
            const error = yield* Effect.flip(chat.listUser(service))
            expect(error).toMatchObject({ _tag: "TwilioApiError", status: 502, code: null })
            expect(error.message).toContain("502 Bad Gateway")
          }),
          { client: { retry: false } }
        ))

      it.effect("turns a 200 body that is not JSON into UnexpectedResponse", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.injectFaults("listUser", [Fault.notJson()])
          const error = yield* Effect.flip(chat.listUser(service))
          expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        })))

      it.effect("turns a truncated body into a TransportError, though the user was created", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.injectFaults("createUser", [Fault.truncated])
            const error = yield* Effect.flip(chat.createUser(service, "sybil"))
            expect(error).toMatchObject({ _tag: "TransportError", reason: "Connection" })
            expect((yield* fake.users(service)).map((u) => u.identity)).toEqual(["sybil"])
          }),
          { client: { retry: false } }
        ))

      it.effect("turns a reset connection into a TransportError, without processing the request", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.injectFaults("createUser", [Fault.reset()])
            const error = yield* Effect.flip(chat.createUser(service, "trent"))
            expect(error).toMatchObject({ _tag: "TransportError", reason: "Connection" })
            expect(yield* fake.users(service)).toHaveLength(0)
          }),
          { client: { retry: false } }
        ))

      it.effect("completes a delete whose answer was lost: the retry's 404 counts as done", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.seedUsers(service, [{ identity: "uma" }])
          yield* fake.injectFaults("deleteUser", [Fault.reset({ afterProcessing: true })])
          yield* driveToEnd(yield* Effect.fork(chat.deleteUser(service, "uma")), 1_000, io)
          expect(yield* fake.users(service)).toHaveLength(0)
          expect((yield* fake.requests).map((r) => r.operation)).toEqual(["deleteUser", "deleteUser"])
        })))

      it.effect("times out a request delayed past the client's timeout with TransportError Timeout", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.injectFaults("fetchUser", [Fault.delay("1 minute")])
            const fiber = yield* Effect.fork(Effect.flip(chat.fetchUser(service, "victor")))
            yield* awaitSleepWithin(5_000, io)
            yield* TestClock.adjust("5 seconds")
            expect(yield* Fiber.join(fiber)).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
          }),
          { client: { retry: false, timeout: "5 seconds" } }
        ))

      it.effect("answers a delayed request once the delay has passed", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* fake.injectFaults("createUser", [Fault.delay("3 seconds")])
          const fiber = yield* Effect.fork(chat.createUser(service, "wendy"))
          yield* awaitSleepWithin(3_000, io)
          yield* TestClock.adjust("3 seconds")
          const user = yield* Fiber.join(fiber)
          expect(DateTime.toEpochMillis(user.dateCreated)).toBe(T0 + 3_000)
        })))

      it.effect("refuses a next_page_url on another host, and sends nothing there", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            const foreign = Fault.foreignNextPage("https://evil.example.com")
            yield* fake.injectFaults("listUser", [foreign, foreign])
            const first = yield* chat.listUser(service, { pageSize: 2 })
            expect(first.meta.nextPageUrl).toMatch(/^https:\/\/evil\.example\.com\//)
            const error = yield* Effect.flip(chat.nextPage(first))
            expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: null })
            expect(error.message).toMatch(
              /^ChatV2UserApi\.nextPage: next_page_url is on https:\/\/evil\.example\.com, which differs from the configured \S+ in [a-z, ]*host[a-z, ]*; not followed$/
            )
            const streamed = yield* Effect.flip(Stream.runDrain(chat.streamUsers(service, { pageSize: 2 })))
            expect(streamed._tag).toBe("UnexpectedResponse")
            expect(yield* fake.requests).toHaveLength(2)
          }),
          { seedUsers: 5 }
        ))

      it.effect("applies a script call by call: only the 2nd of three fetches fails", () =>
        run(
          Effect.gen(function*() {
            const { chat, fake, service } = yield* env
            yield* fake.seedUsers(service, [{ identity: "xena" }])
            yield* fake.injectFaults("fetchUser", [Fault.pass, Fault.status(500, { message: "boom" })])
            const outcomes: Array<string> = []
            for (let i = 0; i < 3; i++) {
              outcomes.push(
                yield* chat.fetchUser(service, "xena").pipe(
                  Effect.match({ onFailure: (e) => `${e._tag} ${e.message}`, onSuccess: (u) => u.identity })
                )
              )
            }
            expect(outcomes).toEqual([
              "xena",
              "TwilioApiError ChatV2UserApi.fetchUser: HTTP 500 (20500) after 1 attempt: boom",
              "xena"
            ])
            expect(yield* fake.pendingFaults).toBe(0)
          }),
          { client: { retry: false } }
        ))
    })

    describe("recorded requests", () => {
      it.effect("show method, path, query, form and webhook header, with the credentials redacted", () =>
        run(Effect.gen(function*() {
          const { chat, fake, service } = yield* env
          yield* chat.createUser(service, "yves z", {
            attributes: { a: "b c" },
            friendlyName: "Y Z",
            xTwilioWebhookEnabled: "true"
          })
          yield* chat.listUser(service, { pageSize: 5, page: 0 })
          const [create, list] = yield* fake.requests
          expect(create).toMatchObject({
            operation: "createUser",
            method: "POST",
            path: `/v2/Services/${service}/Users`,
            form: { Identity: "yves z", Attributes: "{\"a\":\"b c\"}", FriendlyName: "Y Z" },
            username: fake.accountSid
          })
          expect(create.headers["x-twilio-webhook-enabled"]).toBe("true")
          expect(create.headers["authorization"]).toBe("[redacted]")
          expect(list).toMatchObject({ operation: "listUser", method: "GET", query: { PageSize: "5", Page: "0" } })
          expect(JSON.stringify(yield* fake.requests)).not.toContain(Redacted.value(fake.authToken))
        })))
    })
  })
