/**
 * The fake's state: services and their users (API-neutral records: `apis.ts` renders them for each API),
 * deterministic SIDs, the validation of writes (as Twilio answers them), and page tokens.
 *
 * @internal
 */
import { createHash, createHmac } from "node:crypto"
import type { Fault } from "../Fault.js"
import type { FakeApi, FakeOperation, RecordedRequest } from "./types.js"

export const SERVICE_SID = /^IS[0-9a-fA-F]{32}$/
export const USER_SID = /^US[0-9a-fA-F]{32}$/
export const ROLE_SID = /^RL[0-9a-fA-F]{32}$/

/** Conversations, the same backend, documents these limits; Twilio answers 400 beyond them. */
export const MAX_IDENTITY_CHARS = 256
export const MAX_ATTRIBUTES_BYTES = 16 * 1024
/** Twilio documents no number for Chat users; 256, as for identities. */
export const MAX_FRIENDLY_NAME_CHARS = 256

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

/** A SID: `prefix` + 32 hex digits derived from the seed and a counter, so runs are repeatable. */
export const sidFor = (seed: string, prefix: string, n: number): string =>
  prefix + sha256(`${seed}\u0000${prefix}\u0000${n}`).slice(0, 32)

/** A secret (auth token, API key secret) derived from the seed: 32 hex digits, like Twilio's. */
export const secretFor = (seed: string, purpose: string): string =>
  sha256(`${seed}\u0000secret\u0000${purpose}`).slice(0, 32)

export interface UserRecord {
  /** The creation sequence: lists are ordered by it and page tokens point into it. */
  readonly seq: number
  readonly sid: string
  readonly identity: string
  friendlyName: string | null
  roleSid: string
  attributes: string
  isOnline: boolean | null
  isNotifiable: boolean | null
  readonly dateCreated: number
  dateUpdated: number
}

export interface ServiceRecord {
  readonly sid: string
  readonly friendlyName: string | null
  readonly defaultRoleSid: string
  /** Ascending `seq`. */
  readonly users: Array<UserRecord>
  readonly bySid: Map<string, UserRecord>
  readonly byIdentity: Map<string, UserRecord>
}

/** A fault in an operation's script, for one API or (`api` undefined) both. */
export interface ScriptedFault {
  readonly fault: Fault
  readonly api: FakeApi | undefined
}

export interface Store {
  readonly seed: string
  /** Bumped by `reset`: page tokens of an earlier generation are stale. */
  generation: number
  readonly services: Map<string, ServiceRecord>
  readonly counters: Map<string, number>
  nextSeq: number
  readonly requests: Array<RecordedRequest>
  /** Each operation's script, in the order the faults were injected. */
  readonly faults: Map<FakeOperation, Array<ScriptedFault>>
  readonly tokenKey: string
}

export const makeStore = (seed: string): Store => ({
  seed,
  generation: 0,
  services: new Map(),
  counters: new Map(),
  nextSeq: 1,
  requests: [],
  faults: new Map(),
  tokenKey: secretFor(seed, "page-token")
})

/** Empties the store; SIDs start over, tokens issued before are stale. */
export const clearStore = (store: Store): void => {
  store.generation++
  store.services.clear()
  store.counters.clear()
  store.nextSeq = 1
  store.requests.length = 0
  store.faults.clear()
}

export const nextSid = (store: Store, prefix: string): string => {
  const n = store.counters.get(prefix) ?? 0
  store.counters.set(prefix, n + 1)
  return sidFor(store.seed, prefix, n)
}

export const addService = (
  store: Store,
  sid: string | undefined,
  friendlyName: string | null
): ServiceRecord | string => {
  if (sid !== undefined && !SERVICE_SID.test(sid)) return `Expected a Chat Service SID (IS + 32 hex digits): ${sid}`
  let serviceSid = sid ?? nextSid(store, "IS")
  while (sid === undefined && store.services.has(serviceSid)) serviceSid = nextSid(store, "IS")
  if (store.services.has(serviceSid)) return `The service ${serviceSid} exists already`
  const service: ServiceRecord = {
    sid: serviceSid,
    friendlyName,
    defaultRoleSid: nextSid(store, "RL"),
    users: [],
    bySid: new Map(),
    byIdentity: new Map()
  }
  store.services.set(serviceSid, service)
  return service
}

/** A Twilio error answer: status, code and message. */
export interface Problem {
  readonly status: number
  readonly code: number
  readonly message: string
}

const problem = (status: number, code: number, message: string): Problem => ({ status, code, message })

/** The form fields of create and update, as sent. */
export interface WriteFields {
  readonly identity?: string | undefined
  readonly roleSid?: string | undefined
  readonly attributes?: string | undefined
  readonly friendlyName?: string | undefined
}

const codePoints = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** What Twilio answers to an invalid create (`creating`) or update; `undefined` when it is accepted. */
export const validateWrite = (service: ServiceRecord, fields: WriteFields, creating: boolean): Problem | undefined => {
  if (creating) {
    const identity = fields.identity
    if (identity === undefined || identity.length === 0) {
      return problem(400, 50204, "Missing required parameter Identity in the post body")
    }
    if (codePoints(identity) > MAX_IDENTITY_CHARS) {
      return problem(400, 50207, `Identity is too long: at most ${MAX_IDENTITY_CHARS} characters`)
    }
    if (USER_SID.test(identity)) return problem(400, 50206, "Identity cannot look like a User SID")
  }
  if (fields.roleSid !== undefined && !ROLE_SID.test(fields.roleSid)) {
    return problem(400, 20001, "Invalid RoleSid: expected RL followed by 32 hex digits")
  }
  if (fields.attributes !== undefined) {
    if (!isJson(fields.attributes)) return problem(400, 20001, "Attributes must be a valid JSON string")
    if (Buffer.byteLength(fields.attributes, "utf8") > MAX_ATTRIBUTES_BYTES) {
      return problem(400, 20001, `Attributes are too long: at most ${MAX_ATTRIBUTES_BYTES} bytes`)
    }
  }
  if (fields.friendlyName !== undefined && codePoints(fields.friendlyName) > MAX_FRIENDLY_NAME_CHARS) {
    return problem(400, 50003, `FriendlyName is too long: at most ${MAX_FRIENDLY_NAME_CHARS} characters`)
  }
  if (creating && service.byIdentity.has(fields.identity!)) {
    return problem(409, 50201, "User already exists")
  }
  return undefined
}

/** Creates a user; `fields` must have passed `validateWrite(service, fields, true)`. */
export const insertUser = (
  store: Store,
  service: ServiceRecord,
  fields: WriteFields,
  now: number,
  extra?: { readonly isOnline?: boolean | null | undefined; readonly isNotifiable?: boolean | null | undefined }
): UserRecord => {
  const user: UserRecord = {
    seq: store.nextSeq++,
    sid: nextSid(store, "US"),
    identity: fields.identity!,
    friendlyName: fields.friendlyName ?? null,
    roleSid: fields.roleSid ?? service.defaultRoleSid,
    attributes: fields.attributes ?? "{}",
    isOnline: extra?.isOnline ?? null,
    isNotifiable: extra?.isNotifiable ?? null,
    dateCreated: now,
    dateUpdated: now
  }
  service.users.push(user)
  service.bySid.set(user.sid, user)
  service.byIdentity.set(user.identity, user)
  return user
}

/** Applies an update; `fields` must have passed `validateWrite(service, fields, false)`. */
export const patchUser = (user: UserRecord, fields: WriteFields, now: number): void => {
  if (fields.roleSid !== undefined) user.roleSid = fields.roleSid
  if (fields.attributes !== undefined) user.attributes = fields.attributes
  if (fields.friendlyName !== undefined) user.friendlyName = fields.friendlyName
  user.dateUpdated = Math.max(now, user.dateUpdated)
}

/** The index of the first user whose `seq` is greater than `seq`. */
export const indexAfter = (users: ReadonlyArray<UserRecord>, seq: number): number => {
  let lo = 0
  let hi = users.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (users[mid].seq <= seq) lo = mid + 1
    else hi = mid
  }
  return lo
}

export const removeUser = (service: ServiceRecord, user: UserRecord): void => {
  const index = indexAfter(service.users, user.seq) - 1
  // Only that very user: never another one (index -1 would splice the last user) if it is gone already.
  if (index >= 0 && service.users[index] === user) service.users.splice(index, 1)
  service.bySid.delete(user.sid)
  service.byIdentity.delete(user.identity)
}

/** A user by SID, or by identity when the key does not look like a user SID (identities never do). */
export const findUser = (service: ServiceRecord, sidOrIdentity: string): UserRecord | undefined =>
  USER_SID.test(sidOrIdentity) ? service.bySid.get(sidOrIdentity) : service.byIdentity.get(sidOrIdentity)

// ---------------------------------------------------------------------------------------------------------------
// Page tokens: "PA" (after) or "PB" (before) + a creation sequence + a MAC over the service, the store's generation
// and the position. A token edited by hand, issued for another service or before a reset does not verify.
// ---------------------------------------------------------------------------------------------------------------

export type Direction = "PA" | "PB"

const mac = (store: Store, serviceSid: string, direction: Direction, seq: number): string =>
  createHmac("sha256", store.tokenKey).update(`${serviceSid}|${store.generation}|${direction}|${seq}`).digest("hex")
    .slice(0, 20)

export const pageToken = (store: Store, serviceSid: string, direction: Direction, seq: number): string =>
  `${direction}${seq.toString(36)}_${mac(store, serviceSid, direction, seq)}`

const TOKEN = /^(PA|PB)([0-9a-z]{1,11})_([0-9a-f]{20})$/

export const readPageToken = (
  store: Store,
  serviceSid: string,
  token: string
): { readonly direction: Direction; readonly seq: number } | undefined => {
  const match = TOKEN.exec(token)
  if (match === null) return undefined
  const direction = match[1] as Direction
  const seq = parseInt(match[2], 36)
  if (!Number.isSafeInteger(seq) || seq.toString(36) !== match[2]) return undefined
  return mac(store, serviceSid, direction, seq) === match[3] ? { direction, seq } : undefined
}
