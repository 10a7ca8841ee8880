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
import { ListUserMeta } from "./ChatV2ServiceUser.js"
import { nullable } from "./internal/nullable.js"

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
  sid: Schema.String,
  /** The SID of the account that owns the user. */
  accountSid: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("account_sid")),
  /** The SID of the Conversations (Chat) service the user belongs to. */
  chatServiceSid: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("chat_service_sid")),
  /** The parsed JSON of the user's attributes (`{}` when never set), or `null`. */
  attributes: nullable(Schema.parseJson(), "attributes"),
  /** The display name, or `null`. */
  friendlyName: nullable(Schema.String, "friendly_name"),
  /** The SID of the user's role, or `null`. */
  roleSid: nullable(Schema.String, "role_sid"),
  /** The identity: unique per service, case-sensitive. */
  identity: Schema.String,
  /** Whether the user is online; `null` on list and when reachability is off. */
  isOnline: nullable(Schema.Boolean, "is_online"),
  /** Whether the user has a push registration; `null` on list and when reachability is off. */
  isNotifiable: nullable(Schema.Boolean, "is_notifiable"),
  /** When the user was created. */
  dateCreated: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("date_created")),
  /** When the user was last updated. */
  dateUpdated: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("date_updated")),
  /** Absolute URLs of related resources (`user_conversations`), or `null`. */
  links: nullable(Schema.Record({ key: Schema.String, value: Schema.String }), "links"),
  /** The absolute URL of the user resource. */
  url: Schema.String
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
