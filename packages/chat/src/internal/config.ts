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

const SOURCED_KEYS = Object.keys(VARIABLES) as ReadonlyArray<SourcedKey>

/** Where an API lives: the first label of its Twilio host, and the variable that overrides its base URL. */
export interface Location {
  readonly hostLabel: string
  readonly baseUrlVariable: string
}

/** Chat V2's location, the default. */
const CHAT: Location = { hostLabel: "chat", baseUrlVariable: VARIABLES.baseUrl }

/** The variable an option is read from, for an API at `location`. */
const variableOf = (key: SourcedKey, location: Location): string =>
  key === "baseUrl" ? location.baseUrlVariable : VARIABLES[key]

const SID_ACCOUNT = /^AC[0-9a-fA-F]{32}$/
const SID_API_KEY = /^SK[0-9a-fA-F]{32}$/
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
/** What an HTTP header value may hold, restricted to ASCII: visible characters, space and tab. */
const HEADER_TEXT = /^[\t\x20-\x7e]*$/

/** A credential pair: the options that hold its halves, and what its SID must look like. */
interface PairKind {
  readonly sidKey: "apiKeySid" | "accountSid"
  readonly secretKey: "apiKeySecret" | "authToken"
  readonly sidPattern: RegExp
  readonly sidDescription: string
}

const API_KEY_PAIR: PairKind = {
  sidKey: "apiKeySid",
  secretKey: "apiKeySecret",
  sidPattern: SID_API_KEY,
  sidDescription: "an API key SID: SK followed by 32 hex digits"
}

const ACCOUNT_PAIR: PairKind = {
  sidKey: "accountSid",
  secretKey: "authToken",
  sidPattern: SID_ACCOUNT,
  sidDescription: "an account SID: AC followed by 32 hex digits"
}

/** The credentials after validation. */
interface Credentials {
  readonly username: string
  readonly password: Redacted.Redacted<string>
}

/** The retry policy after validation. */
interface RetryPolicy {
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly retryCap: Duration.Duration
}

/** Fails with an `InvalidData` at `path`. */
const failInvalid = (path: string, message: string): Effect.Effect<never, ConfigError.ConfigError> =>
  Effect.fail(ConfigError.InvalidData([path], message))

/** Fails unless `options` is an object, as both entry points require. */
const requireOptionsObject = (options: unknown): Effect.Effect<void, ConfigError.ConfigError> =>
  typeof options !== "object" || options === null ? failInvalid("options", "Expected an options object") : Effect.void

/** The name to report an option under: its variable's when `sources` says it came from one, else its own. */
const nameOf = (sources: Sources, key: SourcedKey): string => sources[key] ?? key

/** Whether a value is given but is not a string matching `pattern`. */
const isMalformed = (value: unknown, pattern: RegExp): boolean =>
  value !== undefined && (typeof value !== "string" || !pattern.test(value))

/** Whether either half of the pair `kind` is given. */
const hasHalf = (values: { readonly [K in PairKind["sidKey" | "secretKey"]]?: unknown }, kind: PairKind): boolean =>
  values[kind.sidKey] !== undefined || values[kind.secretKey] !== undefined

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname)

/** `input` as a finite duration, `fallback` when it is not given. */
const duration = (
  path: string,
  input: Duration.DurationInput | undefined,
  fallback: Duration.Duration
): Effect.Effect<Duration.Duration, ConfigError.ConfigError> => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = Duration.decodeUnknown(input)
  return Option.isSome(decoded) && Duration.isFinite(decoded.value)
    ? Effect.succeed(decoded.value)
    : failInvalid(path, "Expected a finite duration")
}

/** The text of a secret given as a string or a `Redacted` string; `undefined` for anything else. */
const secretText = (value: unknown): string | undefined => {
  const raw = Redacted.isRedacted(value) ? Redacted.value(value) : value
  return typeof raw === "string" ? raw : undefined
}

/** Checks the pair `kind` of `options`; its `username` and `password` once both halves are well-formed. */
const credentialPair = (
  kind: PairKind,
  options: ChatV2UserApiOptions,
  sources: Sources
): Effect.Effect<Credentials, ConfigError.ConfigError> => {
  const sid: unknown = options[kind.sidKey]
  const secret: unknown = options[kind.secretKey]
  const sidName = nameOf(sources, kind.sidKey)
  const secretName = nameOf(sources, kind.secretKey)
  if (sid === undefined) return Effect.fail(ConfigError.MissingData([sidName], `${secretName} needs ${sidName}`))
  if (typeof sid !== "string" || !kind.sidPattern.test(sid)) {
    return failInvalid(sidName, `Expected ${kind.sidDescription}`)
  }
  if (secret === undefined) return Effect.fail(ConfigError.MissingData([secretName], `${sidName} needs ${secretName}`))
  const text = secretText(secret)
  if (text === undefined) return failInvalid(secretName, "Expected a string or a Redacted string")
  if (text.length === 0) return failInvalid(secretName, "Expected a non-empty secret")
  return Effect.succeed({
    username: sid,
    password: Redacted.isRedacted(secret) ? secret as Redacted.Redacted<string> : Redacted.make(text)
  })
}

/** The credentials: the API key pair when either half of it is given, else the account pair. */
const resolveCredentials = (
  options: ChatV2UserApiOptions,
  sources: Sources
): Effect.Effect<Credentials, ConfigError.ConfigError> => {
  if (hasHalf(options, API_KEY_PAIR)) return credentialPair(API_KEY_PAIR, options, sources)
  if (hasHalf(options, ACCOUNT_PAIR)) return credentialPair(ACCOUNT_PAIR, options, sources)
  return Effect.fail(
    ConfigError.MissingData(
      ["credentials"],
      "Missing credentials: give accountSid + authToken or apiKeySid + apiKeySecret"
    )
  )
}

/** `value` as an absolute URL; `undefined` when it is not a string or does not parse. */
const parseUrl = (value: unknown): URL | undefined => {
  if (typeof value !== "string") return undefined
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

/** An explicit `baseUrl`, checked (https:, or http: on loopback; nothing but a path) and without trailing slashes. */
const explicitBaseUrl = (value: unknown, path: string): Effect.Effect<string, ConfigError.ConfigError> => {
  const url = parseUrl(value)
  if (url === undefined) return failInvalid(path, "Expected an absolute URL")
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return failInvalid(path, "Expected an https: URL (http: is allowed for loopback hosts only)")
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    return failInvalid(path, "Expected a URL without credentials, query or fragment")
  }
  return Effect.succeed(url.origin + url.pathname.replace(/\/+$/, ""))
}

const lowerCased = (value: string | undefined): string | undefined =>
  typeof value === "string" ? value.toLowerCase() : value

/**
 * The host of `region` and `edge`: `chat.{edge}.{region}.twilio.com` (`conversations.…` for Conversations), the
 * region `us1` when only an edge is set.
 */
const regionalBaseUrl = (
  options: ChatV2UserApiOptions,
  sources: Sources,
  location: Location
): Effect.Effect<string, ConfigError.ConfigError> => {
  const region = lowerCased(options.region)
  const edge = lowerCased(options.edge)
  if (isMalformed(region, HOST_LABEL)) {
    return failInvalid(nameOf(sources, "region"), "Expected a region such as us1, ie1 or au1")
  }
  if (isMalformed(edge, HOST_LABEL)) {
    return failInvalid(nameOf(sources, "edge"), "Expected an edge location such as ashburn, dublin or sydney")
  }
  const labels = edge !== undefined ? [edge, region ?? "us1"] : region !== undefined ? [region] : []
  return Effect.succeed(`https://${[location.hostLabel, ...labels, "twilio", "com"].join(".")}`)
}

/** The base URL: from `baseUrl` when it is given, else from `region` and `edge`. */
const resolveBaseUrl = (
  options: ChatV2UserApiOptions,
  sources: Sources,
  location: Location
): Effect.Effect<string, ConfigError.ConfigError> =>
  options.baseUrl !== undefined
    ? explicitBaseUrl(options.baseUrl, nameOf(sources, "baseUrl"))
    : regionalBaseUrl(options, sources, location)

/** The timeout of an attempt: a positive, finite duration; `30 seconds` by default. */
const resolveTimeout = (
  input: Duration.DurationInput | undefined
): Effect.Effect<Duration.Duration, ConfigError.ConfigError> =>
  Effect.flatMap(
    duration("timeout", input, Duration.seconds(30)),
    (timeout) =>
      Duration.toMillis(timeout) <= 0 ? failInvalid("timeout", "Expected a positive duration") : Effect.succeed(timeout)
  )

/** The retry policy (`false` is no retry); `{ times: 3, base: "250 millis", cap: "30 seconds" }` by default. */
const resolveRetry = (input: ChatV2UserApiOptions["retry"]): Effect.Effect<RetryPolicy, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const retry = input === false ? { times: 0 } : input ?? {}
    if (typeof retry !== "object" || retry === null) {
      return yield* failInvalid("retry", "Expected retry options, or false")
    }
    const retries = retry.times ?? 3
    if (!Number.isSafeInteger(retries) || retries < 0) {
      return yield* failInvalid("retry.times", "Expected a whole number >= 0")
    }
    const retryBase = yield* duration("retry.base", retry.base, Duration.millis(250))
    const retryCap = yield* duration("retry.cap", retry.cap, Duration.seconds(30))
    return { retries, retryBase, retryCap }
  })

/** The `User-Agent`: the client's own, followed by `extra` when it is given (and fit for a header). */
const resolveUserAgent = (extra: string | undefined): Effect.Effect<string, ConfigError.ConfigError> =>
  isMalformed(extra, HEADER_TEXT)
    ? failInvalid("userAgent", "Expected text of visible ASCII characters, spaces and tabs (it goes in a header)")
    : Effect.succeed(`effect-twilio-chat/${VERSION}` + (extra ? ` ${extra}` : ""))

/** The `transformClient` hook, when it is given a function. */
const resolveTransformClient = (
  transformClient: ResolvedOptions["transformClient"]
): Effect.Effect<ResolvedOptions["transformClient"], ConfigError.ConfigError> =>
  transformClient !== undefined && typeof transformClient !== "function"
    ? failInvalid("transformClient", "Expected a function from HttpClient to HttpClient")
    : Effect.succeed(transformClient)

/**
 * Validates options and fills in the defaults: credentials (an API key pair wins over an account pair), the base
 * URL (from `baseUrl`, or `region` and `edge`), the timeout, the retry policy and the `User-Agent`. Fails with a
 * `ConfigError` whose path is the option's name, or the variable's when `sources` says it came from one.
 */
export const resolveOptions = (
  options: ChatV2UserApiOptions,
  sources: Sources = {},
  location: Location = CHAT
): Effect.Effect<ResolvedOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    yield* requireOptionsObject(options)
    const { password, username } = yield* resolveCredentials(options, sources)
    const baseUrl = yield* resolveBaseUrl(options, sources, location)
    const timeout = yield* resolveTimeout(options.timeout)
    const { retries, retryBase, retryCap } = yield* resolveRetry(options.retry)
    const userAgent = yield* resolveUserAgent(options.userAgent)
    const transformClient = yield* resolveTransformClient(options.transformClient)
    return { username, password, baseUrl, timeout, retries, retryBase, retryCap, userAgent, transformClient }
  })

/** The options' values by name, as `optionsFromConfig` assembles them. */
type Values = Record<string, unknown>

/** The `TWILIO_*` variables that are set, by the option each gives; an empty variable counts as unset. */
type Environment = { readonly [K in SourcedKey]?: string }

/** The own properties of `values` that are not `undefined` (an own `__proto__` key stays a plain key). */
const definedOnly = (values: object): Values =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))

/** Reads the `TWILIO_*` variables through Effect's `ConfigProvider`. */
const readEnvironment = (location: Location): Effect.Effect<Environment, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const env: { [K in SourcedKey]?: string } = {}
    for (const key of SOURCED_KEYS) {
      const value = yield* Effect.map(Config.option(Config.string(variableOf(key, location))), Option.getOrUndefined)
      if (value !== undefined && value.length > 0) env[key] = value
    }
    return env
  })

/** The override of `key`, or else its variable's value (a secret's redacted); `undefined` when neither is set. */
const valueOf = (key: SourcedKey, given: Values, env: Environment): unknown => {
  if (given[key] !== undefined) return given[key]
  const value = env[key]
  if (value === undefined) return undefined
  return key === "authToken" || key === "apiKeySecret" ? Redacted.make(value) : value
}

/** One credential pair as `optionsFromConfig` gathered it, and whether the overrides gave credentials. */
interface Pair {
  readonly kind: PairKind
  readonly sid: unknown
  readonly secret: unknown
  readonly fromOverrides: boolean
}

/** The halves of the pair `kind`, each from the overrides or else from its variable. */
const gatherPair = (kind: PairKind, given: Values, env: Environment, fromOverrides: boolean): Pair => ({
  kind,
  sid: valueOf(kind.sidKey, given, env),
  secret: valueOf(kind.secretKey, given, env),
  fromOverrides
})

const isComplete = (pair: Pair | undefined): pair is Pair =>
  pair !== undefined && pair.sid !== undefined && pair.secret !== undefined

const CREDENTIALS = "the credentials are TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN or TWILIO_API_KEY + TWILIO_API_SECRET"

/** The error for a pair with one half: it names the missing half. `undefined` for an empty or complete pair. */
const halfSet = (pair: Pair | undefined): ConfigError.ConfigError | undefined => {
  if (pair === undefined || (pair.sid === undefined) === (pair.secret === undefined)) return undefined
  const { kind } = pair
  const [presentKey, missingKey] = pair.sid === undefined
    ? [kind.secretKey, kind.sidKey]
    : [kind.sidKey, kind.secretKey]
  /** A half is named as the options call it when credentials were given there, else by its variable. */
  const label = (key: SourcedKey): string => pair.fromOverrides ? key : VARIABLES[key]
  const hint = pair.fromOverrides ? ` (give it in the options, or set ${VARIABLES[missingKey]})` : ` (${CREDENTIALS})`
  return ConfigError.MissingData([label(missingKey)], `${label(presentKey)} is set without ${label(missingKey)}${hint}`)
}

/** The error when no pair is usable: those of the half-set pairs, or else one naming both pairs. */
const credentialsError = (
  keyError: ConfigError.ConfigError | undefined,
  tokenError: ConfigError.ConfigError | undefined
): ConfigError.ConfigError => {
  if (keyError && tokenError) return ConfigError.Or(keyError, tokenError)
  return keyError ?? tokenError ?? ConfigError.Or(
    ConfigError.MissingData(
      ["TWILIO_ACCOUNT_SID"],
      "Missing Twilio credentials: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
    ),
    ConfigError.MissingData(["TWILIO_API_KEY"], "or TWILIO_API_KEY and TWILIO_API_SECRET")
  )
}

/**
 * The credential pair to use: the one the overrides give a half of (the API key when they give halves of both),
 * completed from the same pair's variables; else a complete pair of the environment, the API key first.
 */
const chooseCredentials = (given: Values, env: Environment): Effect.Effect<Pair, ConfigError.ConfigError> => {
  const givesKey = hasHalf(given, API_KEY_PAIR)
  const givesToken = hasHalf(given, ACCOUNT_PAIR)
  const fromOverrides = givesKey || givesToken
  const key = !fromOverrides || givesKey ? gatherPair(API_KEY_PAIR, given, env, fromOverrides) : undefined
  const token = !fromOverrides || givesToken ? gatherPair(ACCOUNT_PAIR, given, env, fromOverrides) : undefined
  // The options' own precedence holds for credentials given there: an API key, even half of one, wins.
  const chosen = fromOverrides ? (givesKey ? key : token) : [key, token].find(isComplete)
  if (isComplete(chosen)) return Effect.succeed(chosen)
  const tokenError = fromOverrides && givesKey ? undefined : halfSet(token)
  return Effect.fail(credentialsError(halfSet(key), tokenError))
}

/** The overrides with the chosen pair's halves, and without the other pair's, so that it is never validated or used. */
const withCredentials = (given: Values, chosen: Pair): Values => {
  const other = chosen.kind === API_KEY_PAIR ? ACCOUNT_PAIR : API_KEY_PAIR
  const options: Values = { ...given }
  delete options[other.sidKey]
  delete options[other.secretKey]
  options[chosen.kind.sidKey] = chosen.sid
  options[chosen.kind.secretKey] = chosen.secret
  return options
}

/**
 * `options` with the location: a `baseUrl` of the overrides wins; their `region` or `edge` make
 * `TWILIO_CHAT_BASE_URL` ignored, the other of the two coming from its variable; else the environment's.
 */
const withLocation = (options: Values, given: Values, env: Environment): Values => {
  if (given.baseUrl !== undefined) return options
  const regionOrEdge = given.region !== undefined || given.edge !== undefined
  if (!regionOrEdge && env.baseUrl !== undefined) return { ...options, baseUrl: valueOf("baseUrl", given, env) }
  return { ...options, region: valueOf("region", given, env), edge: valueOf("edge", given, env) }
}

/** The variable each option of `options` came from: those it holds that the overrides did not give. */
const sourcesOf = (options: Values, given: Values, location: Location): Sources => {
  const sources: { [K in SourcedKey]?: string } = {}
  for (const key of SOURCED_KEYS) {
    if (options[key] !== undefined && given[key] === undefined) sources[key] = variableOf(key, location)
  }
  return sources
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
  overrides: ChatV2UserApiOptions = {},
  location: Location = CHAT
): Effect.Effect<ChatV2UserApiOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    yield* requireOptionsObject(overrides)
    const env = yield* readEnvironment(location)
    const given = definedOnly(overrides)
    const chosen = yield* chooseCredentials(given, env)
    const merged = definedOnly(withLocation(withCredentials(given, chosen), given, env))
    const options = merged as ChatV2UserApiOptions
    yield* resolveOptions(options, sourcesOf(merged, given, location), location)
    return options
  })
