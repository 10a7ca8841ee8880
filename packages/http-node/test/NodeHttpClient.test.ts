/**
 * The generic path of `NodeHttpClient`: `execute`, as any `HttpClient` user (and `@effect-twilio/chat` on a
 * `TestClock` or with a `transformClient`) calls it, against a server on 127.0.0.1.
 */
import { NodeHttpClient } from "@effect-twilio/http-node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

const seen: Array<Seen> = []
const sockets = new Set<Socket>()
let connectionsOpened = 0
/** Resolved when the server sees the client close the connection of a `/hang` request. */
let hangClosed: Promise<void> = Promise.resolve()
let onHangClosed = () => {}

const server = Http.createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on("data", (c: Buffer) => chunks.push(c))
  req.on("end", () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() })
    switch (req.url!.split("?")[0]) {
      case "/json":
        res.writeHead(201, { "content-type": "application/json", "x-multi": ["a", "b"], "set-cookie": "k=v; Path=/" })
        res.end(JSON.stringify({ hello: "world", query: req.url!.split("?")[1] ?? null }))
        return
      case "/echo":
        res.writeHead(200, { "content-type": "text/plain" })
        res.end(Buffer.concat(chunks))
        return
      case "/empty":
        res.writeHead(204)
        res.end()
        return
      case "/redirect":
        res.writeHead(302, { location: "/json" })
        res.end()
        return
      case "/chunks":
        res.writeHead(200, { "content-type": "text/plain" })
        res.write("one,")
        setTimeout(() => res.end("two"), 5)
        return
      case "/reset":
        req.socket.destroy()
        return
      case "/hang":
        res.on("close", () => onHangClosed())
        res.writeHead(200)
        res.write("partial")
        return
      case "/hang-headers":
        res.on("close", () => onHangClosed())
        return
      default:
        res.writeHead(404)
        res.end("not found")
    }
  })
})
server.on("connection", (socket) => {
  connectionsOpened++
  sockets.add(socket)
  socket.on("close", () => sockets.delete(socket))
})

let base = ""
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const expectHangClosed = () => {
  hangClosed = new Promise<void>((resolve) => {
    onHangClosed = resolve
  })
}

// Each test runs twice: with the tracer on (a span per request) and off for the request (as the chat client has it).
const PATHS = [["traced", false], ["untraced", true]] as const

describe.each(PATHS)("NodeHttpClient.execute (%s)", (_, untraced) => {
  const withClient = <A, E>(f: (client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
    Effect.flatMap(
      HttpClient.HttpClient,
      (client) => f(untraced ? HttpClient.withTracerDisabledWhen(client, () => true) : client)
    ).pipe(Effect.provide(NodeHttpClient.layer))

  it.live("answers status, headers, cookies and a JSON body", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const response = yield* client.get(`${base}/json`, { urlParams: { a: "1 2" } })
        expect(response.status).toBe(201)
        expect(response.headers["content-type"]).toBe("application/json")
        expect(response.headers["x-multi"]).toBe("a, b")
        expect(response.cookies.cookies.k.value).toBe("v")
        expect(yield* response.json).toEqual({ hello: "world", query: "a=1+2" })
      })
    ))

  it.live("sends the method, headers and a text body", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const request = HttpClientRequest.post(`${base}/echo`).pipe(
          HttpClientRequest.setHeader("x-custom", "yes"),
          HttpClientRequest.bodyText("Identity=alice%40example.com", "application/x-www-form-urlencoded")
        )
        const response = yield* client.execute(request)
        expect(yield* response.text).toBe("Identity=alice%40example.com")
        const last = seen[seen.length - 1]
        expect(last.method).toBe("POST")
        expect(last.headers["x-custom"]).toBe("yes")
        expect(last.headers["content-type"]).toBe("application/x-www-form-urlencoded")
        expect(last.headers["content-length"]).toBe("28")
      })
    ))

  it.live("sends a Uint8Array body, a stream body and a form", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const bytes = yield* client.execute(
          HttpClientRequest.post(`${base}/echo`).pipe(
            HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes"))
          )
        )
        expect(yield* bytes.text).toBe("bytes")
        const streamed = yield* client.execute(
          HttpClientRequest.post(`${base}/echo`).pipe(
            HttpClientRequest.bodyStream(Stream.make("a", "b", "c").pipe(Stream.encodeText))
          )
        )
        expect(yield* streamed.text).toBe("abc")
        const form = new FormData()
        form.append("name", "ada")
        const formed = yield* client.execute(
          HttpClientRequest.post(`${base}/echo`).pipe(HttpClientRequest.bodyFormData(form))
        )
        expect(yield* formed.text).toContain("name=\"name\"\r\n\r\nada")
        expect(seen[seen.length - 1].headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/)
      })
    ))

  it.live("reads a body as a stream, and an empty answer", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const response = yield* client.get(`${base}/chunks`)
        const chunks = yield* Stream.runCollect(Stream.decodeText(response.stream))
        expect(Chunk.join(chunks, "")).toBe("one,two")
        const empty = yield* client.get(`${base}/empty`)
        expect(empty.status).toBe(204)
        expect(yield* empty.text).toBe("")
      })
    ))

  it.live("answers a redirect as it is, without following it", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const before = seen.length
        const response = yield* client.get(`${base}/redirect`)
        expect(response.status).toBe(302)
        expect(response.headers.location).toBe("/json")
        expect(seen.length).toBe(before + 1)
      })
    ))

  it.live("answers a 404 as a response, not an error", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const response = yield* client.get(`${base}/nowhere`)
        expect(response.status).toBe(404)
        expect(yield* response.text).toBe("not found")
      })
    ))

  it.live("fails with a RequestError of reason Transport when the connection is reset", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(client.get(`${base}/reset`))
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
        expectHangClosed()
        const fiber = yield* Effect.fork(client.get(`${base}/hang-headers`))
        yield* Effect.sleep(Duration.millis(50))
        yield* Fiber.interrupt(fiber)
        yield* Effect.promise(() => hangClosed)
      })
    ))

  it.live("aborts the request when interrupted while reading the body (a timeout)", () =>
    withClient((client) =>
      Effect.gen(function*() {
        expectHangClosed()
        const result = yield* client.get(`${base}/hang`).pipe(
          Effect.flatMap((r) => r.text),
          Effect.timeout(Duration.millis(100)),
          Effect.either
        )
        expect(result._tag).toBe("Left")
        yield* Effect.promise(() => hangClosed)
      })
    ))

  it.live("reuses keep-alive connections for sequential requests", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const before = connectionsOpened
        for (let i = 0; i < 10; i++) yield* Effect.flatMap(client.get(`${base}/json`), (r) => r.text)
        expect(connectionsOpened - before).toBe(1)
      })
    ))
})

describe("NodeHttpClient's agents", () => {
  it.live("close their connections when the layer is released", () =>
    Effect.gen(function*() {
      const layer = NodeHttpClient.layerWith({ connections: 2, keepAliveTimeout: "1 minute" })
      yield* Effect.scoped(
        Effect.flatMap(Layer.build(layer), (context) =>
          Effect.flatMap(
            HttpClient.HttpClient.pipe(Effect.provide(context)),
            (client) => Effect.flatMap(client.get(`${base}/json`), (r) => r.text)
          ))
      )
      for (let i = 0; i < 50 && sockets.size > 0; i++) yield* Effect.sleep(Duration.millis(10))
      expect(sockets.size).toBe(0)
    }))

  it.live("hold at most `connections` sockets per origin", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make({ connections: 2 })
      const before = connectionsOpened
      yield* Effect.forEach(
        Array.from({ length: 8 }, () => client.get(`${base}/chunks`)),
        (request) => Effect.flatMap(request, (r) => r.text),
        { concurrency: "unbounded" }
      )
      expect(connectionsOpened - before).toBe(2)
    }).pipe(Effect.scoped))

  it.live("close an idle socket after keepAliveTimeout", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make({ keepAliveTimeout: "50 millis" })
      yield* Effect.flatMap(client.get(`${base}/json`), (r) => r.text)
      for (let i = 0; i < 100 && sockets.size > 0; i++) yield* Effect.sleep(Duration.millis(10))
      expect(sockets.size).toBe(0)
    }).pipe(Effect.scoped))
})
