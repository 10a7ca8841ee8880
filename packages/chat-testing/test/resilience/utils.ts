/**
 * Helpers of the resilience suite: a `TestClock` driver that jumps from one sleep to the next, the five operations
 * as data, the waits between attempts the fake saw, a recording Logger and Tracer, and a second local server that
 * records what reaches it.
 */
import type { ChatError, ChatV2UserApiService } from "@effect-twilio/chat"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { FakeOperation, RecordedRequest } from "../../src/index.js"
import { liveWait } from "../utils.js"

/**
 * Runs `self` in a fiber and, whenever every fiber of the test is blocked, moves `TestClock` to the earliest pending
 * sleep (a backoff, a `Retry-After`, a timeout, a fault's delay), so each wakes at its exact instant and no real
 * time passes. For in-memory tests only: over a socket, a fiber waiting for bytes looks blocked too.
 */
export const clocked = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(self)
    for (let step = 0; step < 10_000; step++) {
      // Returns once every fiber of the test is done or blocked (TestClock's own check).
      yield* TestClock.adjust(0)
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      const now = yield* Clock.currentTimeMillis
      const next = Chunk.reduce(yield* TestClock.sleeps(), Infinity, (min, end) => Math.min(min, end))
      if (next === Infinity) return yield* Effect.dieMessage("Blocked with no sleep pending: the test would hang")
      yield* TestClock.adjust(Math.max(0, next - now))
    }
    return yield* Fiber.join(fiber)
  })

/** An operation of the API, run the way the suite runs it. */
export interface Operation {
  readonly name: FakeOperation
  /** Retried after a 5xx or no answer: everything but create. */
  readonly idempotent: boolean
  /** The call: create makes `NEW_USER`; fetch, update and delete address `TARGET`; list reads the first page. */
  readonly run: (chat: ChatV2UserApiService, serviceSid: string) => Effect.Effect<unknown, ChatError>
}

/** The user that fetch, update and delete address (seed it first). */
export const TARGET = "alice"
/** The user that create makes. */
export const NEW_USER = "newbie"

export const OPERATIONS: ReadonlyArray<Operation> = [
  { name: "createUser", idempotent: false, run: (chat, s) => chat.createUser(s, NEW_USER) },
  { name: "fetchUser", idempotent: true, run: (chat, s) => chat.fetchUser(s, TARGET) },
  { name: "updateUser", idempotent: true, run: (chat, s) => chat.updateUser(s, TARGET, { friendlyName: "Alice" }) },
  { name: "deleteUser", idempotent: true, run: (chat, s) => chat.deleteUser(s, TARGET) },
  { name: "listUser", idempotent: true, run: (chat, s) => chat.listUser(s) }
]

/** The milliseconds between consecutive requests, as the fake received them. */
export const gaps = (requests: ReadonlyArray<RecordedRequest>): Array<number> =>
  requests.slice(1).map((r, i) => r.receivedAt - requests[i].receivedAt)

/** What a failure looks like in every form a program might print or ship it. */
export const renderings = (error: unknown): string => {
  const e = error as Error
  return [String(error), JSON.stringify(error), e?.message, e?.stack, Cause.pretty(Cause.fail(error))].join("\n")
}

/** Everything the client logged and traced while `layer` was provided. */
export interface Captured {
  readonly logs: Array<string>
  readonly spans: Array<Tracer.Span>
  /** A Logger at every level (Debug included) and a Tracer that keep all the client emits. */
  readonly layer: Layer.Layer<never>
  /** The logs and everything of the spans an exporter sends: names, attributes, events, failures. */
  readonly dump: () => string
}

export const capture = (): Captured => {
  const logs: Array<string> = []
  const spans: Array<Tracer.Span> = []
  const logger = Logger.make(({ annotations, cause, logLevel, message, spans: logSpans }) => {
    logs.push(JSON.stringify({ level: logLevel.label, message, cause: Cause.pretty(cause), annotations, logSpans }))
  })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.unwrapEffect(
      Effect.map(Effect.tracer, (base) =>
        Layer.setTracer(Tracer.make({
          span: (...args) => {
            const span = base.span(...args)
            spans.push(span)
            return span
          },
          context: (f, fiber) => base.context(f, fiber)
        })))
    )
  )
  const dump = () =>
    JSON.stringify({
      logs,
      spans: spans.map((span) => ({
        name: span.name,
        attributes: [...span.attributes.entries()].map(([k, v]) => [k, String(v)]),
        events: ((span as unknown as { events?: Array<[string, bigint, unknown]> }).events ?? []).map((
          [name, , attributes]
        ) => [name, JSON.stringify(attributes)]),
        failure: span.status._tag === "Ended" && Exit.isFailure(span.status.exit)
          ? Cause.pretty(span.status.exit.cause)
          : null
      }))
    })
  return { logs, spans, layer, dump }
}

/** A request that reached the bystander server. */
export interface Received {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
}

/**
 * Another HTTP server on 127.0.0.1 (a host the client was not configured for), recording every request that
 * reaches it, for the lifetime of the scope.
 */
export const bystander = Effect.acquireRelease(
  Effect.async<{ readonly origin: string; readonly received: Array<Received>; readonly server: Http.Server }>(
    (resume) => {
      const received: Array<Received> = []
      const server = Http.createServer((request, response) => {
        received.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization })
        response.writeHead(200, { "content-type": "application/json" })
        response.end("{}")
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          received,
          server
        })))
    }
  ),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
      server.closeAllConnections()
    })
)

/** Polls `check` on the live clock until it holds (up to `millis`); the last value either way. */
export const eventually = <A>(read: Effect.Effect<A>, check: (a: A) => boolean, millis = 2_000) =>
  Effect.gen(function*() {
    let value = yield* read
    for (let waited = 0; !check(value) && waited < millis; waited += 5) {
      yield* liveWait(5)
      value = yield* read
    }
    return value
  })
