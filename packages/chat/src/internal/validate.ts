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

/** A page size: a whole number from 1 to `max` (100 on Chat V2, 50 on Conversations, as their specs say). */
export const pageSize = (field: string, value: unknown, max: number = 100): InvalidRequest | undefined =>
  value === undefined || (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max)
    ? undefined
    : fail(field, `Expected a whole number from 1 to ${max}`)

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

/** Deeper nesting is refused: 16 KiB leaves no use for it, and the bound keeps the walk's recursion shallow. */
export const MAX_ATTRIBUTES_DEPTH = 64

/**
 * The state of one walk: the containers being serialized (for cycles and depth), the keys to the current value,
 * the length of the text so far, and why the value was refused once it is.
 */
interface Walk {
  readonly stack: Array<object>
  readonly keys: Array<string | number>
  size: number
  refusal: string | undefined
}

/** Thrown to unwind the walk once `walk.refusal` is set; nothing else is ever inspected of what a walk throws. */
const REFUSED = Symbol("refused")

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

const segment = (key: string | number): string =>
  typeof key === "number"
    ? `[${key}]`
    : IDENTIFIER.test(key) && key.length <= 40
    ? `.${key}`
    : `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`

/** Where the walk is, as `options.attributes.a.list[2]`; a deep path keeps its first and last keys. */
const pathOf = (walk: Walk): string => {
  const keys = walk.keys
  const shown = keys.length > 12
    ? [...keys.slice(0, 8).map(segment), "…", ...keys.slice(-2).map(segment)]
    : keys.map(segment)
  return "options.attributes" + shown.join("")
}

/** What a non-plain object is, from its prototype's constructor, for the message. Never throws. */
const kindOf = (proto: object): string => {
  try {
    const name: unknown = (proto as { readonly constructor?: { readonly name?: unknown } }).constructor?.name
    if (typeof name === "string" && /^[A-Za-z_$][\w$]{0,39}$/.test(name) && name !== "Object" && name !== "Array") {
      return `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}`
    }
  } catch {
    // A hostile prototype: fall through to the generic description.
  }
  return "an object with a prototype of its own"
}

const ONLY_JSON = "only plain objects, arrays, strings, finite numbers, booleans and null are JSON"

const refuse = (walk: Walk, what: string): never => {
  walk.refusal = `${pathOf(walk)} ${what}`
  throw REFUSED
}

/** Adds `length` to the text written so far, refusing the value as soon as it is over the limit. */
const count = (walk: Walk, length: number): void => {
  walk.size += length
  // A UTF-16 code unit is at least one UTF-8 byte: past the limit in code units is past it in bytes.
  if (walk.size > MAX_ATTRIBUTES_BYTES) {
    walk.refusal =
      `options.attributes: the JSON text is over ${MAX_ATTRIBUTES_BYTES} bytes; Twilio accepts at most ${MAX_ATTRIBUTES_BYTES}`
    throw REFUSED
  }
}

/** Counts a primitive's text and returns it. */
const counted = (walk: Walk, text: string): string => {
  count(walk, text.length)
  return text
}

/** A JSON string literal: the text itself in quotes when nothing needs escaping (the common case), else JSON's. */
const quote = (s: string): string => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s)
  }
  return "\"" + s + "\""
}

const serialize = (value: unknown, walk: Walk): string => {
  switch (typeof value) {
    case "string":
      return counted(walk, quote(value))
    case "number":
      // -0 is written `0`, as JSON.stringify does: the same number for `===`.
      return Number.isFinite(value) ? counted(walk, String(value)) : refuse(walk, `is ${value}, not a finite number`)
    case "boolean":
      return counted(walk, value ? "true" : "false")
    case "object":
      return value === null ? counted(walk, "null") : serializeContainer(value, walk)
    case "bigint":
      return refuse(walk, "is a BigInt, which JSON cannot carry")
    case "undefined":
      return refuse(walk, "is undefined inside an array, which JSON turns into null")
    default:
      return refuse(walk, `is a ${typeof value}, which JSON drops`)
  }
}

/** The value of an own data property; refuses a missing one (a hole) and a getter or setter, which is not read. */
const dataValue = (walk: Walk, holder: object, key: string | number): unknown => {
  const descriptor = Object.getOwnPropertyDescriptor(holder, key)
  if (descriptor === undefined) return refuse(walk, "is a hole, which JSON turns into null")
  if (!("value" in descriptor)) return refuse(walk, "is a getter or setter: only data properties are JSON")
  return descriptor.value
}

const serializeContainer = (value: object, walk: Walk): string => {
  const stack = walk.stack
  if (stack.length >= MAX_ATTRIBUTES_DEPTH) refuse(walk, `nests deeper than ${MAX_ATTRIBUTES_DEPTH} levels`)
  for (let i = 0; i < stack.length; i++) if (stack[i] === value) refuse(walk, "is a cycle: it contains itself")
  const isArray = Array.isArray(value)
  const proto = Object.getPrototypeOf(value)
  if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
    refuse(walk, `is ${kindOf(proto)}: ${ONLY_JSON}`)
  }
  if (typeof (value as { readonly toJSON?: unknown }).toJSON === "function") {
    refuse(walk, "has a toJSON method, which JSON.stringify would call instead: give the data itself")
  }
  if (Object.getOwnPropertySymbols(value).length > 0) refuse(walk, "has a symbol key, which JSON drops")
  count(walk, 2)
  stack.push(value)
  let out: string
  if (isArray) {
    const length = (value as ReadonlyArray<unknown>).length
    // Each element takes at least one character: a longer array is over the limit before a property is listed.
    count(walk, Math.max(0, length - 1))
    // A dense array without extra properties owns exactly its indices and `length`.
    if (Object.getOwnPropertyNames(value).length !== length + 1) {
      refuse(walk, "is a sparse array or has extra properties, which JSON drops")
    }
    out = "["
    for (let i = 0; i < length; i++) {
      walk.keys.push(i)
      const text = serialize(dataValue(walk, value, i), walk)
      out += i === 0 ? text : "," + text
      walk.keys.pop()
    }
    out += "]"
  } else {
    // JSON writes the enumerable string keys, in this order; any other own property would be dropped.
    const keys = Object.keys(value)
    const names = Object.getOwnPropertyNames(value)
    if (keys.length !== names.length) {
      for (const name of names) {
        if (!keys.includes(name)) {
          walk.keys.push(name)
          refuse(walk, "is not enumerable, so JSON drops it")
        }
      }
    }
    out = "{"
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      walk.keys.push(key)
      const v = dataValue(walk, value, key)
      // An `undefined` property means "no such property", as in JSON and in the options' own types.
      if (v !== undefined) {
        const name = quote(key)
        count(walk, name.length + (out.length === 1 ? 1 : 2))
        out += (out.length === 1 ? name : "," + name) + ":" + serialize(v, walk)
      }
      walk.keys.pop()
    }
    out += "}"
  }
  stack.pop()
  return out
}

/** The message of something thrown by a hostile value (a Proxy's trap, a getter): never throws itself. */
const thrownMessage = (e: unknown): string => {
  try {
    if (e instanceof Error && typeof e.message === "string") return `: ${e.message.slice(0, 200)}`
  } catch {
    // A hostile error: say nothing of it.
  }
  return ""
}

/**
 * Turns `attributes` into the JSON text Twilio stores, in one walk that checks and writes it. The value must be a
 * plain object (prototype `Object.prototype` or `null`) that JSON carries exactly: its values strings, finite
 * numbers, booleans, `null`, plain objects and dense plain arrays, with enumerable string-keyed data properties
 * only. Refused, as `InvalidRequest` naming `options.attributes` and the path to the value: whatever
 * `JSON.stringify` would drop or change (a `toJSON` method anywhere, functions, symbols, symbol keys,
 * non-enumerable properties, `undefined` in an array, holes, `BigInt`, `NaN`, infinities, `Date`, `Map`, class
 * instances, boxed primitives, typed arrays), getters and setters, cycles (a value shared in two places is fine),
 * nesting deeper than `MAX_ATTRIBUTES_DEPTH`, anything that throws when read (a Proxy's trap), and a text over
 * 16 KiB of UTF-8. Two things JSON does are kept: a property whose value is `undefined` is left out (it means "no
 * such property"), and `-0` is written `0`. For valid input the text equals `JSON.stringify(value)`.
 */
export const attributesJson = (value: unknown): { readonly json: string } | InvalidRequest | undefined => {
  if (value === undefined) return undefined
  const field = "options.attributes"
  if (typeof value !== "object" || value === null) return fail(field, "Expected a JSON object")
  const walk: Walk = { stack: [], keys: [], size: 0, refusal: undefined }
  let json: string
  try {
    if (Array.isArray(value)) return fail(field, "Expected a JSON object, not an array")
    json = serializeContainer(value, walk)
  } catch (e) {
    // Only `walk.refusal` is trusted: what a hostile value threw is read through `thrownMessage` alone.
    return fail(field, walk.refusal ?? `${pathOf(walk)} could not be read${thrownMessage(e)}`)
  }
  // Each UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4): short texts need no count.
  const bytes = json.length * 3 <= MAX_ATTRIBUTES_BYTES ? 0 : utf8Length(json)
  if (bytes > MAX_ATTRIBUTES_BYTES) {
    return fail(
      field,
      `options.attributes: the JSON text is ${bytes} bytes; Twilio accepts at most ${MAX_ATTRIBUTES_BYTES}`
    )
  }
  return { json }
}
