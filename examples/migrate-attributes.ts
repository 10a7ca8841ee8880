/**
 * Moves users' attributes to a new typed shape, reading through Chat V2 and writing through Conversations v1: the
 * same service (`IS…`), the same users. Each API is given the schema of what it reads or writes, so the legacy
 * shape is decoded on the way in, the new one is checked at compile time on the way out, and a user whose attributes
 * match neither is reported, not guessed at.
 *
 * The example seeds three users of its own with the legacy shape and migrates only users whose identity starts with
 * `migrate-example-`, so it never rewrites anyone else's attributes on a real service.
 */
import { ChatV2UserApi, ConversationsV1UserApi } from "@effect-twilio/chat"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

/** What the application used to keep in `attributes`. */
const LegacyProfile = Schema.Struct({ team: Schema.String, avatar_url: Schema.optional(Schema.String) })

/** What it keeps now: a version, the team as an object, the avatar as an object. */
const Profile = Schema.Struct({
  version: Schema.Literal(2),
  team: Schema.Struct({ name: Schema.String }),
  avatar: Schema.optional(Schema.Struct({ url: Schema.String }))
})

/** What a user may hold when read: the new shape, the legacy one, or nothing the application put there (`{}`). */
const Stored = Schema.Union(Profile, LegacyProfile, Schema.Struct({}))

const isLegacy = Schema.is(LegacyProfile)
const isCurrent = Schema.is(Profile)

/** The new shape of legacy attributes. */
const migrated = (legacy: typeof LegacyProfile.Type): typeof Profile.Type => ({
  version: 2,
  team: { name: legacy.team },
  ...(legacy.avatar_url === undefined ? {} : { avatar: { url: legacy.avatar_url } })
})

const PREFIX = "migrate-example-"
const SEED = [
  { identity: `${PREFIX}ada`, attributes: { team: "blue", avatar_url: "https://example.com/ada.png" } },
  { identity: `${PREFIX}grace`, attributes: { team: "red" } },
  { identity: `${PREFIX}linus`, attributes: { team: "blue" } }
] as const

/** Three users of this example with legacy attributes (created, or reset when they exist from an earlier run). */
const seed = (serviceSid: string) =>
  Effect.gen(function*() {
    const legacy = yield* ChatV2UserApi.withAttributes(LegacyProfile)
    yield* Effect.forEach(SEED, ({ attributes, identity }) =>
      legacy.createUser(serviceSid, identity, { attributes }).pipe(
        Effect.catchTag("UserAlreadyExists", () =>
          legacy.updateUser(serviceSid, identity, { attributes }))
      ), { discard: true })
  })

/**
 * Streams the service's users through Chat V2 (attributes decoded as `Stored`) and rewrites each legacy one
 * through Conversations (attributes encoded as `Profile`), four writes at a time.
 */
export const migrateAttributes = (serviceSid: string, onlyIdentitiesStartingWith: string) =>
  Effect.gen(function*() {
    const chat = yield* ChatV2UserApi.withAttributes(Stored)
    const conversations = yield* ConversationsV1UserApi.withAttributes(Profile)
    return yield* chat.streamUsers(serviceSid).pipe(
      Stream.filter((user) => user.identity.startsWith(onlyIdentitiesStartingWith)),
      Stream.mapEffect((user) =>
        isLegacy(user.attributes)
          ? Effect.as(conversations.updateUser(serviceSid, user.sid, { attributes: migrated(user.attributes) }), 1)
          : Effect.succeed(0), { concurrency: 4 }),
      Stream.runSum
    )
  })

export const program = Effect.gen(function*() {
  const serviceSid = yield* Config.string("TWILIO_CHAT_SERVICE_SID")
  yield* seed(serviceSid)
  const moved = yield* migrateAttributes(serviceSid, PREFIX)
  // Read back through Conversations, typed with the new shape: a user left behind would fail here.
  const conversations = yield* ConversationsV1UserApi.withAttributes(Profile)
  const teams = yield* Effect.forEach(
    SEED,
    ({ identity }) => Effect.map(conversations.fetchUser(serviceSid, identity), (user) => user.attributes.team.name)
  )
  const current = yield* Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser(serviceSid, SEED[0].identity))
  if (!isCurrent(current.attributes)) return yield* Effect.fail(`${SEED[0].identity} was not migrated`)
  yield* Console.log(`migrate-attributes: ${moved} users moved to version 2 (teams ${teams.join(", ")})`)
})
