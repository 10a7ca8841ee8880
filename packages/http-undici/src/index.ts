/**
 * `@effect-twilio/http-undici`: an `HttpClient` layer for Node built on `undici`.
 *
 * @since 0.1.0
 */

/**
 * The `HttpClient` over undici: `layer`, `layerWith(options)`, `make(dispatcher)` and `agentOptions(options)`.
 *
 * @example
 * ```ts
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 *
 * const status = Effect.flatMap(HttpClient.HttpClient, (client) => client.get("http://127.0.0.1:8080/")).pipe(
 *   Effect.map((response) => response.status),
 *   Effect.provide(UndiciHttpClient.layer)
 * )
 * ```
 * @since 0.1.0
 * @category modules
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * The options of `UndiciHttpClient.layerWith`.
 *
 * @since 0.1.0
 * @category models
 */
export type { UndiciHttpClientOptions } from "./UndiciHttpClient.js"
