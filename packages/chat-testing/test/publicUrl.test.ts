/**
 * The emulator's public URL: the origin of every URL it writes (`url`, `links`, `meta.*_page_url`), its own by
 * default; and clients that reach it only through a plain HTTP forwarding proxy, paging through the proxy.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Emulator, EmulatorError, FakeTwilioChat } from "../src/index.js"
import { officialClient } from "./official.js"
import { basic } from "./utils.js"

/** Every string of `value` that is a URL, but Twilio's documentation links (`more_info`). */
const urlsIn = (value: unknown): Array<string> => {
  if (typeof value === "string") return /^[a-z]+:\/\//i.test(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(urlsIn)
  if (typeof value !== "object" || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) => key === "more_info" ? [] : urlsIn(inner))
}

/** The JSON of a request sent to `origin` (the emulator's own, whatever its URLs say), with its credentials. */
const fetchJson = (origin: string, url: string, init: RequestInit = {}) =>
  Effect.flatMap(Emulator, (emulator) =>
    Effect.promise(async () => {
      const target = new URL(url)
      const response = await fetch(origin + target.pathname + target.search, {
        ...init,
        headers: { authorization: basic(emulator.accountSid, Redacted.value(emulator.authToken)), ...init.headers }
      })
      return response.json() as Promise<any>
    }))

/** Creates, fetches, updates and lists (every page, both ways) on the emulator's own origin: the URLs answered. */
const urlsAnswered = Effect.gen(function*() {
  const emulator = yield* Emulator
  const users = `${emulator.localUrl}/v2/Services/${emulator.serviceSid}/Users`
  const form = { "content-type": "application/x-www-form-urlencoded" }
  const answers: Array<unknown> = []
  const created = yield* fetchJson(emulator.localUrl, users, { method: "POST", headers: form, body: "Identity=zoe" })
  answers.push(created, yield* fetchJson(emulator.localUrl, created.url))
  answers.push(
    yield* fetchJson(emulator.localUrl, created.url, { method: "POST", headers: form, body: "FriendlyName=Z" })
  )
  let page = yield* fetchJson(emulator.localUrl, `${users}?PageSize=2`)
  answers.push(page)
  while (page.meta.next_page_url !== null) {
    page = yield* fetchJson(emulator.localUrl, page.meta.next_page_url)
    answers.push(page)
  }
  answers.push(yield* fetchJson(emulator.localUrl, page.meta.previous_page_url))
  expect(answers).toHaveLength(7)
  return answers.flatMap(urlsIn)
})

/** A plain HTTP forwarding proxy on 127.0.0.1: every request goes on to `target()` as it came; paths are kept. */
const forwardingProxy = (target: () => string) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly paths: Array<string>; readonly server: Http.Server }>((resume) => {
      const paths: Array<string> = []
      const server = Http.createServer((request, response) => {
        paths.push(request.url!)
        const upstream = new URL(target())
        const forwarded = Http.request({
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host }
        }, (answer) => {
          response.writeHead(answer.statusCode!, answer.headers)
          answer.pipe(response)
        })
        forwarded.on("error", () => response.destroy())
        request.pipe(forwarded)
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          paths,
          server
        })))
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

describe("the public URL", () => {
  it.live("is the emulator's own origin by default: every URL it answers starts with it", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      expect(emulator.baseUrl).toBe(emulator.localUrl)
      expect(emulator.localUrl).toBe(`http://127.0.0.1:${emulator.port}`)
      const urls = yield* urlsAnswered
      expect(urls.length).toBeGreaterThan(20)
      expect(urls.filter((url) => !url.startsWith(`${emulator.localUrl}/`))).toEqual([])
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 5 }))))

  it.live("when given, is in every url, links and meta.*_page_url, while the server listens on 127.0.0.1", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      expect([emulator.baseUrl, fake.baseUrl]).toEqual(["https://chat.example.test:8443", emulator.baseUrl])
      const urls = yield* urlsAnswered
      expect(urls.length).toBeGreaterThan(20)
      expect(urls.filter((url) => !url.startsWith("https://chat.example.test:8443/v2/Services/"))).toEqual([])
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 5, publicUrl: "https://chat.example.test:8443/" }))))

  it.live("must be an http: or https: origin: a path, query, fragment or credentials fail with EmulatorError", () =>
    Effect.gen(function*() {
      for (
        const publicUrl of [
          "http://127.0.0.1:8080/twilio",
          "http://127.0.0.1:8080/?a=1",
          "http://127.0.0.1:8080/#top",
          "http://user:secret@127.0.0.1:8080",
          "ftp://127.0.0.1",
          "127.0.0.1:8080",
          ""
        ]
      ) {
        const error = yield* Effect.flip(Layer.launch(Emulator.layer({ publicUrl })))
        expect(error).toBeInstanceOf(EmulatorError)
        expect(error.message).toContain("Invalid publicUrl")
      }
    }))
})

describe("behind a plain HTTP forwarding proxy (the emulator's publicUrl set to the proxy)", () => {
  it.scopedLive(
    "the official twilio package pages through the proxy: 3 pages, next pages included",
    () =>
      Effect.gen(function*() {
        let upstream = ""
        const proxy = yield* forwardingProxy(() => upstream)
        const context = yield* Layer.build(Emulator.layer({ seedUsers: 7, publicUrl: proxy.url }))
        const emulator = Context.get(context, Emulator)
        upstream = emulator.localUrl
        const { httpClient, users } = yield* officialClient(proxy.url).pipe(Effect.provide(context))
        const listed = yield* Effect.promise(() => users.list({ pageSize: 3 }))
        expect(listed.map((user) => user.identity)).toEqual(
          Array.from({ length: 7 }, (_, i) => `user-00${i + 1}`)
        )
        // The first page from the client's own URL (its query in separate params), the next two as the emulator
        // wrote them: on the proxy, with their page tokens.
        const collection = `/v2/Services/${emulator.serviceSid}/Users`
        expect(httpClient.uris).toHaveLength(3)
        expect(httpClient.uris[0]).toBe(proxy.url + collection)
        expect(httpClient.uris.slice(1).every((uri) => uri.startsWith(`${proxy.url}${collection}?PageSize=3&Page=`)))
          .toBe(true)
        expect(httpClient.uris.filter((uri) => uri.includes("PageToken="))).toHaveLength(2)
        expect(proxy.paths).toEqual([
          `${collection}?PageSize=3`,
          ...httpClient.uris.slice(1).map((uri) => uri.slice(proxy.url.length))
        ])
        const lists = (yield* Context.get(context, FakeTwilioChat).requests).filter((r) => r.operation === "listUser")
        expect(lists).toHaveLength(3)
      }),
    60_000
  )

  it.scopedLive(
    "so does our client, with its base URL set to the proxy (Emulator.layerClient with publicUrl)",
    () =>
      Effect.gen(function*() {
        let upstream = ""
        const proxy = yield* forwardingProxy(() => upstream)
        const context = yield* Layer.build(
          Emulator.layerClient({ seedUsers: 7, publicUrl: proxy.url }).pipe(Layer.provide(FetchHttpClient.layer))
        )
        const emulator = Context.get(context, Emulator)
        upstream = emulator.localUrl
        const chat = Context.get(context, ChatV2UserApi)
        const streamed = yield* Stream.runCollect(chat.streamUsers(emulator.serviceSid, { pageSize: 3 }))
        expect(Chunk.size(streamed)).toBe(7)
        expect(proxy.paths).toHaveLength(3)
        expect(proxy.paths.every((path) => path.startsWith(`/v2/Services/${emulator.serviceSid}/Users?PageSize=3`)))
          .toBe(true)
        expect(proxy.paths.filter((path) => path.includes("PageToken="))).toHaveLength(2)
      }),
    60_000
  )
})
