/**
 * `@effect-twilio/http-undici`: an `HttpClient` layer for Node built on `undici`.
 *
 * @since 0.1.0
 */

/**
 * The undici-based `HttpClient`: `UndiciHttpClient.layer`, `UndiciHttpClient.layerWith(options)`,
 * `UndiciHttpClient.make(dispatcher)`.
 *
 * @example
 * ```ts
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Layer from "effect/Layer"
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"

export type {
  /**
   * The options of `UndiciHttpClient.layerWith`.
   *
   * @since 0.1.0
   */
  UndiciHttpClientOptions
} from "./UndiciHttpClient.js"
