/**
 * `@effect-twilio/chat` over `NodeHttpClient`, against the emulator (a real socket on 127.0.0.1): create, fetch,
 * delete and a three-page stream, through the `ChatTransport` on the live clock and through `execute` when a
 * `transformClient` is set or the clock is a `TestClock`.
 */
import { ChatTransport, ChatV2UserApi } from "@effect-twilio/chat"
import { Emulator, FakeTwilioChat } from "@effect-twilio/chat-testing"
import { NodeHttpClient } from "@effect-twilio/http-node"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** How many calls went through each path. */
interface Counts {
  exchanges: number
  executes: number
}

/** `NodeHttpClient`, its transport wrapped to count the exchanges (the client object, and so `execute`, unchanged). */
const countingLayer = (counts: Counts) =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(NodeHttpClient.make(), (client) => {
      const transport = ChatTransport.fromHttpClient(client)!
      return ChatTransport.withTransport(client, {
        exchange: (request, limits, onAnswer) => {
          counts.exchanges++
          return transport.exchange(request, limits, onAnswer)
        }
      })
    })
  )

/** Builds a fresh `Counts` and the client over the emulator (20 users seeded) for it. */
const setup = (viaTransformClient: boolean) => {
  const counts: Counts = { exchanges: 0, executes: 0 }
  const transformClient = viaTransformClient
    ? (client: HttpClient.HttpClient) => HttpClient.tapRequest(client, () => Effect.sync(() => counts.executes++))
    : undefined
  const layer = Emulator.layerClient({ seedUsers: 20, client: { retry: false, timeout: "5 seconds", transformClient } })
    .pipe(Layer.provide(countingLayer(counts)), Layer.orDie)
  return { counts, layer }
}

/** Create, fetch, a stream of three pages (21 users, 7 a page), delete, and a fetch of the deleted user. */
const roundTrip = Effect.gen(function*() {
  const chat = yield* ChatV2UserApi
  const emulator = yield* Emulator
  const fake = yield* FakeTwilioChat
  const created = yield* chat.createUser(emulator.serviceSid, "ada@example.com", { attributes: { lang: "en" } })
  const fetched = yield* chat.fetchUser(emulator.serviceSid, "ada@example.com")
  expect(fetched.sid).toBe(created.sid)
  expect(fetched.attributes).toEqual({ lang: "en" })
  yield* fake.clearRequests
  const streamed = yield* Stream.runCollect(chat.streamUsers(emulator.serviceSid, { pageSize: 7 }))
  expect(streamed.length).toBe(21)
  expect((yield* fake.requests).filter((r) => r.operation === "listUser").length).toBe(3)
  yield* chat.deleteUser(emulator.serviceSid, created.sid)
  const missing = yield* Effect.flip(chat.fetchUser(emulator.serviceSid, created.sid))
  expect(missing._tag).toBe("UserNotFound")
  // create, fetch, 3 pages, delete, fetch
  return 7
})

/** A server on 127.0.0.1 that never answers, for the scope; its base URL. */
const silentServer = Effect.acquireRelease(
  Effect.async<Http.Server>((resume) => {
    const server = Http.createServer(() => {})
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.promise(() =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    )
).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`))

describe("ChatV2UserApi over NodeHttpClient", () => {
  it.live("on the live clock: every call is one exchange of the transport", () => {
    const { counts, layer } = setup(false)
    return Effect.gen(function*() {
      const calls = yield* roundTrip
      expect(counts).toEqual({ exchanges: calls, executes: 0 })
    }).pipe(Effect.provide(layer))
  })

  it.live("with a transformClient: every call goes through execute", () => {
    const { counts, layer } = setup(true)
    return Effect.gen(function*() {
      const calls = yield* roundTrip
      expect(counts).toEqual({ exchanges: 0, executes: calls })
    }).pipe(Effect.provide(layer))
  })

  it.effect("on a TestClock: every call goes through execute", () => {
    const { counts, layer } = setup(false)
    return Effect.gen(function*() {
      yield* roundTrip
      expect(counts.exchanges).toBe(0)
    }).pipe(Effect.provide(layer))
  })

  it.live("a timeout on the live clock is a TransportError of reason Timeout", () =>
    Effect.gen(function*() {
      const chat = yield* ChatV2UserApi.make({
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken: "token",
        // A port that accepts and never answers: the server below.
        baseUrl: yield* silentServer,
        timeout: "100 millis",
        retry: false
      })
      const error = yield* Effect.flip(chat.fetchUser("IS0123456789abcdef0123456789abcdef", "alice"))
      expect(error._tag).toBe("TransportError")
      if (error._tag === "TransportError") expect(error.reason).toBe("Timeout")
    }).pipe(Effect.provide(NodeHttpClient.layer), Effect.scoped))
})
