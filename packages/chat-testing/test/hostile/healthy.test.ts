/**
 * The control group of the hostile suite: the same raw servers, answering as Twilio does, round-trip through the
 * client over both HTTP layers. When a hostile test fails, this one passing says the server and the wiring are
 * right and the failure is the client's.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import {
  eventually,
  httpServer,
  LAYERS,
  pageJson,
  sendJson,
  SERVICE,
  USER,
  userJson,
  userSid,
  usersPath,
  withChat
} from "./servers.js"

describe.each(LAYERS)("a healthy raw server over $name", ({ layer }) => {
  it.scopedLive("fetchUser gets the user the server answers, with the Basic credentials", () =>
    Effect.gen(function*() {
      const server = yield* httpServer((_, response) => sendJson(response, 200, userJson()))
      const user = yield* withChat(layer, server.origin, {}, (chat) => chat.fetchUser(SERVICE, USER))
      expect(user.sid).toBe(USER)
      expect(user.attributes).toEqual({ team: "blue" })
      expect(server.requests).toHaveLength(1)
      expect(server.requests[0]).toMatchObject({ method: "GET", url: `${usersPath()}/${USER}` })
      expect(server.requests[0].authorization).toMatch(/^Basic [A-Za-z0-9+/=]+$/)
    }), 15_000)

  it.scopedLive("createUser sends its form and deleteUser gets a 204", () =>
    Effect.gen(function*() {
      const server = yield* httpServer((request, response) =>
        request.method === "DELETE"
          ? void response.writeHead(204).end()
          : sendJson(response, 201, userJson(USER, "bob"))
      )
      yield* withChat(layer, server.origin, {}, (chat) =>
        Effect.gen(function*() {
          expect((yield* chat.createUser(SERVICE, "bob")).identity).toBe("bob")
          yield* chat.deleteUser(SERVICE, USER)
        }))
      expect(server.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
        `POST ${usersPath()} Identity=bob`,
        `DELETE ${usersPath()}/${USER} `
      ])
    }), 15_000)

  it.scopedLive(
    "streamUsers follows three pages on the configured origin, each user once, then stops",
    () =>
      Effect.gen(function*() {
        const pages = new Map<string, unknown>()
        const server = yield* httpServer((_, response, seen) => {
          const page = pages.get(seen.url)
          if (page === undefined) sendJson(response, 404, { code: 20404, message: "Not found", status: 404 })
          else sendJson(response, 200, page)
        })
        const first = `${usersPath()}?PageSize=1`
        const second = `${usersPath()}?PageSize=1&Page=1&PageToken=PA`
        const third = `${usersPath()}?PageSize=1&Page=2&PageToken=PB`
        pages.set(first, pageJson([userJson(userSid(1))], server.origin + first, server.origin + second))
        pages.set(second, pageJson([userJson(userSid(2))], server.origin + second, server.origin + third, 1))
        pages.set(third, pageJson([userJson(userSid(3))], server.origin + third, null, 2))
        const users = yield* withChat(
          layer,
          server.origin,
          {},
          (chat) => Stream.runCollect(chat.streamUsers(SERVICE, { pageSize: 1 }))
        )
        expect([...users].map((u) => u.sid)).toEqual([userSid(1), userSid(2), userSid(3)])
        expect(server.requests.map((r) => r.url)).toEqual([first, second, third])
      }),
    15_000
  )

  it.scopedLive(
    "the server's socket counting sees the client's connection open and closed",
    () =>
      Effect.gen(function*() {
        const server = yield* httpServer((_, response) => sendJson(response, 200, userJson(), { connection: "close" }))
        yield* withChat(layer, server.origin, {}, (chat) => chat.fetchUser(SERVICE, USER))
        expect(server.accepted()).toBe(1)
        expect(yield* eventually(server.open, (n) => n === 0)).toBe(0)
      }),
    15_000
  )
})
