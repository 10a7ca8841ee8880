/**
 * The Chat V2 User API as an Effect service.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Internal from "./internal/client.js"
import type { ChatV2UserApiOptions } from "./TwilioConfig.js"
import { optionsFromConfig, resolveOptions } from "./TwilioConfig.js"

/**
 * The options of `createUser` and `updateUser`. Unset options are not sent.
 *
 * @example
 * ```ts
 * import type { UserWriteOptions } from "@effect-twilio/chat"
 *
 * const options: UserWriteOptions = {
 *   attributes: { team: "blue", level: 3 },
 *   friendlyName: "Alice",
 *   xTwilioWebhookEnabled: "true"
 * }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface UserWriteOptions extends Internal.UserWriteOptions {
  /** A JSON object; the client sends its JSON text (at most 16 KiB) and you read the same value back. */
  readonly attributes?: Readonly<Record<string, unknown>> | undefined
  /** A display name. */
  readonly friendlyName?: string | undefined
  /** The SID of the role to assign, `RL` + 32 hex digits. */
  readonly roleSid?: string | undefined
  /** Sent as `X-Twilio-Webhook-Enabled`: `"true"` makes Twilio fire the service's post-event webhooks. */
  readonly xTwilioWebhookEnabled?: "true" | "false" | undefined
}

/**
 * The options of `listUser`: one page.
 *
 * @example
 * ```ts
 * import type { ListUserOptions } from "@effect-twilio/chat"
 *
 * const options: ListUserOptions = { pageSize: 100 }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ListUserOptions extends Internal.ListOptions {
  /** How many users per page, 1..100. Twilio's default is 50. */
  readonly pageSize?: number | undefined
  /** The page index: client state only, echoed in `meta.page`. */
  readonly page?: number | undefined
  /** The opaque page token from a previous page's URLs. Prefer `nextPage`, which follows `nextPageUrl`. */
  readonly pageToken?: string | undefined
}

/**
 * The options of `streamUsers`.
 *
 * @example
 * ```ts
 * import type { StreamUsersOptions } from "@effect-twilio/chat"
 *
 * const firstThousand: StreamUsersOptions = { limit: 1000 }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface StreamUsersOptions extends Internal.StreamOptions {
  /** How many users per request, 1..100. Default 100 (or `limit`, when smaller). */
  readonly pageSize?: number | undefined
  /** Stop after this many users (at least 1); no further page is requested. */
  readonly limit?: number | undefined
}

/**
 * The operations of the service. Every operation validates its arguments before sending anything (failing with
 * `InvalidRequest`), and its error type names exactly the errors it can fail with.
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
export interface ChatV2UserApiService extends Internal.Service {}

const make = (
  options: ChatV2UserApiOptions
): Effect.Effect<ChatV2UserApiService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    resolveOptions(options),
    (resolved) => Effect.flatMap(HttpClient.HttpClient, (client) => Internal.make(resolved, client))
  )

const layer = (
  options: ChatV2UserApiOptions
): Layer.Layer<ChatV2UserApi, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(ChatV2UserApi, make(options))

const layerConfig = (
  options?: ChatV2UserApiOptions
): Layer.Layer<ChatV2UserApi, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(ChatV2UserApi, Effect.flatMap(optionsFromConfig(options), make))

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
   * Builds the service from options, with the `HttpClient` of the context.
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
  static readonly make = make
  /**
   * A layer from options. Fails with a `ConfigError` for missing or malformed credentials, a non-https base URL
   * and the like.
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
  static readonly layer = layer
  /**
   * A layer from the environment: `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` or `TWILIO_API_KEY` +
   * `TWILIO_API_SECRET`, and `TWILIO_REGION`, `TWILIO_EDGE`, `TWILIO_CHAT_BASE_URL`; `options` win over them.
   * Missing credentials fail with a `ConfigError` naming the variables.
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
  static readonly layerConfig = layerConfig
}
