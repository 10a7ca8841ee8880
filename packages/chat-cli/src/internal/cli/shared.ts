/**
 * The options every command shares (`--service`, `--api`, `--emulator`, `--seed-users`, `--json`), the help text
 * of a command (a description and an example), and running a command's work in its session.
 *
 * @internal
 */
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { UsageError } from "../errors.js"
import * as Session from "../session.js"
import { API_NAMES, type UsersApi } from "../usersApi.js"

/** A number option checked to lie in `[min, max]` (a usage error, exit 2, otherwise). */
export const inRange = (name: string, min: number, max: number) => (options: Options.Options<number>) =>
  Options.mapEffect(options, (n) =>
    n >= min && n <= max && Number.isFinite(n)
      ? Effect.succeed(n)
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--${name}: expected ${min} to ${max}, got ${n}`))))

/** `--service IS...`: the Chat service; `TWILIO_CHAT_SERVICE_SID` when not given. */
export const service = Options.text("service").pipe(
  Options.withPseudoName("IS..."),
  Options.withDescription("The service SID (IS...); default: $TWILIO_CHAT_SERVICE_SID (with --emulator, its own)"),
  Options.optional
)

/** The options of every command that talks to one service. */
export const common = {
  service,
  api: Options.choice("api", API_NAMES).pipe(
    Options.withDescription("The API: chat (Chat V2) or conversations (Conversations V1)"),
    Options.withDefault("chat" as const)
  ),
  emulator: Options.boolean("emulator").pipe(
    Options.withDescription("Run against a fresh in-process emulator (no Twilio account needed)")
  ),
  seedUsers: Options.integer("seed-users").pipe(
    Options.withPseudoName("N"),
    Options.withDescription("With --emulator: users to seed in the service first (user-001, ...)"),
    Options.withDefault(0),
    inRange("seed-users", 0, 1_000_000)
  )
}

/** `--json`: JSON on stdout instead of a table. */
export const json = Options.boolean("json").pipe(Options.withDescription("Print JSON instead of a table"))

/** A command's help: what it does, then an example session. */
export const help = (description: string, ...examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(description),
    HelpDoc.p(Span.strong("Example:")),
    ...examples.map((example) => HelpDoc.p(Span.code(`  $ ${example}`)))
  ])

/** Runs `work` with the session of the common options, over undici, everything released at the end. */
export const withSession = <A, E, R>(
  common: Session.Common,
  work: (session: Session.Session) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | UsageError, Exclude<Exclude<R, Scope.Scope>, HttpClient.HttpClient>> =>
  Effect.scoped(Effect.flatMap(Session.make(common), work)).pipe(Effect.provide(UndiciHttpClient.layer))

/** Runs `work` with the users API of `--api` and the service of the session (`--service`, ...). */
export const withUsers = <A, E, R>(
  options: Session.Common,
  work: (users: UsersApi, serviceSid: string) => Effect.Effect<A, E, R>
) =>
  withSession(options, (session) =>
    Effect.flatMap(
      Effect.all([session.users(options.api), Session.requireService(session)]),
      ([users, serviceSid]) => work(users, serviceSid)
    ))
