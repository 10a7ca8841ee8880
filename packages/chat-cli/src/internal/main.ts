/**
 * The `chat-users` command line: the root command with its subcommands, and how every outcome becomes an exit
 * code and one line on stderr (errors are caught by tag; nothing prints a stack trace).
 *
 * @internal
 */
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Bulk from "./cli/bulk.js"
import { help } from "./cli/shared.js"
import * as Users from "./cli/users.js"
import { ExitCode, usage } from "./errors.js"

const VERSION = "0.1.0"

const root = Command.make(
  "chat-users",
  {},
  () =>
    Effect.fail(usage("a command is needed: list, get, create, update, delete, export, import or copy (see --help)"))
).pipe(
  Command.withDescription(help(
    "Bulk work on the users of a Twilio Chat service: list, get, create, update, delete, export, import, copy.",
    "chat-users list --emulator --seed-users 3"
  )),
  Command.withSubcommands([...Users.commands, ...Bulk.commands])
)

const cli = Command.run(root, { name: "chat-users", version: VERSION })

const say = (text: string) => Effect.sync(() => process.stderr.write(`chat-users: ${text}\n`))

/** Says `text` and succeeds with `code`. */
const exit = (code: number, text?: string) => text === undefined ? Effect.succeed(code) : Effect.as(say(text), code)

const usageExit = (error: { readonly message: string }) => exit(ExitCode.Usage, error.message)

/** Runs the command line `argv` (as `process.argv`); succeeds with the exit code. */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<number> =>
  cli(argv).pipe(
    Effect.as(ExitCode.Success),
    // @effect/cli printed what was wrong with the command line.
    Effect.catchIf(ValidationError.isValidationError, () => exit(ExitCode.Usage)),
    Effect.catchIf(ConfigError.isConfigError, (error) => exit(ExitCode.Usage, `configuration: ${String(error)}`)),
    Effect.catchTags({
      // Its summary was printed.
      PartialFailure: () => exit(ExitCode.Failure),
      UsageError: usageExit,
      InvalidRequest: usageExit,
      AuthenticationFailed: usageExit
    }),
    // What is left is an operation that failed: Twilio's answer, the connection, a user not found.
    Effect.catchAll((error) => exit(ExitCode.Failure, error.message)),
    Effect.catchAllDefect((defect) =>
      exit(ExitCode.Failure, `internal error: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`)
    ),
    Effect.provide(NodeContext.layer)
  )
