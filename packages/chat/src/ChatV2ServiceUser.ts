/**
 * The resources of the Chat V2 User API as `Schema` classes: a user and a page of users.
 *
 * The schemas are the contract: they decode Twilio's snake_case JSON into camelCase fields, dates into
 * `DateTime.Utc` and `attributes` from its JSON text into the JSON value. The client decodes with a faster path
 * that a property test holds to the same results, and falls back to them for the error message.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { nullable } from "./internal/nullable.js"

/**
 * A Chat V2 user, as Twilio returns it, with camelCase fields.
 *
 * `sid`, `accountSid`, `serviceSid`, `identity`, `dateCreated`, `dateUpdated`, `url` and `joinedChannelsCount`
 * are required; the other fields are `null` when Twilio sends `null` or leaves them out. `attributes` is the parsed
 * JSON value of Twilio's `attributes` text.
 *
 * @example
 * ```ts
 * import { ChatV2ServiceUser } from "@effect-twilio/chat"
 * import * as Schema from "effect/Schema"
 *
 * const user = Schema.decodeUnknownSync(ChatV2ServiceUser)({
 *   sid: "US00000000000000000000000000000001",
 *   account_sid: "AC00000000000000000000000000000001",
 *   service_sid: "IS00000000000000000000000000000001",
 *   identity: "alice",
 *   attributes: "{\"team\":\"blue\"}",
 *   date_created: "2016-03-24T21:05:19Z",
 *   date_updated: "2016-03-24T21:05:19Z",
 *   joined_channels_count: 0,
 *   url: "https://chat.twilio.com/v2/Services/IS00000000000000000000000000000001/Users/US00000000000000000000000000000001"
 * })
 * console.log(user.attributes) // { team: "blue" }
 * ```
 * @since 0.1.0
 * @category models
 */
export class ChatV2ServiceUser extends Schema.Class<ChatV2ServiceUser>("@effect-twilio/chat/ChatV2ServiceUser")({
  /** The user's SID, `US` + 32 hex digits. */
  sid: Schema.String,
  /** The SID of the account that owns the user. */
  accountSid: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("account_sid")),
  /** The SID of the Chat Service the user belongs to. */
  serviceSid: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("service_sid")),
  /** The parsed JSON of the user's attributes (`{}` when never set), or `null`. */
  attributes: nullable(Schema.parseJson(), "attributes"),
  /** The display name, or `null`. */
  friendlyName: nullable(Schema.String, "friendly_name"),
  /** The SID of the user's role, or `null`. */
  roleSid: nullable(Schema.String, "role_sid"),
  /** The identity: unique per service, case-sensitive. */
  identity: Schema.String,
  /** Whether the user is online; always `null` on list and when reachability is off. */
  isOnline: nullable(Schema.Boolean, "is_online"),
  /** Whether the user has a push registration; always `null` on list and when reachability is off. */
  isNotifiable: nullable(Schema.Boolean, "is_notifiable"),
  /** When the user was created. */
  dateCreated: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("date_created")),
  /** When the user was last updated. */
  dateUpdated: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("date_updated")),
  /** How many channels the user is a member of. */
  joinedChannelsCount: Schema.propertySignature(Schema.Int).pipe(Schema.fromKey("joined_channels_count")),
  /** Absolute URLs of related resources (`user_channels`, `user_bindings`), or `null`. */
  links: nullable(Schema.Record({ key: Schema.String, value: Schema.String }), "links"),
  /** The absolute URL of the user resource. */
  url: Schema.String
}) {}

/**
 * The paging metadata of a list answer, with camelCase fields. Follow `nextPageUrl` (the client does it for you
 * in `streamUsers` and `nextPage`); it is `null` on the last page.
 *
 * @example
 * ```ts
 * import { ListUserMeta } from "@effect-twilio/chat"
 * import * as Schema from "effect/Schema"
 *
 * const meta = Schema.decodeUnknownSync(ListUserMeta)({
 *   page: 0, page_size: 50, key: "users", next_page_url: null, previous_page_url: null,
 *   first_page_url: "https://chat.twilio.com/v2/Services/IS00000000000000000000000000000001/Users?PageSize=50&Page=0",
 *   url: "https://chat.twilio.com/v2/Services/IS00000000000000000000000000000001/Users?PageSize=50&Page=0"
 * })
 * ```
 * @since 0.1.0
 * @category models
 */
export class ListUserMeta extends Schema.Class<ListUserMeta>("@effect-twilio/chat/ListUserMeta")({
  /** The page index (client state only). */
  page: Schema.Int,
  /** The page size the server applied. */
  pageSize: Schema.propertySignature(Schema.Int).pipe(Schema.fromKey("page_size")),
  /** The absolute URL of the first page. */
  firstPageUrl: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("first_page_url")),
  /** The absolute URL of the previous page, or `null` on the first. */
  previousPageUrl: nullable(Schema.String, "previous_page_url"),
  /** The absolute URL of this page. */
  url: Schema.String,
  /** The absolute URL of the next page, or `null` on the last. */
  nextPageUrl: nullable(Schema.String, "next_page_url"),
  /** The key of the list in the answer: `"users"`. */
  key: Schema.String
}) {}

/**
 * One page of users, as answered by `listUser`.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const firstIdentities = Effect.flatMap(ChatV2UserApi, (chat) =>
 *   chat.listUser("IS00000000000000000000000000000001", { pageSize: 20 })).pipe(
 *     Effect.map((page) => page.users.map((u) => u.identity))
 *   )
 * ```
 * @since 0.1.0
 * @category models
 */
export class ListUserResponse extends Schema.Class<ListUserResponse>("@effect-twilio/chat/ListUserResponse")({
  /** The users of this page, in the service's order. */
  users: Schema.Array(ChatV2ServiceUser),
  /** The paging metadata. */
  meta: ListUserMeta
}) {}
