/**
 * One attempt: send a request, read its body within a byte limit, all within the timeout; abort on expiry, on
 * interruption and on any refused body. Platform errors are mapped here, and only here, into {@link Failure}.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { constTrue } from "effect/Function"
import * as Stream from "effect/Stream"
import * as ChatTransport from "../ChatTransport.js"
import type { Answer } from "./errors.js"

/** The largest body the client reads, counted after content decoding; Twilio's largest page fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024

/** Why an attempt got no usable answer. */
export type Failure =
  | { readonly _tag: "Timeout" }
  | {
    readonly _tag: "Connection"
    readonly cause: unknown
    /** The failure proves that nothing reached the server (the connection was never made). */
    readonly notSent: boolean
  }
  | { readonly _tag: "BodyRefused"; readonly status: number; readonly reason: string }

const fromTransport = (failure: ChatTransport.Failure): Failure =>
  failure._tag === "Connection"
    ? { _tag: "Connection", cause: failure.cause, notSent: provesNotSent(failure.cause) }
    : failure

/** What a 2xx body decodes to: the value, or why it is not one. */
export type Decoded<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly detail: string }

/** Decodes a 2xx answer (and, for a delete, a 404 after a lost answer). */
export type Decode<A> = (answer: Answer) => Decoded<A>

/**
 * What an attempt hands on: a 2xx answer already decoded (its text is not kept), or any other answer whole, for the
 * retry policy and the error mapping.
 */
export type Outcome<A> =
  | { readonly _tag: "Decoded"; readonly status: number; readonly result: Decoded<A> }
  | { readonly _tag: "Answer"; readonly answer: Answer }

/** An attempt: one request, one outcome or one failure. */
export type Attempt = <A>(request: HttpClientRequest.HttpClientRequest, decode: Decode<A>) => Effect.Effect<
  Outcome<A>,
  Failure
>

/** Decodes `answer` when it is a 2xx, so that only the decoded value outlives the attempt. */
export const outcomeOf = <A>(answer: Answer, decode: Decode<A>): Outcome<A> =>
  answer.status >= 200 && answer.status < 300
    ? { _tag: "Decoded", status: answer.status, result: decode(answer) }
    : { _tag: "Answer", answer }

const TIMEOUT: Failure = { _tag: "Timeout" }

/** Errors of the connection phase: the request never left, so even a create may be sent again. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
])

const provesNotSent = (cause: unknown): boolean => {
  let current = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true
    current = (current as { readonly cause?: unknown }).cause
  }
  return false
}

const onRequestError = (error: HttpClientError.RequestError): Effect.Effect<never, Failure> =>
  Effect.fail({
    _tag: "Connection",
    cause: error,
    // A URL or body the platform could not encode never left either.
    notSent: error.reason !== "Transport" || provesNotSent(error.cause)
  })

const onResponseError = (error: HttpClientError.ResponseError): Effect.Effect<never, Failure> =>
  Effect.fail({ _tag: "Connection", cause: error, notSent: false })

const refused = (status: number, reason: string): Effect.Effect<never, Failure> =>
  Effect.fail({ _tag: "BodyRefused", status, reason })

/** Statuses whose answers have no body (a fetch `Response` has no stream for them). */
const NO_BODY = new Set([204, 205, 304])

/**
 * Reads the body from its stream, counting the bytes as they come (after any content decoding the `HttpClient`
 * does, such as fetch's gzip) and failing as soon as they pass the limit. Failing inside the stream ends it, which
 * cancels the body and aborts the request: no further bytes are buffered and the connection is released.
 */
const readCounted = (
  response: HttpClientResponse.HttpClientResponse,
  announced: number
): Effect.Effect<string, Failure> =>
  Effect.suspend(() => {
    const parts: Array<Uint8Array> = []
    let size = 0
    const tooLarge = () =>
      refused(
        response.status,
        announced > MAX_BODY_BYTES
          ? `the body is announced as ${announced} bytes; the client reads at most ${MAX_BODY_BYTES}`
          : `the body exceeds ${MAX_BODY_BYTES} bytes once decoded; the client reads at most that`
      )
    const read = Stream.runForEach(response.stream, (bytes): Effect.Effect<void, Failure> => {
      size += bytes.length
      if (size > MAX_BODY_BYTES || announced > MAX_BODY_BYTES) return tooLarge()
      parts.push(bytes)
      return Effect.void
    }).pipe(
      Effect.catchTag("ResponseError", (error) =>
        // A response built without a body (a status that carries none) has no stream: its text is empty.
        error.reason === "EmptyBody" ? Effect.void : onResponseError(error))
    )
    return Effect.flatMap(read, () => {
      if (announced > MAX_BODY_BYTES) return tooLarge()
      const all = parts.length === 1 ? parts[0] : concat(parts, size)
      return Effect.succeed(new TextDecoder().decode(all))
    })
  })

const concat = (parts: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  const all = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return all
}

const DIGITS = /^\d{1,16}$/

/**
 * The body as text. A `Content-Length` without `Content-Encoding` is the exact number of bytes the text is made of
 * (HTTP framing holds the server to it), so such a body within the limit is read whole in one step; any other
 * body (chunked, compressed, announced too large, a status without a body) is read and counted as it streams.
 */
const readBody = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<string, Failure> => {
  const headers = response.headers
  const length = headers["content-length"]
  const announced = length !== undefined && DIGITS.test(length) ? Number(length) : NaN
  const encoding = headers["content-encoding"]
  const exact = !Number.isNaN(announced) && (encoding === undefined || encoding === "identity") &&
    !NO_BODY.has(response.status)
  if (exact && announced <= MAX_BODY_BYTES) {
    // An `HttpClient` that does not hold the body to its length (an in-memory one, say) is still held to the limit.
    return Effect.flatMap(
      Effect.catchTag(response.text, "ResponseError", onResponseError),
      (text) =>
        text.length > announced ? refused(response.status, "the body is longer than announced") : Effect.succeed(text)
    )
  }
  return readCounted(response, Number.isNaN(announced) ? 0 : announced)
}

/** The class of the live clock (`Clock.make()`): its sleeps are plain `setTimeout`s. */
export const LiveClockProto: object = Object.getPrototypeOf(Clock.make())
/** The longest `setTimeout` delay; longer timeouts take the generic path. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * Whether a timeout of `millis` may be kept by a plain timer: on the live clock (whose sleeps are `setTimeout`s),
 * not on a `TestClock` or any other clock, whose time only it knows. The one place that tells clocks apart.
 */
const timerKeepsTime = (clock: Clock.Clock, millis: number): boolean =>
  Object.getPrototypeOf(clock) === LiveClockProto && millis <= MAX_TIMER_MILLIS

/**
 * Runs `self` with a timeout, interruptible whatever region the caller is in (an `acquireRelease` acquire or
 * release, `Effect.uninterruptible`, a finalizer): on expiry `self` is interrupted, which aborts its request, and
 * the result is `onTimeout`. `self` runs in a child fiber, so an interruption of the caller in an uninterruptible
 * region still waits for the attempt, as that region asks.
 *
 * On the live clock this is one child fiber raced against a plain timer; on any other clock (`TestClock`) it is
 * `Effect.timeoutFail`, whose sleep follows that clock. Both paths are tested on the live clock.
 */
export const withTimeout = <A, E>(self: Effect.Effect<A, E>, millis: number, onTimeout: E): Effect.Effect<A, E> =>
  Effect.clockWith((clock) =>
    timerKeepsTime(clock, millis)
      ? raceTimer(Effect.interruptible(self), millis, onTimeout)
      : Effect.timeoutFail(Effect.interruptible(self), { duration: millis, onTimeout: () => onTimeout })
  )

/**
 * `self` in one child fiber, raced against `setTimeout`: half the fibers of `Effect.timeoutFail`. Interruption ends
 * the race from `onExit`, not from a canceler returned to `Effect.async` (see the layers' `cancellable`: on effect
 * 3.22 such cancelers kept finished attempts alive for V8's scavenges); the race is dropped when it ends.
 */
const raceTimer = <A, E>(self: Effect.Effect<A, E>, millis: number, onTimeout: E): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.fork(self), (child) => {
    let racing: { settled: boolean; readonly timer: ReturnType<typeof setTimeout> } | undefined
    return Effect.onExit(
      Effect.async<A, E>((resume) => {
        const race = {
          settled: false,
          timer: setTimeout(() => {
            if (race.settled) return
            race.settled = true
            resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout)))
          }, millis)
        }
        racing = race
        child.addObserver((exit) => {
          if (race.settled) return
          race.settled = true
          clearTimeout(race.timer)
          resume(exit)
        })
      }),
      () => {
        const race = racing
        racing = undefined
        // Never registered: interrupted before the race began.
        if (race === undefined) return Fiber.interrupt(child)
        if (race.settled) return Effect.void
        race.settled = true
        clearTimeout(race.timer)
        return Fiber.interrupt(child)
      }
    )
  })

/**
 * Builds the attempt over `client`. When `client` carries a `ChatTransport` (and the clock is the live one), each
 * attempt is one exchange of that transport: its deadline and byte limit are kept where the I/O happens, and the
 * 2xx body is decoded in its I/O callback. Otherwise the attempt goes through `execute`, within `withTimeout`.
 */
export const make = (client: HttpClient.HttpClient, requestInit: RequestInit, timeoutMillis: number): Attempt => {
  const generic = overExecute(client, requestInit, timeoutMillis)
  const transport = ChatTransport.fromHttpClient(client)
  if (transport === undefined) return generic
  const limits: ChatTransport.Limits = { timeoutMillis, maxBodyBytes: MAX_BODY_BYTES }
  return (request, decode) =>
    Effect.clockWith((clock) =>
      timerKeepsTime(clock, timeoutMillis)
        ? Effect.mapError(
          transport.exchange(request, limits, (status, headers, text) => outcomeOf({ status, headers, text }, decode)),
          fromTransport
        )
        : generic(request, decode)
    )
}

/**
 * The attempt through `client.execute`. The client's own span is turned off (it would record the URL, whose path
 * holds identities, which are PII), and a fetch-based client is told not to follow redirects (the credentials would
 * go along; a 3xx becomes an `UnexpectedResponse`).
 */
const overExecute = (client: HttpClient.HttpClient, requestInit: RequestInit, timeoutMillis: number): Attempt => {
  const noRedirects: RequestInit = { ...requestInit, redirect: "manual" }
  const exchange = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Answer, Failure> =>
    client.execute(request).pipe(
      Effect.catchTag("RequestError", onRequestError),
      Effect.flatMap((response) =>
        Effect.map(readBody(response), (text): Answer => ({ status: response.status, headers: response.headers, text }))
      ),
      Effect.catchTag("ResponseError", onResponseError),
      Effect.provideService(FetchHttpClient.RequestInit, noRedirects),
      Effect.locally(HttpClient.currentTracerDisabledWhen, constTrue)
    )
  return (request, decode) =>
    withTimeout(Effect.map(exchange(request), (answer) => outcomeOf(answer, decode)), timeoutMillis, TIMEOUT)
}
