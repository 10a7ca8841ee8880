/**
 * The options of the operations, shared by `ChatV2UserApi` and `ConversationsV1UserApi`.
 *
 * @since 0.1.0
 */

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
export interface UserWriteOptions {
  /**
   * A JSON object; the client sends its JSON text (at most 16 KiB) and you read the same value back. Anything JSON
   * would change or drop (`toJSON`, functions, `undefined` in arrays, `NaN`, `BigInt`, cycles, class instances) is
   * refused with `InvalidRequest`.
   */
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
export interface ListUserOptions {
  /** How many users per page: 1..100 on Chat V2, 1..50 on Conversations. Twilio's default is 50. */
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
export interface StreamUsersOptions {
  /**
   * How many users per request: 1..100 on Chat V2, 1..50 on Conversations. Default the API's maximum (or `limit`,
   * when smaller).
   */
  readonly pageSize?: number | undefined
  /** Stop after this many users (at least 1); no further page is requested. */
  readonly limit?: number | undefined
}

/**
 * The options of `ConversationsV1UserApi.deleteUser` (Chat V2's delete takes none).
 *
 * @example
 * ```ts
 * import type { DeleteUserOptions } from "@effect-twilio/chat"
 *
 * const options: DeleteUserOptions = { xTwilioWebhookEnabled: "true" }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface DeleteUserOptions {
  /** Sent as `X-Twilio-Webhook-Enabled`: `"true"` makes Twilio fire the service's post-event webhooks. */
  readonly xTwilioWebhookEnabled?: "true" | "false" | undefined
}
