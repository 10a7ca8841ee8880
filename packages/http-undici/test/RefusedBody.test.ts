/**
 * A body the consumer refuses releases its connection: a server answers `Content-Length: 16 GiB` and writes for ever
 * (bounded here: 3 seconds, or until the socket closes); the consumer stops after the first chunk, fails in the
 * middle, is interrupted while reading the text, or drops the response unread. The server must see its socket close
 * promptly, the client must not buffer hundreds of MiB, and a 2-connection agent must still serve a healthy request.
 */
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as V8 from "node:v8"
import * as Vm from "node:vm"
import * as Contract from "../../../test-support/http-layer-contract.js"

/** `global.gc` without `--expose-gc` on the command line: memory is compared after a collection. */
V8.setFlagsFromString("--expose-gc")
const gc = Vm.runInNewContext("gc") as () => void

const MiB = 1024 * 1024
const SIXTEEN_GIB = 16 * 1024 * MiB
/** The most a refused answer may add to the client's buffers (`arrayBuffers`, after a collection). */
const GROWTH_LIMIT = 64 * MiB
/** The server stops writing an endless body after this long, if the client has not closed it first. */
const ENDLESS_FOR_MS = 3_000
const CHUNK = Buffer.alloc(64 * 1024, 120)
const BIG = Buffer.alloc(4 * MiB, 121)

interface Endless {
  /** Bytes handed to the socket so far. */
  bytes: number
  /** When the server saw the socket close, or undefined while it is open. */
  closedAt: number | undefined
  readonly closed: Promise<number>
}

const endless: Array<Endless> = []

const serveEndless = (res: Http.ServerResponse) => {
  let onClosed = (_at: number) => {}
  const state: Endless = {
    bytes: 0,
    closedAt: undefined,
    closed: new Promise<number>((resolve) => {
      onClosed = resolve
    })
  }
  endless.push(state)
  res.on("close", () => {
    state.closedAt = Date.now()
    onClosed(state.closedAt)
  })
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(SIXTEEN_GIB) })
  const deadline = Date.now() + ENDLESS_FOR_MS
  const pump = () => {
    while (state.closedAt === undefined) {
      if (Date.now() > deadline) {
        res.destroy()
        return
      }
      state.bytes += CHUNK.length
      if (!res.write(CHUNK)) {
        res.once("drain", pump)
        return
      }
    }
  }
  pump()
}

const server = Contract.useServer((req, res) => {
  req.resume()
  switch (req.url) {
    case "/endless":
      return serveEndless(res)
    case "/big":
      res.writeHead(200, { "content-length": String(BIG.length) })
      res.end(BIG)
      return
    case "/big-chunked":
      res.writeHead(200)
      for (let i = 0; i < BIG.length; i += CHUNK.length) res.write(BIG.subarray(i, i + CHUNK.length))
      res.end()
      return
    default:
      res.writeHead(200, { "content-type": "application/json" })
      res.end("{\"ok\":true}")
  }
})

/** The client's off-heap buffers, after a collection. */
const buffers = () => {
  gc()
  return process.memoryUsage().arrayBuffers
}

/** The highest `arrayBuffers` seen while `effect` runs, sampled every 5 ms. */
const peakDuring = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const sampler = { peak: process.memoryUsage().arrayBuffers, timer: undefined as NodeJS.Timeout | undefined }
      sampler.timer = setInterval(() => {
        sampler.peak = Math.max(sampler.peak, process.memoryUsage().arrayBuffers)
      }, 5)
      return sampler
    }),
    (sampler) => Effect.map(effect, (a) => [a, sampler] as const),
    (sampler) => Effect.sync(() => clearInterval(sampler.timer))
  )

/** Waits until the server has written at least `bytes` on the endless answer `state`. */
const writtenAtLeast = (state: Endless, bytes: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 400; i++) {
      if (state.bytes >= bytes) return
      yield* Effect.sleep(Duration.millis(5))
    }
    throw new Error("the server never wrote the body")
  })

/** The server saw the socket of `state` close within `ms` of `since`. */
const expectClosedWithin = (state: Endless, since: number, ms: number) =>
  Effect.gen(function*() {
    const at = yield* Effect.promise(() =>
      Promise.race([state.closed, new Promise<number>((r) => setTimeout(r, ms, -1))])
    )
    expect(at, "the server still has the socket open").not.toBe(-1)
    expect(at - since).toBeLessThanOrEqual(ms)
  })

const PATHS = [["traced", false], ["lean", true]] as const

describe.each(PATHS)("a refused body releases its connection (%s path)", (_, lean) => {
  /** Runs `f` on a fresh 2-connection agent, then checks a healthy request still gets through it promptly. */
  const withTwoConnections = <A, E>(f: (client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
    Effect.gen(function*() {
      const client = yield* Effect.map(
        HttpClient.HttpClient,
        (c) => lean ? HttpClient.withTracerDisabledWhen(c, () => true) : c
      )
      const baseline = buffers()
      const [, sampler] = yield* peakDuring(f(client))
      expect(sampler.peak - baseline, "peak buffers while refusing").toBeLessThan(4 * GROWTH_LIMIT)
      expect(buffers() - baseline, "buffers held after refusing").toBeLessThan(GROWTH_LIMIT)
      const started = Date.now()
      const healthy = yield* client.get(`${server.base}/ok`).pipe(
        Effect.flatMap((r) => r.json),
        Effect.timeout(Duration.seconds(2))
      )
      expect(healthy).toEqual({ ok: true })
      expect(Date.now() - started).toBeLessThan(1_000)
    }).pipe(Effect.provide(UndiciHttpClient.layerWith({ connections: 2, keepAliveTimeout: "1 minute" })))

  /** Twice (the agent has 2 connections): one refusal of the endless body, then the server must see it closed. */
  const refuseTwice = (refuse: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<unknown, unknown>) =>
    withTwoConnections((client) =>
      Effect.gen(function*() {
        for (let i = 0; i < 2; i++) {
          const before = endless.length
          yield* Effect.either(Effect.flatMap(client.get(`${server.base}/endless`), refuse))
          const refusedAt = Date.now()
          const state = endless[before]
          expect(state).toBeDefined()
          yield* expectClosedWithin(state, refusedAt, 1_000)
          // Closed, not merely stalled: nothing more is written.
          const written = state.bytes
          yield* Effect.sleep(Duration.millis(100))
          expect(state.bytes).toBe(written)
        }
      })
    )

  it.live("a stream taken for its first chunk only (Stream.take(1))", () =>
    refuseTwice((response) =>
      Effect.tap(Stream.runCollect(Stream.take(response.stream, 1)), (chunks) => {
        expect(chunks.length).toBe(1)
      })
    ))

  it.live("a stream whose consumer fails on the first chunk (runForEach)", () =>
    refuseTwice((response) =>
      Stream.runForEach(response.stream, () => Effect.fail("no, thanks" as const)).pipe(
        Effect.flip,
        Effect.tap((error) => expect(error).toBe("no, thanks"))
      )
    ))

  it.live("a text read interrupted midway", () =>
    refuseTwice((response) =>
      Effect.gen(function*() {
        const state = endless[endless.length - 1]
        const paused = state.bytes
        const fiber = yield* Effect.fork(response.text)
        // The socket flows again once the read has begun: interrupt it midway.
        yield* writtenAtLeast(state, paused + 4 * MiB)
        yield* Fiber.interrupt(fiber)
      })
    ))

  it.live("a response dropped unread: bounded buffering, then closed when it is collected", () =>
    withTwoConnections((client) =>
      Effect.gen(function*() {
        const before = endless.length
        // Two answers, neither read: each pauses its socket at the high-water mark.
        for (let i = 0; i < 2; i++) yield* Effect.asVoid(client.get(`${server.base}/endless`))
        yield* Effect.sleep(Duration.millis(300))
        const states = endless.slice(before)
        expect(states.length).toBe(2)
        for (const state of states) {
          const written = state.bytes
          // Backpressure, not a stream for ever: at most the high-water mark and the sockets' own buffers.
          expect(written).toBeLessThan(32 * MiB)
          yield* Effect.sleep(Duration.millis(100))
          expect(state.bytes).toBe(written)
          expect(state.closedAt).toBeUndefined()
        }
        // Nobody holds the responses: once collected, their requests are aborted and the sockets closed.
        const droppedAt = Date.now()
        for (let i = 0; i < 40 && states.some((s) => s.closedAt === undefined); i++) {
          gc()
          yield* Effect.sleep(Duration.millis(50))
        }
        for (const state of states) yield* expectClosedWithin(state, droppedAt, 2_000)
      })
    ))

  it.live("a large body read late still arrives whole (the paused socket resumes)", () =>
    withTwoConnections((client) =>
      Effect.gen(function*() {
        for (const path of ["/big", "/big-chunked"]) {
          const response = yield* client.get(`${server.base}${path}`)
          yield* Effect.sleep(Duration.millis(100))
          const bytes = yield* response.arrayBuffer
          expect(Buffer.from(bytes).equals(BIG)).toBe(true)
          // Read again, as text and then as a stream (which re-encodes the text): the same bytes.
          expect((yield* response.text).length).toBe(BIG.length)
          const again = yield* Stream.runFold(response.stream, 0, (n, chunk) => n + chunk.length)
          expect(again).toBe(BIG.length)
          const streamed = yield* client.get(`${server.base}${path}`)
          yield* Effect.sleep(Duration.millis(100))
          const total = yield* Stream.runFold(streamed.stream, 0, (n, chunk) => n + chunk.length)
          expect(total).toBe(BIG.length)
        }
      })
    ))
})
