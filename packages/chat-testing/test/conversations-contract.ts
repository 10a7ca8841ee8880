/**
 * The Conversations v1 contract: what a program using `ConversationsV1UserApi` observes against the fake, for every
 * operation, on a service and on the default service, and that both APIs see one store. It runs in memory
 * (`ChatTest.layer`) and over a real socket (`Emulator.layerClient`), through the production client.
 */
import { ChatV2UserApi, ConversationsV1User, ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type { ChatTestOptions } from "../src/index.js"
import { FakeTwilioChat, Fault } from "../src/index.js"
import { driveToEnd, OTHER_SERVICE, T0 } from "./utils.js"

/** Builds a fresh fake and both clients over it. */
export type MakeBothLayer = (
  options?: ChatTestOptions
) => Layer.Layer<ChatV2UserApi | ConversationsV1UserApi | FakeTwilioChat, unknown>

const USER_SID = /^US[0-9a-f]{32}$/

export const conversationsContractSuite = (name: string, makeLayer: MakeBothLayer, io: boolean) =>
  describe(name, () => {
    const env = Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const fake = yield* FakeTwilioChat
      return {
        fake,
        chat: yield* ChatV2UserApi,
        conversations: yield* ConversationsV1UserApi,
        service: fake.defaultServiceSid,
        base: fake.conversationsBaseUrl
      }
    })
    const run = <A, E>(
      body: Effect.Effect<A, E, ChatV2UserApi | ConversationsV1UserApi | FakeTwilioChat>,
      options?: ChatTestOptions
    ) => Effect.provide(body, makeLayer(options))

    describe("each operation", () => {
      it.effect("createUser answers the Conversations representation on its own URLs", () =>
        run(Effect.gen(function*() {
          const { base, conversations, fake, service } = yield* env
          const user = yield* conversations.createUser(service, "alice", {
            friendlyName: "Alice",
            attributes: { team: "blue" }
          })
          expect(user).toBeInstanceOf(ConversationsV1User)
          expect(user.sid).toMatch(USER_SID)
          expect(user.chatServiceSid).toBe(service)
          expect(user.accountSid).toBe(fake.accountSid)
          expect(user.attributes).toEqual({ team: "blue" })
          expect(user.friendlyName).toBe("Alice")
          expect("joinedChannelsCount" in user).toBe(false)
          expect(DateTime.toEpochMillis(user.dateCreated)).toBe(T0)
          expect(user.url).toBe(`${base}/v1/Services/${service}/Users/${user.sid}`)
          expect(user.links).toEqual({ user_conversations: `${user.url}/Conversations` })
        })))

      it.effect("fetchUser by SID and by identity, updateUser, deleteUser; 404 and 409 by tag", () =>
        run(Effect.gen(function*() {
          const { conversations, service } = yield* env
          const created = yield* conversations.createUser(service, "bob@example.com")
          expect((yield* conversations.fetchUser(service, created.sid)).identity).toBe("bob@example.com")
          expect((yield* conversations.fetchUser(service, "bob@example.com")).sid).toBe(created.sid)
          const updated = yield* conversations.updateUser(service, "bob@example.com", {
            friendlyName: "Bob",
            attributes: { level: 2 }
          })
          expect(updated).toMatchObject({ friendlyName: "Bob", attributes: { level: 2 } })
          const conflict = yield* Effect.flip(conversations.createUser(service, "bob@example.com"))
          expect(conflict).toMatchObject({ _tag: "UserAlreadyExists", status: 409, code: 50201 })
          yield* conversations.deleteUser(service, created.sid, { xTwilioWebhookEnabled: "false" })
          const gone = yield* Effect.flip(conversations.fetchUser(service, created.sid))
          expect(gone).toMatchObject({
            _tag: "UserNotFound",
            status: 404,
            operation: "ConversationsV1UserApi.fetchUser"
          })
        })))

      it.effect("listUser, nextPage and streamUsers walk every user once, in order", () =>
        run(
          Effect.gen(function*() {
            const { conversations, fake, service } = yield* env
            const expected = (yield* fake.users(service)).map((u) => u.identity)
            const first = yield* conversations.listUser(service, { pageSize: 20 })
            expect(first.users).toHaveLength(20)
            expect(first.meta.key).toBe("users")
            const second = Option.getOrThrow(yield* conversations.nextPage(first))
            expect(second.users[0].identity).toBe(expected[20])
            const all = yield* Stream.runCollect(conversations.streamUsers(service, { pageSize: 7 }))
            expect(Chunk.toReadonlyArray(all).map((u) => u.identity)).toEqual(expected)
            const limited = yield* Stream.runCollect(conversations.streamUsers(service, { limit: 5 }))
            expect(limited.length).toBe(5)
          }),
          { seedUsers: 45 }
        ))

      it.effect("the default service: DefaultService reaches the fake's default service, same users", () =>
        run(
          Effect.gen(function*() {
            const { chat, conversations, service } = yield* env
            const carol = yield* conversations.createUser(DefaultService, "carol")
            expect(carol.chatServiceSid).toBe(service)
            expect((yield* chat.fetchUser(service, "carol")).sid).toBe(carol.sid)
            const viaDefault = yield* Stream.runCount(conversations.streamUsers(DefaultService, { pageSize: 4 }))
            const viaService = yield* Stream.runCount(conversations.streamUsers(service, { pageSize: 50 }))
            expect(viaDefault).toBe(11)
            expect(viaService).toBe(11)
            yield* conversations.updateUser(DefaultService, "carol", { friendlyName: "Carol" })
            yield* conversations.deleteUser(DefaultService, carol.sid)
            expect((yield* Effect.flip(chat.fetchUser(service, carol.sid)))._tag).toBe("UserNotFound")
          }),
          { seedUsers: 10 }
        ))

      it.effect("a service the account does not have is 404 on Conversations as on Chat V2", () =>
        run(Effect.gen(function*() {
          const { conversations } = yield* env
          const error = yield* Effect.flip(conversations.fetchUser(OTHER_SERVICE, "alice"))
          expect(error).toMatchObject({ _tag: "UserNotFound", status: 404 })
        })))
    })

    describe("one store for both APIs", () => {
      it.effect("created through Chat V2, fetched, listed, updated and deleted through Conversations", () =>
        run(Effect.gen(function*() {
          const { chat, conversations, service } = yield* env
          const viaChat = yield* chat.createUser(service, "dora", { attributes: { team: "red" } })
          const viaConversations = yield* conversations.fetchUser(service, viaChat.sid)
          expect(viaConversations).toMatchObject({
            sid: viaChat.sid,
            identity: "dora",
            chatServiceSid: service,
            attributes: { team: "red" }
          })
          const listed = yield* Stream.runCollect(conversations.streamUsers(service))
          expect(Chunk.toReadonlyArray(listed).map((u) => u.sid)).toContain(viaChat.sid)
          yield* conversations.updateUser(service, "dora", { friendlyName: "Dora" })
          expect((yield* chat.fetchUser(service, "dora")).friendlyName).toBe("Dora")
          yield* conversations.deleteUser(service, "dora")
          expect((yield* Effect.flip(chat.fetchUser(service, "dora")))._tag).toBe("UserNotFound")
        })))

      it.effect("created through Conversations, seen and changed through Chat V2", () =>
        run(Effect.gen(function*() {
          const { chat, conversations, service } = yield* env
          const created = yield* conversations.createUser(service, "eve")
          const viaChat = yield* chat.fetchUser(service, "eve")
          expect(viaChat).toMatchObject({ sid: created.sid, serviceSid: service, joinedChannelsCount: 0 })
          expect(viaChat.url).toContain(`/v2/Services/${service}/Users/${created.sid}`)
          yield* chat.updateUser(service, created.sid, { attributes: { moved: true } })
          expect((yield* conversations.fetchUser(service, "eve")).attributes).toEqual({ moved: true })
          const conflict = yield* Effect.flip(chat.createUser(service, "eve"))
          expect(conflict._tag).toBe("UserAlreadyExists")
          yield* chat.deleteUser(service, "eve")
          expect((yield* Effect.flip(conversations.fetchUser(service, "eve")))._tag).toBe("UserNotFound")
        })))
    })

    describe("the engine's behaviour, through Conversations", () => {
      it.effect("a 429 on a create is retried after Retry-After, and the user exists once", () =>
        run(Effect.gen(function*() {
          const { conversations, fake, service } = yield* env
          yield* fake.injectFaults("createUser", [Fault.rateLimited({ retryAfter: 2 })])
          const fiber = yield* Effect.fork(conversations.createUser(service, "frank"))
          const user = yield* driveToEnd(fiber, 3000, io)
          expect(user.identity).toBe("frank")
          expect((yield* fake.users(service)).filter((u) => u.identity === "frank")).toHaveLength(1)
        })))

      it.effect("typed attributes over the fake: a user stored through Chat V2 with another shape is a mismatch", () =>
        run(Effect.gen(function*() {
          const { chat, service } = yield* env
          const Profile = Schema.Struct({ team: Schema.String })
          const typed = yield* ConversationsV1UserApi.withAttributes(Profile)
          const ok = yield* typed.createUser(service, "gina", { attributes: { team: "blue" } })
          expect(ok.attributes.team).toBe("blue")
          const other = yield* chat.createUser(service, "hank", { attributes: { team: 7 } })
          const error = yield* Effect.flip(typed.fetchUser(service, "hank"))
          expect(error).toMatchObject({ _tag: "AttributesMismatch", sid: other.sid })
          const stream = yield* Effect.flip(Stream.runDrain(typed.streamUsers(service)))
          expect(stream._tag).toBe("AttributesMismatch")
        })))
    })
  })
