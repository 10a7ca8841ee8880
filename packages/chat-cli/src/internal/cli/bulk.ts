/**
 * The bulk commands: `export`, `import` and `copy`.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Copy from "../copy.js"
import { PartialFailure, usage, type UsageError } from "../errors.js"
import * as Export from "../export.js"
import * as Formats from "../formats.js"
import * as Import from "../import.js"
import * as Input from "../input.js"
import * as ResumeToken from "../resumeToken.js"
import * as Session from "../session.js"
import { API_NAMES } from "../usersApi.js"
import * as WriteUsers from "../writeUsers.js"
import { common, help, inRange, json, withSession, withUsers } from "./shared.js"

const format = Options.choice("format", Formats.FORMATS).pipe(
  Options.withDescription("ndjson (default) or csv"),
  Options.optional
)

const say = (text: string) => Effect.sync(() => process.stderr.write(`${text}\n`))

/** The options of the write stage. */
const writing = {
  concurrency: Options.integer("concurrency").pipe(
    Options.withPseudoName("N"),
    Options.withDescription("Writes in flight at once"),
    Options.withDefault(5),
    inRange("concurrency", 1, 64)
  ),
  rate: Options.float("rate").pipe(
    Options.withPseudoName("PER_SECOND"),
    Options.withDescription("Writes started per second, evenly spaced (Twilio allows 30 per second per service)"),
    Options.withDefault(25),
    inRange("rate", 0.01, 100_000)
  ),
  onConflict: Options.choice("on-conflict", WriteUsers.ON_CONFLICT).pipe(
    Options.withDescription("When the identity exists: skip it, update it, or count it as failed (default)"),
    Options.withDefault("fail" as const)
  ),
  failures: Options.text("failures").pipe(
    Options.withPseudoName("FILE"),
    Options.withDescription("Write the records that failed to this file, in the input's format, for a rerun"),
    Options.optional
  ),
  json
}

/** Prints the summary (JSON on stdout with `--json`); fails with `PartialFailure` when anything failed. */
const finish = (tally: WriteUsers.Tally, asJson: boolean, dryRun = false) =>
  Effect.gen(function*() {
    const text = dryRun
      ? `dry run: ${tally.valid} valid, ${tally.invalid} invalid; nothing was sent`
      : WriteUsers.summary(tally)
    yield* say(text)
    if (asJson) yield* Effect.sync(() => process.stdout.write(`${JSON.stringify({ ...tally, dryRun })}\n`))
    const bad = tally.failed + tally.invalid
    if (bad > 0) return yield* Effect.fail(new PartialFailure({ message: `${bad} records were not written` }))
  })

/** The token's point, checked against the options that were given with it. */
const resumePoint = (
  token: Option.Option<string>,
  given: { readonly service: Option.Option<string>; readonly format: Option.Option<string>; readonly api: string }
): Effect.Effect<Option.Option<ResumeToken.ResumePoint>, UsageError> =>
  Option.match(token, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (text) =>
      Either.match(ResumeToken.decode(text), {
        onLeft: Effect.fail,
        onRight: (point) => {
          const clash = Option.isSome(given.service) && given.service.value !== point.service
            ? `it was issued for service ${point.service}`
            : Option.isSome(given.format) && given.format.value !== point.format
            ? `it was issued for --format ${point.format}`
            : given.api !== point.api
            ? `it was issued for --api ${point.api}`
            : undefined
          return clash === undefined
            ? Effect.succeed(Option.some(point))
            : Effect.fail(usage(`--resume-from: ${clash}`))
        }
      })
  })

const exportCommand = Command.make("export", {
  ...common,
  format,
  out: Options.text("out").pipe(
    Options.withPseudoName("FILE"),
    Options.withDescription("Write to this file (default: stdout); with --resume-from it is appended to"),
    Options.optional
  ),
  resumeFrom: Options.text("resume-from").pipe(
    Options.withPseudoName("TOKEN"),
    Options.withDescription("Continue an export that stopped, from the token it printed"),
    Options.optional
  ),
  pageSize: Options.integer("page-size").pipe(
    Options.withPseudoName("N"),
    Options.withDescription("Users per request: 1 to 100 (Conversations: 1 to 50); default the API's maximum"),
    inRange("page-size", 1, 100),
    Options.optional
  )
}, (options) =>
  Effect.gen(function*() {
    const resume = yield* resumePoint(options.resumeFrom, options)
    const service = Option.orElse(options.service, () => Option.map(resume, (point) => point.service))
    const written = yield* withUsers({ ...options, service }, (users, serviceSid) =>
      Export.run(users, {
        serviceSid,
        format: Option.match(resume, {
          onNone: () => Option.getOrElse(options.format, () => "ndjson" as const),
          onSome: (point) => point.format
        }),
        out: options.out,
        pageSize: Option.match(resume, {
          onNone: () => Option.getOrElse(options.pageSize, () => users.maxPageSize),
          onSome: (point) => point.pageSize
        }),
        resume
      }))
    yield* say(`Exported ${written} users.`)
  })).pipe(
    Command.withDescription(help(
      "Stream every user of a service as NDJSON or CSV, in constant memory. Ctrl+C (or a failure) prints the exact " +
        "--resume-from token to continue; the resumed export appends to --out, with no user lost or repeated.",
      "chat-users export --emulator --seed-users 1000 --format csv --out users.csv",
      "chat-users export --out users.ndjson --resume-from cu1.eyJhcGkiOi..."
    ))
  )

const importCommand = Command.make("import", {
  ...common,
  ...writing,
  file: Args.text({ name: "file" }).pipe(
    Args.withDescription("An NDJSON or CSV file (identity, friendlyName, roleSid, attributes)")
  ),
  format,
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Validate every line and send nothing"))
}, (options) =>
  Effect.gen(function*() {
    const tally = yield* withUsers(options, (users, serviceSid) =>
      Import.run(users, { ...options, serviceSid, format: Input.formatOf(options.file, options.format) }))
    yield* finish(tally, options.json, options.dryRun)
  })).pipe(
    Command.withDescription(help(
      "Create users from an NDJSON or CSV file, paced (--rate) and concurrent (--concurrency). Bad lines are " +
        "reported with their line numbers and skipped; a summary ends the run; exit 1 if any record was not written.",
      "chat-users import users.csv --emulator --rate 25 --on-conflict skip --failures failed.csv"
    ))
  )

const copyCommand = Command.make("copy", {
  ...common,
  ...writing,
  from: Options.text("from").pipe(
    Options.withPseudoName("IS..."),
    Options.withDescription("The source service (default: --service)"),
    Options.optional
  ),
  to: Options.text("to").pipe(Options.withPseudoName("IS..."), Options.withDescription("The target service")),
  toApi: Options.choice("to-api", API_NAMES).pipe(
    Options.withDescription("The target's API (default: --api)"),
    Options.optional
  ),
  copyRoles: Options.boolean("copy-roles").pipe(
    Options.withDescription("Copy role SIDs too (roles belong to a service: only when both share them)")
  )
}, (options) =>
  Effect.gen(function*() {
    const service = Option.orElse(options.from, () => options.service)
    const tally = yield* withSession({ ...options, service }, (session) =>
      Effect.gen(function*() {
        const fromServiceSid = yield* Session.requireService(session)
        const serviceSid = yield* Session.checkService(options.to, "--to")
        yield* session.prepare(serviceSid)
        const from = yield* session.users(options.api)
        const to = yield* session.users(Option.getOrElse(options.toApi, () => options.api))
        return yield* Copy.run(from, to, { ...options, fromServiceSid, serviceSid })
      }))
    yield* finish(tally, options.json)
  })).pipe(
    Command.withDescription(help(
      "Copy every user of one service into another, streaming, in constant memory (export piped into import).",
      "chat-users copy --emulator --seed-users 50 --to IS00000000000000000000000000000001"
    ))
  )

/** The bulk commands. */
export const commands = [exportCommand, importCommand, copyCommand] as const
