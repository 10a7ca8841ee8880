import { ChatV2UserApi } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import type { Socket } from "node:net"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

const SERVICE = "IS0123456789abcdef0123456789abcdef"
const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
const USER = {
  sid: "US0123456789abcdef0123456789abcdef",
  account_sid: ACCOUNT,
  service_sid: SERVICE,
  attributes: "{}",
  friendly_name: null,
  role_sid: null,
  identity: "alice",
  is_online: null,
  is_notifiable: null,
  date_created: "2016-03-24T21:05:19Z",
  date_updated: "2016-03-24T21:05:19Z",
  joined_channels_count: 0,
  links: null,
  url: `https://chat.twilio.com/v2/Services/${SERVICE}/Users/US0123456789abcdef0123456789abcdef`
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
    const path = req.url!.split("?")[0]
    if (path === `/v2/Services/${SERVICE}/Users/alice`) {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(USER))
      return
    }
    if (path === `/v2/Services/${SERVICE}/Users/moved`) {
      res.writeHead(302, { location: `/v2/Services/${SERVICE}/Users/alice` })
      res.end()
      return
    }
    if (path === `/v2/Services/${SERVICE}/Users/hang`) {
      res.on("close", () => onHangClosed())
      return
    }
    switch (path) {
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

// Each test runs twice: with the tracer on (requests go through `HttpClient.make`, with a span) and off for the
// request (the lean path the chat client takes).
const PATHS = [["traced", false], ["lean", true]] as const

describe.each(PATHS)("UndiciHttpClient (%s path)", (_, lean) => {
  const withClient = <A, E>(f: (client: HttpClient.HttpClient) => Effect.Effect<A, E>) =>
    Effect.flatMap(
      HttpClient.HttpClient,
      (client) => f(lean ? HttpClient.withTracerDisabledWhen(client, () => true) : client)
    ).pipe(Effect.provide(UndiciHttpClient.layer))

  it.live("answers status, headers, cookies and a JSON body", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const response = yield* client.get(`${base}/json`, { urlParams: { a: "1 2" } })
        expect(response.status).toBe(201)
        expect(response.headers["content-type"]).toBe("application/json")
        expect(response.headers["x-multi"]).toBe("a, b")
        expect(response.cookies.cookies.k.value).toBe("v")
        expect(yield* response.json).toEqual({ hello: "world", query: "a=1+2" })
        // A second read gives the same body.
        expect(yield* response.text).toBe("{\"hello\":\"world\",\"query\":\"a=1+2\"}")
        // And the bytes after the text.
        const bytes = yield* response.arrayBuffer
        expect(new TextDecoder().decode(bytes)).toBe("{\"hello\":\"world\",\"query\":\"a=1+2\"}")
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

  it.live("sends a Uint8Array body and a stream body", () =>
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
      })
    ))

  it.live("reads a body as bytes and as a stream", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const buffer = yield* Effect.flatMap(client.get(`${base}/echo`), (r) => r.arrayBuffer)
        expect(buffer.byteLength).toBe(0)
        const response = yield* client.get(`${base}/chunks`)
        const chunks = yield* Stream.runCollect(Stream.decodeText(response.stream))
        expect(Chunk.join(chunks, "")).toBe("one,two")
        const empty = yield* client.get(`${base}/empty`)
        expect(empty.status).toBe(204)
        expect(yield* empty.text).toBe("")
        expect(yield* empty.json).toBe(null)
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

  it.live("fails with a RequestError when nothing listens", () =>
    withClient((client) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(client.get("http://127.0.0.1:1/"))
        expect(error._tag).toBe("RequestError")
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
        // undici frees a connection just after the body ends, so the next request may open a second one; not more.
        expect(connectionsOpened - before).toBeGreaterThanOrEqual(1)
        expect(connectionsOpened - before).toBeLessThanOrEqual(2)
      })
    ))

  it.live("closes its connections when the layer is released", () =>
    Effect.gen(function*() {
      const layer = UndiciHttpClient.layerWith({ connections: 2, keepAliveTimeout: "1 minute" })
      yield* Effect.scoped(
        Effect.flatMap(Layer.build(layer), (context) =>
          Effect.flatMap(
            HttpClient.HttpClient.pipe(Effect.provide(context)),
            (client) => Effect.flatMap(client.get(`${base}/json`), (r) => r.text)
          ))
      )
      // The server sees every connection closed shortly after.
      for (let i = 0; i < 50 && sockets.size > 0; i++) yield* Effect.sleep(Duration.millis(10))
      expect(sockets.size).toBe(0)
    }))
})

describe("UndiciHttpClient under the chat client", () => {
  const chat = (timeout: Duration.DurationInput, http: Layer.Layer<HttpClient.HttpClient> = UndiciHttpClient.layer) =>
    ChatV2UserApi.layer({ accountSid: ACCOUNT, authToken: "token", baseUrl: base, timeout, retry: false }).pipe(
      Layer.provide(http),
      Layer.orDie
    )

  /** A tracer that records the names of the spans it makes. */
  const recording = Effect.map(Effect.tracer, (native) => {
    const names: Array<string> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        names.push(name)
        return native.span(name, parent, context, links, startTime, kind, options)
      },
      context: (f, fiber) => native.context(f, fiber)
    })
    return { names, tracer }
  })

  for (
    const [name, http] of [["UndiciHttpClient", UndiciHttpClient.layer], [
      "FetchHttpClient",
      FetchHttpClient.layer
    ]] as const
  ) {
    it.live(`over ${name} on the live clock: the operation's span, and no http.client span (its URL holds PII)`, () =>
      Effect.gen(function*() {
        const { names, tracer } = yield* recording
        const api = yield* ChatV2UserApi
        yield* Effect.withTracer(api.fetchUser(SERVICE, "alice"), tracer)
        expect(names).toContain("ChatV2UserApi.fetchUser")
        expect(names.filter((n) => n.startsWith("http.client"))).toEqual([])
      }).pipe(Effect.provide(chat("5 seconds", http))))

    it.live(`over ${name} on the live clock: a redirect is not followed`, () =>
      Effect.gen(function*() {
        const api = yield* ChatV2UserApi
        const before = seen.length
        const error = yield* Effect.flip(api.fetchUser(SERVICE, "moved"))
        expect(error._tag).toBe("UnexpectedResponse")
        expect(seen.length).toBe(before + 1)
      }).pipe(Effect.provide(chat("5 seconds", http))))
  }

  it.live("fetches a user", () =>
    Effect.gen(function*() {
      const api = yield* ChatV2UserApi
      const user = yield* api.fetchUser(SERVICE, "alice")
      expect(user.identity).toBe("alice")
      expect(seen[seen.length - 1].url).toBe(`/v2/Services/${SERVICE}/Users/alice`)
    }).pipe(Effect.provide(chat("5 seconds"))))

  it.live("times out on the live clock: a TransportError, and the request is aborted", () =>
    Effect.gen(function*() {
      expectHangClosed()
      const api = yield* ChatV2UserApi
      const started = Date.now()
      const error = yield* Effect.flip(api.fetchUser(SERVICE, "hang"))
      expect(error._tag).toBe("TransportError")
      if (error._tag === "TransportError") expect(error.reason).toBe("Timeout")
      expect(Date.now() - started).toBeGreaterThanOrEqual(90)
      yield* Effect.promise(() => hangClosed)
    }).pipe(Effect.provide(chat("100 millis"))))

  it.live("an interruption of the call aborts the request", () =>
    Effect.gen(function*() {
      expectHangClosed()
      const api = yield* ChatV2UserApi
      const fiber = yield* Effect.fork(api.fetchUser(SERVICE, "hang"))
      yield* Effect.sleep(Duration.millis(50))
      yield* Fiber.interrupt(fiber)
      yield* Effect.promise(() => hangClosed)
    }).pipe(Effect.provide(chat("30 seconds"))))
})
