/** effect-twilio, over the `HttpClient` layer it is given; loops run inside Effect, as an Effect app's would. */
import { ChatV2UserApi, ConversationsV1UserApi } from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import { ACCOUNT_SID, AUTH_TOKEN, FETCH_USERS, PAGE_SIZE, SERVICE_BIG, userSid } from "../fixtures.js"
import type { Contender } from "./common.js"

/** What the loops use of either service. */
class Users extends Context.Tag("bench/Users")<Users, {
  readonly fetchUser: (serviceSid: string, sid: string) => Effect.Effect<unknown, unknown>
  readonly streamUsers: (serviceSid: string, options: { readonly pageSize: number }) => Stream.Stream<unknown, unknown>
}>() {}

export const make = (
  name: string,
  origin: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  /** Read the next page while the current one is consumed: the consumer's opt-in, `Stream.bufferChunks`. */
  readAhead = false,
  /** Which of the two APIs: Chat V2, or Conversations v1 on the same engine (same users, other paths). */
  api: "chat" | "conversations" = "chat"
): Contender => {
  const options = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, baseUrl: origin }
  const service = api === "chat"
    ? Layer.effect(Users, ChatV2UserApi).pipe(Layer.provide(ChatV2UserApi.layer(options)))
    : Layer.effect(Users, ConversationsV1UserApi).pipe(Layer.provide(ConversationsV1UserApi.layer(options)))
  const runtime = ManagedRuntime.make(service.pipe(Layer.provide(http), Layer.orDie))
  const withChat = <A, E>(f: (chat: Users["Type"]) => Effect.Effect<A, E>) =>
    runtime.runPromise(Effect.flatMap(Users, f))
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
