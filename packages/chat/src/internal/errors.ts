/**
 * The error mapping, in one place: an HTTP answer or a transport failure becomes one of the tagged errors.
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

/** What an operation makes of a 404 and a 409. */
export interface ErrorMapping {
  /** 404 means the user does not exist (fetch, update, delete); otherwise it is a `TwilioApiError`. */
  readonly notFoundIsUser: boolean
  /** 409 (or code 50201) means the identity is taken (create). */
  readonly conflictIsUser: boolean
}

interface ErrorBody {
  readonly code: number | null
  readonly message: string
  readonly moreInfo: string | null
}

const MAX_QUOTED = 200

/** Reads Twilio's `{code, message, more_info, status}`; a proxy's HTML or an empty body still gives a message. */
export const parseErrorBody = (status: number, text: string): ErrorBody => {
  let parsed: unknown
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>
    return {
      code: typeof o.code === "number" && Number.isFinite(o.code) ? o.code : null,
      message: typeof o.message === "string" ? o.message.slice(0, 2000) : `HTTP ${status}`,
      moreInfo: typeof o.more_info === "string" ? o.more_info.slice(0, 2000) : null
    }
  }
  const snippet = text.replace(/\s+/g, " ").trim().slice(0, MAX_QUOTED)
  return { code: null, message: snippet.length > 0 ? `HTTP ${status}: ${snippet}` : `HTTP ${status}`, moreInfo: null }
}

/**
 * An HTTP date starts with the day of the week (`Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete RFC 850 and asctime
 * forms). `Date.parse` alone would read far more, such as `-5` as the year -5, making a retry immediate.
 */
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i

/** `Retry-After` as seconds or an HTTP date, relative to `nowMillis`; `undefined` when absent or unreadable. */
export const parseRetryAfter = (value: string | undefined, nowMillis: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  if (!HTTP_DATE.test(trimmed)) return undefined
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Duration.millis(Math.max(0, at - nowMillis))
}

/** The error for a non-2xx answer. */
export const fromStatus = (
  status: number,
  text: string,
  mapping: ErrorMapping,
  retryAfter: Duration.Duration | undefined
) => {
  if (status >= 300 && status < 400) {
    return new UnexpectedResponse({ status, message: `Redirect (HTTP ${status}) not followed` })
  }
  const body = parseErrorBody(status, text)
  const fields = { status, code: body.code, message: body.message, moreInfo: body.moreInfo }
  if (status === 401) return new AuthenticationFailed(fields)
  if (status === 429) return new RateLimited(retryAfter === undefined ? fields : { ...fields, retryAfter })
  if (status === 404 && mapping.notFoundIsUser) return new UserNotFound(fields)
  if (mapping.conflictIsUser && (status === 409 || body.code === 50201)) return new UserAlreadyExists(fields)
  if (status < 400) return new UnexpectedResponse({ status, message: `Unexpected HTTP ${status}` })
  return new TwilioApiError(fields)
}

/** A failure to get an answer, described without the request (its headers hold the credentials). */
export const transport = (reason: "Timeout" | "Connection", operation: string, cause: unknown): TransportError => {
  if (reason === "Timeout") return new TransportError({ reason, message: `${operation}: the attempt timed out` })
  return new TransportError({ reason, message: `${operation}: ${describeCause(cause)}` })
}

const describeCause = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const c = current as { readonly message?: unknown; readonly code?: unknown; readonly cause?: unknown }
    const tag = (current as { readonly _tag?: unknown })._tag
    if (tag === "RequestError" || tag === "ResponseError") {
      const reason = (current as { readonly reason?: unknown }).reason
      if (typeof reason === "string") parts.push(reason)
    } else if (typeof c.message === "string" && c.message.length > 0) {
      parts.push(c.message)
    }
    if (typeof c.code === "string") parts.push(c.code)
    current = c.cause
  }
  return parts.length > 0 ? parts.join(": ").slice(0, 500) : "connection failed"
}

export const unexpected = (status: number | null, message: string) => new UnexpectedResponse({ status, message })
