/**
 * `@effect-twilio/chat`: an Effect-native client for the Twilio Chat V2 User API.
 *
 * @since 0.1.0
 */

/**
 * The tagged errors of the client and their unions.
 *
 * @since 0.1.0
 */
export * from "./ChatError.js"

export {
  /**
   * A Chat V2 user, with camelCase fields.
   *
   * @since 0.1.0
   */
  ChatV2ServiceUser,
  /**
   * Decodes a page of users fast, with the Schema's result.
   *
   * @since 0.1.0
   */
  decodeListUserResponse,
  /**
   * The outcome of a decode.
   *
   * @since 0.1.0
   */
  type DecodeResult,
  /**
   * Decodes a user fast, with the Schema's result.
   *
   * @since 0.1.0
   */
  decodeUser,
  /**
   * The paging metadata of a list answer.
   *
   * @since 0.1.0
   */
  ListUserMeta,
  /**
   * One page of users.
   *
   * @since 0.1.0
   */
  ListUserResponse
} from "./ChatV2ServiceUser.js"

/**
 * The `ChatV2UserApi` service, its options and layers.
 *
 * @since 0.1.0
 */
export * from "./ChatV2UserApi.js"

/**
 * The configuration of the client.
 *
 * @since 0.1.0
 */
export * from "./TwilioConfig.js"
