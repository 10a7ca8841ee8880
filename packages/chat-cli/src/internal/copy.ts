/**
 * `copy --from --to`: the export's page stream piped into the import's write stage in one process, so memory holds
 * a page and the writes in flight whatever the service's size. Users are copied with their identity, friendly name
 * and attributes; role SIDs belong to one service, so they are copied only with `--copy-roles`. Users that cannot be
 * written are reported and copied as NDJSON lines to `--failures FILE`, ready for `import`.
 *
 * @internal
 */
import type { AuthenticationFailed, ListUserError } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { UsageError } from "./errors.js"
import * as Formats from "./formats.js"
import * as LineWriter from "./lineWriter.js"
import * as Pages from "./pages.js"
import * as Progress from "./progress.js"
import type { CliUser, UsersApi } from "./usersApi.js"
import * as WriteUsers from "./writeUsers.js"

/** What `copy` was asked. */
export interface CopyOptions extends WriteUsers.WriteOptions {
  readonly fromServiceSid: string
  readonly copyRoles: boolean
  readonly failures: Option.Option<string>
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const candidateOf = (copyRoles: boolean) => (user: CliUser): WriteUsers.Candidate => ({
  user: {
    identity: user.identity,
    fields: {
      friendlyName: user.friendlyName ?? undefined,
      roleSid: copyRoles ? user.roleSid ?? undefined : undefined,
      attributes: isObject(user.attributes) ? user.attributes : undefined
    }
  },
  label: `user ${user.sid}`,
  raw: Formats.ndjsonLine(user)
})

/** Every user of the source service, a page at a time. */
const sourceUsers = (from: UsersApi, serviceSid: string): Stream.Stream<CliUser, ListUserError> =>
  Stream.mapConcat(Pages.pages(from, serviceSid, from.maxPageSize), (page) => page.users)

/** Runs the copy; succeeds with the tally. */
export const run = (
  from: UsersApi,
  to: UsersApi,
  options: CopyOptions
): Effect.Effect<WriteUsers.Tally, ListUserError | UsageError | AuthenticationFailed, Scope.Scope> =>
  Effect.gen(function*() {
    const tally = WriteUsers.emptyTally()
    const failures = yield* Option.match(options.failures, {
      onNone: () => Effect.succeed(Option.none<LineWriter.LineWriter>()),
      onSome: (file) => Effect.map(LineWriter.open(Option.some(file), false), Option.some)
    })
    const counter = { count: 0 }
    yield* Progress.show("copied", counter)
    const candidates = sourceUsers(from, options.fromServiceSid).pipe(
      Stream.map(candidateOf(options.copyRoles)),
      Stream.tap(() => Effect.sync(() => tally.valid++))
    )
    yield* WriteUsers.writeAll(to, options, candidates, (candidate, outcome) => {
      WriteUsers.count(tally, outcome)
      counter.count++
      if (outcome._tag !== "Failed") return
      process.stderr.write(`${candidate.label} (${JSON.stringify(candidate.user.identity)}): ${outcome.reason}\n`)
      Option.map(failures, (writer) => writer.write([candidate.raw]))
    })
    return tally
  })
