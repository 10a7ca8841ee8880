/**
 * The configuration of the client: credentials, where Twilio is, timeouts and the retry policy.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"

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
 * Every option is checked when the layer is built: a bad one fails it with a `ConfigError` naming the option.
 *
 * With `ChatV2UserApi.layerConfig(options)`, `options` win over the `TWILIO_*` variables, and credentials go by
 * pairs: giving either half of a pair here selects that pair and the environment's other pair is ignored (the
 * missing half may come from the same pair's variable, e.g. `accountSid` here and `TWILIO_AUTH_TOKEN`). Without
 * credentials here, a complete pair of the environment is used (the API key when both are), and a half-set pair
 * fails with a `ConfigError` naming the missing variable. Likewise `baseUrl` here wins over the environment's
 * location, and `region` or `edge` here make `TWILIO_CHAT_BASE_URL` ignored. Empty variables count as unset; a
 * malformed variable is reported under its name.
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
  /**
   * Appended to the client's `User-Agent` (`effect-twilio-chat/{version}`), to name your application. Visible
   * ASCII characters, spaces and tabs only (it goes in a header).
   */
  readonly userAgent?: string | undefined
  /** A last hook over the decorated `HttpClient`, e.g. to add a proxy header. Runs once, at construction. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
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
