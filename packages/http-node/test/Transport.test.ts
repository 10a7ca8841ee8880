/**
 * The one-step `ChatTransport` that `NodeHttpClient` carries: found by `@effect-twilio/chat` under its own key, and
 * an exchange that reads, limits and times out by itself, against servers on 127.0.0.1.
 */
import { ChatTransport } from "@effect-twilio/chat"
import { NodeHttpClient } from "@effect-twilio/http-node"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

interface Served {
  readonly origin: string
  /** How many sockets are open on the server. */
  readonly open: () => number
  /** How many requests the server has seen. */
  readonly requests: () => number
  readonly http: Http.Server
}

/** A server on 127.0.0.1 for the scope, answering with `handler`; counts the sockets open and the requests seen. */
const server = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<Served>((resume) => {
      const sockets = new Set<unknown>()
      let requests = 0
      const http = Http.createServer((req, res) => {
        requests++
        handler(req, res)
      })
      http.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
      })
      http.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
          open: () => sockets.size,
          requests: () => requests,
          http
        })))
    }),
    ({ http }) =>
      Effect.async<void>((resume) => {
        http.closeAllConnections()
        http.close(() => resume(Effect.void))
      })
  )

/** The transport of a fresh `NodeHttpClient`, its agents destroyed with the scope. */
const transport = Effect.map(NodeHttpClient.make(), (client) => {
  const found = ChatTransport.fromHttpClient(client)
  if (found === undefined) throw new Error("NodeHttpClient carries no ChatTransport")
  return found
})

/** Waits (at most about a second) for the server to see every socket closed. */
const socketsClosed = (s: Served) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && s.open() > 0; i++) yield* Effect.sleep("10 millis")
    return s.open()
  })

const LIMITS: ChatTransport.Limits = { timeoutMillis: 300, maxBodyBytes: 1024 }

const causeOf = (exit: Exit.Exit<unknown, ChatTransport.Failure>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

describe("NodeHttpClient's ChatTransport", () => {
  it.scoped("sits under @effect-twilio/chat's key", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make()
      expect(Object.getOwnPropertySymbols(client)).toContain(ChatTransport.TypeId)
      expect(ChatTransport.fromHttpClient(client)).toBeDefined()
    }))

  it.scopedLive("is found by ChatTransport.fromHttpClient, and decodes the whole body in one exchange", () =>
    Effect.gen(function*() {
      const { origin } = yield* server((req, res) => {
        res.setHeader("content-type", "application/json")
        res.setHeader("set-cookie", ["a=1", "b=2"])
        res.end(JSON.stringify({ method: req.method, url: req.url, header: req.headers["x-test"] ?? null }))
      })
      const result = yield* (yield* transport).exchange(
        HttpClientRequest.get(`${origin}/x`, { urlParams: { q: "1 2" } }).pipe(
          HttpClientRequest.setHeader("x-test", "yes")
        ),
        LIMITS,
        (status, headers, text) => ({ status, type: headers["content-type"], cookies: headers["set-cookie"], text })
      )
      expect(result).toEqual({
        status: 200,
        type: "application/json",
        cookies: ["a=1", "b=2"],
        text: JSON.stringify({ method: "GET", url: "/x?q=1+2", header: "yes" })
      })
    }))

  it.scopedLive("sends a text and a bytes body whole, with their length", () =>
    Effect.gen(function*() {
      const { origin } = yield* server((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => res.end(`${req.headers["content-length"]}:${Buffer.concat(chunks).toString()}`))
      })
      const t = yield* transport
      const text = HttpClientRequest.post(`${origin}/x`).pipe(HttpClientRequest.bodyText("héllo"))
      const bytes = HttpClientRequest.post(`${origin}/x`).pipe(
        HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes"))
      )
      expect(yield* t.exchange(text, LIMITS, (_s, _h, body) => body)).toBe("6:héllo")
      expect(yield* t.exchange(bytes, LIMITS, (_s, _h, body) => body)).toBe("5:bytes")
    }))

  it.scopedLive("answers a redirect as it is, without following it", () =>
    Effect.gen(function*() {
      const s = yield* server((_req, res) => {
        res.writeHead(302, { location: "/elsewhere" })
        res.end()
      })
      const answer = yield* (yield* transport).exchange(
        HttpClientRequest.get(`${s.origin}/x`),
        LIMITS,
        (status, headers) => ({ status, location: headers.location })
      )
      expect(answer).toEqual({ status: 302, location: "/elsewhere" })
      expect(s.requests()).toBe(1)
    }))

  it.scopedLive("times out by itself, even uninterruptible, and closes the socket", () =>
    Effect.gen(function*() {
      const s = yield* server(() => {})
      const t = yield* transport
      const started = Date.now()
      const exit = yield* Effect.exit(
        Effect.uninterruptible(t.exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, () => 1))
      )
      expect(exit).toEqual(Exit.fail({ _tag: "Timeout" }))
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
      expect(Date.now() - started).toBeLessThan(1500)
      expect(yield* socketsClosed(s)).toBe(0)
    }), 10_000)

  it.scopedLive("times out in the middle of a body, and closes the socket", () =>
    Effect.gen(function*() {
      const s = yield* server((_req, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write("partial")
      })
      const exit = yield* Effect.exit(
        (yield* transport).exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, () => 1)
      )
      expect(exit).toEqual(Exit.fail({ _tag: "Timeout" }))
      expect(yield* socketsClosed(s)).toBe(0)
    }), 10_000)

  it.scopedLive(
    "refuses a body announced or counted over the limit, and closes the socket",
    () =>
      Effect.gen(function*() {
        const s = yield* server((req, res) => {
          if (req.url === "/announced") res.setHeader("content-length", "17179869184")
          const write = () => !res.destroyed && res.write(Buffer.alloc(512, 32)) && setTimeout(write, 1)
          write()
        })
        const t = yield* transport
        for (const path of ["/announced", "/chunked"]) {
          const exit = yield* Effect.exit(t.exchange(HttpClientRequest.get(`${s.origin}${path}`), LIMITS, () => 1))
          const failure = causeOf(exit)
          expect(failure?._tag).toBe("BodyRefused")
          if (failure?._tag === "BodyRefused") {
            expect(failure.status).toBe(200)
            expect(failure.reason).toContain(path === "/announced" ? "announced as 17179869184" : "exceeds 1024")
          }
          expect(yield* socketsClosed(s)).toBe(0)
        }
      }),
    10_000
  )

  it.scopedLive("interruption destroys the request and closes the socket", () =>
    Effect.gen(function*() {
      const s = yield* server(() => {})
      const t = yield* transport
      const fiber = yield* Effect.fork(
        t.exchange(HttpClientRequest.get(`${s.origin}/x`), { ...LIMITS, timeoutMillis: 30_000 }, () => 1)
      )
      for (let i = 0; i < 100 && s.requests() === 0; i++) yield* Effect.sleep("5 millis")
      expect(s.open()).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(yield* socketsClosed(s)).toBe(0)
    }), 10_000)

  it.scopedLive(
    "a connection refused is a Connection failure whose cause has the code ECONNREFUSED",
    () =>
      Effect.gen(function*() {
        const s = yield* server(() => {})
        yield* Effect.async<void>((resume) => {
          s.http.close(() => resume(Effect.void))
        })
        const exit = yield* Effect.exit(
          (yield* transport).exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, () => 1)
        )
        const failure = causeOf(exit)
        expect(failure?._tag).toBe("Connection")
        if (failure?._tag === "Connection") expect((failure.cause as { code?: string }).code).toBe("ECONNREFUSED")
      }),
    10_000
  )

  it.scopedLive("a body cut short is a Connection failure", () =>
    Effect.gen(function*() {
      const s = yield* server((req, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write("partial", () => req.socket.destroy())
      })
      const failure = causeOf(
        yield* Effect.exit((yield* transport).exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, () => 1))
      )
      expect(failure?._tag).toBe("Connection")
    }), 10_000)

  it.scopedLive("a protocol other than http: and https: is a Connection failure", () =>
    Effect.gen(function*() {
      const failure = causeOf(
        yield* Effect.exit((yield* transport).exchange(HttpClientRequest.get("ftp://127.0.0.1/x"), LIMITS, () => 1))
      )
      expect(failure?._tag).toBe("Connection")
    }))

  it.scopedLive("a decoder that throws is a defect, once", () =>
    Effect.gen(function*() {
      const { origin } = yield* server((_req, res) => res.end("{}"))
      const exit = yield* Effect.exit((yield* transport).exchange(HttpClientRequest.get(`${origin}/x`), LIMITS, () => {
        throw new Error("boom")
      }))
      expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
    }))

  it.scopedLive("reuses its keep-alive socket for sequential exchanges", () =>
    Effect.gen(function*() {
      let connections = 0
      const s = yield* server((_req, res) => res.end("ok"))
      s.http.on("connection", () => connections++)
      const t = yield* transport
      for (let i = 0; i < 5; i++) {
        expect(yield* t.exchange(HttpClientRequest.get(`${s.origin}/x`), LIMITS, (_s, _h, text) => text)).toBe("ok")
      }
      expect(connections).toBe(1)
    }))
})
