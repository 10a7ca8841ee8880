/**
 * `@effect-twilio/http-node`: an `HttpClient` layer for Node over `node:http` and `node:https`.
 *
 * @since 0.1.0
 */

/**
 * The `HttpClient` over `node:http` and `node:https`: `layer`, `layerWith(options)` and `make(options)`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect-twilio/http-node"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 *
 * const status = Effect.flatMap(HttpClient.HttpClient, (client) => client.get("http://127.0.0.1:8080/")).pipe(
 *   Effect.map((response) => response.status),
 *   Effect.provide(NodeHttpClient.layer)
 * )
 * ```
 * @since 0.1.0
 * @category modules
 */
export * as NodeHttpClient from "./NodeHttpClient.js"

/**
 * The options of `NodeHttpClient.make` and `NodeHttpClient.layerWith`.
 *
 * @since 0.1.0
 * @category models
 */
export type { NodeHttpClientOptions } from "./NodeHttpClient.js"
