/**
 * `import FILE`: NDJSON or CSV records as users. Each record is validated first; a bad one is reported with its
 * line number and skipped, never stopping the rest; the good ones go through the write stage (paced, concurrent,
 * `--on-conflict`). Bad and failed records are copied as they were read into `--failures FILE` (after the CSV
 * header), so a rerun on that file finishes the job. `--dry-run` validates every line and sends nothing.
 *
 * @internal
 */
import type { AuthenticationFailed } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { UsageError } from "./errors.js"
import type * as Formats from "./formats.js"
import * as Input from "./input.js"
import * as LineWriter from "./lineWriter.js"
import * as Progress from "./progress.js"
import type { UsersApi } from "./usersApi.js"
import * as WriteUsers from "./writeUsers.js"

/** What `import` was asked. */
export interface ImportOptions extends WriteUsers.WriteOptions {
  readonly file: string
  readonly format: Formats.Format
  readonly dryRun: boolean
  readonly failures: Option.Option<string>
}

/** Reports go to stderr, one line each. */
const say = (text: string): void => {
  process.stderr.write(`${text}\n`)
}

const lines = (record: Input.InputRecord): string =>
  record.line === record.lastLine ? `line ${record.line}` : `lines ${record.line}-${record.lastLine}`

/** A sink for failed records: the failures file, or nowhere. */
const failuresSink = (options: ImportOptions): Effect.Effect<(raw: string) => void, UsageError, Scope.Scope> =>
  Option.match(options.failures, {
    onNone: () => Effect.succeed(() => {}),
    onSome: (file) => Effect.map(LineWriter.open(Option.some(file), false), (writer) => (raw) => writer.write([raw]))
  })

/** The valid records as candidates; bad ones are reported, counted and copied to the failures file. */
const candidates = (
  options: ImportOptions,
  tally: WriteUsers.Tally,
  fail: (raw: string) => void
): Stream.Stream<WriteUsers.Candidate, UsageError> =>
  Input.readFile(options.file, options.format).pipe(
    Stream.filterMap((item) => {
      if (item._tag === "Header") {
        fail(item.raw)
        return Option.none()
      }
      return Either.match(item.user, {
        onLeft: (reason) => {
          tally.invalid++
          say(`${lines(item)}: ${reason}`)
          fail(item.raw)
          return Option.none()
        },
        onRight: (user) => {
          tally.valid++
          return Option.some({ user, label: lines(item), raw: item.raw })
        }
      })
    })
  )

/** Runs the import (or, with `--dry-run`, only the validation); succeeds with the tally. */
export const run = (
  users: UsersApi,
  options: ImportOptions
): Effect.Effect<WriteUsers.Tally, UsageError | AuthenticationFailed, Scope.Scope> =>
  Effect.gen(function*() {
    const tally = WriteUsers.emptyTally()
    const fail = yield* failuresSink(options)
    const counter = { count: 0 }
    yield* Progress.show(options.dryRun ? "validated" : "imported", counter)
    const valid = candidates(options, tally, fail)
    if (options.dryRun) {
      yield* Stream.runForEach(valid, () => Effect.sync(() => counter.count++))
      return tally
    }
    yield* WriteUsers.writeAll(users, options, valid, (candidate, outcome) => {
      WriteUsers.count(tally, outcome)
      counter.count++
      if (outcome._tag === "Failed") {
        say(`${candidate.label} (${JSON.stringify(candidate.user.identity)}): ${outcome.reason}`)
        fail(candidate.raw)
      }
    })
    return tally
  })
