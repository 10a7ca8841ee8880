import { ChatV2UserApi, type ChatV2UserApiOptions, VERSION } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { readFileSync } from "node:fs"
import { optionsFromConfig, resolveOptions } from "../src/internal/config.js"
import { ACCOUNT, scripted, SERVICE, USER, userJson } from "./utils.js"

const KEY = "SK0123456789abcdef0123456789abcdef"
const KEY_ENV = { TWILIO_API_KEY: KEY, TWILIO_API_SECRET: "key-secret" }
const TOKEN_ENV = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: "account-token" }

/** The username and password of a request's `Basic` authorization. */
const credentialsOf = (sent: { readonly headers: Readonly<Record<string, string>> }) => {
  const [username, password] = Buffer.from(sent.headers.authorization.replace(/^Basic /, ""), "base64")
    .toString("utf8")
    .split(":")
  return { username, password }
}
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

  it.effect("an own __proto__ key in options (JSON.parse) is a plain key, not a prototype that smuggles options in", () =>
    Effect.gen(function*() {
      const hostile = JSON.parse(`{"__proto__": {"baseUrl": "https://evil.example.com", "accountSid": "${KEY}"}}`)
      const sent = yield* fetchWith(TOKEN_ENV, hostile)
      expect(new URL(sent.url).origin).toBe("https://chat.twilio.com")
      expect(credentialsOf(sent).username).toBe(ACCOUNT)
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
      expect(String(error)).toContain("TWILIO_ACCOUNT_SID")
      expect(String(error)).not.toContain("tok-123")
    }))
})

describe("layerConfig: credentials go by whole pairs", () => {
  it.effect("an account pair in the options wins over the environment's API key, which is ignored entirely", () =>
    Effect.gen(function*() {
      for (const env of [KEY_ENV, { TWILIO_API_KEY: "SKbad", TWILIO_API_SECRET: "key-secret" }]) {
        const sent = yield* fetchWith(env, { accountSid: ACCOUNT, authToken: "from-options" })
        expect(credentialsOf(sent)).toEqual({ username: ACCOUNT, password: "from-options" })
      }
    }))

  it.effect("an API key in the options wins over the environment's account pair, which is ignored entirely", () =>
    Effect.gen(function*() {
      for (const env of [TOKEN_ENV, { TWILIO_ACCOUNT_SID: "ACbad" }]) {
        const sent = yield* fetchWith(env, { apiKeySid: KEY, apiKeySecret: Redacted.make("from-options") })
        expect(credentialsOf(sent)).toEqual({ username: KEY, password: "from-options" })
      }
    }))

  it.effect("half a pair in the options takes the other half from the same pair's variable, never the other pair", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({ ...KEY_ENV, TWILIO_AUTH_TOKEN: "env-token" }, { accountSid: ACCOUNT })
      expect(credentialsOf(sent)).toEqual({ username: ACCOUNT, password: "env-token" })
      const error = yield* Effect.flip(fetchWith(KEY_ENV, { accountSid: ACCOUNT }))
      expect(error).toMatchObject({ _op: "MissingData", path: ["authToken"] })
      expect(String(error)).toContain("TWILIO_AUTH_TOKEN")
      // As with ChatV2UserApi.layer, an API key given in the options wins even when only half of it is there.
      const half = yield* Effect.flip(fetchWith(TOKEN_ENV, { apiKeySid: KEY, accountSid: ACCOUNT, authToken: "t" }))
      expect(half).toMatchObject({ _op: "MissingData", path: ["apiKeySecret"] })
    }))

  it.effect("a complete token pair in the environment wins over a stray TWILIO_API_KEY or TWILIO_API_SECRET", () =>
    Effect.gen(function*() {
      for (const stray of [{ TWILIO_API_KEY: KEY }, { TWILIO_API_SECRET: "stray" }, { TWILIO_API_KEY: "SKbad" }]) {
        const sent = yield* fetchWith({ ...TOKEN_ENV, ...stray })
        expect(credentialsOf(sent)).toEqual({ username: ACCOUNT, password: "account-token" })
      }
    }))

  it.effect("a half-set pair in the environment fails with MissingData naming the missing variable", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
        [{ TWILIO_API_KEY: KEY }, "TWILIO_API_SECRET"],
        [{ TWILIO_API_SECRET: "only-the-secret" }, "TWILIO_API_KEY"],
        [{ TWILIO_ACCOUNT_SID: ACCOUNT }, "TWILIO_AUTH_TOKEN"],
        [{ TWILIO_AUTH_TOKEN: "only-the-secret" }, "TWILIO_ACCOUNT_SID"],
        [{ TWILIO_API_KEY: KEY, TWILIO_API_SECRET: "" }, "TWILIO_API_SECRET"]
      ]
      for (const [env, missing] of cases) {
        const error = yield* Effect.flip(fetchWith(env))
        expect(error).toMatchObject({ _op: "MissingData", path: [missing] })
        expect(String(error)).not.toContain("only-the-secret")
      }
      const both = yield* Effect.flip(fetchWith({ TWILIO_API_KEY: KEY, TWILIO_AUTH_TOKEN: "only-the-secret" }))
      expect(both).toMatchObject({
        _op: "Or",
        left: { _op: "MissingData", path: ["TWILIO_API_SECRET"] },
        right: { _op: "MissingData", path: ["TWILIO_ACCOUNT_SID"] }
      })
    }))

  it.effect("with nothing set, the error names both pairs", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(fetchWith({ TWILIO_REGION: "ie1" }))
      expect(error).toMatchObject({
        _op: "Or",
        left: { _op: "MissingData", path: ["TWILIO_ACCOUNT_SID"] },
        right: { _op: "MissingData", path: ["TWILIO_API_KEY"] }
      })
    }))

  it.effect("empty variables count as unset", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith({ ...TOKEN_ENV, TWILIO_API_KEY: "", TWILIO_API_SECRET: "", TWILIO_REGION: "" })
      expect(credentialsOf(sent).username).toBe(ACCOUNT)
      expect(new URL(sent.url).origin).toBe("https://chat.twilio.com")
    }))
})

describe("layerConfig: malformed values are named where they came from", () => {
  it.effect("a malformed variable is reported under its TWILIO_* name, without echoing a secret", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
        [{ ...TOKEN_ENV, TWILIO_ACCOUNT_SID: "ACbad" }, "TWILIO_ACCOUNT_SID"],
        [{ ...KEY_ENV, TWILIO_API_KEY: "SKbad" }, "TWILIO_API_KEY"],
        [{ ...TOKEN_ENV, TWILIO_REGION: "ie 1" }, "TWILIO_REGION"],
        [{ ...TOKEN_ENV, TWILIO_EDGE: "dub_lin" }, "TWILIO_EDGE"],
        [{ ...TOKEN_ENV, TWILIO_CHAT_BASE_URL: "not a url" }, "TWILIO_CHAT_BASE_URL"],
        [{ ...TOKEN_ENV, TWILIO_CHAT_BASE_URL: "http://example.com" }, "TWILIO_CHAT_BASE_URL"]
      ]
      for (const [env, variable] of cases) {
        const error = yield* Effect.flip(fetchWith(env))
        expect(error).toMatchObject({ _op: "InvalidData", path: [variable] })
        expect(String(error)).not.toContain("account-token")
        expect(String(error)).not.toContain("key-secret")
      }
    }))

  it.effect("a malformed value of the options is reported under the option's name", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [ChatV2UserApiOptions, string]> = [
        [{ accountSid: "ACbad", authToken: "t" }, "accountSid"],
        [{ apiKeySid: "SKbad", apiKeySecret: "s" }, "apiKeySid"],
        [{ baseUrl: "ftp://example.com" }, "baseUrl"],
        [{ region: "ie 1" }, "region"],
        [{ edge: "dub_lin" }, "edge"]
      ]
      for (const [options, path] of cases) {
        const error = yield* Effect.flip(fetchWith({ ...TOKEN_ENV, TWILIO_REGION: "ie1" }, options))
        expect(error).toMatchObject({ _op: "InvalidData", path: [path] })
      }
    }))

  it.effect("region or edge in the options make TWILIO_CHAT_BASE_URL ignored; the other may come from its variable", () =>
    Effect.gen(function*() {
      const sent = yield* fetchWith(
        { ...TOKEN_ENV, TWILIO_CHAT_BASE_URL: "http://127.0.0.1:9999", TWILIO_REGION: "au1" },
        { edge: "sydney" }
      )
      expect(new URL(sent.url).origin).toBe("https://chat.sydney.au1.twilio.com")
    }))

  it.effect("optionsFromConfig returns the options it validated, the secrets of variables redacted", () =>
    Effect.gen(function*() {
      const options = yield* optionsFromConfig({ timeout: "5 seconds" }).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({ ...TOKEN_ENV, ...KEY_ENV }))))
      )
      expect(options.apiKeySid).toBe(KEY)
      expect(Redacted.isRedacted(options.apiKeySecret)).toBe(true)
      expect(options.accountSid).toBeUndefined()
      expect(options.timeout).toBe("5 seconds")
    }))
})

/** Builds the layer of `ChatV2UserApi.layer(options)` and sends one request; fails with its `ConfigError`. */
const sendWith = (options: ChatV2UserApiOptions) => {
  const fake = scripted([{ status: 200, body: userJson() }])
  return Effect.gen(function*() {
    const chat = yield* ChatV2UserApi
    yield* chat.fetchUser(SERVICE, USER)
    return fake.sent
  }).pipe(Effect.provide(ChatV2UserApi.layer(options).pipe(Layer.provide(fake.layer))))
}

const CREDENTIALS = { accountSid: ACCOUNT, authToken: "tok" }

describe("userAgent is checked when the layer is built", () => {
  for (const bad of ["\u0000", "\u007f", "\r\n", "a\nb", "é", "日本", "😀", "x\u0085"]) {
    const shown = bad.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    it.effect(`"${shown}" fails ChatV2UserApi.layer and layerConfig with InvalidData(userAgent)`, () =>
      Effect.gen(function*() {
        const fromLayer = yield* Effect.flip(sendWith({ ...CREDENTIALS, userAgent: bad }))
        expect(fromLayer).toMatchObject({ _op: "InvalidData", path: ["userAgent"] })
        const fromConfig = yield* Effect.flip(fetchWith(TOKEN_ENV, { userAgent: bad }))
        expect(fromConfig).toMatchObject({ _op: "InvalidData", path: ["userAgent"] })
      }))
  }

  it.effect("a non-string userAgent is refused", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(sendWith({ ...CREDENTIALS, userAgent: 42 as unknown as string }))
      expect(error).toMatchObject({ _op: "InvalidData", path: ["userAgent"] })
    }))

  it.effect("visible ASCII with spaces and tabs is accepted and sent", () =>
    Effect.gen(function*() {
      const userAgent = "my app/1.2\t(build 7; ~!@#$%^&*)"
      const sent = yield* sendWith({ ...CREDENTIALS, userAgent })
      expect(sent[0].headers["user-agent"]).toBe(`effect-twilio-chat/${VERSION} ${userAgent}`)
    }))
})

describe("options of the wrong type are ConfigErrors, not defects", () => {
  it.effect("each is refused with InvalidData naming the option", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [null, "options"],
        ["options", "options"],
        [{ ...CREDENTIALS, authToken: 42 }, "authToken"],
        [{ ...CREDENTIALS, authToken: Redacted.make(42) }, "authToken"],
        [{ ...CREDENTIALS, authToken: "" }, "authToken"],
        [{ ...CREDENTIALS, accountSid: 42 }, "accountSid"],
        [{ ...CREDENTIALS, region: 42 }, "region"],
        [{ ...CREDENTIALS, edge: {} }, "edge"],
        [{ ...CREDENTIALS, baseUrl: 42 }, "baseUrl"],
        [{ ...CREDENTIALS, retry: true }, "retry"],
        [{ ...CREDENTIALS, transformClient: "proxy" }, "transformClient"]
      ]
      for (const [options, path] of cases) {
        const exit = yield* Effect.exit(resolveOptions(options as ChatV2UserApiOptions))
        expect(exit).toMatchObject({
          _tag: "Failure",
          cause: { _tag: "Fail", error: { _op: "InvalidData", path: [path] } }
        })
      }
      const fromConfig = yield* Effect.exit(optionsFromConfig(null as unknown as ChatV2UserApiOptions))
      expect(fromConfig).toMatchObject({ _tag: "Failure", cause: { _tag: "Fail", error: { path: ["options"] } } })
    }))
})

describe("the User-Agent's version", () => {
  it("is the package's version (a release that bumps one must bump the other)", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(VERSION).toBe(manifest.version)
  })
})
