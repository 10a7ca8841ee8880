/**
 * A user's own code and its test with `ChatTest.layer`: the example of the README's "Testing your code".
 * `TeamDirectory` is application code that uses `ChatV2UserApi`; the test runs it against the in-memory Twilio.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { ChatTest, FakeTwilioChat, Fault } from "@effect-twilio/chat-testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"

// --- the application code -------------------------------------------------------------------------------------

/** What the application keeps in a user's attributes. */
const Member = Schema.Struct({ team: Schema.optional(Schema.String) })

/** Adds a member to a team: creates the chat user, or tags the existing one. */
const join = (serviceSid: string, identity: string, team: string) =>
  Effect.gen(function*() {
    const users = yield* ChatV2UserApi.withAttributes(Member)
    return yield* users.createUser(serviceSid, identity, { attributes: { team } }).pipe(
      Effect.catchTag("UserAlreadyExists", () => users.updateUser(serviceSid, identity, { attributes: { team } }))
    )
  })

/** The identities of a team's members, over every page of users. */
const members = (serviceSid: string, team: string) =>
  Effect.flatMap(ChatV2UserApi.withAttributes(Member), (users) =>
    users.streamUsers(serviceSid).pipe(
      Stream.filter((user) => user.attributes.team === team),
      Stream.map((user) => user.identity),
      Stream.runCollect,
      Effect.map((identities) => [...identities])
    ))

// --- its tests --------------------------------------------------------------------------------------------------

describe("TeamDirectory", () => {
  it.effect("creates new members and re-tags existing users", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const service = fake.defaultServiceSid
      yield* fake.seedUsers(service, [{ identity: "bob", attributes: { team: "red" } }])

      yield* join(service, "alice", "blue")
      yield* join(service, "bob", "blue")

      expect(yield* members(service, "blue")).toEqual(["bob", "alice"]) // the service's order: creation
      expect((yield* fake.requests).map((r) => `${r.operation} ${r.form.Identity ?? ""}`.trim())).toEqual([
        "createUser alice",
        "createUser bob",
        "updateUser",
        "listUser"
      ])
    }).pipe(Effect.provide(ChatTest.layer())))

  it.effect("rides out Twilio's rate limit: the 429 is retried after its Retry-After", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("createUser", [Fault.rateLimited({ retryAfter: 2 })])

      const fiber = yield* Effect.fork(join(fake.defaultServiceSid, "carol", "green"))
      yield* TestClock.adjust("2 seconds")
      const carol = yield* Fiber.join(fiber)

      expect(carol.attributes.team).toBe("green") // typed: no cast
      expect((yield* fake.requests).filter((r) => r.operation === "createUser")).toHaveLength(2)
    }).pipe(Effect.provide(ChatTest.layer())))

  it.effect("surfaces Twilio's refusal as a typed error", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("createUser", [Fault.status(403, { code: 20403, message: "Forbidden" })])
      const error = yield* Effect.flip(join(fake.defaultServiceSid, "dave", "blue"))
      expect(error).toMatchObject({ _tag: "TwilioApiError", status: 403, code: 20403 })
    }).pipe(Effect.provide(ChatTest.layer())))
})
