import { ChatV2UserApi, type ChatV2UserApiOptions } from "@effect-twilio/chat"
import * as HttpClient from "@effect/platform/HttpClient"
import { RequestError } from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"

export const SERVICE = "IS0123456789abcdef0123456789abcdef"
export const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
export const ROLE = "RL0123456789abcdef0123456789abcdef"
export const USER = "US0123456789abcdef0123456789abcdef"
export const TOKEN = "s3cr3t-auth-token"

/** What the scripted fake saw of one request. */
export interface Sent {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Effect's clock (so `TestClock`) when the request arrived. */
  readonly at: number
  /** The request's abort signal: aborted when the client gave up on it (timeout, interruption). */
  readonly signal: AbortSignal
}

/**
 * A scripted answer: a status, a body and headers; or `"reset"` for a transport failure after the request left;
 * `"refused"` for a connection that was never made (`ECONNREFUSED`); or `"hang"`.
 */
export type Script =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | "reset"
  | "refused"
  | "hang"

const bodyText = (request: HttpClientRequest.HttpClientRequest): string => {
  const body = request.body
  if (body._tag === "Uint8Array") return new TextDecoder().decode(body.body)
  if (body._tag === "Raw") return String(body.body)
  return ""
}

/**
 * A scripted `HttpClient` (as in Effect's own tests): each request takes the next answer of `scripts` (the last
 * one repeats) and is recorded in `sent`.
 */
export const scripted = (scripts: ReadonlyArray<Script> | ((sent: Sent, index: number) => Script)) => {
  const sent: Array<Sent> = []
  const client = HttpClient.make((request, url, signal) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      const record: Sent = {
        at,
        signal,
        method: request.method,
        url: url.toString(),
        headers: { ...request.headers },
        body: bodyText(request)
      }
      sent.push(record)
      const index = sent.length - 1
      const script = typeof scripts === "function"
        ? scripts(record, index)
        : scripts[Math.min(index, scripts.length - 1)]
      if (script === "reset") {
        return Effect.fail(
          new RequestError({ request, reason: "Transport", cause: new Error("socket hang up") })
        )
      }
      if (script === "refused") {
        const cause = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:9`), { code: "ECONNREFUSED" })
        return Effect.fail(
          new RequestError({ request, reason: "Transport", cause: new TypeError("fetch failed", { cause }) })
        )
      }
      if (script === "hang") return Effect.never
      const body = script.body === undefined
        ? null
        : typeof script.body === "string"
        ? script.body
        : JSON.stringify(script.body)
      return Effect.succeed(
        HttpClientResponse.fromWeb(
          request,
          new Response(body, {
            status: script.status,
            headers: { "content-type": "application/json", ...script.headers }
          })
        )
      )
    })
  )
  return { sent, client, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const chatLayer = (
  http: Layer.Layer<HttpClient.HttpClient>,
  options: Partial<ChatV2UserApiOptions> = {}
) => ChatV2UserApi.layer({ accountSid: ACCOUNT, authToken: TOKEN, ...options }).pipe(Layer.provide(http), Layer.orDie)

export const userJson = (overrides: Record<string, unknown> = {}) => ({
  sid: USER,
  account_sid: ACCOUNT,
  service_sid: SERVICE,
  role_sid: ROLE,
  identity: "alice",
  attributes: "{\"team\":\"blue\"}",
  is_online: true,
  is_notifiable: null,
  friendly_name: "Alice",
  date_created: "2016-03-24T21:05:19Z",
  date_updated: "2016-03-24T21:05:20Z",
  joined_channels_count: 0,
  links: {
    user_channels: `https://chat.twilio.com/v2/Services/${SERVICE}/Users/${USER}/Channels`,
    user_bindings: `https://chat.twilio.com/v2/Services/${SERVICE}/Users/${USER}/Bindings`
  },
  url: `https://chat.twilio.com/v2/Services/${SERVICE}/Users/${USER}`,
  ...overrides
})

/** A Conversations user body. */
export const conversationsUserJson = (overrides: Record<string, unknown> = {}) => {
  const { joined_channels_count: _count, service_sid: _service, links: _links, url: _url, ...rest } = userJson()
  return {
    ...rest,
    chat_service_sid: SERVICE,
    url: `https://conversations.twilio.com/v1/Services/${SERVICE}/Users/${USER}`,
    links: {
      user_conversations: `https://conversations.twilio.com/v1/Services/${SERVICE}/Users/${USER}/Conversations`
    },
    ...overrides
  }
}

/**
 * Runs `self` in a fiber and advances the `TestClock` in small steps until it is done, so sleeps, backoffs and
 * timeouts happen at their exact instants without real waiting. Gives up (failing the test) after an hour of
 * simulated time, so a forgotten wait cannot hang the suite.
 */
export const clocked = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    for (let step = 0; step < 36_000; step++) {
      yield* Effect.yieldNow()
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      yield* TestClock.adjust("100 millis")
    }
    return yield* Fiber.join(fiber)
  })
