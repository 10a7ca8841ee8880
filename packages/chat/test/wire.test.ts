import { ChatV2UserApi, VERSION } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { ACCOUNT, chatLayer, ROLE, scripted, SERVICE, TOKEN, USER, userJson } from "./utils.js"

const BASE = `https://chat.twilio.com/v2/Services/${SERVICE}/Users`
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`

const page = (next: string | null = null) => ({
  users: [userJson()],
  meta: {
    page: 0,
    page_size: 50,
    first_page_url: `${BASE}?PageSize=50&Page=0`,
    previous_page_url: null,
    url: `${BASE}?PageSize=50&Page=0`,
    next_page_url: next,
    key: "users"
  }
})

describe("the wire: what each operation sends", () => {
  it.effect("createUser POSTs a form with Identity only when no option is given", () => {
    const fake = scripted([{ status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.createUser(SERVICE, "alice")
      expect(fake.sent).toHaveLength(1)
      const [sent] = fake.sent
      expect(sent.method).toBe("POST")
      expect(sent.url).toBe(BASE)
      expect(sent.body).toBe("Identity=alice")
      expect(sent.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(sent.headers.accept).toBe("application/json")
      expect(sent.headers.authorization).toBe(basic(ACCOUNT, TOKEN))
      expect(sent.headers["user-agent"]).toBe(`effect-twilio-chat/${VERSION}`)
      expect(sent.headers).not.toHaveProperty("x-twilio-webhook-enabled")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("createUser sends every option in PascalCase, attributes as JSON text, space as %20", () => {
    const fake = scripted([{ status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.createUser(SERVICE, "alice smith", {
        attributes: { team: "blue & green", n: 1 },
        friendlyName: "Alice Smith",
        roleSid: ROLE,
        xTwilioWebhookEnabled: "true"
      })
      const [sent] = fake.sent
      expect(sent.body).toBe(
        "Identity=alice%20smith&RoleSid=" + ROLE +
          "&Attributes=" + encodeURIComponent(JSON.stringify({ team: "blue & green", n: 1 })) +
          "&FriendlyName=Alice%20Smith"
      )
      const form = new URLSearchParams(sent.body)
      expect(JSON.parse(form.get("Attributes")!)).toEqual({ team: "blue & green", n: 1 })
      expect(sent.headers["x-twilio-webhook-enabled"]).toBe("true")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("fetchUser GETs the user by SID with no body", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.fetchUser(SERVICE, USER)
      expect(fake.sent[0]).toMatchObject({ method: "GET", url: `${BASE}/${USER}`, body: "" })
      expect(fake.sent[0].headers).not.toHaveProperty("content-type")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("an identity reaches the server as exactly one percent-encoded path segment", () => {
    const identities = ["a/b?c#d %", "alice@example.com", "ü", "%2F", "../Services", "a?PageSize=1", "#x", "🙂", "שלום"]
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      for (const identity of identities) yield* chat.fetchUser(SERVICE, identity)
      expect(fake.sent.map((s) => s.url)).toEqual(identities.map((i) => `${BASE}/${encodeURIComponent(i)}`))
      for (const [i, sent] of fake.sent.entries()) {
        const url = new URL(sent.url)
        expect(url.search).toBe("")
        expect(url.hash).toBe("")
        const segments = url.pathname.split("/")
        expect(segments).toHaveLength(6)
        expect(decodeURIComponent(segments[5])).toBe(identities[i])
      }
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("updateUser POSTs only the given options and never an Identity", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.updateUser(SERVICE, "alice", { friendlyName: "A", xTwilioWebhookEnabled: "false" })
      yield* chat.updateUser(SERVICE, "alice", { attributes: {} })
      yield* chat.updateUser(SERVICE, "alice")
      expect(fake.sent.map((s) => [s.method, s.url, s.body])).toEqual([
        ["POST", `${BASE}/alice`, "FriendlyName=A"],
        ["POST", `${BASE}/alice`, "Attributes=%7B%7D"],
        ["POST", `${BASE}/alice`, ""]
      ])
      expect(fake.sent[0].headers["x-twilio-webhook-enabled"]).toBe("false")
      expect(fake.sent[1].headers).not.toHaveProperty("x-twilio-webhook-enabled")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("deleteUser sends DELETE and succeeds on 204 with an empty body", () => {
    const fake = scripted([{ status: 204 }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const result = yield* chat.deleteUser(SERVICE, "bob")
      expect(result).toBeUndefined()
      expect(fake.sent[0]).toMatchObject({ method: "DELETE", url: `${BASE}/bob`, body: "" })
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("listUser GETs one page with PageSize, Page and PageToken only when given", () => {
    const fake = scripted([{ status: 200, body: page() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.listUser(SERVICE)
      yield* chat.listUser(SERVICE, { pageSize: 20, page: 2, pageToken: "PT a+b/=" })
      expect(fake.sent.map((s) => s.url)).toEqual([
        BASE,
        `${BASE}?PageSize=20&Page=2&PageToken=PT%20a%2Bb%2F%3D`
      ])
      expect(fake.sent[0].method).toBe("GET")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("API key credentials are sent as Basic auth with the key SID as user name", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    const key = "SK0123456789abcdef0123456789abcdef"
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.fetchUser(SERVICE, USER)
      expect(fake.sent[0].headers.authorization).toBe(basic(key, "key-secret"))
    }).pipe(Effect.provide(chatLayer(fake.layer, { apiKeySid: key, apiKeySecret: Redacted.make("key-secret") })))
  })

  it.effect("a userAgent option is appended to the package's User-Agent", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.fetchUser(SERVICE, USER)
      expect(fake.sent[0].headers["user-agent"]).toBe(`effect-twilio-chat/${VERSION} my-app/1.2`)
    }).pipe(Effect.provide(chatLayer(fake.layer, { userAgent: "my-app/1.2" })))
  })

  describe("hosts", () => {
    const hostOf = (options: Parameters<typeof chatLayer>[1]) => {
      const fake = scripted([{ status: 200, body: userJson() }])
      return Effect.gen(function*() {
        const chat = yield* ChatV2UserApi
        yield* chat.fetchUser(SERVICE, USER)
        return new URL(fake.sent[0].url).origin
      }).pipe(Effect.provide(chatLayer(fake.layer, options)))
    }

    it.effect("region and edge rewrite the host to chat.{edge}.{region}.twilio.com", () =>
      Effect.gen(function*() {
        expect(yield* hostOf({})).toBe("https://chat.twilio.com")
        expect(yield* hostOf({ region: "ie1" })).toBe("https://chat.ie1.twilio.com")
        expect(yield* hostOf({ region: "au1", edge: "sydney" })).toBe("https://chat.sydney.au1.twilio.com")
        expect(yield* hostOf({ edge: "ashburn" })).toBe("https://chat.ashburn.us1.twilio.com")
      }))

    it.effect("baseUrl wins over region and may be loopback http for emulators", () =>
      Effect.gen(function*() {
        expect(yield* hostOf({ baseUrl: "http://127.0.0.1:4010", region: "ie1" })).toBe("http://127.0.0.1:4010")
        expect(yield* hostOf({ baseUrl: "https://proxy.example.com/" })).toBe("https://proxy.example.com")
      }))

    it.effect("a non-loopback http base URL fails the layer with a ConfigError", () =>
      Effect.gen(function*() {
        const fake = scripted([{ status: 200, body: userJson() }])
        for (const baseUrl of ["http://chat.twilio.com", "http://10.0.0.1:80", "ftp://127.0.0.1", "not a url"]) {
          const error = yield* ChatV2UserApi.pipe(
            Effect.provide(ChatV2UserApi.layer({ accountSid: ACCOUNT, authToken: TOKEN, baseUrl })),
            Effect.provide(fake.layer),
            Effect.flip
          )
          expect(error).toMatchObject({ _op: "InvalidData", path: ["baseUrl"] })
        }
        expect(fake.sent).toHaveLength(0)
      }))
  })
})
