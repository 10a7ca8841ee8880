/**
 * Conversations v1 on the shared engine, over a scripted `HttpClient`: its paths (a service's and the default
 * service's), its host and configuration, its delete header, its error names and its paging rules.
 */
import {
  ChatV2UserApi,
  ConversationsV1User,
  ConversationsV1UserApi,
  type ConversationsV1UserApiOptions,
  DefaultService
} from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import {
  ACCOUNT,
  chatLayer,
  clocked,
  conversationsUserJson,
  type Script,
  scripted,
  type Sent,
  SERVICE,
  TOKEN,
  USER,
  userJson
} from "./utils.js"

const HOST = "https://conversations.twilio.com"
const SERVICE_USERS = `/v1/Services/${SERVICE}/Users`
const DEFAULT_USERS = "/v1/Users"

const conversationsLayer = (
  http: Layer.Layer<never, never, never> | ReturnType<typeof scripted>["layer"],
  options: Partial<ConversationsV1UserApiOptions> = {}
) =>
  ConversationsV1UserApi.layer({ accountSid: ACCOUNT, authToken: TOKEN, ...options }).pipe(
    Layer.provide(http as ReturnType<typeof scripted>["layer"]),
    Layer.orDie
  )

/** A paging backend on `collection`: offsets as tokens, `next_page_url` on `nextHost` (Twilio's by default). */
const pages = (total: number, collection: string, nextHost: (page: number) => string = () => HOST) => (sent: Sent) => {
  const url = new URL(sent.url)
  const size = Number(url.searchParams.get("PageSize") ?? "50")
  const offset = Number(url.searchParams.get("PageToken") ?? "0")
  const page = Number(url.searchParams.get("Page") ?? "0")
  const users = Array.from(
    { length: Math.max(0, Math.min(size, total - offset)) },
    (_, i) => conversationsUserJson({ identity: `user-${offset + i}` })
  )
  return {
    status: 200,
    body: {
      users,
      meta: {
        page,
        page_size: size,
        first_page_url: `${HOST}${collection}?PageSize=${size}&Page=0`,
        previous_page_url: null,
        url: `${HOST}${collection}?PageSize=${size}&Page=${page}`,
        next_page_url: offset + size < total
          ? `${nextHost(page)}${collection}?PageSize=${size}&Page=${page + 1}&PageToken=${offset + size}`
          : null,
        key: "users"
      }
    }
  } satisfies Script
}

describe("ConversationsV1UserApi: requests", () => {
  it.effect("each operation on a service: its method, path under conversations.twilio.com and form", () => {
    const fake = scripted((sent) =>
      sent.method === "DELETE"
        ? { status: 204 }
        : sent.method === "GET" && sent.url.includes("?")
        ? pages(1, SERVICE_USERS)(sent)
        : { status: sent.url.endsWith("/Users") ? 201 : 200, body: conversationsUserJson() }
    )
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const created = yield* c.createUser(SERVICE, "alice", { friendlyName: "Alice", attributes: { team: "blue" } })
      expect(created).toBeInstanceOf(ConversationsV1User)
      expect(created.chatServiceSid).toBe(SERVICE)
      expect(created.attributes).toEqual({ team: "blue" })
      yield* c.fetchUser(SERVICE, "alice@example.com")
      yield* c.updateUser(SERVICE, USER, { roleSid: "RL0123456789abcdef0123456789abcdef" })
      const page = yield* c.listUser(SERVICE, { pageSize: 5 })
      expect(page.users).toHaveLength(1)
      yield* c.deleteUser(SERVICE, USER)
      expect(fake.sent.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual([
        `POST ${HOST}${SERVICE_USERS} Identity=alice&Attributes=%7B%22team%22%3A%22blue%22%7D&FriendlyName=Alice`,
        `GET ${HOST}${SERVICE_USERS}/alice%40example.com `,
        `POST ${HOST}${SERVICE_USERS}/${USER} RoleSid=RL0123456789abcdef0123456789abcdef`,
        `GET ${HOST}${SERVICE_USERS}?PageSize=5 `,
        `DELETE ${HOST}${SERVICE_USERS}/${USER} `
      ])
      expect(fake.sent[0].headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(fake.sent[0].headers.authorization).toMatch(/^Basic /)
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("DefaultService addresses the account's default service at /v1/Users", () => {
    const fake = scripted((sent) =>
      sent.method === "DELETE"
        ? { status: 204 }
        : sent.method === "GET" && sent.url.includes("?")
        ? pages(3, DEFAULT_USERS)(sent)
        : { status: sent.url.endsWith("/Users") ? 201 : 200, body: conversationsUserJson() }
    )
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      yield* c.createUser(DefaultService, "alice")
      yield* c.fetchUser(DefaultService, "alice")
      yield* c.updateUser(DefaultService, "alice", { friendlyName: "A" })
      yield* c.deleteUser(DefaultService, "alice")
      const all = yield* Stream.runCollect(c.streamUsers(DefaultService, { pageSize: 2 }))
      expect(all.length).toBe(3)
      expect(fake.sent.map((s) => `${s.method} ${s.url.replace(HOST, "")}`)).toEqual([
        `POST ${DEFAULT_USERS}`,
        `GET ${DEFAULT_USERS}/alice`,
        `POST ${DEFAULT_USERS}/alice`,
        `DELETE ${DEFAULT_USERS}/alice`,
        `GET ${DEFAULT_USERS}?PageSize=2`,
        `GET ${DEFAULT_USERS}?PageSize=2&Page=1&PageToken=2`
      ])
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("deleteUser sends X-Twilio-Webhook-Enabled when asked, and validates it", () => {
    const fake = scripted([{ status: 204 }])
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      yield* c.deleteUser(SERVICE, USER, { xTwilioWebhookEnabled: "true" })
      expect(fake.sent[0].headers["x-twilio-webhook-enabled"]).toBe("true")
      const bad = yield* Effect.flip(c.deleteUser(SERVICE, USER, { xTwilioWebhookEnabled: "yes" as "true" }))
      expect(bad).toMatchObject({ _tag: "InvalidRequest", field: "options.xTwilioWebhookEnabled" })
      const notObject = yield* Effect.flip(c.deleteUser(SERVICE, USER, "true" as never))
      expect(notObject).toMatchObject({ _tag: "InvalidRequest", field: "options" })
      expect(fake.sent).toHaveLength(1)
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("the scope is validated before anything is sent: DefaultService is not a Chat V2 service", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const c = yield* ConversationsV1UserApi
      const chatDefault = yield* Effect.flip(chat.fetchUser(DefaultService as unknown as string, "alice"))
      expect(chatDefault).toMatchObject({ _tag: "InvalidRequest", field: "serviceSid" })
      const otherSymbol = yield* Effect.flip(c.fetchUser(Symbol.for("default") as unknown as string, "alice"))
      expect(otherSymbol).toMatchObject({ _tag: "InvalidRequest", field: "serviceSid" })
      expect(otherSymbol.message).toContain("or DefaultService")
      expect(chatDefault.message).not.toContain("DefaultService")
      const streamed = yield* Effect.flip(Stream.runDrain(c.streamUsers("IS123")))
      expect(streamed).toMatchObject({ _tag: "InvalidRequest", field: "serviceSid" })
      const listed = yield* Effect.flip(c.listUser("default"))
      expect(listed).toMatchObject({ _tag: "InvalidRequest", field: "serviceSid" })
      expect(fake.sent).toHaveLength(0)
    }).pipe(Effect.provide(Layer.merge(chatLayer(fake.layer), conversationsLayer(fake.layer))))
  })
})

describe("ConversationsV1UserApi: page sizes are its spec's, 1 to 50", () => {
  it.effect("pageSize 51 is refused before anything is sent; the stream asks for 50 by default", () => {
    const fake = scripted(pages(0, SERVICE_USERS))
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const listed = yield* Effect.flip(c.listUser(SERVICE, { pageSize: 51 }))
      expect(listed).toMatchObject({ _tag: "InvalidRequest", field: "options.pageSize" })
      expect(listed.message).toBe("Expected a whole number from 1 to 50")
      const streamed = yield* Effect.flip(Stream.runDrain(c.streamUsers(SERVICE, { pageSize: 100 })))
      expect(streamed).toMatchObject({ _tag: "InvalidRequest", field: "options.pageSize" })
      expect(fake.sent).toHaveLength(0)
      yield* Stream.runDrain(c.streamUsers(SERVICE))
      yield* Stream.runDrain(c.streamUsers(SERVICE, { limit: 20 }))
      yield* c.listUser(SERVICE, { pageSize: 50 })
      expect(fake.sent.map((s) => new URL(s.url).search)).toEqual(["?PageSize=50", "?PageSize=20", "?PageSize=50"])
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("Chat V2 keeps 1 to 100", () => {
    const fake = scripted([{ status: 400 }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const error = yield* Effect.flip(chat.listUser(SERVICE, { pageSize: 101 }))
      expect(error.message).toBe("Expected a whole number from 1 to 100")
      expect(fake.sent).toHaveLength(0)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})

describe("ConversationsV1UserApi: errors and retries are the engine's", () => {
  it.effect("a 404 is UserNotFound named after the Conversations operation", () => {
    const fake = scripted([{ status: 404, body: { code: 20404, message: "The requested resource was not found" } }])
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const error = yield* Effect.flip(c.fetchUser(DefaultService, "ghost"))
      expect(error._tag).toBe("UserNotFound")
      expect(error.message).toMatch(/^ConversationsV1UserApi\.fetchUser: HTTP 404 \(20404\) after 1 attempt/)
      expect(error).toMatchObject({ operation: "ConversationsV1UserApi.fetchUser" })
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("a 503 on a fetch is retried with backoff, a 503 on a create is not", () => {
    const fake = scripted((sent, index) =>
      sent.method === "GET" && index === 0 ? { status: 503 } : sent.method === "GET"
        ? { status: 200, body: conversationsUserJson() }
        : { status: 503 }
    )
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const user = yield* clocked(c.fetchUser(SERVICE, "alice"))
      expect(user.identity).toBe("alice")
      const error = yield* Effect.flip(clocked(c.createUser(SERVICE, "bob")))
      expect(error).toMatchObject({ _tag: "TwilioApiError", status: 503, attempts: 1 })
      expect(fake.sent.map((s) => s.method)).toEqual(["GET", "GET", "POST"])
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("a Chat V2 body on a Conversations fetch is UnexpectedResponse, naming chat_service_sid", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const error = yield* Effect.flip(c.fetchUser(SERVICE, "alice"))
      expect(error._tag).toBe("UnexpectedResponse")
      expect(error.message).toContain("chat_service_sid")
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })
})

describe("ConversationsV1UserApi: paging", () => {
  it.effect("next pages on conversations.twilio.com are re-issued against the configured base URL", () => {
    const fake = scripted(pages(5, SERVICE_USERS))
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const all = yield* Stream.runCollect(c.streamUsers(SERVICE, { pageSize: 2 }))
      expect(all.length).toBe(5)
      expect(fake.sent.map((s) => s.url)).toEqual([
        `http://127.0.0.1:9${SERVICE_USERS}?PageSize=2`,
        `http://127.0.0.1:9${SERVICE_USERS}?PageSize=2&Page=1&PageToken=2`,
        `http://127.0.0.1:9${SERVICE_USERS}?PageSize=2&Page=2&PageToken=4`
      ])
    }).pipe(Effect.provide(conversationsLayer(fake.layer, { baseUrl: "http://127.0.0.1:9" })))
  })

  it.effect("a next page on chat.twilio.com is not Conversations' host: refused, nothing sent", () => {
    const fake = scripted(pages(5, SERVICE_USERS, () => "https://chat.twilio.com"))
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const error = yield* Effect.flip(Stream.runDrain(c.streamUsers(SERVICE, { pageSize: 2 })))
      expect(error._tag).toBe("UnexpectedResponse")
      expect(error.message).toContain("is on https://chat.twilio.com, which differs from the configured")
      const first = yield* c.listUser(SERVICE, { pageSize: 2 })
      const refused = yield* Effect.flip(c.nextPage(first))
      expect(refused.message).toMatch(/^ConversationsV1UserApi\.nextPage: /)
      expect(fake.sent).toHaveLength(2)
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })

  it.effect("a next page onto another collection names it: another service, or the default service", () => {
    const onOther = (collection: string) => (sent: Sent) => {
      const answer = pages(5, SERVICE_USERS)(sent)
      const next = answer.body.meta.next_page_url
      return next === null
        ? answer
        : {
          ...answer,
          body: {
            ...answer.body,
            meta: { ...answer.body.meta, next_page_url: next.replace(SERVICE_USERS, collection) }
          }
        }
    }
    const other = "IS" + "f".repeat(32)
    return Effect.gen(function*() {
      const toOther = scripted(onOther(`/v1/Services/${other}/Users`))
      const e1 = yield* Effect.flip(Stream.runDrain(
        Effect.runSync(Effect.provide(ConversationsV1UserApi, conversationsLayer(toOther.layer))).streamUsers(SERVICE, {
          pageSize: 2
        })
      ))
      expect(e1.message).toContain(`points at the users of another service (${other})`)
      const toDefault = scripted(onOther(DEFAULT_USERS))
      const e2 = yield* Effect.flip(Stream.runDrain(
        Effect.runSync(Effect.provide(ConversationsV1UserApi, conversationsLayer(toDefault.layer))).streamUsers(
          SERVICE,
          { pageSize: 2 }
        )
      ))
      expect(e2.message).toContain("points at the users of the default service")
      expect([toOther.sent.length, toDefault.sent.length]).toEqual([1, 1])
    })
  })

  it.effect("nextPage of a page listed elsewhere follows its own url's collection, the default one included", () => {
    const fake = scripted(pages(3, DEFAULT_USERS))
    return Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      const first = yield* c.listUser(DefaultService, { pageSize: 2 })
      const copy = { users: [...first.users], meta: first.meta } as unknown as typeof first
      const second = yield* c.nextPage(copy)
      expect(Option.map(second, (p) => p.users.length)).toEqual(Option.some(1))
      expect(fake.sent[1].url).toBe(`${HOST}${DEFAULT_USERS}?PageSize=2&Page=1&PageToken=2`)
    }).pipe(Effect.provide(conversationsLayer(fake.layer)))
  })
})

describe("ConversationsV1UserApi: configuration", () => {
  const withEnv = (env: Record<string, string>) =>
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  const CREDENTIALS = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN }

  const firstUrl = (layer: Layer.Layer<ConversationsV1UserApi>, fake: ReturnType<typeof scripted>) =>
    Effect.gen(function*() {
      const c = yield* ConversationsV1UserApi
      yield* c.fetchUser(SERVICE, "alice")
      return fake.sent[0].url
    }).pipe(Effect.provide(layer))

  it.effect("region and edge compose conversations.{edge}.{region}.twilio.com", () => {
    const fake = scripted([{ status: 200, body: conversationsUserJson() }])
    return Effect.gen(function*() {
      const url = yield* firstUrl(conversationsLayer(fake.layer, { region: "IE1", edge: "dublin" }), fake)
      expect(url).toBe(`https://conversations.dublin.ie1.twilio.com${SERVICE_USERS}/alice`)
    })
  })

  it.effect("layerConfig reads TWILIO_CONVERSATIONS_BASE_URL, not TWILIO_CHAT_BASE_URL", () => {
    const fake = scripted([{ status: 200, body: conversationsUserJson() }])
    const layer = (env: Record<string, string>) =>
      ConversationsV1UserApi.layerConfig().pipe(Layer.provide(fake.layer), Layer.provide(withEnv(env)), Layer.orDie)
    return Effect.gen(function*() {
      const own = yield* firstUrl(
        layer({ ...CREDENTIALS, TWILIO_CONVERSATIONS_BASE_URL: "http://127.0.0.1:4010/" }),
        fake
      )
      expect(own).toBe(`http://127.0.0.1:4010${SERVICE_USERS}/alice`)
      fake.sent.length = 0
      const chatOnly = yield* firstUrl(layer({ ...CREDENTIALS, TWILIO_CHAT_BASE_URL: "http://127.0.0.1:4010" }), fake)
      expect(chatOnly).toBe(`${HOST}${SERVICE_USERS}/alice`)
    })
  })

  it.effect("a malformed TWILIO_CONVERSATIONS_BASE_URL is a ConfigError naming it", () =>
    Effect.gen(function*() {
      const fake = scripted([{ status: 200 }])
      const exit = yield* Effect.exit(
        Layer.build(
          ConversationsV1UserApi.layerConfig().pipe(
            Layer.provide(fake.layer),
            Layer.provide(withEnv({ ...CREDENTIALS, TWILIO_CONVERSATIONS_BASE_URL: "http://example.com" }))
          )
        ).pipe(Effect.scoped)
      )
      expect(exit._tag).toBe("Failure")
      expect(String(exit)).toContain("TWILIO_CONVERSATIONS_BASE_URL")
    }))
})
