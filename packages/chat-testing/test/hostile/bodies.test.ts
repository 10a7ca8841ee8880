/**
 * Bodies are bounded by what is decoded: 8 MiB of decoded bytes, whatever the wire says. A compression bomb, an
 * announced 16 GiB, an endless chunked body: each is `UnexpectedResponse` within moments, memory stays flat, and
 * the connection that carried it is closed (not parked in the pool, still streaming).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Http from "node:http"
import * as Zlib from "node:zlib"
import {
  eventually,
  failureOf,
  httpServer,
  LAYERS,
  LIMIT,
  MiB,
  OTHER_USER,
  sendJson,
  SERVICE,
  timed,
  USER,
  userJson,
  withChat,
  withPeakRss,
  writeChunked,
  writeForever,
  writePaced
} from "./servers.js"

/** `megabytes` MiB of `{"a":"aaaa…` through `compressor`, fed 1 MiB at a time (never held whole). */
const bomb = (compressor: Zlib.Gzip | Zlib.Deflate | Zlib.BrotliCompress, megabytes: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const out: Array<Buffer> = []
    compressor.on("data", (part: Buffer) => out.push(part))
    compressor.on("end", () => resolve(Buffer.concat(out)))
    compressor.on("error", reject)
    const piece = Buffer.alloc(MiB, "a")
    compressor.write("{\"a\":\"")
    let written = 0
    const pump = () => {
      while (written < megabytes) {
        written++
        if (!compressor.write(piece)) return void compressor.once("drain", pump)
      }
      compressor.end()
    }
    pump()
  })

const brotli = () => Zlib.createBrotliCompress({ params: { [Zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
const BOMBS_64_MIB: ReadonlyArray<readonly [string, Buffer]> = [
  ["gzip", await bomb(Zlib.createGzip({ level: 9 }), 64)],
  ["deflate", await bomb(Zlib.createDeflate({ level: 9 }), 64)],
  ["br", await bomb(brotli(), 64)]
]
/** About 1 MiB on the wire. */
const GZIP_1_GIB = await bomb(Zlib.createGzip({ level: 9 }), 1024)

/** An answer that announces 16 GiB and then streams for as long as the socket lives. */
const SIXTEEN_GIB = "17179869184"
const announceSixteenGiB = (response: Http.ServerResponse) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": SIXTEEN_GIB })
  writeForever(response)
}
/** A server that answers every request with `announceSixteenGiB`, for at most 5 s. */
const sixteenGiBServer = httpServer((_, response) => announceSixteenGiB(response), { lifetime: 5_000 })

describe.each(LAYERS)("bodies over $name", ({ decodes, layer, pooled }) => {
  for (const [encoding, compressed] of BOMBS_64_MIB) {
    it.scopedLive(
      decodes
        ? `fetchUser: a ${encoding} body announced at its compressed size, inflating to 64 MiB, is UnexpectedResponse at the 8 MiB limit, memory stays under 200 MiB`
        : `fetchUser: a ${encoding} body inflating to 64 MiB (not decoded by this layer) is UnexpectedResponse, memory stays under 200 MiB`,
      () =>
        Effect.gen(function*() {
          const server = yield* httpServer((_, response) => {
            response.writeHead(200, {
              "content-type": "application/json",
              "content-encoding": encoding,
              "content-length": String(compressed.length)
            })
            response.end(compressed)
          })
          const [exit, growth] = yield* withPeakRss(
            withChat(layer, server.origin, { timeout: "10 seconds" }, (chat) => chat.fetchUser(SERVICE, USER))
          )
          const error = failureOf(exit)
          expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
          if (decodes) expect(error.message).toContain(String(LIMIT))
          expect(growth).toBeLessThan(200)
        }),
      20_000
    )
  }

  it.scopedLive(
    decodes
      ? "fetchUser: a gzip body inflating to 1 GiB, sent slowly, is UnexpectedResponse within a second, memory stays under 200 MiB, its connection is closed"
      : "fetchUser: a gzip body inflating to 1 GiB (not decoded by this layer) is UnexpectedResponse, memory stays under 200 MiB",
    () =>
      Effect.gen(function*() {
        // 16 KiB (16 MiB inflated) every 5 ms: the whole body takes over 300 ms, the limit is passed in the first.
        const server = yield* httpServer((_, response) => {
          response.writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": String(GZIP_1_GIB.length)
          })
          writePaced(response, GZIP_1_GIB, 16 * 1024, 5)
        })
        yield* withChat(layer, server.origin, { timeout: "15 seconds" }, (chat) =>
          Effect.gen(function*() {
            const [[exit, growth], elapsed] = yield* timed(withPeakRss(chat.fetchUser(SERVICE, USER)))
            const error = failureOf(exit)
            expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
            expect(growth).toBeLessThan(200)
            if (decodes) {
              expect(error.message).toContain(String(LIMIT))
              expect(elapsed).toBeLessThan(1_000)
              // While the client (and its pool) is alive: the refused body's socket must not be kept.
              expect(yield* eventually(server.open, (n) => n === 0, 1_000)).toBe(0)
            }
          }))
      }),
    30_000
  )

  it.scopedLive(
    "fetchUser: a Content-Length of 16 GiB, then bytes without end, is UnexpectedResponse within 2 s and the socket is closed",
    () =>
      Effect.gen(function*() {
        const server = yield* sixteenGiBServer
        yield* withChat(layer, server.origin, { timeout: "10 seconds" }, (chat) =>
          Effect.gen(function*() {
            const [exit, elapsed] = yield* timed(Effect.exit(chat.fetchUser(SERVICE, USER)))
            expect(failureOf(exit)).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
            expect(elapsed).toBeLessThan(2_000)
            expect(yield* eventually(server.open, (n) => n === 0, 1_500)).toBe(0)
          }))
      }),
    20_000
  )

  it.scopedLive(
    "after two answers announcing 16 GiB, a third call on a pool of 2 connections gets its user at once",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response, seen) => {
          if (seen.url.endsWith(OTHER_USER)) return sendJson(response, 200, userJson(OTHER_USER))
          announceSixteenGiB(response)
        }, { lifetime: 5_000 })
        yield* withChat(pooled, server.origin, { timeout: "10 seconds" }, (chat) =>
          Effect.gen(function*() {
            for (let i = 0; i < 2; i++) {
              expect(failureOf(yield* Effect.exit(chat.fetchUser(SERVICE, USER)))).toMatchObject({
                _tag: "UnexpectedResponse"
              })
            }
            const [user, elapsed] = yield* timed(chat.fetchUser(SERVICE, OTHER_USER))
            expect(user.sid).toBe(OTHER_USER)
            expect(elapsed).toBeLessThan(1_000)
          }))
        expect(server.requests).toHaveLength(3)
      }),
    20_000
  )

  it.scopedLive(
    "fetchUser: a chunked body of 64 MiB without Content-Length is UnexpectedResponse, the socket closed",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          writeChunked(response, 64 * MiB)
        })
        yield* withChat(layer, server.origin, { timeout: "10 seconds" }, (chat) =>
          Effect.gen(function*() {
            const error = failureOf(yield* Effect.exit(chat.fetchUser(SERVICE, USER)))
            expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
            expect(error.message).toContain(String(LIMIT))
            expect(yield* eventually(server.open, (n) => n === 0, 1_500)).toBe(0)
          }))
      }),
    20_000
  )

  it.scopedLive(
    "20 answers announcing 16 GiB in a row leave no socket open on the server",
    () =>
      Effect.gen(function*() {
        const server = yield* sixteenGiBServer
        yield* withChat(layer, server.origin, { timeout: "10 seconds" }, (chat) =>
          Effect.gen(function*() {
            const exits = yield* Effect.forEach(
              Array.from({ length: 20 }),
              () => Effect.exit(chat.fetchUser(SERVICE, USER))
            )
            expect(exits.filter((exit) => Exit.isFailure(exit) && failureOf(exit)._tag === "UnexpectedResponse"))
              .toHaveLength(20)
            expect(server.requests).toHaveLength(20)
            expect(yield* eventually(server.open, (n) => n === 0, 1_000)).toBe(0)
          }))
      }),
    30_000
  )
})
