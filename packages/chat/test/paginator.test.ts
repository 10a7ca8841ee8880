import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { chatLayer, clocked, type Script, scripted, type Sent, SERVICE, userJson } from "./utils.js"

const COLLECTION = `/v2/Services/${SERVICE}/Users`

/**
 * A paging backend of `total` users: pages by `PageSize` (default 50), tokens are offsets, `next_page_url` is
 * absolute on `host` (Twilio's own by default).
 */
const pagingServer = (
  total: number,
  options: { readonly host?: string; readonly nextHost?: (page: number) => string } = {}
) =>
(sent: Sent): Script => {
  const url = new URL(sent.url)
  const size = Number(url.searchParams.get("PageSize") ?? "50")
  const offset = Number(url.searchParams.get("PageToken") ?? "0")
  const page = Number(url.searchParams.get("Page") ?? "0")
  const users = Array.from(
    { length: Math.max(0, Math.min(size, total - offset)) },
    (_, i) => userJson({ identity: `user-${offset + i}`, sid: `US${(offset + i).toString(16).padStart(32, "0")}` })
  )
  const host = options.host ?? "https://chat.twilio.com"
  const nextHost = options.nextHost?.(page) ?? host
  const self = `${host}${COLLECTION}?PageSize=${size}&Page=${page}`
  return {
    status: 200,
    body: {
      users,
      meta: {
        page,
        page_size: size,
        first_page_url: `${host}${COLLECTION}?PageSize=${size}&Page=0`,
        previous_page_url: page === 0 ? null : `${host}${COLLECTION}?PageSize=${size}&Page=${page - 1}`,
        url: self,
        next_page_url: offset + size < total
          ? `${nextHost}${COLLECTION}?PageSize=${size}&Page=${page + 1}&PageToken=${offset + size}`
          : null,
        key: "users"
      }
    }
  }
}

const identities = (users: Chunk.Chunk<{ readonly identity: string }>) =>
  Chunk.toReadonlyArray(users).map((u) => u.identity)

describe("streamUsers: a lazy Stream over every page", () => {
  it.effect("yields every user of the service in order, following next_page_url, 100 per page by default", () => {
    const fake = scripted(pagingServer(250))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const users = yield* Stream.runCollect(chat.streamUsers(SERVICE))
      expect(identities(users)).toEqual(Array.from({ length: 250 }, (_, i) => `user-${i}`))
      expect(fake.sent.map((s) => s.url.replace(`https://chat.twilio.com${COLLECTION}`, ""))).toEqual([
        "?PageSize=100",
        "?PageSize=100&Page=1&PageToken=100",
        "?PageSize=100&Page=2&PageToken=200"
      ])
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("sends nothing until pulled", () => {
    const fake = scripted(pagingServer(10))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const stream = chat.streamUsers(SERVICE, { pageSize: 2 })
      yield* Effect.yieldNow()
      expect(fake.sent).toHaveLength(0)
      yield* Stream.runDrain(Stream.take(stream, 1))
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("stops sending when the consumer stops: take(3) over pages of 2 sends exactly 2 requests", () => {
    const fake = scripted(pagingServer(100))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const users = yield* Stream.runCollect(Stream.take(chat.streamUsers(SERVICE, { pageSize: 2 }), 3))
      expect(identities(users)).toEqual(["user-0", "user-1", "user-2"])
      expect(fake.sent).toHaveLength(2)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("limit asks for PageSize = min(limit, pageSize) and stops at limit", () => {
    const fake = scripted(pagingServer(1000))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const few = yield* Stream.runCollect(chat.streamUsers(SERVICE, { limit: 7 }))
      expect(Chunk.size(few)).toBe(7)
      expect(fake.sent.map((s) => new URL(s.url).searchParams.get("PageSize"))).toEqual(["7"])
      fake.sent.length = 0
      const more = yield* Stream.runCollect(chat.streamUsers(SERVICE, { limit: 45, pageSize: 20 }))
      expect(Chunk.size(more)).toBe(45)
      expect(fake.sent.map((s) => new URL(s.url).searchParams.get("PageSize"))).toEqual(["20", "20", "20"])
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("an empty service is an empty stream after one request", () => {
    const fake = scripted(pagingServer(0))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(Chunk.size(yield* Stream.runCollect(chat.streamUsers(SERVICE)))).toBe(0)
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("next pages on Twilio's host are re-issued, path and query as given, against the configured base URL", () => {
    const fake = scripted(pagingServer(5))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(Chunk.size(yield* Stream.runCollect(chat.streamUsers(SERVICE, { pageSize: 2 })))).toBe(5)
      expect(fake.sent.map((s) => s.url)).toEqual([
        `http://127.0.0.1:4010${COLLECTION}?PageSize=2`,
        `http://127.0.0.1:4010${COLLECTION}?PageSize=2&Page=1&PageToken=2`,
        `http://127.0.0.1:4010${COLLECTION}?PageSize=2&Page=2&PageToken=4`
      ])
    }).pipe(Effect.provide(chatLayer(fake.layer, { baseUrl: "http://127.0.0.1:4010" })))
  })

  it.effect("a next page on another host is refused as UnexpectedResponse, and nothing is sent there", () => {
    const fake = scripted(
      pagingServer(10, { nextHost: (page) => page === 1 ? "https://evil.example.com" : "https://chat.twilio.com" })
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(chat.streamUsers(SERVICE, { pageSize: 2 }), (u) => Effect.sync(() => seen.push(u.identity)))
      )
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: null })
      expect(error.message).toContain("host")
      expect(seen).toEqual(["user-0", "user-1", "user-2", "user-3"])
      expect(fake.sent.every((s) => new URL(s.url).host === "chat.twilio.com")).toBe(true)
      expect(fake.sent).toHaveLength(2)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("an http: next page for an https: base is refused", () => {
    const fake = scripted(pagingServer(10, { nextHost: () => "http://chat.twilio.com" }))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(Stream.runDrain(chat.streamUsers(SERVICE, { pageSize: 5 })))
      expect(error).toMatchObject({ _tag: "UnexpectedResponse" })
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a next page that points at another resource is refused", () => {
    const fake = scripted((sent, index) =>
      index === 0
        ? {
          status: 200,
          body: {
            users: [userJson()],
            meta: {
              page: 0,
              page_size: 1,
              first_page_url: sent.url,
              previous_page_url: null,
              url: sent.url,
              next_page_url: "https://chat.twilio.com/v2/Services",
              key: "users"
            }
          }
        }
        : { status: 200, body: {} }
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      expect(yield* Effect.flip(Stream.runDrain(chat.streamUsers(SERVICE)))).toMatchObject({
        _tag: "UnexpectedResponse"
      })
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a failing page is retried like any list call, and the stream goes on", () => {
    const server = pagingServer(6)
    const fake = scripted((sent, index) =>
      index === 1 ? { status: 503, body: { status: 503, code: 20503, message: "down" } } : server(sent)
    )
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const users = yield* Stream.runCollect(chat.streamUsers(SERVICE, { pageSize: 3 }))
      expect(Chunk.size(users)).toBe(6)
      expect(fake.sent).toHaveLength(3)
    }).pipe(clocked, Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("nextPage pages by hand and ends with None", () => {
    const fake = scripted(pagingServer(5))
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      let page = yield* chat.listUser(SERVICE, { pageSize: 2 })
      const seen = [...page.users.map((u) => u.identity)]
      while (true) {
        const next = yield* chat.nextPage(page)
        if (Option.isNone(next)) break
        page = next.value
        seen.push(...page.users.map((u) => u.identity))
      }
      expect(seen).toEqual(["user-0", "user-1", "user-2", "user-3", "user-4"])
      expect(fake.sent).toHaveLength(3)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})
