/**
 * `@effect-twilio/http-undici`: an `HttpClient` layer for Node built on `undici`.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
export type { UndiciHttpClientOptions } from "./UndiciHttpClient.js"
