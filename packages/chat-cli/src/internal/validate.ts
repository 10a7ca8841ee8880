/**
 * What an import line must be before anything is sent, as Twilio would judge it: an identity (1 to 256
 * characters, not shaped like a user SID), a role SID `RL` + 32 hex digits, attributes a JSON object of at most
 * 16 KiB of JSON text, a friendly name a string.
 *
 * @internal
 */
import * as Either from "effect/Either"
import type { UserFields } from "./usersApi.js"

/** A user to write: its identity and the fields to send. */
export interface ImportUser {
  readonly identity: string
  readonly fields: UserFields
}

const USER_SID = /^US[0-9a-fA-F]{32}$/
const ROLE_SID = /^RL[0-9a-fA-F]{32}$/
const MAX_IDENTITY_CHARS = 256
const MAX_ATTRIBUTES_BYTES = 16 * 1024

const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const identityOf = (identity: unknown): Either.Either<string, string> => {
  if (typeof identity !== "string" || identity.length === 0) return Either.left("identity is missing")
  if (codePoints(identity) > MAX_IDENTITY_CHARS) return Either.left(`identity is over ${MAX_IDENTITY_CHARS} characters`)
  if (USER_SID.test(identity)) return Either.left("identity cannot look like a user SID (US + 32 hex digits)")
  return Either.right(identity)
}

const attributesOf = (value: unknown): Either.Either<Readonly<Record<string, unknown>> | undefined, string> => {
  if (value === undefined || value === null) return Either.right(undefined)
  if (!isPlainObject(value)) return Either.left("attributes must be a JSON object")
  const bytes = Buffer.byteLength(JSON.stringify(value), "utf8")
  return bytes > MAX_ATTRIBUTES_BYTES
    ? Either.left(`attributes are ${bytes} bytes of JSON, over the limit of ${MAX_ATTRIBUTES_BYTES}`)
    : Either.right(value)
}

const optionalText = (value: unknown, name: string): Either.Either<string | undefined, string> =>
  value === undefined || value === null
    ? Either.right(undefined)
    : typeof value === "string"
    ? Either.right(value)
    : Either.left(`${name} must be a string`)

/** The fields of a decoded line or of the options of `create` and `update` (`friendlyName`, `roleSid`, `attributes`). */
export const userFields = (record: Readonly<Record<string, unknown>>): Either.Either<UserFields, string> =>
  Either.gen(function*() {
    const friendlyName = yield* optionalText(record.friendlyName, "friendlyName")
    const roleSid = yield* optionalText(record.roleSid, "roleSid")
    if (roleSid !== undefined && !ROLE_SID.test(roleSid)) {
      return yield* Either.left("roleSid must be RL followed by 32 hex digits")
    }
    const attributes = yield* attributesOf(record.attributes)
    return { friendlyName, roleSid, attributes }
  })

/** The user a decoded line describes (`identity`, `friendlyName`, `roleSid`, `attributes`; other keys ignored). */
export const importUser = (record: Readonly<Record<string, unknown>>): Either.Either<ImportUser, string> =>
  Either.flatMap(
    identityOf(record.identity),
    (identity) => Either.map(userFields(record), (fields) => ({ identity, fields }))
  )

/** `importUser` of a parsed JSON value, which must be an object. */
export const importUserOfJson = (value: unknown): Either.Either<ImportUser, string> =>
  isPlainObject(value) ? importUser(value) : Either.left("expected a JSON object")
