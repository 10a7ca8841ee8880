/**
 * The configuration of the client: credentials, where Twilio is, timeouts and the retry policy.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * The retry policy. 429 is always retried (Twilio did not process the request); 500, 502, 503, 504 and
 * transport failures (connection errors, timeouts) are retried for fetch, list, update and delete, never for
 * create. Waits grow exponentially from `base` with ±20% jitter and never exceed `cap`; a `Retry-After` from the
 * server is honoured instead, capped at `cap` too.
 *
 * @example
 * ```ts
 * import type { RetryOptions } from "@effect-twilio/chat"
 *
 * const patient: RetryOptions = { times: 5, base: "500 millis", cap: "20 seconds" }
 * ```
 * @since 0.1.0
 * @category configuration
 */
export interface RetryOptions {
  /** How many retries after the first attempt. Default `3`. `0` disables retries, like `retry: false`. */
  readonly times?: number | undefined
  /** The wait before the first retry; each further wait doubles. Default `250 millis`. */
  readonly base?: Duration.DurationInput | undefined
  /** The longest wait, for backoff and for a server's `Retry-After` alike. Default `30 seconds`. */
  readonly cap?: Duration.DurationInput | undefined
}

/**
 * The options of `ChatV2UserApi.layer` and `ChatV2UserApi.make`.
 *
 * Credentials are either `accountSid` + `authToken` or (recommended in production) `apiKeySid` + `apiKeySecret`.
 *
 * @example
 * ```ts
 * import type { ChatV2UserApiOptions } from "@effect-twilio/chat"
 * import * as Redacted from "effect/Redacted"
 *
 * const options: ChatV2UserApiOptions = {
 *   apiKeySid: "SK00000000000000000000000000000000",
 *   apiKeySecret: Redacted.make("secret"),
 *   region: "ie1",
 *   edge: "dublin",
 *   timeout: "10 seconds"
 * }
 * ```
 * @since 0.1.0
 * @category configuration
 */
export interface ChatV2UserApiOptions {
  /** The account SID (`AC…`), with `authToken`. */
  readonly accountSid?: string | undefined
  /** The account's auth token, with `accountSid`. Prefer a `Redacted`. */
  readonly authToken?: Redacted.Redacted | string | undefined
  /** An API key SID (`SK…`), with `apiKeySecret`. Takes precedence over `accountSid` + `authToken`. */
  readonly apiKeySid?: string | undefined
  /** The API key's secret, with `apiKeySid`. Prefer a `Redacted`. */
  readonly apiKeySecret?: Redacted.Redacted | string | undefined
  /**
   * Where Twilio is. Default `https://chat.twilio.com`, or the regional host when `region`/`edge` are set.
   * Must be `https:` unless it is a loopback host (for emulators): `http://127.0.0.1:4010`.
   */
  readonly baseUrl?: string | undefined
  /** A Twilio region such as `us1`, `ie1`, `au1`: the host becomes `chat.{edge}.{region}.twilio.com`. */
  readonly region?: string | undefined
  /** A Twilio edge location such as `dublin` or `sydney`; without a region, the region is `us1`. */
  readonly edge?: string | undefined
  /** The timeout of each attempt, from sending to the last byte of the body; on expiry the request is aborted. Default `30 seconds`. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The retry policy, or `false` for a single attempt. Default `{ times: 3, base: "250 millis", cap: "30 seconds" }`. */
  readonly retry?: RetryOptions | false | undefined
  /** Appended to the client's `User-Agent` (`effect-twilio-chat/{version}`), to name your application. */
  readonly userAgent?: string | undefined
  /** A last hook over the decorated `HttpClient`, e.g. to add a proxy header. Runs once, at construction. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * The configuration after validation, as the client uses it.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const resolved = Effect.runSync(resolveOptions({ accountSid: "AC00000000000000000000000000000000", authToken: "t" }))
 * console.log(resolved.baseUrl) // "https://chat.twilio.com"
 * ```
 * @since 0.1.0
 * @category configuration
 */
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

/**
 * The package version, sent in the `User-Agent`.
 *
 * @example
 * ```ts
 * import { VERSION } from "@effect-twilio/chat"
 *
 * console.log(VERSION)
 * ```
 * @since 0.1.0
 * @category configuration
 */
export const VERSION = "0.1.0"

const SID_ACCOUNT = /^AC[0-9a-fA-F]{32}$/
const SID_API_KEY = /^SK[0-9a-fA-F]{32}$/
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

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

const secretOf = (value: Redacted.Redacted | string): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value as Redacted.Redacted<string> : Redacted.make(value)

/**
 * Validates options and fills in the defaults: credentials, the base URL (from `baseUrl`, `region` and `edge`),
 * the timeout and the retry policy. Fails with a `ConfigError` that names the offending option; never echoes a
 * secret.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const resolved = Effect.runSync(resolveOptions({ apiKeySid: "SK00000000000000000000000000000000", apiKeySecret: "s", region: "au1" }))
 * console.log(resolved.baseUrl) // "https://chat.au1.twilio.com"
 * ```
 * @since 0.1.0
 * @category configuration
 */
export const resolveOptions = (
  options: ChatV2UserApiOptions
): Effect.Effect<ResolvedOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    let username: string
    let password: Redacted.Redacted<string>
    if (options.apiKeySid !== undefined || options.apiKeySecret !== undefined) {
      if (options.apiKeySid === undefined || !SID_API_KEY.test(options.apiKeySid)) {
        return yield* Effect.fail(invalid("apiKeySid", "Expected an API key SID: SK followed by 32 hex digits"))
      }
      if (options.apiKeySecret === undefined) {
        return yield* Effect.fail(ConfigError.MissingData(["apiKeySecret"], "apiKeySid needs apiKeySecret"))
      }
      username = options.apiKeySid
      password = secretOf(options.apiKeySecret)
    } else if (options.accountSid !== undefined || options.authToken !== undefined) {
      if (options.accountSid === undefined || !SID_ACCOUNT.test(options.accountSid)) {
        return yield* Effect.fail(invalid("accountSid", "Expected an account SID: AC followed by 32 hex digits"))
      }
      if (options.authToken === undefined) {
        return yield* Effect.fail(ConfigError.MissingData(["authToken"], "accountSid needs authToken"))
      }
      username = options.accountSid
      password = secretOf(options.authToken)
    } else {
      return yield* Effect.fail(
        ConfigError.MissingData(
          ["credentials"],
          "Missing credentials: give accountSid + authToken or apiKeySid + apiKeySecret"
        )
      )
    }
    if (Redacted.value(password).length === 0) {
      return yield* Effect.fail(invalid("credentials", "The auth token or API secret is empty"))
    }

    let baseUrl: string
    if (options.baseUrl !== undefined) {
      let url: URL
      try {
        url = new URL(options.baseUrl)
      } catch {
        return yield* Effect.fail(invalid("baseUrl", "Expected an absolute URL"))
      }
      if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
        return yield* Effect.fail(
          invalid("baseUrl", "Expected an https: URL (http: is allowed for loopback hosts only)")
        )
      }
      if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
        return yield* Effect.fail(invalid("baseUrl", "Expected a URL without credentials, query or fragment"))
      }
      baseUrl = url.origin + url.pathname.replace(/\/+$/, "")
    } else {
      const region = options.region?.toLowerCase()
      const edge = options.edge?.toLowerCase()
      if (region !== undefined && !HOST_LABEL.test(region)) {
        return yield* Effect.fail(invalid("region", "Expected a region such as us1, ie1 or au1"))
      }
      if (edge !== undefined && !HOST_LABEL.test(edge)) {
        return yield* Effect.fail(invalid("edge", "Expected an edge location such as ashburn, dublin or sydney"))
      }
      const labels = edge !== undefined ? [edge, region ?? "us1"] : region !== undefined ? [region] : []
      baseUrl = `https://${["chat", ...labels, "twilio", "com"].join(".")}`
    }

    const timeout = yield* duration("timeout", options.timeout, Duration.seconds(30))
    if (Duration.toMillis(timeout) <= 0) return yield* Effect.fail(invalid("timeout", "Expected a positive duration"))
    const retry = options.retry === false ? { times: 0 } : options.retry ?? {}
    const retries = retry.times ?? 3
    if (!Number.isSafeInteger(retries) || retries < 0) {
      return yield* Effect.fail(invalid("retry.times", "Expected a whole number >= 0"))
    }
    const retryBase = yield* duration("retry.base", retry.base, Duration.millis(250))
    const retryCap = yield* duration("retry.cap", retry.cap, Duration.seconds(30))

    if (options.userAgent !== undefined && /[\r\n]/.test(options.userAgent)) {
      return yield* Effect.fail(invalid("userAgent", "Expected a single line"))
    }
    const userAgent = `effect-twilio-chat/${VERSION}` + (options.userAgent ? ` ${options.userAgent}` : "")
    return {
      username,
      password,
      baseUrl,
      timeout,
      retries,
      retryBase,
      retryCap,
      userAgent,
      transformClient: options.transformClient
    }
  })

/**
 * Reads the options from the environment (through Effect's `ConfigProvider`), then lets `overrides` win:
 * `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_API_KEY`, `TWILIO_API_SECRET`, `TWILIO_REGION`,
 * `TWILIO_EDGE`, `TWILIO_CHAT_BASE_URL`. Missing credentials fail with a `ConfigError` that names the variables.
 *
 * @example
 * ```ts
 * import { optionsFromConfig } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.map(optionsFromConfig({ timeout: "5 seconds" }), (options) => options.region)
 * ```
 * @since 0.1.0
 * @category configuration
 */
export const optionsFromConfig = (
  overrides: ChatV2UserApiOptions = {}
): Effect.Effect<ChatV2UserApiOptions, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const opt = <A>(config: Config.Config<A>) => Config.option(config).pipe(Effect.map(Option.getOrUndefined))
    const accountSid = yield* opt(Config.nonEmptyString("TWILIO_ACCOUNT_SID"))
    const authToken = yield* opt(Config.redacted(Config.nonEmptyString("TWILIO_AUTH_TOKEN")))
    const apiKeySid = yield* opt(Config.nonEmptyString("TWILIO_API_KEY"))
    const apiKeySecret = yield* opt(Config.redacted(Config.nonEmptyString("TWILIO_API_SECRET")))
    const region = yield* opt(Config.nonEmptyString("TWILIO_REGION"))
    const edge = yield* opt(Config.nonEmptyString("TWILIO_EDGE"))
    const baseUrl = yield* opt(Config.nonEmptyString("TWILIO_CHAT_BASE_URL"))
    const fromEnv: ChatV2UserApiOptions = apiKeySid !== undefined || apiKeySecret !== undefined
      ? { apiKeySid, apiKeySecret, region, edge, baseUrl }
      : { accountSid, authToken, region, edge, baseUrl }
    const merged: ChatV2UserApiOptions = { ...fromEnv }
    for (const [key, value] of Object.entries(overrides)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value
    }
    const hasKey = merged.apiKeySid !== undefined && merged.apiKeySecret !== undefined
    const hasToken = merged.accountSid !== undefined && merged.authToken !== undefined
    if (!hasKey && !hasToken) {
      return yield* Effect.fail(
        ConfigError.Or(
          ConfigError.MissingData(
            ["TWILIO_ACCOUNT_SID"],
            "Missing Twilio credentials: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
          ),
          ConfigError.MissingData(["TWILIO_API_KEY"], "or TWILIO_API_KEY and TWILIO_API_SECRET")
        )
      )
    }
    return merged
  })
