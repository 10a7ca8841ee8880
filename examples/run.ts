/**
 * Runs the examples, each twice (every one can run again after itself): against Twilio when the `TWILIO_*`
 * variables and `TWILIO_CHAT_SERVICE_SID` are set, otherwise against the emulator started in-process with 250
 * users. `pnpm examples` runs them all; `pnpm examples paging errors` runs some.
 */
import { ChatV2UserApi, ConversationsV1UserApi } from "@effect-twilio/chat"
import { Emulator } from "@effect-twilio/chat-testing"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as configuration from "./configuration.js"
import * as errors from "./errors.js"
import * as migrateAttributes from "./migrate-attributes.js"
import * as paging from "./paging.js"
import * as streamAll from "./stream-all.js"

/** An example: a program of the client (or that builds its own, as `configuration` does). */
interface Example {
  readonly program: Effect.Effect<void, unknown, ChatV2UserApi | ConversationsV1UserApi>
}

const EXAMPLES: Record<string, Example> = {
  paging,
  "stream-all": streamAll,
  errors,
  configuration,
  "migrate-attributes": migrateAttributes
}

/** The emulator's coordinates as the `TWILIO_*` variables the examples read. */
const emulatorConfig = Effect.map(Emulator, (e) =>
  ConfigProvider.fromMap(
    new Map([
      ["TWILIO_ACCOUNT_SID", e.accountSid],
      ["TWILIO_AUTH_TOKEN", Redacted.value(e.authToken)],
      ["TWILIO_API_KEY", e.apiKeySid],
      ["TWILIO_API_SECRET", Redacted.value(e.apiKeySecret)],
      ["TWILIO_CHAT_BASE_URL", e.baseUrl],
      ["TWILIO_CONVERSATIONS_BASE_URL", e.baseUrl],
      ["TWILIO_CHAT_SERVICE_SID", e.serviceSid]
    ])
  ))

/** Twilio from the environment when it is configured; otherwise the emulator. */
const Environment = Layer.unwrapEffect(
  Effect.map(Config.option(Config.string("TWILIO_CHAT_SERVICE_SID")), (serviceSid) =>
    Option.isSome(serviceSid)
      ? Layer.empty
      : Layer.unwrapScoped(Effect.map(emulatorConfig, Layer.setConfigProvider)).pipe(
        Layer.provide(Emulator.layer({ seedUsers: 250 }))
      ))
)

const ChatLive = Layer.mergeAll(ChatV2UserApi.layerConfig(), ConversationsV1UserApi.layerConfig()).pipe(
  Layer.provide(UndiciHttpClient.layer)
)

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(EXAMPLES)
const all = Effect.forEach(names, (name) => {
  const example: Example | undefined = EXAMPLES[name]
  if (example === undefined) return Effect.fail(`No example named ${name}: ${Object.keys(EXAMPLES).join(", ")}`)
  return Effect.zipRight(Console.log(`--- ${name}`), Effect.repeatN(example.program, 1))
}, { discard: true })

Effect.runPromise(all.pipe(Effect.provide(ChatLive), Effect.provide(Environment))).catch((error) => {
  console.error(`An example failed: ${error}`)
  process.exitCode = 1
})
