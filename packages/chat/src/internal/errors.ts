/**
 * The error mapping, in one place: an HTTP answer or a failed attempt becomes one of the tagged errors, with the
 * operation, the attempt count and a message scrubbed of the credentials.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import {
  AuthenticationFailed,
  RateLimited,
  TransportError,
  TwilioApiError,
  UnexpectedResponse,
  UserAlreadyExists,
  UserNotFound
} from "../ChatError.js"
import type { AnswerHeaders } from "../ChatTransport.js"
import type { Redactor } from "./redact.js"

/** What the mapping knows of the call that failed: its name, how many attempts were made, and what to scrub. */
export interface CallContext {
  readonly operation: string
  readonly attempts: number
  readonly redact: Redactor
}

/** An HTTP answer, read whole within the attempt's timeout. */
export interface Answer {
  readonly status: number
  readonly headers: AnswerHeaders
  readonly text: string
}

interface ErrorBody {
  readonly code: number | null
  readonly message: string
  readonly moreInfo: string | null
}

const MAX_QUOTED = 200
const MAX_FIELD = 2000

const attemptsText = (n: number) => n === 1 ? "after 1 attempt" : `after ${n} attempts`

/** Reads Twilio's `{code, message, more_info, status}`; a proxy's HTML or an empty body still gives a message. */
export const parseErrorBody = (text: string, redact: Redactor): ErrorBody => {
  let parsed: unknown
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  // Scrub before cutting: a cut through an echoed secret would leave a piece of it that no longer matches.
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>
    return {
      code: typeof o.code === "number" && Number.isFinite(o.code) ? o.code : null,
      message: typeof o.message === "string" ? redact(o.message).slice(0, MAX_FIELD) : "",
      moreInfo: typeof o.more_info === "string" ? redact(o.more_info).slice(0, MAX_FIELD) : null
    }
  }
  return { code: null, message: redact(text).replace(/\s+/g, " ").trim().slice(0, MAX_QUOTED), moreInfo: null }
}

/**
 * An HTTP date starts with the day of the week (`Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete RFC 850 and asctime
 * forms). `Date.parse` alone would read far more, such as `-5` as the year -5, making a retry immediate.
 */
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i

/** `Retry-After` as seconds or an HTTP date, relative to `nowMillis`; `undefined` when absent or unreadable. */
export const parseRetryAfter = (
  header: string | ReadonlyArray<string> | undefined,
  nowMillis: number
): Duration.Duration | undefined => {
  const value = typeof header === "string" ? header : header?.[0]
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  if (!HTTP_DATE.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Duration.millis(Math.max(0, at - nowMillis))
}

/** The fields of an error answered by Twilio: `ChatV2UserApi.fetchUser: HTTP 401 (20003) after 1 attempt: ...`. */
const apiFields = (answer: Answer, call: CallContext) => {
  const body = parseErrorBody(answer.text, call.redact)
  const code = body.code === null ? "" : ` (${body.code})`
  const said = body.message === "" ? "" : `: ${body.message}`
  return {
    status: answer.status,
    code: body.code,
    message: `${call.operation}: HTTP ${answer.status}${code} ${attemptsText(call.attempts)}${said}`,
    moreInfo: body.moreInfo,
    operation: call.operation,
    attempts: call.attempts
  }
}

/** An answer the client refuses to read or to use. */
export const unexpected = (status: number | null, detail: string, call: CallContext): UnexpectedResponse =>
  new UnexpectedResponse({
    status,
    message: `${call.operation}: ${status === null ? "" : `HTTP ${status} `}${attemptsText(call.attempts)}: ${
      call.redact(detail)
    }`,
    operation: call.operation,
    attempts: call.attempts
  })

/**
 * The error of a non-2xx answer that every operation shares: a redirect (never followed), 401, 429, and anything
 * else as `TwilioApiError`. `retryAfter` is the last `Retry-After` of a 429.
 */
export const commonError = (
  answer: Answer,
  call: CallContext,
  retryAfter: Duration.Duration | undefined
): AuthenticationFailed | RateLimited | TwilioApiError | UnexpectedResponse => {
  const status = answer.status
  if (status < 400) return unexpected(status, status >= 300 ? "a redirect, not followed" : "not an error", call)
  const fields = apiFields(answer, call)
  if (status === 401) return new AuthenticationFailed(fields)
  if (status === 429) return new RateLimited(retryAfter === undefined ? fields : { ...fields, retryAfter })
  return new TwilioApiError(fields)
}

/** Fetch, update and delete: a 404 means the user (or its service) does not exist. */
export const userError = (answer: Answer, call: CallContext, retryAfter: Duration.Duration | undefined) =>
  answer.status === 404 ? new UserNotFound(apiFields(answer, call)) : commonError(answer, call, retryAfter)

/** Create: a 409 (or Twilio's code 50201) means the identity is taken. */
export const createError = (answer: Answer, call: CallContext, retryAfter: Duration.Duration | undefined) => {
  const error = commonError(answer, call, retryAfter)
  return error._tag === "TwilioApiError" && (error.status === 409 || error.code === 50201)
    ? new UserAlreadyExists(apiFields(answer, call))
    : error
}

/** The attempt outlived its timeout and was aborted. */
export const timedOut = (timeoutMillis: number, call: CallContext): TransportError =>
  new TransportError({
    reason: "Timeout",
    message: `${call.operation}: timed out (no whole answer within ${timeoutMillis} ms) ${attemptsText(call.attempts)}`,
    operation: call.operation,
    attempts: call.attempts
  })

/** No answer: the connection failed or broke. `cause` is the transport's error, kept in a sanitized copy. */
export const connectionFailed = (cause: unknown, notSent: boolean, call: CallContext): TransportError => {
  const sanitized = sanitizeCause(cause, call.redact, 0)
  return new TransportError({
    reason: "Connection",
    message: `${call.operation}: ${describe(sanitized)} ${attemptsText(call.attempts)}`,
    operation: call.operation,
    attempts: call.attempts,
    notSent,
    cause: sanitized
  })
}

/** What is kept of a transport error: its name, message and code, and its own cause, scrubbed. */
export interface SanitizedCause {
  readonly name: string
  readonly message: string
  readonly code?: string | undefined
  readonly cause?: SanitizedCause | undefined
}

const sanitizeCause = (cause: unknown, redact: Redactor, depth: number): SanitizedCause | undefined => {
  if (typeof cause !== "object" || cause === null || depth >= 5) return undefined
  const c = cause as { readonly _tag?: unknown; readonly reason?: unknown; readonly cause?: unknown }
  // The platform's RequestError / ResponseError hold the request (and so its headers): keep only their reason.
  if (c._tag === "RequestError" || c._tag === "ResponseError") {
    return {
      name: c._tag,
      message: typeof c.reason === "string" ? c.reason : "",
      cause: sanitizeCause(c.cause, redact, depth + 1)
    }
  }
  const e = cause as { readonly name?: unknown; readonly message?: unknown; readonly code?: unknown }
  return {
    name: typeof e.name === "string" ? e.name : "Error",
    message: typeof e.message === "string" ? redact(e.message).slice(0, 500) : "",
    code: typeof e.code === "string" ? e.code.slice(0, 100) : undefined,
    cause: sanitizeCause(c.cause, redact, depth + 1)
  }
}

/** The innermost useful words of a cause chain: `connect ECONNREFUSED 127.0.0.1:4010 (ECONNREFUSED)`. */
const describe = (cause: SanitizedCause | undefined): string => {
  let message = ""
  let code: string | undefined
  for (let c = cause; c !== undefined; c = c.cause) {
    if (c.message !== "" && c.name !== "RequestError" && c.name !== "ResponseError") message = c.message
    if (c.code !== undefined) code = c.code
  }
  if (message === "") return code === undefined ? "connection failed" : `connection failed (${code})`
  return code === undefined || message.includes(code) ? message : `${message} (${code})`
}

/** The errors any attempt can end in, whatever the operation. */
export type AttemptError = TransportError | UnexpectedResponse

/** A `next_page_url` the client will not follow; nothing was sent. */
export const refusedNextPage = (operation: string, reason: string): UnexpectedResponse =>
  new UnexpectedResponse({
    status: null,
    message: `${operation}: ${reason}; not followed`,
    operation,
    attempts: 0
  })
