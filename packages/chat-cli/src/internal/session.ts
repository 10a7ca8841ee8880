/**
 * What a command runs against: the service SID (`--service`, else `TWILIO_CHAT_SERVICE_SID`) and the API over
 * the `TWILIO_*` credentials, or, with `--emulator`, a fresh in-process emulator (seeded with `--seed-users N`) whose
 * credentials are used instead and whose services are created on demand.
 *
 * @internal
 */
import { Emulator, FakeTwilioChat } from "@effect-twilio/chat-testing"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { usage, type UsageError } from "./errors.js"
import * as UsersApi from "./usersApi.js"

/** The options every command shares. */
export interface Common {
  readonly api: UsersApi.ApiName
  readonly service: Option.Option<string>
  readonly emulator: boolean
  readonly seedUsers: number
}

/** A command's connection to Twilio (or the emulator). */
export interface Session {
  /** The service of `--service`, the emulator's or `TWILIO_CHAT_SERVICE_SID`, checked. */
  readonly serviceSid: Option.Option<string>
  /** The users API `api` over this session's connection. */
  readonly users: (api: UsersApi.ApiName) => Effect.Effect<UsersApi.UsersApi, UsageError | ConfigError.ConfigError>
  /** With `--emulator`, creates the service when it does not exist (and seeds it with `count` users). */
  readonly prepare: (serviceSid: string, seedUsers?: number) => Effect.Effect<void, UsageError>
}

const SERVICE_SID = /^IS[0-9a-fA-F]{32}$/

/** `sid` if it is a service SID, else a usage error naming where it came from. */
export const checkService = (sid: string, from: string): Effect.Effect<string, UsageError> =>
  SERVICE_SID.test(sid)
    ? Effect.succeed(sid)
    : Effect.fail(usage(`${from}: expected a service SID (IS followed by 32 hex digits), got ${JSON.stringify(sid)}`))

const fromEnvironment = (common: Common): Effect.Effect<Session, UsageError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const fromEnv = yield* Config.option(Config.string("TWILIO_CHAT_SERVICE_SID")).pipe(
      Effect.orElseSucceed(() => Option.none<string>())
    )
    const serviceSid = Option.isSome(common.service)
      ? Option.some(yield* checkService(common.service.value, "--service"))
      : Option.isSome(fromEnv)
      ? Option.some(yield* checkService(fromEnv.value, "TWILIO_CHAT_SERVICE_SID"))
      : Option.none<string>()
    const context = yield* Effect.context<HttpClient.HttpClient>()
    return {
      serviceSid,
      users: (api) => Effect.provide(UsersApi.make(api, { _tag: "Environment" }), context),
      prepare: () => Effect.void
    }
  })

const fromEmulator = (common: Common): Effect.Effect<Session, UsageError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Layer.build(Emulator.layer()).pipe(
      Effect.mapError((error) => usage(`--emulator: ${error.message}`))
    )
    const emulator = Context.get(context, Emulator)
    const fake = Context.get(context, FakeTwilioChat)
    const prepare = (serviceSid: string, seedUsers = 0) =>
      Effect.gen(function*() {
        const services = yield* fake.services
        if (!services.some((s) => s.sid === serviceSid)) yield* fake.createService({ sid: serviceSid })
        if (seedUsers > 0) yield* fake.seedUsers(serviceSid, seedUsers)
      }).pipe(Effect.mapError((error) => usage(`--emulator: ${error.message}`)))
    const serviceSid = Option.isSome(common.service)
      ? yield* checkService(common.service.value, "--service")
      : emulator.serviceSid
    yield* prepare(serviceSid, common.seedUsers)
    const http = yield* Effect.context<HttpClient.HttpClient>()
    const options = { accountSid: emulator.accountSid, authToken: emulator.authToken, baseUrl: emulator.baseUrl }
    return {
      serviceSid: Option.some(serviceSid),
      users: (api) => Effect.provide(UsersApi.make(api, { _tag: "Given", options }), http),
      prepare
    }
  })

/** The session of a command's common options. */
export const make = (common: Common): Effect.Effect<Session, UsageError, HttpClient.HttpClient | Scope.Scope> => {
  if (!common.emulator && common.seedUsers > 0) {
    return Effect.fail(usage("--seed-users needs --emulator: it seeds the in-process emulator"))
  }
  return common.emulator ? fromEmulator(common) : fromEnvironment(common)
}

/** The session's service, or a usage error saying how to name one. */
export const requireService = (session: Session): Effect.Effect<string, UsageError> =>
  Option.match(session.serviceSid, {
    onNone: () => Effect.fail(usage("no service: pass --service IS... or set TWILIO_CHAT_SERVICE_SID")),
    onSome: Effect.succeed
  })
