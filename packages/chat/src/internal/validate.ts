/**
 * Validation of arguments before anything is sent. Each check returns the error, or `undefined` when the value
 * is fine, so the hot path pays no allocation for valid input.
 *
 * @internal
 */
import { InvalidRequest } from "../ChatError.js"

const SERVICE_SID = /^IS[0-9a-fA-F]{32}$/
const ROLE_SID = /^RL[0-9a-fA-F]{32}$/

/** Twilio documents 16 KiB for `attributes` (Conversations, the same backend). */
export const MAX_ATTRIBUTES_BYTES = 16 * 1024

const fail = (field: string, message: string) => new InvalidRequest({ field, message })

/** A lone UTF-16 surrogate: no UTF-8 (so no URL or form encoding) exists for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const illFormed = (field: string) => fail(field, "Expected well-formed Unicode text (it holds a lone surrogate)")

export const serviceSid = (value: unknown): InvalidRequest | undefined =>
  typeof value === "string" && SERVICE_SID.test(value)
    ? undefined
    : fail("serviceSid", "Expected a Chat Service SID: IS followed by 32 hex digits")

export const roleSid = (value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "string" && ROLE_SID.test(value))
    ? undefined
    : fail("options.roleSid", "Expected a Role SID: RL followed by 32 hex digits")

/** A user SID or identity used as a path segment. */
export const userSid = (value: unknown): InvalidRequest | undefined => {
  if (typeof value !== "string" || value.length === 0) {
    return fail("sid", "Expected a user SID or identity (a non-empty string)")
  }
  if (LONE_SURROGATE.test(value)) return illFormed("sid")
  if (value === "." || value === "..") {
    return fail("sid", "The identities \".\" and \"..\" cannot be addressed in a URL path: use the user's SID")
  }
  return undefined
}

export const identity = (value: unknown): InvalidRequest | undefined =>
  typeof value === "string" && value.length > 0
    ? LONE_SURROGATE.test(value) ? illFormed("identity") : undefined
    : fail("identity", "Expected a non-empty identity")

export const optionalString = (field: string, value: unknown): InvalidRequest | undefined =>
  value === undefined
    ? undefined
    : typeof value !== "string"
    ? fail(field, "Expected a string")
    : LONE_SURROGATE.test(value)
    ? illFormed(field)
    : undefined

/** The options argument: absent, or an object. A string, a number, `null` or an array there is a mistake. */
export const options = (value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))
    ? undefined
    : fail("options", "Expected an options object, or nothing")

export const webhookEnabled = (value: unknown): InvalidRequest | undefined =>
  value === undefined || value === "true" || value === "false"
    ? undefined
    : fail("options.xTwilioWebhookEnabled", "Expected \"true\" or \"false\"")

export const pageSize = (field: string, value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 100)
    ? undefined
    : fail(field, "Expected a whole number from 1 to 100")

export const page = (value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
    ? undefined
    : fail("options.page", "Expected a whole number >= 0")

export const pageToken = (value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "string" && value.length > 0 && !LONE_SURROGATE.test(value))
    ? undefined
    : fail("options.pageToken", "Expected a non-empty page token from a previous page")

export const limit = (value: unknown): InvalidRequest | undefined =>
  value === undefined || (typeof value === "number" && Number.isInteger(value) && value >= 1)
    ? undefined
    : fail("options.limit", "Expected a whole number >= 1")

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const utf8Length = (s: string): number => {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/**
 * Turns `attributes` into the JSON text Twilio stores. It must be a plain JSON object whose values are JSON
 * (strings, finite numbers, booleans, null, arrays, plain objects): anything `JSON.stringify` would silently drop
 * or alter (functions, symbols, `NaN`, `Date`, class instances, `undefined` in arrays) is refused, as are cycles,
 * `BigInt`s and a text over 16 KiB. Object properties whose value is `undefined` are left out, as in JSON.
 */
export const attributesJson = (value: unknown): { readonly json: string } | InvalidRequest | undefined => {
  if (value === undefined) return undefined
  const field = "options.attributes"
  if (!isPlainObject(value)) return fail(field, "Expected a JSON object")
  let problem: string | undefined
  let json: string
  try {
    json = JSON.stringify(value, function(this: unknown, key: string, v: unknown) {
      if (problem !== undefined) return undefined
      const holder = this as Record<string, unknown>
      const raw = holder[key]
      switch (typeof raw) {
        case "string":
        case "boolean":
          return v
        case "number":
          if (!Number.isFinite(raw)) problem = `${JSON.stringify(key)} is not a finite number`
          return v
        case "undefined":
          if (Array.isArray(holder)) problem = "an array holds undefined"
          return v
        case "object":
          if (raw !== null && !Array.isArray(raw) && !isPlainObject(raw)) {
            problem = `${JSON.stringify(key)} is not a plain object`
          }
          return v
        default:
          problem = `${JSON.stringify(key)} holds a ${typeof raw}, which JSON cannot carry`
          return undefined
      }
    })
  } catch (e) {
    return fail(field, `Not serializable as JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (problem !== undefined) return fail(field, `Not a JSON value: ${problem}`)
  const bytes = utf8Length(json)
  if (bytes > MAX_ATTRIBUTES_BYTES) {
    return fail(field, `The JSON text is ${bytes} bytes; Twilio accepts at most ${MAX_ATTRIBUTES_BYTES}`)
  }
  return { json }
}
