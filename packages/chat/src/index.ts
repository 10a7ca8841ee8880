/**
 * `@effect-twilio/chat`: an Effect-native client for the Twilio Chat V2 and Conversations v1 User APIs.
 *
 * @since 0.1.0
 */

/**
 * The tagged errors of the client and their unions.
 *
 * @since 0.1.0
 */
export * from "./ChatError.js"

/**
 * The models: a Chat V2 user, a page of users and its paging metadata, as `Schema` classes.
 *
 * @since 0.1.0
 */
export * from "./ChatV2ServiceUser.js"

/**
 * The `ChatV2UserApi` service, its options and layers.
 *
 * @since 0.1.0
 */
export * from "./ChatV2UserApi.js"

/**
 * The models of Conversations v1: a user and a page of users, as `Schema` classes, and `DefaultService`.
 *
 * @since 0.2.0
 */
export * from "./ConversationsV1User.js"

/**
 * The `ConversationsV1UserApi` service, its options and layers.
 *
 * @since 0.2.0
 */
export * from "./ConversationsV1UserApi.js"

/**
 * Users with typed attributes: `TypedUserApi`, `WithAttributes` and the options of typed writes.
 *
 * @since 0.2.0
 */
export * from "./TypedUserApi.js"

/**
 * The options of the operations.
 *
 * @since 0.1.0
 */
export * from "./UserOptions.js"

/**
 * How an HTTP layer offers the client a whole exchange in one step (used by `@effect-twilio/http-undici`).
 *
 * @since 0.1.0
 */
export * as ChatTransport from "./ChatTransport.js"

/**
 * The configuration of the client.
 *
 * @since 0.1.0
 */
export * from "./TwilioConfig.js"
