/**
 * `ChatV2UserApi` over the in-memory fake: the real client (encoding, decoding, retries, error mapping) with an
 * `HttpClient` that routes to `FakeTwilioChat` instead of the network. No sockets; time is Effect's `Clock`.
 *
 * @since 0.1.0
 */
import { ChatV2UserApi, type ChatV2UserApiOptions, ConversationsV1UserApi } from "@effect-twilio/chat"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type {
  FakeResponse,
  FakeTwilioChatError,
  FakeTwilioChatOptions,
  FakeTwilioChatService
} from "./FakeTwilioChat.js"
import { FakeTwilioChat } from "./FakeTwilioChat.js"
import { NULL_BODY_STATUSES } from "./internal/answers.js"
import { clientFor, conversationsClientFor } from "./internal/options.js"

/**
 * The options of `ChatTest.layer`: the fake's, plus client options laid over the fake's credentials and base URL.
 *
 * @example
 * ```ts
 * import type { ChatTestOptions } from "@effect-twilio/chat-testing"
 *
 * const options: ChatTestOptions = { seedUsers: 120, client: { retry: false, timeout: "2 seconds" } }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ChatTestOptions extends FakeTwilioChatOptions {
  /**
   * Options of both clients (`ChatV2UserApi.layer`, `ConversationsV1UserApi.layer`), over the defaults
   * `{ accountSid, authToken, baseUrl }` of the fake: a retry
   * policy, a timeout, or other credentials (a wrong `authToken` gets 401, `apiKeySid` + `apiKeySecret` of the
   * fake are accepted).
   */
  readonly client?: ChatV2UserApiOptions | undefined
}

const bodyBytes = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Uint8Array | string, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed("")
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(
        typeof body.body === "string" ? body.body : body.body instanceof Uint8Array ? body.body : String(body.body)
      )
    case "FormData":
      return Effect.promise(() => new Response(body.formData).arrayBuffer().then((b) => new Uint8Array(b)))
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => Buffer.concat(Chunk.toArray(chunks))),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

const PADDING_CHUNK = new Uint8Array(64 * 1024).fill(0x20)

/** The body, then `bytes` spaces, made as the reader pulls them: an enormous body that costs no memory. */
const paddedStream = (body: Uint8Array, bytes: number) => {
  let remaining = bytes
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body)
    },
    pull(controller) {
      if (remaining <= 0) return controller.close()
      const n = Math.min(remaining, PADDING_CHUNK.length)
      remaining -= n
      controller.enqueue(n === PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.subarray(0, n))
    }
  }, { highWaterMark: 0 })
}

const toWebResponse = (answer: Extract<FakeResponse, { _tag: "Answer" }>): Response => {
  const headers = new Headers(answer.headers)
  if (NULL_BODY_STATUSES.has(answer.status)) return new Response(null, { status: answer.status, headers })
  const bytes = new TextEncoder().encode(answer.body)
  if (answer.padding !== undefined) {
    const { bytes: padding, contentLength } = answer.padding
    if (contentLength) headers.set("content-length", String(bytes.length + padding))
    return new Response(paddedStream(bytes, padding), { status: answer.status, headers })
  }
  headers.set("content-length", String(bytes.length))
  if (answer.stalled) {
    // Half of the body arrives, then nothing: the read only ends when the client gives up.
    const half = bytes.subarray(0, Math.floor(bytes.length / 2))
    return new Response(new ReadableStream({ start: (controller) => controller.enqueue(half) }), {
      status: answer.status,
      headers
    })
  }
  if (!answer.truncated) return new Response(bytes, { status: answer.status, headers })
  // Half of the body arrives, then the stream fails: what a client reading a cut connection sees.
  const half = bytes.subarray(0, Math.floor(bytes.length / 2))
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(half)
      controller.error(new Error("terminated: other side closed the connection before the body was complete"))
    }
  })
  return new Response(stream, { status: answer.status, headers })
}

const makeHttpClient = (fake: FakeTwilioChatService): HttpClient.HttpClient => {
  const origins = new Set([new URL(fake.baseUrl).origin, new URL(fake.conversationsBaseUrl).origin])
  return HttpClient.make((request, url) =>
    Effect.gen(function*() {
      if (!origins.has(url.origin)) {
        // Nothing listens there: the request goes nowhere and the fake never sees it.
        return yield* Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: new Error(`getaddrinfo ENOTFOUND ${url.hostname}`)
          })
        )
      }
      const headers: Record<string, string> = { ...request.headers }
      if (request.body._tag !== "Empty" && request.body.contentType && headers["content-type"] === undefined) {
        headers["content-type"] = request.body.contentType
      }
      const response = yield* fake.handle({
        method: request.method,
        path: url.pathname,
        query: url.search.slice(1),
        headers,
        body: yield* bodyBytes(request)
      })
      if (response._tag === "Reset") {
        return yield* Effect.fail(
          new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error("read ECONNRESET") })
        )
      }
      return HttpClientResponse.fromWeb(request, toWebResponse(response))
    })
  )
}

/**
 * An `HttpClient` whose requests go to `fake` (as `fake.handle`), for requests to the fake's origins (`baseUrl`
 * for Chat V2, `conversationsBaseUrl` for Conversations v1); any other host fails as an unknown host would. Delays
 * of faults run on the requesting fiber's `Clock`.
 *
 * @example
 * ```ts
 * import { ChatTest, FakeTwilioChat } from "@effect-twilio/chat-testing"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import * as Effect from "effect/Effect"
 *
 * const status = Effect.gen(function*() {
 *   const fake = yield* FakeTwilioChat.make()
 *   const response = yield* ChatTest.httpClient(fake).get(`${fake.baseUrl}/v2/Services/${fake.defaultServiceSid}/Users`)
 *   return response.status // 401: no credentials
 * })
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const httpClient: (fake: FakeTwilioChatService) => HttpClient.HttpClient = makeHttpClient

/**
 * A layer of the fake and an `HttpClient` routed to it, for a client of your own over the fake.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { ChatTest } from "@effect-twilio/chat-testing"
 * import * as Layer from "effect/Layer"
 *
 * const fakeHttp = ChatTest.layerHttpClient({ seedUsers: 3 })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (
  options?: FakeTwilioChatOptions
): Layer.Layer<HttpClient.HttpClient | FakeTwilioChat, FakeTwilioChatError> =>
  Layer.provideMerge(
    Layer.effect(HttpClient.HttpClient, Effect.map(FakeTwilioChat, makeHttpClient)),
    FakeTwilioChat.layer(options)
  )

/**
 * `ChatV2UserApi` and `ConversationsV1UserApi` (the real clients) over the in-memory fake, one store for both, and
 * `FakeTwilioChat` to control it. Each build is a fresh fake. The clients keep their defaults (3 retries with
 * backoff on Effect's `Clock`): in `it.effect`, advance `TestClock` to let retries and delays happen, or pass
 * `client: { retry: false }` (it applies to both).
 *
 * @example
 * ```ts
 * import { ChatV2UserApi, ConversationsV1UserApi } from "@effect-twilio/chat"
 * import { ChatTest, FakeTwilioChat } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * // In a test file: `it.effect("creates a user", () => createsAlice)` with @effect/vitest.
 * const createsAlice = Effect.gen(function*() {
 *   const fake = yield* FakeTwilioChat
 *   const chat = yield* ChatV2UserApi
 *   const conversations = yield* ConversationsV1UserApi
 *   const alice = yield* chat.createUser(fake.defaultServiceSid, "alice")
 *   const same = yield* conversations.fetchUser(fake.defaultServiceSid, alice.sid)
 *   if (same.identity !== "alice") throw new Error("expected one store for both APIs")
 * }).pipe(Effect.provide(ChatTest.layer()))
 *
 * Effect.runPromise(createsAlice)
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: ChatTestOptions = {}
): Layer.Layer<
  ChatV2UserApi | ConversationsV1UserApi | FakeTwilioChat,
  ConfigError.ConfigError | FakeTwilioChatError
> => {
  const overFake = <A, E>(make: (fake: FakeTwilioChatService) => Effect.Effect<A, E, HttpClient.HttpClient>) =>
    Effect.flatMap(
      FakeTwilioChat,
      (fake) => make(fake).pipe(Effect.provideService(HttpClient.HttpClient, makeHttpClient(fake)))
    )
  return Layer.provideMerge(
    Layer.merge(
      Layer.effect(ChatV2UserApi, overFake((fake) => clientFor(fake, options.client))),
      Layer.effect(ConversationsV1UserApi, overFake((fake) => conversationsClientFor(fake, options.client)))
    ),
    FakeTwilioChat.layer(options)
  )
}
