/**
 * The Chat V2 User API as an Effect service.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type { CreateUserError, ListUserError, UserOperationError } from "./ChatError.js"
import type { ChatV2ServiceUser, ListUserResponse } from "./ChatV2ServiceUser.js"
import { CHAT_V2 } from "./internal/api.js"
import * as Service from "./internal/service.js"
import * as Typed from "./internal/typed.js"
import type { AttributesJson, TypedUserApi } from "./TypedUserApi.js"
import type { ListUserOptions, StreamUsersOptions, UserWriteOptions } from "./UserOptions.js"

/**
 * The operations of the service. Every operation validates its arguments before sending anything (failing with
 * `InvalidRequest`), and its error type names exactly the errors it can fail with. Each error's message names the
 * operation, the HTTP status, Twilio's code and the number of attempts.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const rename = (serviceSid: string, identity: string, friendlyName: string) =>
 *   Effect.flatMap(ChatV2UserApi, (chat) => chat.updateUser(serviceSid, identity, { friendlyName }))
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ChatV2UserApiService {
  /**
   * Creates a user: `POST /v2/Services/{serviceSid}/Users` with `Identity` and the given options, answered 201.
   *
   * Retried on 429, and on a connection that was never made; never after the request may have been processed
   * (a 5xx, a reset, a timeout), since a second create could then conflict. Fails with `UserAlreadyExists` (409,
   * code 50201) when the identity is taken, `InvalidRequest` before sending for a bad argument.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.createUser("IS00000000000000000000000000000000", "alice@example.com", {
   *     friendlyName: "Alice",
   *     attributes: { team: "blue" }
   *   }))
   * ```
   */
  readonly createUser: (
    serviceSid: string,
    identity: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ChatV2ServiceUser, CreateUserError>

  /**
   * Updates a user's friendly name, role or attributes: `POST /v2/Services/{serviceSid}/Users/{sid}` with only the
   * given options. Fails with `UserNotFound` on 404; retried on 429, 5xx and transport failures.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.updateUser("IS00000000000000000000000000000000", "alice@example.com", { attributes: { team: "red" } }))
   * ```
   */
  readonly updateUser: (
    serviceSid: string,
    sid: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ChatV2ServiceUser, UserOperationError>

  /**
   * Fetches a user by SID (`US…`) or identity: `GET /v2/Services/{serviceSid}/Users/{sid}`, the identity sent as
   * one percent-encoded path segment. Fails with `UserNotFound` on 404; retried on 429, 5xx and transport failures.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.fetchUser("IS00000000000000000000000000000000", "alice@example.com")).pipe(
   *     Effect.catchTag("UserNotFound", () => Effect.succeed(null))
   *   )
   * ```
   */
  readonly fetchUser: (serviceSid: string, sid: string) => Effect.Effect<ChatV2ServiceUser, UserOperationError>

  /**
   * Deletes a user: `DELETE /v2/Services/{serviceSid}/Users/{sid}`, answered 204. Fails with `UserNotFound` on 404,
   * except after an attempt that got no answer (that attempt deleted the user: the delete succeeded).
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.deleteUser("IS00000000000000000000000000000000", "alice@example.com"))
   * ```
   */
  readonly deleteUser: (serviceSid: string, sid: string) => Effect.Effect<void, UserOperationError>

  /**
   * Reads one page of a service's users: `GET /v2/Services/{serviceSid}/Users?PageSize=&Page=&PageToken=`. Follow
   * it with `nextPage`, or use `streamUsers` for all of them.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const firstPage = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.listUser("IS00000000000000000000000000000000", { pageSize: 50 }))
   * ```
   */
  readonly listUser: (
    serviceSid: string,
    options?: ListUserOptions
  ) => Effect.Effect<ListUserResponse, ListUserError>

  /**
   * Reads the page after `page` by following its `nextPageUrl`, or `None` on the last page. The URL is followed
   * only onto the collection `page` was listed from (the configured origin or `chat.twilio.com`, the same service),
   * and never back to a page of the same chain: otherwise `UnexpectedResponse`, with nothing sent. Anything but a
   * page (`null`, a page's JSON) fails with `InvalidRequest`.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Option from "effect/Option"
   *
   * const secondPage = Effect.gen(function*() {
   *   const chat = yield* ChatV2UserApi
   *   const first = yield* chat.listUser("IS00000000000000000000000000000000", { pageSize: 20 })
   *   const second = yield* chat.nextPage(first)
   *   return Option.map(second, (page) => page.users.length)
   * })
   * ```
   */
  readonly nextPage: (page: ListUserResponse) => Effect.Effect<Option.Option<ListUserResponse>, ListUserError>

  /**
   * Every user of a service, as a lazy `Stream`: a page is requested only when the consumer pulls (pages of
   * `pageSize`, default 100), and `limit` stops after that many users. Next pages follow the rules of `nextPage`,
   * and no page is requested twice (a cycle ends the stream with `UnexpectedResponse`).
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Stream from "effect/Stream"
   *
   * const identities = Effect.flatMap(ChatV2UserApi, (chat) =>
   *   chat.streamUsers("IS00000000000000000000000000000000", { limit: 500 }).pipe(
   *     Stream.map((user) => user.identity),
   *     Stream.runCollect
   *   ))
   * ```
   */
  readonly streamUsers: (
    serviceSid: string,
    options?: StreamUsersOptions
  ) => Stream.Stream<ChatV2ServiceUser, ListUserError>
}

const Constructors = Service.constructors(
  CHAT_V2,
  () => ChatV2UserApi,
  (operations): ChatV2UserApiService => operations
)

/**
 * The Chat V2 User API: create, fetch, update, delete and list the users of a Chat Service, and stream them all.
 *
 * Provide it with `ChatV2UserApi.layer(options)` or `ChatV2UserApi.layerConfig()` (from `TWILIO_*` variables),
 * plus an `HttpClient` layer such as `FetchHttpClient.layer`; in tests, with `ChatTest.layer()` from
 * `@effect-twilio/chat-testing`.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { FetchHttpClient } from "@effect/platform"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 * import * as Stream from "effect/Stream"
 *
 * const program = Effect.gen(function*() {
 *   const chat = yield* ChatV2UserApi
 *   const serviceSid = "IS00000000000000000000000000000000"
 *   const alice = yield* chat.createUser(serviceSid, "alice", { attributes: { team: "blue" } })
 *   const count = yield* Stream.runCount(chat.streamUsers(serviceSid))
 *   yield* chat.deleteUser(serviceSid, alice.sid)
 *   return count
 * })
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * Effect.runPromise(Effect.provide(program, ChatLive))
 * ```
 * @since 0.1.0
 * @category services
 */
export class ChatV2UserApi extends Context.Tag("@effect-twilio/chat/ChatV2UserApi")<
  ChatV2UserApi,
  ChatV2UserApiService
>() {
  /**
   * Builds the service from options, with the `HttpClient` of the context. Fails with a `ConfigError` naming the
   * offending option.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const chat = ChatV2UserApi.make({ accountSid: "AC00000000000000000000000000000000", authToken: "token" })
   * ```
   * @since 0.1.0
   */
  static readonly make = Constructors.make
  /**
   * A layer from options. Fails with a `ConfigError` for missing or malformed credentials, a non-https base URL,
   * a `userAgent` that cannot be a header, and the like.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import { FetchHttpClient } from "@effect/platform"
   * import * as Layer from "effect/Layer"
   * import * as Redacted from "effect/Redacted"
   *
   * const ChatLive = ChatV2UserApi.layer({
   *   apiKeySid: "SK00000000000000000000000000000000",
   *   apiKeySecret: Redacted.make("secret")
   * }).pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static readonly layer = Constructors.layer
  /**
   * A layer from the environment: `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` or `TWILIO_API_KEY` +
   * `TWILIO_API_SECRET`, and `TWILIO_REGION`, `TWILIO_EDGE`, `TWILIO_CHAT_BASE_URL`; `options` win over them (a
   * credential pair as a whole). Missing or malformed variables fail with a `ConfigError` naming them.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import { FetchHttpClient } from "@effect/platform"
   * import * as Layer from "effect/Layer"
   *
   * const ChatLive = ChatV2UserApi.layerConfig({ timeout: "10 seconds" }).pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static readonly layerConfig = Constructors.layerConfig
  /**
   * The service of the context with users whose `attributes` are decoded with `schema` on every read (a mismatch
   * fails with `AttributesMismatch`, naming the user) and encoded with it on every write, so a wrongly typed write
   * does not compile. The schema's encoded side is what is stored: a JSON object.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String, level: Schema.optional(Schema.Number) })
   *
   * const program = Effect.gen(function*() {
   *   const users = yield* ChatV2UserApi.withAttributes(Profile)
   *   const serviceSid = "IS00000000000000000000000000000000"
   *   yield* users.updateUser(serviceSid, "alice", { attributes: { team: "blue", level: 2 } })
   *   const alice = yield* users.fetchUser(serviceSid, "alice")
   *   return alice.attributes.team
   * })
   * ```
   * @since 0.2.0
   */
  static readonly withAttributes = <A, I extends AttributesJson>(
    schema: Schema.Schema<A, I>
  ): Effect.Effect<TypedUserApi<ChatV2ServiceUser, ListUserResponse, A>, never, ChatV2UserApi> =>
    Typed.fromService(ChatV2UserApi, CHAT_V2.name, schema)
}
