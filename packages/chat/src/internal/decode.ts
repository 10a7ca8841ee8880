/**
 * Fast decoding: the same contract as the schemas of `ChatV2ServiceUser.ts`, without the generic machinery. Any
 * input the fast path does not accept is handed to the schema, which either accepts it (then its value is used) or
 * explains why not. A property test holds the two to the same results.
 */
import * as DateTime from "effect/DateTime"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { ChatV2ServiceUser, ListUserMeta, ListUserResponse } from "../ChatV2ServiceUser.js"
import { ConversationsV1ListUserResponse, ConversationsV1User } from "../ConversationsV1User.js"

/**
 * A marker returned by the fast decoders when the input is not a plain, valid body.
 */
export const Fallback: unique symbol = Symbol.for("@effect-twilio/chat/ChatV2ServiceUser/Fallback")
/** @internal */
export type Fallback = typeof Fallback

type Mutable<A> = { -readonly [K in keyof A]: A[K] }

const str = (u: unknown): string | Fallback => typeof u === "string" ? u : Fallback
const nullableStr = (u: unknown): string | null | Fallback =>
  u === undefined || u === null ? null : typeof u === "string" ? u : Fallback
const nullableBool = (u: unknown): boolean | null | Fallback =>
  u === undefined || u === null ? null : typeof u === "boolean" ? u : Fallback

/** The digit at `i` of `s`, or `NaN`. */
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : NaN
}

/**
 * The epoch milliseconds of `YYYY-MM-DDTHH:MM:SSZ`, Twilio's format, when every part is plainly in range (year from
 * 100, day up to 28, no leap second): there `new Date(s)` means `Date.UTC` of the parts, computed here in integer
 * arithmetic (days from the civil date, exact to the millisecond for these years) instead of the native call. `NaN`
 * otherwise.
 *
 * @internal
 */
export const twilioDateMillis = (s: string): number => {
  if (
    s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90
  ) return NaN
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3)
  const month = digit(s, 5) * 10 + digit(s, 6)
  const day = digit(s, 8) * 10 + digit(s, 9)
  const hour = digit(s, 11) * 10 + digit(s, 12)
  const minute = digit(s, 14) * 10 + digit(s, 15)
  const second = digit(s, 17) * 10 + digit(s, 18)
  // A NaN part fails every comparison.
  if (
    !(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59)
  ) return NaN
  // The days since 1970-01-01 of a year starting in March (so the leap day ends it): 400-year eras of 146097 days.
  const y = month <= 2 ? year - 1 : year
  const era = (y / 400) | 0
  const yearOfEra = y - era * 400
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear
  const days = era * 146097 + dayOfEra - 719468
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000
}

/**
 * The prototype of Effect's `DateTime.Utc`, taken once from a real one.
 *
 * @internal
 */
export const UtcProto: object = Object.getPrototypeOf(DateTime.unsafeMake(0))
const partsUtc: PropertyDescriptor = { value: undefined, enumerable: false, writable: true }

/**
 * V8 sizes the objects `new` of a function makes by the fields its body assigns, and keeps them all in the object
 * itself; `Object.create(proto)` keeps four there and puts the rest in a separate property array, grown as fields
 * are added. So the decoders build their objects with `new` of plain functions on the right prototypes: the same
 * objects (prototype, own properties and their order), with fewer and smaller allocations (on the benchmark's pages,
 * 485 bytes allocated per decoded user instead of 741, `pnpm bench` section 4).
 */
function UtcShell(this: { epochMillis: number }, epochMillis: number) {
  this.epochMillis = epochMillis
  Object.defineProperty(this, "partsUtc", partsUtc)
}
UtcShell.prototype = UtcProto
const NewUtc = UtcShell as unknown as new(epochMillis: number) => DateTime.Utc

/**
 * What `DateTime.unsafeFromDate(new Date(epochMillis))` builds for a valid `epochMillis`, without the `Date`:
 * effect 3's internal `makeUtc`, the prototype, then `epochMillis` assigned, then `partsUtc` (the lazily computed
 * parts) defined as non-enumerable. This copies an Effect internal: a test compares it with `DateTime.unsafeMake` on
 * every observable (own property descriptors, prototype, equality, hash, formatting) and fails if Effect changes.
 */
const makeUtc = (epochMillis: number): DateTime.Utc => new NewUtc(epochMillis)

/**
 * A date field: the `DateTime.Utc` that `Schema.DateTimeUtc` decodes `u` to, or `Fallback` where it fails.
 *
 * @internal
 */
export const fastDate = (u: unknown): DateTime.Utc | Fallback => {
  if (typeof u !== "string") return Fallback
  // Twilio's own format, checked and parsed by hand, then built as `DateTime.unsafeMake` would build it.
  const millis = twilioDateMillis(u)
  if (!Number.isNaN(millis)) return makeUtc(millis)
  try {
    // What `Schema.DateTimeUtc` decodes with, `DateTime.unsafeMake`, reads a string holding a "Z" (as Twilio's
    // dates all do) as `unsafeFromDate(new Date(u))`: that directly, without its type tests and zone regex.
    // Anything else takes `DateTime.unsafeMake` itself, so both paths accept and reject the same strings.
    return u.indexOf("Z") === -1 ? DateTime.unsafeMake(u) : DateTime.unsafeFromDate(new Date(u))
  } catch {
    return Fallback
  }
}

const attributes = (u: unknown): unknown => {
  if (u === undefined || u === null) return null
  if (typeof u !== "string") return Fallback
  if (u === "{}") return {} // Twilio's value when unset: what `JSON.parse` gives, without the parser
  // `JSON.parse` is the cheapest exact parser: a hand parser of small flat objects measured slower (issue point 4).
  try {
    return JSON.parse(u)
  } catch {
    return Fallback
  }
}

/**
 * The `links` map: the parsed object itself when it is a plain object of strings (`JSON.parse` made it for this
 * decode alone, so nobody else holds it), which spares an allocation per user; anything else is the schema's.
 */
const links = (u: unknown): Record<string, string> | null | Fallback => {
  if (u === undefined || u === null) return null
  if (typeof u !== "object" || Object.getPrototypeOf(u) !== Object.prototype) return Fallback
  for (const key in u) {
    if (typeof (u as Record<string, unknown>)[key] !== "string") return Fallback
  }
  return u as Record<string, string>
}

/** The fields both APIs' users share, read and checked; `Fallback` when the schema must decide. */
interface Shared {
  readonly friendlyName: string | null
  readonly roleSid: string | null
  readonly isOnline: boolean | null
  readonly isNotifiable: boolean | null
  readonly dateCreated: DateTime.Utc
  readonly dateUpdated: DateTime.Utc
  readonly attributes: unknown
  readonly links: Record<string, string> | null
}

/**
 * The optional and derived fields of a user body, or `Fallback`. Small enough to be inlined into each user decoder,
 * where the object it returns does not outlive the call.
 */
const sharedFields = (o: Record<string, unknown>): Shared | Fallback => {
  const friendlyName = nullableStr(o.friendly_name)
  const roleSid = nullableStr(o.role_sid)
  const isOnline = nullableBool(o.is_online)
  const isNotifiable = nullableBool(o.is_notifiable)
  const dateCreated = fastDate(o.date_created)
  const dateUpdated = fastDate(o.date_updated)
  const attrs = attributes(o.attributes)
  const linkMap = links(o.links)
  if (
    friendlyName === Fallback || roleSid === Fallback || isOnline === Fallback || isNotifiable === Fallback ||
    dateCreated === Fallback || dateUpdated === Fallback || attrs === Fallback || linkMap === Fallback
  ) return Fallback
  return { friendlyName, roleSid, isOnline, isNotifiable, dateCreated, dateUpdated, attributes: attrs, links: linkMap }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * What `new ChatV2ServiceUser(props, true)` builds (the prototype, then the fields in the schema's order), without
 * the constructor's generic work: a copy of `props` and a scan of every field for a default.
 */
function ChatV2UserShell(
  this: Mutable<ChatV2ServiceUser>,
  sid: string,
  accountSid: string,
  serviceSid: string,
  identity: string,
  count: number,
  url: string,
  f: Shared
) {
  this.sid = sid
  this.accountSid = accountSid
  this.serviceSid = serviceSid
  this.attributes = f.attributes
  this.friendlyName = f.friendlyName
  this.roleSid = f.roleSid
  this.identity = identity
  this.isOnline = f.isOnline
  this.isNotifiable = f.isNotifiable
  this.dateCreated = f.dateCreated
  this.dateUpdated = f.dateUpdated
  this.joinedChannelsCount = count
  this.links = f.links
  this.url = url
}
ChatV2UserShell.prototype = ChatV2ServiceUser.prototype
const NewChatV2User = ChatV2UserShell as unknown as new(
  ...args: Parameters<typeof ChatV2UserShell>
) => ChatV2ServiceUser

/**
 * The fast path of {@link decodeUser}; `Fallback` when the schema must decide.
 */
export const fastUser = (u: unknown): ChatV2ServiceUser | Fallback => {
  if (!isRecord(u)) return Fallback
  const sid = str(u.sid)
  const accountSid = str(u.account_sid)
  const serviceSid = str(u.service_sid)
  const identity = str(u.identity)
  const url = str(u.url)
  const count = u.joined_channels_count
  if (
    sid === Fallback || accountSid === Fallback || serviceSid === Fallback || identity === Fallback ||
    url === Fallback || typeof count !== "number" || !Number.isSafeInteger(count)
  ) return Fallback
  const f = sharedFields(u)
  if (f === Fallback) return Fallback
  return new NewChatV2User(sid, accountSid, serviceSid, identity, count, url, f)
}

/** As {@link ChatV2UserShell}, for `ConversationsV1User`. */
function ConversationsUserShell(
  this: Mutable<ConversationsV1User>,
  sid: string,
  accountSid: string,
  chatServiceSid: string,
  identity: string,
  url: string,
  f: Shared
) {
  this.sid = sid
  this.accountSid = accountSid
  this.chatServiceSid = chatServiceSid
  this.attributes = f.attributes
  this.friendlyName = f.friendlyName
  this.roleSid = f.roleSid
  this.identity = identity
  this.isOnline = f.isOnline
  this.isNotifiable = f.isNotifiable
  this.dateCreated = f.dateCreated
  this.dateUpdated = f.dateUpdated
  this.links = f.links
  this.url = url
}
ConversationsUserShell.prototype = ConversationsV1User.prototype
const NewConversationsUser = ConversationsUserShell as unknown as new(
  ...args: Parameters<typeof ConversationsUserShell>
) => ConversationsV1User

/**
 * The fast path of {@link decodeConversationsUser}; `Fallback` when the schema must decide.
 */
export const fastConversationsUser = (u: unknown): ConversationsV1User | Fallback => {
  if (!isRecord(u)) return Fallback
  const sid = str(u.sid)
  const accountSid = str(u.account_sid)
  const chatServiceSid = str(u.chat_service_sid)
  const identity = str(u.identity)
  const url = str(u.url)
  if (
    sid === Fallback || accountSid === Fallback || chatServiceSid === Fallback || identity === Fallback ||
    url === Fallback
  ) return Fallback
  const f = sharedFields(u)
  if (f === Fallback) return Fallback
  // The two user decoders are kept apart on purpose: one function for both (a flag, or a factory over the
  // prototype) measured 30-50% slower per user.
  return new NewConversationsUser(sid, accountSid, chatServiceSid, identity, url, f)
}

const int = (u: unknown): number | Fallback => typeof u === "number" && Number.isSafeInteger(u) ? u : Fallback

const fastMeta = (u: unknown): ListUserMeta | Fallback => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return Fallback
  const o = u as Record<string, unknown>
  const props = {
    page: int(o.page),
    pageSize: int(o.page_size),
    firstPageUrl: str(o.first_page_url),
    previousPageUrl: nullableStr(o.previous_page_url),
    url: str(o.url),
    nextPageUrl: nullableStr(o.next_page_url),
    key: str(o.key)
  }
  for (const key in props) if (props[key as keyof typeof props] === Fallback) return Fallback
  return new ListUserMeta(props as ListUserMeta, true)
}

/** A page decoder over a user decoder: `Fallback` when the schema must decide. */
const fastPageOf = <U, P>(
  user: (u: unknown) => U | Fallback,
  make: (users: Array<U>, meta: ListUserMeta) => P
) =>
(u: unknown): P | Fallback => {
  if (!isRecord(u)) return Fallback
  const raw = u.users
  if (!Array.isArray(raw)) return Fallback
  const meta = fastMeta(u.meta)
  if (meta === Fallback) return Fallback
  const users: Array<U> = new Array(raw.length)
  for (let i = 0; i < raw.length; i++) {
    const decoded = user(raw[i])
    if (decoded === Fallback) return Fallback
    users[i] = decoded
  }
  return make(users, meta)
}

/**
 * The fast path of {@link decodeListUserResponse}; `Fallback` when the schema must decide.
 */
export const fastList: (u: unknown) => ListUserResponse | Fallback = fastPageOf(
  fastUser,
  (users, meta) => new ListUserResponse({ users, meta }, true)
)

/**
 * The fast path of {@link decodeConversationsListUserResponse}; `Fallback` when the schema must decide.
 */
export const fastConversationsList: (u: unknown) => ConversationsV1ListUserResponse | Fallback = fastPageOf(
  fastConversationsUser,
  (users, meta) => new ConversationsV1ListUserResponse({ users, meta }, true)
)

/** A schema's decoder, compiled on first use (a body the fast path declines), not when the module loads. */
const lazyDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  let compiled: ((u: unknown) => Either.Either<A, ParseResult.ParseError>) | undefined
  return (u: unknown) => (compiled ??= Schema.decodeUnknownEither(schema))(u)
}

/**
 * The outcome of a decode: the value, or a readable reason it failed.
 */
export type DecodeResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: string }

const finish = <A>(
  fast: A | Fallback,
  input: unknown,
  slow: (u: unknown) => Either.Either<A, ParseResult.ParseError>
): DecodeResult<A> => {
  if (fast !== Fallback) return { ok: true, value: fast }
  try {
    const result = slow(input)
    return result._tag === "Right" ? { ok: true, value: result.right } : { ok: false, error: result.left.message }
  } catch (e) {
    // A hostile body (JSON nested 100,000 deep, say) can overflow the stack while the schema formats its error.
    return { ok: false, error: e instanceof RangeError ? "The body is nested too deeply to decode" : String(e) }
  }
}

/** The decoder of `schema`, through `fast` first. */
const decoderOf = <A, I>(fast: (u: unknown) => A | Fallback, schema: Schema.Schema<A, I>) => {
  const slow = lazyDecoder(schema)
  return (input: unknown): DecodeResult<A> => finish(fast(input), input, slow)
}

/**
 * Decodes a user from Twilio's parsed JSON: the same result as `Schema.decodeUnknownEither(ChatV2ServiceUser)`,
 * several times faster. Never throws.
 */
export const decodeUser: (input: unknown) => DecodeResult<ChatV2ServiceUser> = decoderOf(fastUser, ChatV2ServiceUser)

/**
 * Decodes a page of users from Twilio's parsed JSON: the same result as
 * `Schema.decodeUnknownEither(ListUserResponse)`, several times faster. Never throws.
 */
export const decodeListUserResponse: (input: unknown) => DecodeResult<ListUserResponse> = decoderOf(
  fastList,
  ListUserResponse
)

/**
 * Decodes a Conversations user: the same result as `Schema.decodeUnknownEither(ConversationsV1User)`. Never throws.
 */
export const decodeConversationsUser: (input: unknown) => DecodeResult<ConversationsV1User> = decoderOf(
  fastConversationsUser,
  ConversationsV1User
)

/**
 * Decodes a page of Conversations users: the same result as
 * `Schema.decodeUnknownEither(ConversationsV1ListUserResponse)`. Never throws.
 */
export const decodeConversationsListUserResponse: (input: unknown) => DecodeResult<ConversationsV1ListUserResponse> =
  decoderOf(fastConversationsList, ConversationsV1ListUserResponse)
