/**
 * How an HTTP layer can offer the client a whole exchange in one step: send the request, read the body within a
 * byte limit and a deadline, and hand the text to the client's decoder inside the I/O callback. An `HttpClient`
 * that carries a `ChatTransport` (see {@link withTransport}) gets its calls made that way, with no fiber or timer
 * of Effect's per attempt; any other `HttpClient` goes through `execute` with the same limits, enforced by the
 * client.
 *
 * `@effect-twilio/http-undici`'s `UndiciHttpClient` carries one. The client uses it only on the live clock (on a
 * `TestClock`, timeouts must follow that clock) and only when no `transformClient` is set (whose decorations a
 * transport would bypass).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as Effect from "effect/Effect"

/**
 * The key under which an `HttpClient` carries its `ChatTransport`.
 *
 * @example
 * ```ts
 * import { ChatTransport } from "@effect-twilio/chat"
 *
 * console.log(typeof ChatTransport.TypeId) // "symbol"
 * ```
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@effect-twilio/chat/ChatTransport")

/**
 * The type of {@link TypeId}.
 *
 * @example
 * ```ts
 * import type { ChatTransport } from "@effect-twilio/chat"
 *
 * type Key = ChatTransport.TypeId
 * ```
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * The limits of one exchange.
 *
 * @example
 * ```ts
 * import type { ChatTransport } from "@effect-twilio/chat"
 *
 * const limits: ChatTransport.Limits = { timeoutMillis: 30_000, maxBodyBytes: 8 * 1024 * 1024 }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  /** From sending to the body's last byte; on expiry the request is aborted and the exchange fails with `Timeout`. */
  readonly timeoutMillis: number
  /** The most bytes of body read (after any content decoding); past it the request is aborted (`BodyRefused`). */
  readonly maxBodyBytes: number
}

/**
 * Why an exchange got no answer: the deadline passed, the connection failed (its `cause` as the HTTP stack gave
 * it), or the body was refused (announced or counted over the limit).
 *
 * @example
 * ```ts
 * import type { ChatTransport } from "@effect-twilio/chat"
 *
 * const timedOut: ChatTransport.Failure = { _tag: "Timeout" }
 * ```
 * @since 0.1.0
 * @category models
 */
export type Failure =
  | { readonly _tag: "Timeout" }
  | { readonly _tag: "Connection"; readonly cause: unknown }
  | { readonly _tag: "BodyRefused"; readonly status: number; readonly reason: string }

/**
 * The headers of an answer, lower-cased; a repeated header may be an array.
 *
 * @example
 * ```ts
 * import type { ChatTransport } from "@effect-twilio/chat"
 *
 * const headers: ChatTransport.AnswerHeaders = { "retry-after": "2" }
 * ```
 * @since 0.1.0
 * @category models
 */
export type AnswerHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * A transport: one exchange in one step. `onAnswer` is called once, with the status, the headers and the whole
 * body as text, inside the I/O callback; its result is the exchange's. Interruption aborts the request; so do the
 * deadline and a refused body. It must not follow redirects.
 *
 * @example
 * ```ts
 * import type { ChatTransport } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * // A transport that answers every request with an empty page (a sketch: real ones do I/O).
 * const canned: ChatTransport.ChatTransport = {
 *   exchange: (_request, _limits, onAnswer) => Effect.sync(() => onAnswer(200, {}, "{}"))
 * }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ChatTransport {
  readonly exchange: <A>(
    request: HttpClientRequest.HttpClientRequest,
    limits: Limits,
    onAnswer: (status: number, headers: AnswerHeaders, text: string) => A
  ) => Effect.Effect<A, Failure>
}

/**
 * Adds `transport` to `client` (and returns it), for the client to use instead of `execute`. Any decoration of it
 * (`HttpClient.mapRequest` and the like) builds a new `HttpClient` without it.
 *
 * @example
 * ```ts
 * import { ChatTransport } from "@effect-twilio/chat"
 * import type { HttpClient } from "@effect/platform"
 *
 * declare const transport: ChatTransport.ChatTransport
 * const fast = (client: HttpClient.HttpClient) => ChatTransport.withTransport(client, transport)
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const withTransport = <C extends HttpClient.HttpClient>(client: C, transport: ChatTransport): C =>
  Object.assign(client, { [TypeId]: transport })

/**
 * The transport `client` carries, if any.
 *
 * @example
 * ```ts
 * import { ChatTransport } from "@effect-twilio/chat"
 * import type { HttpClient } from "@effect/platform"
 *
 * const hasFastPath = (client: HttpClient.HttpClient) => ChatTransport.fromHttpClient(client) !== undefined
 * ```
 * @since 0.1.0
 * @category accessors
 */
export const fromHttpClient = (client: HttpClient.HttpClient): ChatTransport | undefined => {
  const transport = (client as { readonly [TypeId]?: unknown })[TypeId]
  return typeof transport === "object" && transport !== null &&
      typeof (transport as { readonly exchange?: unknown }).exchange === "function"
    ? transport as ChatTransport
    : undefined
}
