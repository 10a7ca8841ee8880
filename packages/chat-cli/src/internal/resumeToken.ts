/**
 * The `--resume-from` token of an export: where to go on, exactly. It names the page being written (its index and
 * the server's `PageToken`, so the very same page can be asked for again), how many of its users were written and
 * the SID of the last one (so a user deleted meanwhile before it shifts nothing), plus the service, API, page size
 * and format it belongs to. Text form: `cu1.` + base64url(JSON) + `.` + 8 hex digits of its SHA-256, so a token
 * cut short or mistyped is refused before anything is sent.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { createHash } from "node:crypto"
import { usage, type UsageError } from "./errors.js"
import { FORMATS } from "./formats.js"
import { API_NAMES } from "./usersApi.js"

const PREFIX = "cu1."
/** Far more than any real token; a longer argument is refused unread. */
const MAX_TOKEN_CHARS = 4096

const Count = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))

/** The resume point. */
export class ResumePoint extends Schema.Class<ResumePoint>("ResumePoint")({
  api: Schema.Literal(...API_NAMES),
  service: Schema.String.pipe(Schema.pattern(/^IS[0-9a-fA-F]{32}$/)),
  format: Schema.Literal(...FORMATS),
  pageSize: Schema.Int.pipe(Schema.between(1, 100)),
  page: Count,
  pageToken: Schema.NullOr(Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,1024}$/))),
  skip: Count,
  last: Schema.NullOr(Schema.String.pipe(Schema.pattern(/^US[0-9a-fA-F]{32}$/))),
  written: Count
}) {}

const checksum = (payload: string): string => createHash("sha256").update(payload).digest("hex").slice(0, 8)

/** The token of a resume point. */
export const encode = (point: ResumePoint): string => {
  const payload = Buffer.from(JSON.stringify(Schema.encodeSync(ResumePoint)(point)), "utf8").toString("base64url")
  return `${PREFIX}${payload}.${checksum(payload)}`
}

const refuse = (why: string): Either.Either<never, UsageError> =>
  Either.left(usage(`--resume-from: not a resume token of chat-users export (${why})`))

const decodePoint = Schema.decodeUnknownEither(Schema.parseJson(ResumePoint), { onExcessProperty: "error" })

/** The resume point of a token, or a usage error saying why it is refused (never a stack trace). */
export const decode = (token: string): Either.Either<ResumePoint, UsageError> => {
  const text = token.trim()
  if (text.length > MAX_TOKEN_CHARS) return refuse(`over ${MAX_TOKEN_CHARS} characters`)
  if (!text.startsWith(PREFIX)) return refuse(`it does not start with ${PREFIX}`)
  const [payload, sum, ...rest] = text.slice(PREFIX.length).split(".")
  if (rest.length > 0 || sum === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return refuse("malformed")
  if (checksum(payload) !== sum) return refuse("its checksum does not match: was it cut short or edited?")
  return Either.mapLeft(
    decodePoint(Buffer.from(payload, "base64url").toString("utf8")),
    (error) =>
      usage(`--resume-from: the token holds no valid resume point: ${ParseResult.TreeFormatter.formatErrorSync(error)}`)
  )
}
