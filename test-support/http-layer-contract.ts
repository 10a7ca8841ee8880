/**
 * The contract both HTTP layers (`@effect-twilio/http-undici` and `@effect-twilio/http-node`) keep, as tests: the
 * `execute` path any `HttpClient` user takes, against a server on 127.0.0.1, and the one-step `ChatTransport` they
 * carry. Each package's tests call {@link httpLayerContract} and {@link transportContract} with their own layer and
 * transport, and keep only what is theirs alone.
 *
 * This file sits outside the packages, so it imports only what the repository root resolves (`effect`,
 * `@effect/platform`, `@effect/vitest`): the transport is described by its shape, not by `@effect-twilio/chat`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** A server on 127.0.0.1 for the enclosing suite, with the sockets it has open and the connections it has taken. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`, once the suite has started. */
  readonly base: string
  readonly sockets: ReadonlySet<Socket>
  readonly connectionsOpened: number
}

/** Starts a server answering with `handler` before the enclosing suite, and closes it (and its sockets) after. */
export const useServer = (handler: Http.RequestListener): TestServer => {
  const sockets = new Set<Socket>()
  let connectionsOpened = 0
  let base = ""
  const server = Http.createServer(handler)
  server.on("connection", (socket) => {
    connectionsOpened++
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return {
    get base() {
      return base
    },
    sockets,
    get connectionsOpened() {
      return connectionsOpened
    }
  }
}

/** A request as the server saw it. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/**
 * A route of the contract server: answers with `res`; `body` is the whole request body, and `hang(res)` makes the
 * server report the close of `res` to the latest {@link ContractServer.expectHangClosed}.
 */
export type Route = (
  req: Http.IncomingMessage,
  res: Http.ServerResponse,
  body: Buffer,
  hang: (res: Http.ServerResponse) => void
) => void

/** The routes every layer is tested against. */
const ROUTES: Readonly<Record<string, Route>> = {
  "/json": (req, res) => {
    res.writeHead(201, { "content-type": "application/json", "x-multi": ["a", "b"], "set-cookie": "k=v; Path=/" })
    res.end(JSON.stringify({ hello: "world", query: req.url!.split("?")[1] ?? null }))
  },
  "/echo": (_req, res, body) => {
    res.writeHead(200, { "content-type": "text/plain" })
    res.end(body)
  },
  "/empty": (_req, res) => {
    res.writeHead(204)
    res.end()
  },
  "/redirect": (_req, res) => {
    res.writeHead(302, { location: "/json" })
    res.end()
  },
  "/chunks": (_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" })
    res.write("one,")
    setTimeout(() => res.end("two"), 5)
  },
  "/reset": (req) => {
    req.socket.destroy()
  },
  "/hang": (_req, res, _body, hang) => {
    hang(res)
    res.writeHead(200)
    res.write("partial")
  },
  "/hang-headers": (_req, res, _body, hang) => hang(res)
}

/** The contract server: the requests it has seen, and a way to wait for a hanging answer to be closed. */
export interface ContractServer extends TestServer {
  readonly seen: ReadonlyArray<Seen>
  /** Resolves when the server sees the client close the connection of the next hanging answer. */
  readonly expectHangClosed: () => Promise<void>
}

/**
 * Starts the contract server for the enclosing suite: `/json`, `/echo`, `/empty`, `/redirect`, `/chunks`, `/reset`,
 * `/hang`, `/hang-headers` and any `routes` added (by path, without the query), a 404 otherwise.
 */
export const useContractServer = (routes: Readonly<Record<string, Route>> = {}): ContractServer => {
  const seen: Array<Seen> = []
  let onHangClosed = () => {}
  const hang = (res: Http.ServerResponse) => res.on("close", () => onHangClosed())
  const server = useServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = Buffer.concat(chunks)
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString() })
      const route = routes[req.url!.split("?")[0]] ?? ROUTES[req.url!.split("?")[0]]
      if (route !== undefined) return route(req, res, body, hang)
      res.writeHead(404)
      res.end("not found")
    })
  })
  return {
    get base() {
      return server.base
    },
    sockets: server.sockets,
    get connectionsOpened() {
      return server.connectionsOpened
    },
    seen,
    expectHangClosed: () =>
      new Promise<void>((resolve) => {
        onHangClosed = resolve
      })
  }
}

/** Each `execute` test runs twice: with the tracer on (a span per request) and off for the request (as chat has it). */
const PATHS = [["traced", false], ["untraced", true]] as const

/** What a layer tells the contract about itself. */
export interface HttpLayerOptions {
  /** A layer whose connections outlive a request (keep-alive), to see them closed when it is released. */
  readonly releasable: Layer.Layer<HttpClient.HttpClient>
  /** The most connections ten sequential requests may open (at least one). */
  readonly maxSequentialConnections: number
}

/** Registers the `execute` tests every HTTP layer must pass, over `layer`, under suites named after `name`. */
export const httpLayerContract = (
  name: string,
  layer: Layer.Layer<HttpClient.HttpClient>,
  options: HttpLayerOptions
) =>
  describe(`${name} (the HTTP layer contract)`, () => {
    const server = useContractServer()

    describe.each(PATHS)("execute (%s)", (_, untraced) => {
      const withClient = <A, E>(f: (client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
        Effect.flatMap(
          HttpClient.HttpClient,
          (client) => f(untraced ? HttpClient.withTracerDisabledWhen(client, () => true) : client)
        ).pipe(Effect.provide(layer))

      it.live("answers status, headers, cookies and a JSON body", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const response = yield* client.get(`${server.base}/json`, { urlParams: { a: "1 2" } })
            expect(response.status).toBe(201)
            expect(response.headers["content-type"]).toBe("application/json")
            expect(response.headers["x-multi"]).toBe("a, b")
            expect(response.cookies.cookies.k.value).toBe("v")
            expect(yield* response.json).toEqual({ hello: "world", query: "a=1+2" })
          })
        ))

      it.live("reads a body again: the text and the bytes after the JSON", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const response = yield* client.get(`${server.base}/json`, { urlParams: { a: "1 2" } })
            expect(yield* response.json).toEqual({ hello: "world", query: "a=1+2" })
            expect(yield* response.text).toBe("{\"hello\":\"world\",\"query\":\"a=1+2\"}")
            const bytes = yield* response.arrayBuffer
            expect(new TextDecoder().decode(bytes)).toBe("{\"hello\":\"world\",\"query\":\"a=1+2\"}")
          })
        ))

      it.live("sends the method, headers and a text body", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const request = HttpClientRequest.post(`${server.base}/echo`).pipe(
              HttpClientRequest.setHeader("x-custom", "yes"),
              HttpClientRequest.bodyText("Identity=alice%40example.com", "application/x-www-form-urlencoded")
            )
            const response = yield* client.execute(request)
            expect(yield* response.text).toBe("Identity=alice%40example.com")
            const last = server.seen[server.seen.length - 1]
            expect(last.method).toBe("POST")
            expect(last.headers["x-custom"]).toBe("yes")
            expect(last.headers["content-type"]).toBe("application/x-www-form-urlencoded")
            expect(last.headers["content-length"]).toBe("28")
          })
        ))

      it.live("sends a Uint8Array body and a stream body", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const echo = HttpClientRequest.post(`${server.base}/echo`)
            const bytes = yield* client.execute(
              echo.pipe(HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes")))
            )
            expect(yield* bytes.text).toBe("bytes")
            const streamed = yield* client.execute(
              echo.pipe(HttpClientRequest.bodyStream(Stream.make("a", "b", "c").pipe(Stream.encodeText)))
            )
            expect(yield* streamed.text).toBe("abc")
          })
        ))

      it.live("sends a form", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const form = new FormData()
            form.append("name", "ada")
            const formed = yield* client.execute(
              HttpClientRequest.post(`${server.base}/echo`).pipe(HttpClientRequest.bodyFormData(form))
            )
            expect(yield* formed.text).toContain("name=\"name\"\r\n\r\nada")
            const contentType = server.seen[server.seen.length - 1].headers["content-type"]
            expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
          })
        ))

      it.live("reads a body as bytes and as a stream, and an empty answer", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const buffer = yield* Effect.flatMap(client.get(`${server.base}/echo`), (r) => r.arrayBuffer)
            expect(buffer.byteLength).toBe(0)
            const response = yield* client.get(`${server.base}/chunks`)
            const chunks = yield* Stream.runCollect(Stream.decodeText(response.stream))
            expect(Chunk.join(chunks, "")).toBe("one,two")
            const empty = yield* client.get(`${server.base}/empty`)
            expect(empty.status).toBe(204)
            expect(yield* empty.text).toBe("")
            expect(yield* empty.json).toBe(null)
          })
        ))

      it.live("answers a redirect as it is, without following it", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const before = server.seen.length
            const response = yield* client.get(`${server.base}/redirect`)
            expect(response.status).toBe(302)
            expect(response.headers.location).toBe("/json")
            expect(server.seen.length).toBe(before + 1)
          })
        ))

      it.live("answers a 404 as a response, not an error", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const response = yield* client.get(`${server.base}/nowhere`)
            expect(response.status).toBe(404)
            expect(yield* response.text).toBe("not found")
          })
        ))

      it.live("fails with a RequestError of reason Transport when the connection is reset", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const error = yield* Effect.flip(client.get(`${server.base}/reset`))
            expect(error._tag).toBe("RequestError")
            if (error._tag === "RequestError") expect(error.reason).toBe("Transport")
          })
        ))

      it.live("fails with a RequestError whose cause has the code ECONNREFUSED when nothing listens", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const error = yield* Effect.flip(client.get("http://127.0.0.1:1/"))
            expect(error._tag).toBe("RequestError")
            expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED")
          })
        ))

      it.live("aborts the request when interrupted while waiting for headers", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const closed = server.expectHangClosed()
            const fiber = yield* Effect.fork(client.get(`${server.base}/hang-headers`))
            yield* Effect.sleep(Duration.millis(50))
            yield* Fiber.interrupt(fiber)
            yield* Effect.promise(() => closed)
          })
        ))

      it.live("aborts the request when interrupted while reading the body (a timeout)", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const closed = server.expectHangClosed()
            const result = yield* client.get(`${server.base}/hang`).pipe(
              Effect.flatMap((r) => r.text),
              Effect.timeout(Duration.millis(100)),
              Effect.either
            )
            expect(result._tag).toBe("Left")
            yield* Effect.promise(() => closed)
          })
        ))

      it.live("reuses keep-alive connections for sequential requests", () =>
        withClient((client) =>
          Effect.gen(function*() {
            const before = server.connectionsOpened
            for (let i = 0; i < 10; i++) yield* Effect.flatMap(client.get(`${server.base}/json`), (r) => r.text)
            expect(server.connectionsOpened - before).toBeGreaterThanOrEqual(1)
            expect(server.connectionsOpened - before).toBeLessThanOrEqual(options.maxSequentialConnections)
          })
        ))
    })

    it.live("closes its connections when the layer is released", () =>
      Effect.gen(function*() {
        yield* Effect.scoped(
          Effect.flatMap(Layer.build(options.releasable), (context) =>
            Effect.flatMap(
              HttpClient.HttpClient.pipe(Effect.provide(context)),
              (client) => Effect.flatMap(client.get(`${server.base}/json`), (r) => r.text)
            ))
        )
        // The server sees every connection closed shortly after.
        for (let i = 0; i < 50 && server.sockets.size > 0; i++) yield* Effect.sleep(Duration.millis(10))
        expect(server.sockets.size).toBe(0)
      }))
  })

/**
 * What the contract reads of a failed exchange: a `ChatTransport.Failure` (`Timeout`, `Connection` with its `cause`,
 * or `BodyRefused` with its `status` and `reason`), described loosely as this file cannot import the type.
 */
export interface Failure {
  readonly _tag: string
  readonly status?: number
  readonly reason?: string
  readonly cause?: unknown
}

/** A one-step transport, as the contract calls it: any `ChatTransport.ChatTransport` is one. */
export interface Transport {
  readonly exchange: <A>(
    request: HttpClientRequest.HttpClientRequest,
    limits: { readonly timeoutMillis: number; readonly maxBodyBytes: number },
    onAnswer: (status: number, headers: Readonly<Record<string, unknown>>, text: string) => A
  ) => Effect.Effect<A, Failure>
}

/** A server for one test, from {@link server}. */
export interface Served {
  readonly origin: string
  /** How many sockets are open on the server. */
  readonly open: () => number
  /** How many requests the server has seen. */
  readonly requests: () => number
  readonly http: Http.Server
}

/** A server on 127.0.0.1 for the scope, answering with `handler`; counts the sockets open and the requests seen. */
export const server = (handler: Http.RequestListener) =>
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

/** Waits (at most about a second) for the server to see every socket closed. */
export const socketsClosed = (s: Served) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && s.open() > 0; i++) yield* Effect.sleep("10 millis")
    return s.open()
  })

export const LIMITS = { timeoutMillis: 300, maxBodyBytes: 1024 }

/** The failure of a failed exchange, if it failed (and not by a defect or an interruption). */
export const causeOf = (exit: Exit.Exit<unknown, Failure>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

/**
 * Registers the tests every layer's `ChatTransport` must pass. `transport` builds a fresh one for the scope, found
 * by `ChatTransport.fromHttpClient` on the layer's client (and fails the test if it is not).
 */
export const transportContract = (name: string, transport: Effect.Effect<Transport, never, Scope.Scope>) =>
  describe(`${name}'s ChatTransport (the transport contract)`, () => {
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

    it.scopedLive("a decoder that throws is a defect, once", () =>
      Effect.gen(function*() {
        const { origin } = yield* server((_req, res) => res.end("{}"))
        let calls = 0
        const exit = yield* Effect.exit(
          (yield* transport).exchange(HttpClientRequest.get(`${origin}/x`), LIMITS, () => {
            calls++
            throw new Error("boom")
          })
        )
        expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
        expect(calls).toBe(1)
      }))

    it.scopedLive("decodes inside the I/O callback, outside any fiber (only the result waits for the fiber)", () =>
      Effect.gen(function*() {
        const { origin } = yield* server((_req, res) => res.end("{}"))
        const fiberWhileDecoding = yield* (yield* transport).exchange(
          HttpClientRequest.get(`${origin}/x`),
          LIMITS,
          () => Fiber.getCurrentFiber()._tag
        )
        // `ChatTransport`'s documented contract: `onAnswer` runs in the I/O callback, not as an effect once the fiber
        // resumes, so the text is unreachable as soon as the callback returns.
        expect(fiberWhileDecoding).toBe("None")
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
            expect(failure?.status).toBe(200)
            expect(failure?.reason).toContain(path === "/announced" ? "announced as 17179869184" : "exceeds 1024")
            expect(yield* socketsClosed(s)).toBe(0)
          }
        }),
      10_000
    )

    it.scopedLive("interruption aborts the request and closes the socket", () =>
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
          expect((failure?.cause as { code?: string } | undefined)?.code).toBe("ECONNREFUSED")
        }),
      10_000
    )
  })
