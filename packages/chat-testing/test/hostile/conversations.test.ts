/**
 * Conversations v1 against raw servers on 127.0.0.1, over both HTTP layers: its paths on the wire (a service's, the
 * default service's), its delete header, and its paging rules (only the configured origin or
 * conversations.twilio.com, only the collection listed from, no page twice): a refused next page receives nothing.
 */
import { ConversationsV1UserApi, type ConversationsV1UserApiService, DefaultService } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import {
  ACCOUNT,
  httpServer,
  LAYERS,
  OTHER_SERVICE,
  pageJson,
  sendJson,
  type Server,
  SERVICE,
  TOKEN,
  userJson,
  userSid
} from "./servers.js"

const SERVICE_USERS = `/v1/Services/${SERVICE}/Users`
const DEFAULT_USERS = "/v1/Users"

/** A user as Conversations renders it. */
const conversationsUser = (n: number) => {
  const { joined_channels_count: _count, links: _links, service_sid: _service, url: _url, ...rest } = userJson(
    userSid(n),
    `user-${n}`
  )
  const url = `https://conversations.twilio.com${SERVICE_USERS}/${rest.sid}`
  return { ...rest, chat_service_sid: SERVICE, url, links: { user_conversations: `${url}/Conversations` } }
}

/** Pages of one user at `collection`: page `n` links to `next(n, origin)` (a path or an absolute URL, or null). */
const pager = (collection: string, next: (n: number, origin: string) => string | null) =>
  Effect.gen(function*() {
    let origin = ""
    const server: Server = yield* httpServer((_, response, seen) => {
      const url = new URL(seen.url, origin)
      if (seen.method === "DELETE") return void response.writeHead(204).end()
      if (url.pathname !== collection) {
        return sendJson(response, 404, { code: 20404, message: "Not found", status: 404 })
      }
      const n = Number(url.searchParams.get("Page") ?? "0")
      const link = next(n, origin)
      sendJson(response, 200, pageJson([conversationsUser(n)], `${origin}${seen.url}`, link === null ? null : link, n))
    })
    origin = server.origin
    return server
  })

const withConversations = <A, E>(
  http: Layer.Layer<import("@effect/platform/HttpClient").HttpClient>,
  origin: string,
  f: (c: ConversationsV1UserApiService) => Effect.Effect<A, E>
) =>
  Effect.provide(
    Effect.flatMap(ConversationsV1UserApi, f),
    ConversationsV1UserApi.layer({ accountSid: ACCOUNT, authToken: TOKEN, baseUrl: origin, retry: false }).pipe(
      Layer.provide(http),
      Layer.orDie
    )
  )

const pageLink = (collection: string) => (n: number, origin: string) =>
  n < 2 ? `${origin}${collection}?PageSize=1&Page=${n + 1}&PageToken=PT${n + 1}` : null

describe.each(LAYERS)("Conversations v1 against raw servers, over $name", ({ layer }) => {
  it.scoped("streams a service's users across pages on the configured origin", () =>
    Effect.gen(function*() {
      const server = yield* pager(SERVICE_USERS, pageLink(SERVICE_USERS))
      const users = yield* withConversations(layer, server.origin, (c) =>
        Stream.runCollect(c.streamUsers(SERVICE, { pageSize: 1 })))
      expect([...users].map((u) =>
        u.identity
      )).toEqual(["user-0", "user-1", "user-2"])
      expect(server.requests.map((r) => r.url)).toEqual([
        `${SERVICE_USERS}?PageSize=1`,
        `${SERVICE_USERS}?PageSize=1&Page=1&PageToken=PT1`,
        `${SERVICE_USERS}?PageSize=1&Page=2&PageToken=PT2`
      ])
    }))

  it.scoped("the default service is /v1/Users on the wire, for a stream and a delete with its header", () =>
    Effect.gen(function*() {
      const server = yield* pager(DEFAULT_USERS, pageLink(DEFAULT_USERS))
      yield* withConversations(layer, server.origin, (c) =>
        Effect.zipRight(
          Stream.runDrain(c.streamUsers(DefaultService, { pageSize: 1 })),
          c.deleteUser(DefaultService, "user 1", { xTwilioWebhookEnabled: "true" })
        ))
      expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `GET ${DEFAULT_USERS}?PageSize=1`,
        `GET ${DEFAULT_USERS}?PageSize=1&Page=1&PageToken=PT1`,
        `GET ${DEFAULT_USERS}?PageSize=1&Page=2&PageToken=PT2`,
        `DELETE ${DEFAULT_USERS}/user%201`
      ])
      expect(server.requests[3].headers["x-twilio-webhook-enabled"]).toBe("true")
    }))

  const refusals: ReadonlyArray<readonly [string, (n: number, origin: string) => string, string]> = [
    ["chat.twilio.com", () => `https://chat.twilio.com${SERVICE_USERS}?Page=1`, "differs from the configured"],
    [
      "the Chat V2 path on the same origin",
      (_, o) => `${o}/v2/Services/${SERVICE}/Users?Page=1`,
      "is not the collection"
    ],
    [
      "another service",
      (_, o) => `${o}/v1/Services/${OTHER_SERVICE}/Users?Page=1`,
      `another service (${OTHER_SERVICE})`
    ],
    ["the default service", (_, o) => `${o}${DEFAULT_USERS}?Page=1`, "the default service"],
    ["back to the first page (a cycle)", (_, o) => `${o}${SERVICE_USERS}?PageSize=1`, "a cycle"]
  ]

  it.scoped.each(refusals)(
    "a next page onto %s is refused and receives nothing",
    ([_, link, reason]) =>
      Effect.gen(function*() {
        const server = yield* pager(SERVICE_USERS, link)
        const error = yield* withConversations(
          layer,
          server.origin,
          (c) => Effect.flip(Stream.runDrain(c.streamUsers(SERVICE, { pageSize: 1 })))
        )
        expect(error._tag).toBe("UnexpectedResponse")
        expect(error.message).toContain(reason)
        expect(error.message).toMatch(/^ConversationsV1UserApi\.streamUsers: /)
        expect(server.requests).toHaveLength(1)
      })
  )
})
