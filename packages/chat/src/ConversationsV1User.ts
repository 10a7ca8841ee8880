/**
 * The resources of the Conversations v1 User API as `Schema` classes: a user and a page of users.
 *
 * A Conversations service (`IS…`) is a Chat service, and its users are the same users as in Chat V2: these are
 * their Conversations representation (`chatServiceSid` for the service, no `joinedChannelsCount`, `links` with
 * `user_conversations`). The client decodes with a faster path that a property test holds to the same results.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { ChatV2ServiceUser, ListUserMeta } from "./ChatV2ServiceUser.js"

// The fields the two representations share are the same schemas: Conversations renames the service's field and
// has no `joined_channels_count`.
const {
  accountSid,
  attributes,
  dateCreated,
  dateUpdated,
  friendlyName,
  identity,
  isNotifiable,
  isOnline,
  links,
  roleSid,
  sid,
  url
} = ChatV2ServiceUser.fields

/**
 * A Conversations v1 user, as Twilio returns it, with camelCase fields.
 *
 * `sid`, `accountSid`, `chatServiceSid`, `identity`, `dateCreated`, `dateUpdated` and `url` are required; the other
 * fields are `null` when Twilio sends `null` or leaves them out. `attributes` is the parsed JSON value of Twilio's
 * `attributes` text.
 *
 * @example
 * ```ts
 * import { ConversationsV1User } from "@effect-twilio/chat"
 * import * as Schema from "effect/Schema"
 *
 * const user = Schema.decodeUnknownSync(ConversationsV1User)({
 *   sid: "US00000000000000000000000000000001",
 *   account_sid: "AC00000000000000000000000000000001",
 *   chat_service_sid: "IS00000000000000000000000000000001",
 *   identity: "alice",
 *   attributes: "{\"team\":\"blue\"}",
 *   date_created: "2016-03-24T21:05:19Z",
 *   date_updated: "2016-03-24T21:05:19Z",
 *   url: "https://conversations.twilio.com/v1/Services/IS00000000000000000000000000000001/Users/US00000000000000000000000000000001",
 *   links: {
 *     user_conversations: "https://conversations.twilio.com/v1/Services/IS00000000000000000000000000000001/Users/US00000000000000000000000000000001/Conversations"
 *   }
 * })
 * console.log(user.chatServiceSid) // "IS00000000000000000000000000000001"
 * ```
 * @since 0.2.0
 * @category models
 */
export class ConversationsV1User extends Schema.Class<ConversationsV1User>("@effect-twilio/chat/ConversationsV1User")({
  /** The user's SID, `US` + 32 hex digits. */
  sid,
  /** The SID of the account that owns the user. */
  accountSid,
  /** The SID of the Conversations (Chat) service the user belongs to. */
  chatServiceSid: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("chat_service_sid")),
  /** The parsed JSON of the user's attributes (`{}` when never set), or `null`. */
  attributes,
  /** The display name, or `null`. */
  friendlyName,
  /** The SID of the user's role, or `null`. */
  roleSid,
  /** The identity: unique per service, case-sensitive. */
  identity,
  /** Whether the user is online; `null` on list and when reachability is off. */
  isOnline,
  /** Whether the user has a push registration; `null` on list and when reachability is off. */
  isNotifiable,
  /** When the user was created. */
  dateCreated,
  /** When the user was last updated. */
  dateUpdated,
  /** Absolute URLs of related resources (`user_conversations`), or `null`. */
  links,
  /** The absolute URL of the user resource. */
  url
}) {}

/**
 * One page of Conversations users, as answered by `listUser`; its `meta` is the same as Chat V2's.
 *
 * @example
 * ```ts
 * import { ConversationsV1UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const firstIdentities = Effect.flatMap(ConversationsV1UserApi, (conversations) =>
 *   conversations.listUser("IS00000000000000000000000000000001", { pageSize: 20 })).pipe(
 *     Effect.map((page) => page.users.map((u) => u.identity))
 *   )
 * ```
 * @since 0.2.0
 * @category models
 */
export class ConversationsV1ListUserResponse
  extends Schema.Class<ConversationsV1ListUserResponse>("@effect-twilio/chat/ConversationsV1ListUserResponse")({
    /** The users of this page, in the service's order. */
    users: Schema.Array(ConversationsV1User),
    /** The paging metadata. */
    meta: ListUserMeta
  })
{}

/**
 * The account's default Conversations service, in place of a service SID: its users are at `/v1/Users`.
 *
 * @example
 * ```ts
 * import { ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const alice = Effect.flatMap(ConversationsV1UserApi, (conversations) =>
 *   conversations.fetchUser(DefaultService, "alice"))
 * ```
 * @since 0.2.0
 * @category constants
 */
export const DefaultService: unique symbol = Symbol.for("@effect-twilio/chat/DefaultService")

/**
 * The type of {@link DefaultService}.
 *
 * @example
 * ```ts
 * import { DefaultService } from "@effect-twilio/chat"
 *
 * const where: string | DefaultService = DefaultService
 * ```
 * @since 0.2.0
 * @category models
 */
export type DefaultService = typeof DefaultService
