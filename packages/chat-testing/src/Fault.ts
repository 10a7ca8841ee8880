/**
 * Faults the fake Twilio answers with instead of (or on top of) its normal behaviour: error statuses with Twilio's
 * error body, `Retry-After`, delays, bodies that are not JSON, a proxy's HTML page, truncated bodies, a
 * `next_page_url` on another host and reset connections.
 *
 * Script them per operation with `FakeTwilioChat.injectFaults`: each request of that operation takes the next
 * fault of the queue; once the queue is empty, requests are answered normally.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"

/**
 * One scripted fault.
 *
 * - `Pass`: answer normally (a placeholder in a script: "fail the 1st and 3rd call").
 * - `Status`: answer `status` with Twilio's error body `{code, message, more_info, status}`, without processing.
 * - `Delay`: wait `duration` on Effect's `Clock` (`TestClock` in `it.effect`), then apply `then`.
 * - `NotJson`: answer `status` with a `text/plain` body that is not JSON, without processing.
 * - `HtmlBadGateway`: answer 502 with a proxy's HTML page, without processing.
 * - `Truncated`: process the request, then send only half of the body (a `Content-Length` larger than what is sent,
 *   then the connection is closed). An empty body (delete's 204) is cut as a `Reset` after processing.
 * - `ForeignNextPage`: process a list request, then point `meta.next_page_url` at `origin` (another host).
 * - `Reset`: reset the connection, before processing the request or (`afterProcessing`) after it: the answer is lost.
 * - `StalledBody`: process the request, send the headers and half of the body, then nothing: the connection stays
 *   open until the client gives up. An empty body (delete's 204) is never answered at all.
 * - `Enormous`: process the request, then follow the body with `bytes` spaces (still valid JSON), streamed in
 *   chunks, without a `Content-Length` unless `contentLength`. An empty body (delete's 204) is left alone.
 * - `Json`: answer `status` with `body` as `application/json`, without processing.
 * - `Redirect`: answer a 3xx with `Location: location`, without processing.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const script: ReadonlyArray<Fault.Fault> = [Fault.rateLimited({ retryAfter: 2 }), Fault.pass, Fault.status(503)]
 * ```
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | { readonly _tag: "Pass" }
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly code: number | null
    readonly message: string
    readonly retryAfter: string | undefined
  }
  | { readonly _tag: "Delay"; readonly duration: Duration.Duration; readonly then: Fault }
  | { readonly _tag: "NotJson"; readonly status: number; readonly body: string }
  | { readonly _tag: "HtmlBadGateway" }
  | { readonly _tag: "Truncated" }
  | { readonly _tag: "ForeignNextPage"; readonly origin: string }
  | { readonly _tag: "Reset"; readonly afterProcessing: boolean }
  | { readonly _tag: "StalledBody" }
  | { readonly _tag: "Enormous"; readonly bytes: number; readonly contentLength: boolean }
  | { readonly _tag: "Json"; readonly status: number; readonly body: string }
  | { readonly _tag: "Redirect"; readonly status: number; readonly location: string }

/**
 * Answer normally: a placeholder in a script.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * // the 2nd call fails, the 1st and 3rd do not
 * const script = [Fault.pass, Fault.status(500), Fault.pass]
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const pass: Fault = { _tag: "Pass" }

const DEFAULT_CODES: Readonly<Record<number, number>> = {
  400: 20001,
  401: 20003,
  403: 20403,
  404: 20404,
  405: 20004,
  409: 50201,
  429: 20429,
  500: 20500,
  503: 20503
}

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: "Invalid parameter",
  401: "Authenticate",
  403: "Forbidden",
  404: "The requested resource was not found",
  409: "User already exists",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * Answer `status` with Twilio's error body, without processing the request. `code` defaults to Twilio's code for
 * the status (20429 for 429, 20500 for 500, 20503 for 503, ...); `null` leaves `code` and `more_info` out, as
 * some Twilio answers do. `retryAfter` (seconds, or an HTTP date) is sent as `Retry-After`.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const unavailable = Fault.status(503, { retryAfter: 1 })
 * const forbidden = Fault.status(403, { code: 50205, message: "User not allowed to set role" })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const status = (
  status: number,
  options?: {
    /** Twilio's error code; `null` for none. Default: Twilio's code for `status`, if it has one. */
    readonly code?: number | null | undefined
    /** The error message. Default: the status's reason phrase. */
    readonly message?: string | undefined
    /** Sent as `Retry-After`: seconds, or an HTTP date. Default: no header. */
    readonly retryAfter?: number | string | undefined
  }
): Fault => ({
  _tag: "Status",
  status,
  code: options?.code === undefined ? DEFAULT_CODES[status] ?? null : options.code,
  message: options?.message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`,
  retryAfter: options?.retryAfter === undefined ? undefined : String(options.retryAfter)
})

/**
 * Answer 429 with Twilio's error 20429 (the request was not processed), optionally with `Retry-After`.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const slowDown = Fault.rateLimited({ retryAfter: 3 })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const rateLimited = (options?: {
  /** Sent as `Retry-After`: seconds, or an HTTP date. Default: no header. */
  readonly retryAfter?: number | string | undefined
}): Fault => status(429, { retryAfter: options?.retryAfter })

/**
 * Wait `duration` on Effect's `Clock`, then apply `then` (default: answer normally). In memory, `TestClock`
 * controls the wait; a request interrupted meanwhile (say, by the client's timeout) is never processed.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const slow = Fault.delay("40 seconds")
 * const slowThenFailing = Fault.delay("2 seconds", Fault.status(500))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const delay = (duration: Duration.DurationInput, then: Fault = pass): Fault => ({
  _tag: "Delay",
  duration: Duration.decode(duration),
  then
})

/**
 * Answer with a `text/plain` body that is not JSON (default: 200 `"OK"`), without processing the request.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const garbage = Fault.notJson({ body: "<<binary>>" })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const notJson = (options?: {
  /** The status. Default 200. */
  readonly status?: number | undefined
  /** The body. Default `"OK"`. */
  readonly body?: string | undefined
}): Fault => ({ _tag: "NotJson", status: options?.status ?? 200, body: options?.body ?? "OK" })

/**
 * Answer 502 with the HTML page a proxy or load balancer sends, without processing the request.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const proxyDown = [Fault.htmlBadGateway, Fault.htmlBadGateway]
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const htmlBadGateway: Fault = { _tag: "HtmlBadGateway" }

/**
 * Process the request, then send half of the body and close the connection (the `Content-Length` announces it
 * whole). The state has changed, but the client reads a broken body.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const cut = Fault.truncated
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const truncated: Fault = { _tag: "Truncated" }

/**
 * Process a list request, then point `meta.next_page_url` at another origin (default `https://evil.example.com`),
 * as a compromised or misconfigured proxy might. A client must not send its credentials there.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const phishing = Fault.foreignNextPage("https://attacker.example")
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const foreignNextPage = (origin = "https://evil.example.com"): Fault => ({
  _tag: "ForeignNextPage",
  origin: new URL(origin).origin
})

/**
 * Reset the connection. By default before the request is processed (nothing changed); with `afterProcessing` the
 * request takes effect and only the answer is lost, as when a connection drops on the way back. In memory the
 * client's `HttpClient` fails with a transport error; the emulator resets the TCP connection.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const lostAnswer = Fault.reset({ afterProcessing: true })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const reset = (options?: {
  /** Process the request first, then drop the answer. Default `false`. */
  readonly afterProcessing?: boolean | undefined
}): Fault => ({ _tag: "Reset", afterProcessing: options?.afterProcessing ?? false })

/**
 * Process the request, send the headers and half of the body, then nothing: the connection stays open until the
 * client gives up (its timeout). The state has changed, but no answer completes. A request whose answer has no body
 * (delete's 204) is processed and never answered at all.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const hung = Fault.stalledBody
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const stalledBody: Fault = { _tag: "StalledBody" }

/**
 * Process the request, then follow its JSON body with `bytes` spaces (default 64 MiB; the answer stays valid
 * JSON), streamed in chunks as the client reads them. Without `contentLength` (the default) no `Content-Length` is
 * sent (a chunked answer); with it, the header announces the whole size. An answer without a body is left alone.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const flood = Fault.enormous({ bytes: 256 * 1024 * 1024 })
 * const announced = Fault.enormous({ contentLength: true })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const enormous = (options?: {
  /** How many bytes of padding follow the body. Default 64 MiB. */
  readonly bytes?: number | undefined
  /** Announce the whole size in `Content-Length`. Default `false`: no `Content-Length`. */
  readonly contentLength?: boolean | undefined
}): Fault => ({
  _tag: "Enormous",
  bytes: options?.bytes ?? 64 * 1024 * 1024,
  contentLength: options?.contentLength ?? false
})

/**
 * Answer `status` (default 200) with `body` as `application/json`, without processing the request: a value is
 * serialized, a string is sent as is (JSON nested a million deep, say). For answers that look right but are not.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const incomplete = Fault.json({ sid: "US00000000000000000000000000000000" })
 * const deep = Fault.json("[".repeat(1_000_000) + "]".repeat(1_000_000))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const json = (body: unknown, options?: {
  /** The status. Default 200. */
  readonly status?: number | undefined
}): Fault => ({
  _tag: "Json",
  status: options?.status ?? 200,
  body: typeof body === "string" ? body : JSON.stringify(body)
})

/**
 * Answer a redirect (default 302) to `location`, without processing the request. A client must not follow it with
 * its credentials.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-twilio/chat-testing"
 *
 * const elsewhere = Fault.redirect("https://evil.example.com/v2/Services", { status: 307 })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const redirect = (location: string, options?: {
  /** A 3xx status. Default 302. */
  readonly status?: number | undefined
}): Fault => ({ _tag: "Redirect", status: options?.status ?? 302, location })
