/**
 * Configuration in code rather than from `TWILIO_*` variables: an API key (recommended in production), a region and
 * an edge, a timeout and a retry policy. The secret is a `Redacted`, so it never shows in logs.
 *
 * The credentials here come from the environment only so that the example runs against the emulator; when
 * `TWILIO_CHAT_BASE_URL` is set (an emulator or a proxy) it replaces the regional host.
 */
import { ChatV2UserApi, type ChatV2UserApiOptions } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** The client in Dublin (`chat.dublin.ie1.twilio.com`), with an API key. */
const options = (apiKeySid: string, apiKeySecret: ChatV2UserApiOptions["apiKeySecret"]): ChatV2UserApiOptions => ({
  apiKeySid,
  apiKeySecret,
  region: "ie1",
  edge: "dublin",
  timeout: "10 seconds",
  retry: { times: 5, base: "500 millis", cap: "20 seconds" },
  userAgent: "effect-twilio-examples/1.0"
})

export const program = Effect.gen(function*() {
  const apiKeySid = yield* Config.string("TWILIO_API_KEY")
  const apiKeySecret = yield* Config.redacted("TWILIO_API_SECRET")
  const baseUrl = yield* Config.option(Config.string("TWILIO_CHAT_BASE_URL"))
  const serviceSid = yield* Config.string("TWILIO_CHAT_SERVICE_SID")
  const inCode = options(apiKeySid, apiKeySecret)
  const ChatLive = ChatV2UserApi.layer(
    Option.match(baseUrl, { onNone: () => inCode, onSome: (url) => ({ ...inCode, baseUrl: url }) })
  )
    .pipe(Layer.provide(UndiciHttpClient.layer))
  const count = yield* Effect.flatMap(
    ChatV2UserApi,
    (chat) => Stream.runCount(chat.streamUsers(serviceSid, { limit: 5 }))
  )
    .pipe(Effect.provide(ChatLive))
  yield* Console.log(`configuration: an API key client read ${count} users`)
})
