/**
 * `@effect-twilio/chat-testing`: an in-memory Twilio Chat V2 that behaves like the real one, for testing programs
 * that use `ChatV2UserApi`, and the same fake served over HTTP for any Twilio client.
 *
 * @since 0.1.0
 */

/**
 * `ChatTest.layer()`: the real `ChatV2UserApi` over the in-memory fake, and `FakeTwilioChat` to control it.
 *
 * @example
 * ```ts
 * import { ChatTest } from "@effect-twilio/chat-testing"
 *
 * const TestLayer = ChatTest.layer({ seedUsers: 10 })
 * ```
 * @since 0.1.0
 * @category layers
 */
export * as ChatTest from "./ChatTest.js"
export type {
  /**
   * The options of `ChatTest.layer`: the fake's, plus `client` (options of `ChatV2UserApi.layer`).
   *
   * @since 0.1.0
   */
  ChatTestOptions
} from "./ChatTest.js"

/**
 * The emulator: the fake served over real HTTP on 127.0.0.1.
 *
 * @since 0.1.0
 */
export * from "./Emulator.js"

/**
 * The in-memory fake of Twilio Chat V2 and its control API.
 *
 * @since 0.1.0
 */
export * from "./FakeTwilioChat.js"

/**
 * Constructors of the faults the fake can be scripted with (`Fault.status(503)`, `Fault.delay("5 seconds")`, ...).
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const script = [Fault.rateLimited({ retryAfter: 1 }), Fault.pass]
 * ```
 * @since 0.1.0
 * @category faults
 */
export * as Fault from "./Fault.js"
