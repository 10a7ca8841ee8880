/**
 * The emulator's variables as lines a POSIX shell can source (`export NAME=value`), values quoted when they need
 * it, and which credential pair `ChatV2UserApi.layerConfig()` will use with them.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"
import type { EmulatorInfo } from "../Emulator.js"

/** A variable and its value, in the order printed. */
export type Variables = ReadonlyArray<readonly [name: string, value: string]>

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `value` as one shell word: as is when every character is safe, else in single quotes (`'` as `'\''`). */
export const shellQuote = (value: string): string => SAFE.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`

/** `export NAME=value` lines, one per variable, each ending with a newline. */
export const exportLines = (variables: Variables): string =>
  variables.map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join("")

/**
 * The variables `ChatV2UserApi.layerConfig()` and `ConversationsV1UserApi.layerConfig()` read: one credential pair,
 * the account SID and auth token, unless `apiKey` adds the API key pair (which layerConfig then prefers); the public
 * URL, as the base URL of both APIs; and the default service.
 */
export const variablesOf = (emulator: EmulatorInfo, apiKey: boolean): Variables => [
  ["TWILIO_ACCOUNT_SID", emulator.accountSid],
  ["TWILIO_AUTH_TOKEN", Redacted.value(emulator.authToken)],
  ...(apiKey
    ? [["TWILIO_API_KEY", emulator.apiKeySid], ["TWILIO_API_SECRET", Redacted.value(emulator.apiKeySecret)]] as const
    : []),
  ["TWILIO_CHAT_BASE_URL", emulator.baseUrl],
  ["TWILIO_CONVERSATIONS_BASE_URL", emulator.baseUrl],
  ["TWILIO_CHAT_SERVICE_SID", emulator.serviceSid]
]

/** The note that says which pair `ChatV2UserApi.layerConfig()` uses with these variables. */
export const credentialNote = (apiKey: boolean): string =>
  apiKey
    ? "ChatV2UserApi.layerConfig() will use the API key pair (TWILIO_API_KEY + TWILIO_API_SECRET): it prefers it " +
      "when both pairs are set."
    : "ChatV2UserApi.layerConfig() will use TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (pass --api-key for an API " +
      "key pair as well)."
