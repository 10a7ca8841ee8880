/**
 * Validation of the client's options (`resolveOptions`) and their reading from `TWILIO_*` variables
 * (`optionsFromConfig`). Everything fails with a `ConfigError` at layer construction, naming the offending option
 * or variable; no message ever holds a value, so none can echo a secret.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { ChatV2UserApiOptions } from "../TwilioConfig.js"
import { VERSION } from "../TwilioConfig.js"

/** The configuration after validation, as the client uses it. */
export interface ResolvedOptions {
  readonly username: string
  readonly password: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly retryCap: Duration.Duration
  readonly userAgent: string
  readonly transformClient: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/** The options that `optionsFromConfig` may read from a variable. */
type SourcedKey = "accountSid" | "authToken" | "apiKeySid" | "apiKeySecret" | "baseUrl" | "region" | "edge"

/**
 * Where each option came from, for the paths of errors: the variable's name for a value read from the
 * environment; an option absent here is reported under its own name (`accountSid`, `baseUrl`...).
 */
export type Sources = { readonly [K in SourcedKey]?: string | undefined }

const VARIABLES: { readonly [K in SourcedKey]: string } = {
  accountSid: "TWILIO_ACCOUNT_SID",
  authToken: "TWILIO_AUTH_TOKEN",
  apiKeySid: "TWILIO_API_KEY",
  apiKeySecret: "TWILIO_API_SECRET",
  baseUrl: "TWILIO_CHAT_BASE_URL",
  region: "TWILIO_REGION",
  edge: "TWILIO_EDGE"
}

const SID_ACCOUNT = /^AC[0-9a-fA-F]{32}$/
const SID_API_KEY = /^SK[0-9a-fA-F]{32}$/
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
/** What an HTTP header value may hold, restricted to ASCII: visible characters, space and tab. */
const HEADER_TEXT = /^[\t\x20-\x7e]*$/

const invalid = (path: string, message: string) => ConfigError.InvalidData([path], message)

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname)

const duration = (
  path: string,
  input: Duration.DurationInput | undefined,
  fallback: Duration.Duration
): Effect.Effect<Duration.Duration, ConfigError.ConfigError> => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = Duration.decodeUnknown(input)
  return Option.isSome(decoded) && Duration.isFinite(decoded.value)
    ? Effect.succeed(decoded.value)
    : Effect.fail(invalid(path, "Expected a finite duration"))
}

/** The text of a secret given as a string or a `Redacted` string; `undefined` for anything else. */
const secretText = (value: unknown): string | undefined => {
  const raw = Redacted.isRedacted(value) ? Redacted.value(value) : value
  return typeof raw === "string" ? raw : undefined
}

/** Checks one credential pair; `username` and `password` once both halves are well-formed. */
const credentialPair = (
  sid: unknown,
  secret: unknown,
  sidName: string,
  secretName: string,
  pattern: RegExp,
  what: string
): Effect.Effect<
  { readonly username: string; readonly password: Redacted.Redacted<string> },
  ConfigError.ConfigError
> => {
  if (sid === undefined) return Effect.fail(ConfigError.MissingData([sidName], `${secretName} needs ${sidName}`))
  if (typeof sid !== "string" || !pattern.test(sid)) return Effect.fail(invalid(sidName, `Expected ${what}`))
  if (secret === undefined) return Effect.fail(ConfigError.MissingData([secretName], `${sidName} needs ${secretName}`))
  const text = secretText(secret)
  if (text === undefined) return Effect.fail(invalid(secretName, "Expected a string or a Redacted string"))
  if (text.length === 0) return Effect.fail(invalid(secretName, "Expected a non-empty secret"))
  return Effect.succeed({
    username: sid,
    password: Redacted.isRedacted(secret) ? secret as Redacted.Redacted<string> : Redacted.make(text)
  })
}

/**
 * Validates options and fills in the defaults: credentials (an API key pair wins over an account pair), the base
 * URL (from `baseUrl`, or `region` and `edge`), the timeout, the retry policy and the `User-Agent`. Fails with a
 * `ConfigError` whose path is the option's name, or the variable's when `sources` says it came from one.
 */
export const resolveOptions = (
  options: ChatV2UserApiOptions,
  sources: Sources = {}
): Effect.Effect<ResolvedOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    if (typeof options !== "object" || options === null) {
      return yield* Effect.fail(invalid("options", "Expected an options object"))
    }
    const name = (key: SourcedKey): string => sources[key] ?? key

    const { password, username } = options.apiKeySid !== undefined || options.apiKeySecret !== undefined
      ? yield* credentialPair(
        options.apiKeySid,
        options.apiKeySecret,
        name("apiKeySid"),
        name("apiKeySecret"),
        SID_API_KEY,
        "an API key SID: SK followed by 32 hex digits"
      )
      : options.accountSid !== undefined || options.authToken !== undefined
      ? yield* credentialPair(
        options.accountSid,
        options.authToken,
        name("accountSid"),
        name("authToken"),
        SID_ACCOUNT,
        "an account SID: AC followed by 32 hex digits"
      )
      : yield* Effect.fail(
        ConfigError.MissingData(
          ["credentials"],
          "Missing credentials: give accountSid + authToken or apiKeySid + apiKeySecret"
        )
      )

    let baseUrl: string
    if (options.baseUrl !== undefined) {
      const path = name("baseUrl")
      let url: URL
      try {
        if (typeof options.baseUrl !== "string") throw new TypeError("not a string")
        url = new URL(options.baseUrl)
      } catch {
        return yield* Effect.fail(invalid(path, "Expected an absolute URL"))
      }
      if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
        return yield* Effect.fail(invalid(path, "Expected an https: URL (http: is allowed for loopback hosts only)"))
      }
      if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
        return yield* Effect.fail(invalid(path, "Expected a URL without credentials, query or fragment"))
      }
      baseUrl = url.origin + url.pathname.replace(/\/+$/, "")
    } else {
      const region = typeof options.region === "string" ? options.region.toLowerCase() : options.region
      const edge = typeof options.edge === "string" ? options.edge.toLowerCase() : options.edge
      if (region !== undefined && (typeof region !== "string" || !HOST_LABEL.test(region))) {
        return yield* Effect.fail(invalid(name("region"), "Expected a region such as us1, ie1 or au1"))
      }
      if (edge !== undefined && (typeof edge !== "string" || !HOST_LABEL.test(edge))) {
        return yield* Effect.fail(
          invalid(name("edge"), "Expected an edge location such as ashburn, dublin or sydney")
        )
      }
      const labels = edge !== undefined ? [edge, region ?? "us1"] : region !== undefined ? [region] : []
      baseUrl = `https://${["chat", ...labels, "twilio", "com"].join(".")}`
    }

    const timeout = yield* duration("timeout", options.timeout, Duration.seconds(30))
    if (Duration.toMillis(timeout) <= 0) return yield* Effect.fail(invalid("timeout", "Expected a positive duration"))
    const retry = options.retry === false ? { times: 0 } : options.retry ?? {}
    if (typeof retry !== "object" || retry === null) {
      return yield* Effect.fail(invalid("retry", "Expected retry options, or false"))
    }
    const retries = retry.times ?? 3
    if (!Number.isSafeInteger(retries) || retries < 0) {
      return yield* Effect.fail(invalid("retry.times", "Expected a whole number >= 0"))
    }
    const retryBase = yield* duration("retry.base", retry.base, Duration.millis(250))
    const retryCap = yield* duration("retry.cap", retry.cap, Duration.seconds(30))

    const extra = options.userAgent
    if (extra !== undefined && (typeof extra !== "string" || !HEADER_TEXT.test(extra))) {
      return yield* Effect.fail(
        invalid("userAgent", "Expected text of visible ASCII characters, spaces and tabs (it goes in a header)")
      )
    }
    if (options.transformClient !== undefined && typeof options.transformClient !== "function") {
      return yield* Effect.fail(invalid("transformClient", "Expected a function from HttpClient to HttpClient"))
    }
    return {
      username,
      password,
      baseUrl,
      timeout,
      retries,
      retryBase,
      retryCap,
      userAgent: `effect-twilio-chat/${VERSION}` + (extra ? ` ${extra}` : ""),
      transformClient: options.transformClient
    }
  })

/** One credential pair as `optionsFromConfig` gathered it: each half with the name to report it under. */
interface Pair {
  readonly sid: unknown
  readonly secret: unknown
  readonly sidName: string
  readonly secretName: string
  readonly sidVariable: string
  readonly secretVariable: string
}

const isComplete = (pair: Pair | undefined): pair is Pair =>
  pair !== undefined && pair.sid !== undefined && pair.secret !== undefined

const CREDENTIALS = "the credentials are TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET"

/** The error for a pair with one half: it names the missing half. `undefined` for an empty or complete pair. */
const halfSet = (pair: Pair | undefined, fromOverrides: boolean): ConfigError.ConfigError | undefined => {
  if (pair === undefined || (pair.sid === undefined) === (pair.secret === undefined)) return undefined
  const sidMissing = pair.sid === undefined
  const present = sidMissing ? pair.secretName : pair.sidName
  const missing = sidMissing ? pair.sidName : pair.secretName
  const hint = fromOverrides
    ? ` (give it in the options, or set ${sidMissing ? pair.sidVariable : pair.secretVariable})`
    : ` (${CREDENTIALS})`
  return ConfigError.MissingData([missing], `${present} is set without ${missing}${hint}`)
}

/**
 * Reads the options from `TWILIO_*` variables (through Effect's `ConfigProvider`), then lets `overrides` win, and
 * validates the result. The rules:
 *
 * - an empty variable counts as unset;
 * - credentials go by pairs. When `overrides` give either half of a pair, that pair is the one used and the
 *   environment's other pair is ignored entirely; a half missing from `overrides` is taken from the variable of
 *   the same pair (`{ accountSid }` + `TWILIO_AUTH_TOKEN` is a pair; halves of different pairs never combine);
 * - otherwise a complete pair of the environment is used, the API key when both are complete; a half-set pair
 *   fails with a `MissingData` naming the missing variable unless the other pair is complete;
 * - the location goes by alternatives likewise: `baseUrl` in `overrides` wins; `region` or `edge` there make the
 *   environment's `TWILIO_CHAT_BASE_URL` ignored, and the other of the two may come from its variable;
 * - a malformed value is reported under its variable's name when it came from one, else under its option's.
 */
export const optionsFromConfig = (
  overrides: ChatV2UserApiOptions = {}
): Effect.Effect<ChatV2UserApiOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    if (typeof overrides !== "object" || overrides === null) {
      return yield* Effect.fail(invalid("options", "Expected an options object"))
    }
    const env: { [K in SourcedKey]?: string } = {}
    for (const key of Object.keys(VARIABLES) as Array<SourcedKey>) {
      const value = yield* Effect.map(Config.option(Config.string(VARIABLES[key])), Option.getOrUndefined)
      if (value !== undefined && value.length > 0) env[key] = value
    }
    const given: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined) given[key] = value
    }
    const sources: { [K in SourcedKey]?: string } = {}
    /** The override, or else the variable (recording that the value came from it). */
    const pick = (key: SourcedKey): unknown => {
      if (given[key] !== undefined) return given[key]
      if (env[key] === undefined) return undefined
      sources[key] = VARIABLES[key]
      return key === "authToken" || key === "apiKeySecret" ? Redacted.make(env[key]) : env[key]
    }
    const pair = (sidKey: SourcedKey, secretKey: SourcedKey, fromOverrides: boolean): Pair => ({
      sid: pick(sidKey),
      secret: pick(secretKey),
      sidName: fromOverrides ? sidKey : VARIABLES[sidKey],
      secretName: fromOverrides ? secretKey : VARIABLES[secretKey],
      sidVariable: VARIABLES[sidKey],
      secretVariable: VARIABLES[secretKey]
    })

    const givesKey = given.apiKeySid !== undefined || given.apiKeySecret !== undefined
    const givesToken = given.accountSid !== undefined || given.authToken !== undefined
    const fromOverrides = givesKey || givesToken
    const key = !fromOverrides || givesKey ? pair("apiKeySid", "apiKeySecret", fromOverrides) : undefined
    const token = !fromOverrides || givesToken ? pair("accountSid", "authToken", fromOverrides) : undefined
    // The options' own precedence holds for credentials given there: an API key, even half of one, wins.
    const chosen = fromOverrides
      ? givesKey ? key : token
      : isComplete(key)
      ? key
      : isComplete(token)
      ? token
      : undefined
    if (!isComplete(chosen)) {
      const keyError = halfSet(key, fromOverrides)
      const tokenError = fromOverrides && givesKey ? undefined : halfSet(token, fromOverrides)
      return yield* Effect.fail(
        keyError && tokenError
          ? ConfigError.Or(keyError, tokenError)
          : keyError ?? tokenError ?? ConfigError.Or(
            ConfigError.MissingData(
              ["TWILIO_ACCOUNT_SID"],
              "Missing Twilio credentials: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
            ),
            ConfigError.MissingData(["TWILIO_API_KEY"], "or TWILIO_API_KEY and TWILIO_API_SECRET")
          )
      )
    }
    // Halves of the pair not chosen are dropped, with their sources, so that nothing else is validated or used.
    for (
      const dropped of chosen === key
        ? ["accountSid", "authToken"] as const
        : ["apiKeySid", "apiKeySecret"] as const
    ) {
      delete given[dropped]
      delete sources[dropped]
    }

    const merged: Record<string, unknown> = { ...given }
    if (chosen === key) {
      merged.apiKeySid = chosen.sid
      merged.apiKeySecret = chosen.secret
    } else {
      merged.accountSid = chosen.sid
      merged.authToken = chosen.secret
    }
    if (given.baseUrl === undefined) {
      const regionOrEdge = given.region !== undefined || given.edge !== undefined
      if (!regionOrEdge && env.baseUrl !== undefined) merged.baseUrl = pick("baseUrl")
      else {
        merged.region = pick("region")
        merged.edge = pick("edge")
      }
    }
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k]
    const options = merged as ChatV2UserApiOptions
    yield* resolveOptions(options, sources)
    return options
  })
