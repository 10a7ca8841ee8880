/**
 * The Conversations v1 User API as an Effect service: the same users as Chat V2 (a Conversations service `IS…` is
 * a Chat service), through `conversations.twilio.com`, on a given service or on the account's default one.
 *
 * @since 0.2.0
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type { CreateUserError, ListUserError, UserOperationError } from "./ChatError.js"
import type { ConversationsV1ListUserResponse, ConversationsV1User } from "./ConversationsV1User.js"
import type { DefaultService } from "./ConversationsV1User.js"
import { CONVERSATIONS_V1 } from "./internal/api.js"
import * as Service from "./internal/service.js"
import * as Typed from "./internal/typed.js"
import type { ChatV2UserApiOptions } from "./TwilioConfig.js"
import type { AttributesJson, TypedUserApi } from "./TypedUserApi.js"
import type { DeleteUserOptions, ListUserOptions, StreamUsersOptions, UserWriteOptions } from "./UserOptions.js"

/**
 * The options of `ConversationsV1UserApi.layer`: those of Chat V2. The default host is
 * `https://conversations.twilio.com` (`conversations.{edge}.{region}.twilio.com` with `region`/`edge`).
 *
 * @example
 * ```ts
 * import type { ConversationsV1UserApiOptions } from "@effect-twilio/chat"
 *
 * const options: ConversationsV1UserApiOptions = { region: "ie1", edge: "dublin", timeout: "10 seconds" }
 * ```
 * @since 0.2.0
 * @category models
 */
export type ConversationsV1UserApiOptions = ChatV2UserApiOptions

/**
 * The operations of the Conversations service. Each takes a service SID (`IS…`), or {@link DefaultService} for
 * the account's default service. Validation, retries, timeouts and errors are those of `ChatV2UserApi`; error
 * messages name the operation as `ConversationsV1UserApi.fetchUser`.
 *
 * @example
 * ```ts
 * import { ConversationsV1UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const rename = (serviceSid: string, identity: string, friendlyName: string) =>
 *   Effect.flatMap(ConversationsV1UserApi, (c) => c.updateUser(serviceSid, identity, { friendlyName }))
 * ```
 * @since 0.2.0
 * @category models
 */
export interface ConversationsV1UserApiService {
  /**
   * Creates a user: `POST /v1/Services/{serviceSid}/Users` (or `/v1/Users`) with `Identity` and the given options,
   * answered 201. Retried on 429 and on a connection that was never made, never once the request may have been
   * processed. Fails with `UserAlreadyExists` (409) when the identity is taken.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ConversationsV1UserApi, (c) =>
   *   c.createUser("IS00000000000000000000000000000000", "alice@example.com", { friendlyName: "Alice" }))
   * ```
   */
  readonly createUser: (
    serviceSid: string | DefaultService,
    identity: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ConversationsV1User, CreateUserError>

  /**
   * Updates a user's friendly name, role or attributes: `POST /v1/Services/{serviceSid}/Users/{sid}` with only the
   * given options. Fails with `UserNotFound` on 404; retried on 429, 5xx and transport failures.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ConversationsV1UserApi, (c) =>
   *   c.updateUser("IS00000000000000000000000000000000", "alice@example.com", { attributes: { team: "red" } }))
   * ```
   */
  readonly updateUser: (
    serviceSid: string | DefaultService,
    sid: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ConversationsV1User, UserOperationError>

  /**
   * Fetches a user by SID (`US…`) or identity: `GET /v1/Services/{serviceSid}/Users/{sid}`. Fails with
   * `UserNotFound` on 404; retried on 429, 5xx and transport failures.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ConversationsV1UserApi, (c) => c.fetchUser(DefaultService, "alice@example.com"))
   * ```
   */
  readonly fetchUser: (
    serviceSid: string | DefaultService,
    sid: string
  ) => Effect.Effect<ConversationsV1User, UserOperationError>

  /**
   * Deletes a user: `DELETE /v1/Services/{serviceSid}/Users/{sid}`, answered 204, with `X-Twilio-Webhook-Enabled`
   * when asked for. Fails with `UserNotFound` on 404, except after an attempt that got no answer.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const program = Effect.flatMap(ConversationsV1UserApi, (c) =>
   *   c.deleteUser("IS00000000000000000000000000000000", "alice@example.com", { xTwilioWebhookEnabled: "true" }))
   * ```
   */
  readonly deleteUser: (
    serviceSid: string | DefaultService,
    sid: string,
    options?: DeleteUserOptions
  ) => Effect.Effect<void, UserOperationError>

  /**
   * Reads one page of a service's users: `GET /v1/Services/{serviceSid}/Users?PageSize=&Page=&PageToken=`.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const firstPage = Effect.flatMap(ConversationsV1UserApi, (c) =>
   *   c.listUser("IS00000000000000000000000000000000", { pageSize: 50 }))
   * ```
   */
  readonly listUser: (
    serviceSid: string | DefaultService,
    options?: ListUserOptions
  ) => Effect.Effect<ConversationsV1ListUserResponse, ListUserError>

  /**
   * Reads the page after `page`, or `None` on the last: followed only onto the collection `page` was listed from
   * (the configured origin or `conversations.twilio.com`), never back to a page of the same chain.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   *
   * const secondPage = Effect.gen(function*() {
   *   const c = yield* ConversationsV1UserApi
   *   const first = yield* c.listUser("IS00000000000000000000000000000000", { pageSize: 20 })
   *   return yield* c.nextPage(first)
   * })
   * ```
   */
  readonly nextPage: (
    page: ConversationsV1ListUserResponse
  ) => Effect.Effect<Option.Option<ConversationsV1ListUserResponse>, ListUserError>

  /**
   * Every user of a service, as a lazy `Stream` (pages of `pageSize`, default 100, requested as the consumer
   * pulls; `limit` stops after that many users).
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Stream from "effect/Stream"
   *
   * const count = Effect.flatMap(ConversationsV1UserApi, (c) => Stream.runCount(c.streamUsers(DefaultService)))
   * ```
   */
  readonly streamUsers: (
    serviceSid: string | DefaultService,
    options?: StreamUsersOptions
  ) => Stream.Stream<ConversationsV1User, ListUserError>
}

const Constructors = Service.constructors(
  CONVERSATIONS_V1,
  () => ConversationsV1UserApi,
  (operations): ConversationsV1UserApiService => operations
)

/**
 * The Conversations v1 User API: create, fetch, update, delete and list the users of a service (or of the
 * account's default service), and stream them all.
 *
 * Provide it with `ConversationsV1UserApi.layer(options)` or `ConversationsV1UserApi.layerConfig()` plus an
 * `HttpClient` layer (on Node, `UndiciHttpClient.layer` of `@effect-twilio/http-undici` is the fastest); in
 * tests, with `ChatTest.layer()` from `@effect-twilio/chat-testing`, which serves both APIs over one store.
 *
 * @example
 * ```ts
 * import { ConversationsV1UserApi } from "@effect-twilio/chat"
 * import { FetchHttpClient } from "@effect/platform"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 *
 * const program = Effect.gen(function*() {
 *   const conversations = yield* ConversationsV1UserApi
 *   return yield* conversations.fetchUser("IS00000000000000000000000000000000", "alice")
 * })
 *
 * const ConversationsLive = ConversationsV1UserApi.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * Effect.runPromise(Effect.provide(program, ConversationsLive))
 * ```
 * @since 0.2.0
 * @category services
 */
export class ConversationsV1UserApi extends Context.Tag("@effect-twilio/chat/ConversationsV1UserApi")<
  ConversationsV1UserApi,
  ConversationsV1UserApiService
>() {
  /**
   * Builds the service from options, with the `HttpClient` of the context. Fails with a `ConfigError` naming the
   * offending option.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   *
   * const conversations = ConversationsV1UserApi.make({
   *   accountSid: "AC00000000000000000000000000000000",
   *   authToken: "token"
   * })
   * ```
   * @since 0.2.0
   */
  static readonly make = Constructors.make
  /**
   * A layer from options (host `https://conversations.twilio.com` unless `baseUrl`, `region` or `edge` say
   * otherwise). Fails with a `ConfigError` as `ChatV2UserApi.layer` does.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import { FetchHttpClient } from "@effect/platform"
   * import * as Layer from "effect/Layer"
   *
   * const ConversationsLive = ConversationsV1UserApi.layer({
   *   accountSid: "AC00000000000000000000000000000000",
   *   authToken: "token"
   * }).pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.2.0
   */
  static readonly layer = Constructors.layer
  /**
   * A layer from the environment, as `ChatV2UserApi.layerConfig`, with `TWILIO_CONVERSATIONS_BASE_URL` (instead of
   * `TWILIO_CHAT_BASE_URL`) overriding the host.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi } from "@effect-twilio/chat"
   * import { FetchHttpClient } from "@effect/platform"
   * import * as Layer from "effect/Layer"
   *
   * const ConversationsLive = ConversationsV1UserApi.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.2.0
   */
  static readonly layerConfig = Constructors.layerConfig
  /**
   * The service of the context with users whose `attributes` are decoded with `schema` on every read (a mismatch
   * fails with `AttributesMismatch`) and encoded with it on every write, so a wrongly typed write does not compile.
   *
   * @example
   * ```ts
   * import { ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String, level: Schema.optional(Schema.Number) })
   *
   * const program = Effect.gen(function*() {
   *   const users = yield* ConversationsV1UserApi.withAttributes(Profile)
   *   const alice = yield* users.fetchUser(DefaultService, "alice")
   *   return alice.attributes.team
   * })
   * ```
   * @since 0.2.0
   */
  static readonly withAttributes = <A, I extends AttributesJson>(
    schema: Schema.Schema<A, I>
  ): Effect.Effect<
    TypedUserApi<ConversationsV1User, ConversationsV1ListUserResponse, A, string | DefaultService, DeleteUserOptions>,
    never,
    ConversationsV1UserApi
  > => Typed.fromService(ConversationsV1UserApi, CONVERSATIONS_V1.name, schema)
}
