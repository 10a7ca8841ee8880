import { ChatV2UserApi, VERSION } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import { ACCOUNT, scripted, SERVICE, USER, userJson } from "./utils.js"

const KEY = "SK0123456789abcdef0123456789abcdef"
const withEnv = (env: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const fetchWith = (env: Record<string, string>, options?: Parameters<typeof ChatV2UserApi.layerConfig>[0]) => {
  const fake = scripted([{ status: 200, body: userJson() }])
  return Effect.gen(function*() {
    const chat = yield* ChatV2UserApi
    yield* chat.fetchUser(SERVICE, USER)
    return fake.sent[0]
  }).pipe(
    Effect.provide(ChatV2UserApi.layerConfig(options).pipe(Layer.provide(fake.layer), Layer.provide(withEnv(env))))
  )
}

describe("layerConfig reads TWILIO_* variables", () => {
  it.effect("account SID and auth token", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: "tok" })
      expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:tok`).toString("base64")}`)
      expect(new URL(sent.url).origin).toBe("https://chat.twilio.com")
    }))

  it.effect("API key and secret win over the account token; region and edge pick the host", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: "tok",
        TWILIO_API_KEY: KEY,
        TWILIO_API_SECRET: "sec",
        TWILIO_REGION: "ie1",
        TWILIO_EDGE: "dublin"
      })
      expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:sec`).toString("base64")}`)
      expect(new URL(sent.url).origin).toBe("https://chat.dublin.ie1.twilio.com")
    }))

  it.effect("TWILIO_CHAT_BASE_URL points the client at an emulator", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: "tok",
        TWILIO_CHAT_BASE_URL: "http://127.0.0.1:9999"
      })
      expect(sent.url.startsWith("http://127.0.0.1:9999/v2/Services/")).toBe(true)
    }))

  it.effect("options passed to layerConfig win over the environment", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: "tok" }, { region: "au1" })
      expect(new URL(sent.url).origin).toBe("https://chat.au1.twilio.com")
    }))

  it.effect("missing credentials fail the layer with a ConfigError naming the variables", () =>
    Effect.gen(function*() {
      for (const env of [{}, { TWILIO_ACCOUNT_SID: ACCOUNT }, { TWILIO_API_SECRET: "only-the-secret" }]) {
        const error = yield* Effect.flip(fetchWith(env))
        const text = String(error)
        expect(text).toContain("TWILIO_ACCOUNT_SID")
        expect(text).toContain("TWILIO_AUTH_TOKEN")
        expect(text).toContain("TWILIO_API_KEY")
        expect(text).not.toContain("only-the-secret")
      }
    }))

  it.effect("a malformed account SID is a ConfigError that does not echo the token", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(fetchWith({ TWILIO_ACCOUNT_SID: "ACnope", TWILIO_AUTH_TOKEN: "tok-123" }))
      expect(String(error)).toContain("accountSid")
      expect(String(error)).not.toContain("tok-123")
    }))
})

describe("the User-Agent's version", () => {
  it("is the package's version (a release that bumps one must bump the other)", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(VERSION).toBe(manifest.version)
  })
})
