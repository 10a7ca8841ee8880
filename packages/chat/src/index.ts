/**
 * `@effect-twilio/chat`: an Effect-native client for the Twilio Chat V2 User API.
 *
 * @since 0.1.0
 */
export * from "./ChatError.js"
export {
  ChatV2ServiceUser,
  decodeListUserResponse,
  type DecodeResult,
  decodeUser,
  ListUserMeta,
  ListUserResponse
} from "./ChatV2ServiceUser.js"
export * from "./ChatV2UserApi.js"
export * from "./TwilioConfig.js"
