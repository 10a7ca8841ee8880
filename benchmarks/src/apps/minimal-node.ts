/**
 * The minimal app of the start-up and bundle measurements: fetch one user with effect-twilio over `NodeHttpClient`
 * (`node:http` / `node:https`), configured from the environment. With BENCH_LOAD_ONLY=1 it stops before sending
 * anything. (The benchmarks do not depend on `@effect-twilio/http-node` by name: its source is bundled from the
 * workspace, as its `exports` would resolve it.)
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { NodeHttpClient } from "../../../packages/http-node/src/index.js"

const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(NodeHttpClient.layer))
const program = Effect.flatMap(
  ChatV2UserApi,
  (chat) => chat.fetchUser(process.env.BENCH_SERVICE!, process.env.BENCH_USER!)
)

if (process.env.BENCH_LOAD_ONLY !== "1") {
  Effect.runPromise(Effect.provide(program, ChatLive)).then((user) => {
    process.stdout.write(user.identity + "\n")
    process.exit(0)
  }, (error) => {
    console.error(error)
    process.exit(1)
  })
}
