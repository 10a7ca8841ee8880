/**
 * What every minimal app of the start-up and bundle measurements does, over the HTTP layer it is given: fetch one
 * user with effect-twilio, configured from the environment, print its identity and exit. With BENCH_LOAD_ONLY=1 it
 * stops before sending anything. Each app is its own entry point (so each bundles only its layer) and calls this.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export const fetchOneUser = <E>(http: Layer.Layer<HttpClient.HttpClient, E>): void => {
  const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(http))
  const program = Effect.flatMap(
    ChatV2UserApi,
    (chat) => chat.fetchUser(process.env.BENCH_SERVICE!, process.env.BENCH_USER!)
  )
  if (process.env.BENCH_LOAD_ONLY === "1") return
  Effect.runPromise(Effect.provide(program, ChatLive)).then((user) => {
    process.stdout.write(user.identity + "\n")
    process.exit(0)
  }, (error) => {
    console.error(error)
    process.exit(1)
  })
}
