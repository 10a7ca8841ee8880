/**
 * The one-step `ChatTransport` that `NodeHttpClient` carries: found by `@effect-twilio/chat` under its own key, and
 * an exchange that reads, limits and times out by itself, against servers on 127.0.0.1: the shared contract, and what
 * is `NodeHttpClient`'s alone.
 */
import { ChatTransport } from "@effect-twilio/chat"
import { NodeHttpClient } from "@effect-twilio/http-node"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Contract from "../../../test-support/http-layer-contract.js"

/** The transport of a fresh `NodeHttpClient`, its agents destroyed with the scope. */
const transport = Effect.map(NodeHttpClient.make(), (client) => {
  const found = ChatTransport.fromHttpClient(client)
  if (found === undefined) throw new Error("NodeHttpClient carries no ChatTransport")
  return found
})

Contract.transportContract("NodeHttpClient", transport)

describe("NodeHttpClient's ChatTransport", () => {
  it.scoped("sits under @effect-twilio/chat's key", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make()
      expect(Object.getOwnPropertySymbols(client)).toContain(ChatTransport.TypeId)
      expect(ChatTransport.fromHttpClient(client)).toBeDefined()
    }))

  it.scopedLive("sends a text and a bytes body whole, with their length", () =>
    Effect.gen(function*() {
      const { origin } = yield* Contract.server((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => res.end(`${req.headers["content-length"]}:${Buffer.concat(chunks).toString()}`))
      })
      const t = yield* transport
      const text = HttpClientRequest.post(`${origin}/x`).pipe(HttpClientRequest.bodyText("héllo"))
      const bytes = HttpClientRequest.post(`${origin}/x`).pipe(
        HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes"))
      )
      expect(yield* t.exchange(text, Contract.LIMITS, (_s, _h, body) => body)).toBe("6:héllo")
      expect(yield* t.exchange(bytes, Contract.LIMITS, (_s, _h, body) => body)).toBe("5:bytes")
    }))

  it.scopedLive("answers a redirect as it is, without following it", () =>
    Effect.gen(function*() {
      const s = yield* Contract.server((_req, res) => {
        res.writeHead(302, { location: "/elsewhere" })
        res.end()
      })
      const answer = yield* (yield* transport).exchange(
        HttpClientRequest.get(`${s.origin}/x`),
        Contract.LIMITS,
        (status, headers) => ({ status, location: headers.location })
      )
      expect(answer).toEqual({ status: 302, location: "/elsewhere" })
      expect(s.requests()).toBe(1)
    }))

  it.scopedLive("times out in the middle of a body, and closes the socket", () =>
    Effect.gen(function*() {
      const s = yield* Contract.server((_req, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write("partial")
      })
      const exit = yield* Effect.exit(
        (yield* transport).exchange(HttpClientRequest.get(`${s.origin}/x`), Contract.LIMITS, () => 1)
      )
      expect(exit).toEqual(Exit.fail({ _tag: "Timeout" }))
      expect(yield* Contract.socketsClosed(s)).toBe(0)
    }), 10_000)

  it.scopedLive("a body cut short is a Connection failure", () =>
    Effect.gen(function*() {
      const s = yield* Contract.server((req, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write("partial", () => req.socket.destroy())
      })
      const failure = Contract.causeOf(
        yield* Effect.exit(
          (yield* transport).exchange(HttpClientRequest.get(`${s.origin}/x`), Contract.LIMITS, () => 1)
        )
      )
      expect(failure?._tag).toBe("Connection")
    }), 10_000)

  it.scopedLive("a protocol other than http: and https: is a Connection failure", () =>
    Effect.gen(function*() {
      const failure = Contract.causeOf(
        yield* Effect.exit(
          (yield* transport).exchange(HttpClientRequest.get("ftp://127.0.0.1/x"), Contract.LIMITS, () => 1)
        )
      )
      expect(failure?._tag).toBe("Connection")
    }))

  it.scopedLive("reuses its keep-alive socket for sequential exchanges", () =>
    Effect.gen(function*() {
      let connections = 0
      const s = yield* Contract.server((_req, res) => res.end("ok"))
      s.http.on("connection", () => connections++)
      const t = yield* transport
      for (let i = 0; i < 5; i++) {
        expect(yield* t.exchange(HttpClientRequest.get(`${s.origin}/x`), Contract.LIMITS, (_s, _h, text) => text)).toBe(
          "ok"
        )
      }
      expect(connections).toBe(1)
    }))
})
