/**
 * The one-step `ChatTransport` that `UndiciHttpClient` carries: found by `@effect-twilio/chat` under its own key,
 * and an exchange that reads, limits and times out by itself, against servers on 127.0.0.1.
 */
import { ChatTransport } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Agent } from "undici"

/** A server on 127.0.0.1 for the scope, answering with `handler`; counts the sockets open. */
const server = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<{ readonly origin: string; readonly open: () => number; readonly http: Http.Server }>((resume) => {
      const sockets = new Set<unknown>()
      const http = Http.createServer(handler)
      http.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      http.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
          open: () => sockets.size,
          http
        })))
    }),
    ({ http }) =>
      Effect.async<void>((resume) => {
        http.closeAllConnections()
        http.close(() => resume(Effect.void))
      })
  )

const agent = Effect.acquireRelease(Effect.sync(() => new Agent()), (a) => Effect.promise(() => a.destroy()))

const transportOf = (a: Agent) => {
  const transport = ChatTransport.fromHttpClient(UndiciHttpClient.make(a))
  if (transport === undefined) throw new Error("UndiciHttpClient carries no ChatTransport")
  return transport
}

const LIMITS: ChatTransport.Limits = { timeoutMillis: 300, maxBodyBytes: 1024 }

describe("UndiciHttpClient's ChatTransport", () => {
  it.scopedLive("is found by ChatTransport.fromHttpClient, and decodes the whole body in one exchange", () =>
    Effect.gen(function*() {
      const { origin } = yield* server((_req, res) => res.end("{\"hello\":\"world\"}"))
      const transport = transportOf(yield* agent)
      const result = yield* transport.exchange(
        HttpClientRequest.get(`${origin}/x`),
        LIMITS,
        (status, headers, text) => ({ status, type: headers["content-type"], json: JSON.parse(text) })
      )
      expect(result).toEqual({ status: 200, type: undefined, json: { hello: "world" } })
    }))

  it.scopedLive("times out by itself, even uninterruptible, and closes the socket", () =>
    Effect.gen(function*() {
      const s = yield* server(() => {})
      const transport = transportOf(yield* agent)
      const started = Date.now()
      const exit = yield* Effect.exit(
        Effect.uninterruptible(transport.exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, () => 1))
      )
      expect(exit).toEqual(Exit.fail({ _tag: "Timeout" }))
      expect(Date.now() - started).toBeLessThan(1500)
      yield* Effect.sleep("100 millis")
      expect(s.open()).toBe(0)
    }), 10_000)

  it.scopedLive(
    "refuses a body announced or counted over the limit, and closes the socket",
    () =>
      Effect.gen(function*() {
        const s = yield* server((req, res) => {
          if (req.url === "/announced") res.setHeader("content-length", "17179869184")
          const write = () => res.write(Buffer.alloc(512, 32)) && setTimeout(write, 1)
          write()
        })
        const transport = transportOf(yield* agent)
        for (const path of ["/announced", "/chunked"]) {
          const exit = yield* Effect.exit(
            transport.exchange(HttpClientRequest.get(`${s.origin}${path}`), LIMITS, () => 1)
          )
          expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("BodyRefused")
        }
        yield* Effect.sleep("200 millis")
        expect(s.open()).toBe(0)
      }),
    10_000
  )

  it.scopedLive("interruption aborts the request", () =>
    Effect.gen(function*() {
      const s = yield* server(() => {})
      const transport = transportOf(yield* agent)
      const fiber = yield* Effect.fork(
        transport.exchange(HttpClientRequest.get(`${s.origin}/x`), { ...LIMITS, timeoutMillis: 30_000 }, () => 1)
      )
      yield* Effect.sleep("50 millis")
      yield* Fiber.interrupt(fiber)
      yield* Effect.sleep("100 millis")
      expect(s.open()).toBe(0)
    }), 10_000)

  it.scopedLive("a connection refused is a Connection failure whose cause says so", () =>
    Effect.gen(function*() {
      const s = yield* server(() => {})
      const origin = s.origin
      yield* Effect.async<void>((resume) => {
        s.http.close(() => resume(Effect.void))
      })
      const transport = transportOf(yield* agent)
      const exit = yield* Effect.exit(transport.exchange(HttpClientRequest.get(`${origin}/x`), LIMITS, () => 1))
      expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("Connection")
      expect(
        Exit.isFailure(exit) && String((exit.cause as { error?: { cause?: { code?: string } } }).error?.cause?.code)
      )
        .toBe("ECONNREFUSED")
    }), 10_000)
})
