/**
 * The typed errors of `@effect-twilio/chat`.
 *
 * Every operation of {@link ChatV2UserApi} fails only with the classes below, each a `Schema.TaggedError`
 * whose `_tag` is its class name, so callers can `Effect.catchTag("UserNotFound", ...)`. No error carries the
 * credentials, the request headers or the request body.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The fields that every error answered by Twilio carries: the HTTP `status`, Twilio's numeric error `code`
 * (when the body has one), a human-readable `message` and the `moreInfo` link to Twilio's error docs.
 *
 * @example
 * ```ts
 * import { TwilioApiError } from "@effect-twilio/chat"
 *
 * const error = new TwilioApiError({ status: 500, code: null, message: "Internal error", moreInfo: null })
 * console.log(error.status) // 500
 * ```
 * @since 0.1.0
 * @category errors
 */
export const ApiErrorFields = {
  /** The HTTP status of the response. */
  status: Schema.Number,
  /** Twilio's error code (e.g. `20404`), or `null` when the body carried none (a proxy page, say). */
  code: Schema.NullOr(Schema.Number),
  /** Twilio's message, or a description of the response when it carried none. */
  message: Schema.String,
  /** The link to Twilio's documentation of `code`, when given. */
  moreInfo: Schema.NullOr(Schema.String),
  /** The operation that failed, e.g. `"ChatV2UserApi.fetchUser"` (set by the client). */
  operation: Schema.optional(Schema.String),
  /** How many attempts the client made before giving up (set by the client). */
  attempts: Schema.optional(Schema.Number)
} as const

/**
 * An argument was rejected before any request was sent: a malformed SID, a page size outside 1..100, attributes
 * that are not a JSON object, and so on. `field` names the argument.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser("not-a-service-sid", "alice")).pipe(
 *   Effect.catchTag("InvalidRequest", (e) => Effect.logWarning(`bad ${e.field}: ${e.message}`))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("@effect-twilio/chat/InvalidRequest")(
  "InvalidRequest",
  {
    /** The argument or option that was rejected, e.g. `"serviceSid"` or `"options.pageSize"`. */
    field: Schema.String,
    message: Schema.String
  }
) {}

/**
 * Twilio answered 404 to a fetch, update or delete: the user (or its service) does not exist.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 * import * as Option from "effect/Option"
 *
 * const findUser = (serviceSid: string, identity: string) =>
 *   Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser(serviceSid, identity)).pipe(
 *     Effect.map(Option.some),
 *     Effect.catchTag("UserNotFound", () => Effect.succeedNone)
 *   )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UserNotFound extends Schema.TaggedError<UserNotFound>("@effect-twilio/chat/UserNotFound")(
  "UserNotFound",
  ApiErrorFields
) {}

/**
 * Twilio answered 409 (error 50201) to a create: a user with this identity already exists in the service.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const ensureUser = (serviceSid: string, identity: string) =>
 *   Effect.flatMap(ChatV2UserApi, (chat) =>
 *     chat.createUser(serviceSid, identity).pipe(
 *       Effect.catchTag("UserAlreadyExists", () => chat.fetchUser(serviceSid, identity))
 *     ))
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UserAlreadyExists extends Schema.TaggedError<UserAlreadyExists>(
  "@effect-twilio/chat/UserAlreadyExists"
)("UserAlreadyExists", ApiErrorFields) {}

/**
 * Twilio answered 401 (error 20003): the account SID and auth token, or API key and secret, were refused.
 *
 * @example
 * ```ts
 * import { AuthenticationFailed } from "@effect-twilio/chat"
 *
 * const error = new AuthenticationFailed({ status: 401, code: 20003, message: "Authenticate", moreInfo: null })
 * console.log(error._tag) // "AuthenticationFailed"
 * ```
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationFailed extends Schema.TaggedError<AuthenticationFailed>(
  "@effect-twilio/chat/AuthenticationFailed"
)("AuthenticationFailed", ApiErrorFields) {}

/**
 * Twilio answered 429 (error 20429) to every attempt the retry policy allowed. `retryAfter` is the server's last
 * `Retry-After`, when it sent one.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 * import * as Option from "effect/Option"
 *
 * const program = Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser("IS00000000000000000000000000000000", "alice")).pipe(
 *   Effect.catchTag("RateLimited", (e) =>
 *     Effect.logWarning(`rate limited, retry after ${Option.getOrElse(Option.fromNullable(e.retryAfter), () => "?")}`))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@effect-twilio/chat/RateLimited")("RateLimited", {
  ...ApiErrorFields,
  /** The server's `Retry-After` on the last answer, if it sent one. */
  retryAfter: Schema.optional(Schema.DurationFromMillis)
}) {}

/**
 * Any other error answer from Twilio (400, 403, 5xx after retries, or 404 on create and list), with its status,
 * code, message and link. Branch on `status`; `code` is exposed for logs and special cases.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.flatMap(ChatV2UserApi, (chat) => chat.createUser("IS00000000000000000000000000000000", "bob")).pipe(
 *   Effect.catchTag("TwilioApiError", (e) => Effect.logError(`Twilio ${e.status} ${e.code}: ${e.message}`))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TwilioApiError extends Schema.TaggedError<TwilioApiError>("@effect-twilio/chat/TwilioApiError")(
  "TwilioApiError",
  ApiErrorFields
) {}

/**
 * No response was received: the connection failed, was reset, or the attempt timed out (`reason`).
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser("IS00000000000000000000000000000000", "alice")).pipe(
 *   Effect.catchTag("TransportError", (e) => Effect.logError(`${e.reason}: ${e.message}`))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("@effect-twilio/chat/TransportError")(
  "TransportError",
  {
    /** `"Timeout"`: the attempt outlived the configured timeout and was aborted; `"Connection"`: anything else. */
    reason: Schema.Literal("Timeout", "Connection"),
    message: Schema.String,
    /** The operation that failed, e.g. `"ChatV2UserApi.fetchUser"` (set by the client). */
    operation: Schema.optional(Schema.String),
    /** How many attempts the client made before giving up (set by the client). */
    attempts: Schema.optional(Schema.Number),
    /** `true` when the failure proves the request never reached the server (connection refused, DNS, connect). */
    notSent: Schema.optional(Schema.Boolean),
    /** The transport's error, for debugging: names, messages and codes only, scrubbed of the credentials. */
    cause: Schema.optional(Schema.Unknown)
  }
) {}

/**
 * A response that cannot be decoded or must not be followed: a body that is not JSON, a body without the required
 * fields, a redirect, a `next_page_url` on a foreign host, a body over the size limit.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser("IS00000000000000000000000000000000", "alice")).pipe(
 *   Effect.catchTag("UnexpectedResponse", (e) => Effect.logError(`unexpected ${e.status}: ${e.message}`))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>(
  "@effect-twilio/chat/UnexpectedResponse"
)("UnexpectedResponse", {
  /** The HTTP status, or `null` when the problem was found before a request (a refused `next_page_url`). */
  status: Schema.NullOr(Schema.Number),
  message: Schema.String,
  /** The operation that failed, e.g. `"ChatV2UserApi.fetchUser"` (set by the client). */
  operation: Schema.optional(Schema.String),
  /** How many attempts were made (`0` when nothing was sent). */
  attempts: Schema.optional(Schema.Number)
}) {}

/**
 * A user's `attributes`, as Twilio answered them, do not match the `Schema` given to `withAttributes`: `sid` names
 * the user, `issue` is the schema's complaint. Only the typed services (`ChatV2UserApi.withAttributes`,
 * `ConversationsV1UserApi.withAttributes`) fail with it; the untyped ones never decode attributes beyond JSON.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 * import * as Schema from "effect/Schema"
 *
 * const Profile = Schema.Struct({ team: Schema.String })
 *
 * const program = Effect.gen(function*() {
 *   const users = yield* ChatV2UserApi.withAttributes(Profile)
 *   return yield* users.fetchUser("IS00000000000000000000000000000000", "alice")
 * }).pipe(Effect.catchTag("AttributesMismatch", (e) => Effect.logWarning(`${e.sid}: ${e.issue}`)))
 * ```
 * @since 0.2.0
 * @category errors
 */
export class AttributesMismatch extends Schema.TaggedError<AttributesMismatch>(
  "@effect-twilio/chat/AttributesMismatch"
)("AttributesMismatch", {
  /** The SID of the user whose attributes did not match. */
  sid: Schema.String,
  /** What the schema said of them (its `ParseError` message). */
  issue: Schema.String,
  message: Schema.String,
  /** The operation that failed, e.g. `"ChatV2UserApi.fetchUser"`. */
  operation: Schema.optional(Schema.String)
}) {}

/**
 * Every error of the client.
 *
 * @example
 * ```ts
 * import type { ChatError } from "@effect-twilio/chat"
 *
 * const describe = (e: ChatError): string => `${e._tag}: ${e.message}`
 * ```
 * @since 0.1.0
 * @category errors
 */
export type ChatError = CreateUserError | UserNotFound | AttributesMismatch

/**
 * The `Schema` of {@link ChatError}, to send errors over the wire or persist them.
 *
 * @example
 * ```ts
 * import { ChatError, TransportError } from "@effect-twilio/chat"
 * import * as Schema from "effect/Schema"
 *
 * const json = Schema.encodeSync(ChatError)(new TransportError({ reason: "Timeout", message: "timed out" }))
 * ```
 * @since 0.1.0
 * @category errors
 */
export const ChatError: Schema.Union<
  [
    typeof InvalidRequest,
    typeof UserNotFound,
    typeof UserAlreadyExists,
    typeof AuthenticationFailed,
    typeof RateLimited,
    typeof TwilioApiError,
    typeof TransportError,
    typeof UnexpectedResponse,
    typeof AttributesMismatch
  ]
> = Schema.Union(
  InvalidRequest,
  UserNotFound,
  UserAlreadyExists,
  AuthenticationFailed,
  RateLimited,
  TwilioApiError,
  TransportError,
  UnexpectedResponse,
  AttributesMismatch
)

/**
 * The errors of `createUser`.
 *
 * @example
 * ```ts
 * import type { CreateUserError } from "@effect-twilio/chat"
 *
 * const isConflict = (e: CreateUserError) => e._tag === "UserAlreadyExists"
 * ```
 * @since 0.1.0
 * @category errors
 */
export type CreateUserError = ListUserError | UserAlreadyExists

/**
 * The errors of `fetchUser`, `updateUser` and `deleteUser`.
 *
 * @example
 * ```ts
 * import type { UserOperationError } from "@effect-twilio/chat"
 *
 * const isMissing = (e: UserOperationError) => e._tag === "UserNotFound"
 * ```
 * @since 0.1.0
 * @category errors
 */
export type UserOperationError = ListUserError | UserNotFound

/**
 * The errors of `listUser` and `streamUsers`.
 *
 * @example
 * ```ts
 * import type { ListUserError } from "@effect-twilio/chat"
 *
 * const retryable = (e: ListUserError) => e._tag === "RateLimited" || e._tag === "TransportError"
 * ```
 * @since 0.1.0
 * @category errors
 */
export type ListUserError = InvalidRequest | NextPageError

/**
 * The errors of reading a page once the arguments are valid: those of a list, less `InvalidRequest`.
 *
 * @example
 * ```ts
 * import type { NextPageError } from "@effect-twilio/chat"
 *
 * const tags: ReadonlyArray<NextPageError["_tag"]> = ["RateLimited", "UnexpectedResponse"]
 * ```
 * @since 0.1.0
 * @category errors
 */
export type NextPageError = AuthenticationFailed | RateLimited | TwilioApiError | TransportError | UnexpectedResponse
