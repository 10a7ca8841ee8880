import type { ChatV2UserApi } from "@effect-twilio/chat"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import type { ChatTestOptions, FakeRequest, FakeResponse, FakeTwilioChat, FakeTwilioChatService } from "../src/index.js"

/** Builds a fresh fake and a client over it; the contract suite runs against every way of doing so. */
export type MakeLayer = (options?: ChatTestOptions) => Layer.Layer<ChatV2UserApi | FakeTwilioChat, unknown>

/** 2026-01-02T03:04:05Z: the `TestClock` time tests start from. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5)

export const ROLE = "RL0123456789abcdef0123456789abcdef"
export const OTHER_SERVICE = "IS00000000000000000000000000000099"

/** Real time, for tests whose other side is a socket. */
export const liveWait = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * Waits until some fiber sleeps on `TestClock` until at most `withinMillis` from now (a retry backoff, a timeout),
 * so that `TestClock.adjust` wakes it. In memory the fiber gets there by yielding; over a socket (`io`) the answer
 * has to arrive first, so real time passes between checks.
 */
export const awaitSleepWithin = (withinMillis: number, io: boolean, orDone?: Fiber.Fiber<unknown, unknown>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 2000; i++) {
      const now = yield* Clock.currentTimeMillis
      const sleeps = yield* TestClock.sleeps()
      if (Chunk.some(sleeps, (end) => end > now && end <= now + withinMillis)) return
      if (orDone !== undefined && Option.isSome(yield* Fiber.poll(orDone))) return
      if (io) yield* liveWait(2)
      else yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage(`No fiber went to sleep for at most ${withinMillis} ms`)
  })

/** Lets `fiber` sleep and wakes it, `step` at a time, until it is done (retries with backoff, say). */
export const driveToEnd = <A, E>(fiber: Fiber.Fiber<A, E>, step: number, io: boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100; i++) {
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      yield* awaitSleepWithin(step, io, fiber)
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

export const basic = (username: string, password: string) =>
  "Basic " + Buffer.from(`${username}:${password}`).toString("base64")

/** What a raw request gets: the status, the headers and the body (parsed JSON, or `""` when empty). */
export interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: any
}

/** A raw request, as curl would send it: a method, a path with its query, a form body, extra headers. */
export type Send = (
  method: string,
  pathAndQuery: string,
  options?: { readonly form?: string; readonly headers?: Record<string, string> }
) => Effect.Effect<RawAnswer>

const rawHeaders = (
  authorization: string,
  options: { readonly form?: string; readonly headers?: Record<string, string> }
): Record<string, string> => ({
  authorization,
  ...(options.form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
  ...options.headers
})

const parsedBody = (text: string): any => text === "" ? "" : JSON.parse(text)

/** Raw requests to `fake.handle`, as curl would send them: for what the client never sends. */
export const raw = (fake: FakeTwilioChatService): Send => {
  const authorization = basic(fake.accountSid, Redacted.value(fake.authToken))
  return (method, pathAndQuery, options = {}) => {
    const q = pathAndQuery.indexOf("?")
    const request: FakeRequest = {
      method,
      path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
      query: q < 0 ? "" : pathAndQuery.slice(q + 1),
      headers: rawHeaders(authorization, options),
      body: options.form ?? ""
    }
    return Effect.flatMap(fake.handle(request), (response: FakeResponse) =>
      response._tag === "Answer"
        ? Effect.succeed({ status: response.status, headers: response.headers, body: parsedBody(response.body) })
        : Effect.dieMessage("The connection was reset"))
  }
}

/** The same raw requests with `fetch`, over a socket to `origin` (an emulator's `localUrl`). */
export const rawHttp = (
  origin: string,
  credentials: { readonly accountSid: string; readonly authToken: Redacted.Redacted<string> }
): Send => {
  const authorization = basic(credentials.accountSid, Redacted.value(credentials.authToken))
  return (method, pathAndQuery, options = {}) =>
    Effect.promise(async () => {
      const response = await fetch(origin + pathAndQuery, {
        method,
        headers: rawHeaders(authorization, options),
        ...(options.form === undefined ? {} : { body: options.form })
      })
      const text = await response.text()
      return { status: response.status, headers: Object.fromEntries(response.headers), body: parsedBody(text) }
    })
}
