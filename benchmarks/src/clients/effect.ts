/** effect-twilio, over the `HttpClient` layer it is given; loops run inside Effect, as an Effect app's would. */
import { ChatV2UserApi } from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import { ACCOUNT_SID, AUTH_TOKEN, FETCH_USERS, PAGE_SIZE, SERVICE_BIG, userSid } from "../fixtures.js"
import type { Contender } from "./common.js"

export const make = (
  name: string,
  origin: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  /** Read the next page while the current one is consumed: the consumer's opt-in, `Stream.bufferChunks`. */
  readAhead = false
): Contender => {
  const runtime = ManagedRuntime.make(
    ChatV2UserApi.layer({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: origin }).pipe(
      Layer.provide(http),
      Layer.orDie
    )
  )
  const withChat = <A, E>(f: (chat: ChatV2UserApi["Type"]) => Effect.Effect<A, E>) =>
    runtime.runPromise(Effect.flatMap(ChatV2UserApi, f))
  return {
    name,
    sequential: (n) =>
      withChat((chat) =>
        Effect.gen(function*() {
          for (let i = 0; i < n; i++) yield* chat.fetchUser(SERVICE_BIG, userSid(i % FETCH_USERS))
        })
      ),
    concurrent: (n, c) =>
      withChat((chat) =>
        Effect.forEach(
          Array.from({ length: n }, (_, i) => i),
          (i) => chat.fetchUser(SERVICE_BIG, userSid(i % FETCH_USERS)),
          { concurrency: c, discard: true }
        )
      ),
    streamAll: (service) =>
      withChat((chat) => {
        const users = chat.streamUsers(service, { pageSize: PAGE_SIZE })
        return Stream.runCount(readAhead ? Stream.bufferChunks(users, { capacity: 1 }) : users)
      }),
    close: () => runtime.dispose()
  }
}
