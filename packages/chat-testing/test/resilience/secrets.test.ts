/**
 * Secrets never leave: the auth token and the API key secret appear in no error (message, `toString`,
 * `JSON.stringify`, stack, `Cause.pretty`), no log line at Debug, no span, and no request the fake records, for every
 * operation under every fault the fake can inject, in memory and over a real socket. Spans carry the operation and the
 * service SID, never an identity or attributes (PII).
 */
import { ChatV2UserApi, type ChatV2UserApiOptions } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { ChatTest, Emulator, type EmulatorOptions, FakeTwilioChat, Fault } from "../../src/index.js"
import { capture, clocked, OPERATIONS, renderings, TARGET } from "./utils.js"

const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
const AUTH_TOKEN = "tok_7d1f0c5e9a2b4c8d"
const KEY = "SK0123456789abcdef0123456789abcdef"
const API_SECRET = "sec_b6e3a9f1c0d24e57"
const base64 = (text: string) => Buffer.from(text).toString("base64")
/** The secrets, and the Basic credentials that carry them, whole and as a fragment long enough to matter. */
const SECRETS = [AUTH_TOKEN, API_SECRET, base64(`${ACCOUNT}:${AUTH_TOKEN}`), base64(`${KEY}:${API_SECRET}`)]
  .flatMap((s) => [s, s.slice(-16)])

/** The fake knows both credentials; the client uses one of them. */
const FAKE: EmulatorOptions = { accountSid: ACCOUNT, authToken: AUTH_TOKEN, apiKeySid: KEY, apiKeySecret: API_SECRET }
const CREDENTIALS: ReadonlyArray<readonly [string, ChatV2UserApiOptions]> = [
  ["auth token", { accountSid: ACCOUNT, authToken: Redacted.make(AUTH_TOKEN) }],
  ["API key secret", { apiKeySid: KEY, apiKeySecret: API_SECRET }]
]

/** Every fault the fake has, each once: most end in an error, some in a retry. */
const EVERY_FAULT: ReadonlyArray<Fault.Fault> = [
  Fault.status(401),
  Fault.status(403),
  Fault.status(404),
  Fault.status(409),
  Fault.status(500),
  Fault.rateLimited(),
  Fault.htmlBadGateway,
  Fault.notJson(),
  Fault.json({ sid: "US0123456789abcdef0123456789abcdef" }),
  Fault.reset(),
  Fault.reset({ afterProcessing: true }),
  Fault.truncated,
  Fault.stalledBody,
  Fault.delay("1 minute"),
  Fault.enormous({ bytes: 9 * 1024 * 1024, contentLength: true }),
  Fault.redirect("https://evil.example.com/steal"),
  Fault.foreignNextPage()
]

/** Runs every operation (and a stream) against every fault, with no retries; the failures, as printed. */
const everyFailure = Effect.gen(function*() {
  const fake = yield* FakeTwilioChat
  const chat = yield* ChatV2UserApi
  const service = fake.defaultServiceSid
  const printed: Array<string> = []
  for (const fault of EVERY_FAULT) {
    yield* fake.seedUsers(service, [{ identity: TARGET }]).pipe(Effect.ignore)
    for (const op of OPERATIONS) {
      yield* fake.injectFaults(op.name, [fault])
      const error = yield* Effect.flip(op.run(chat, service)).pipe(Effect.orElseSucceed(() => null))
      if (error !== null) printed.push(renderings(error))
    }
    yield* fake.injectFaults("listUser", [fault])
    const streamed = yield* Effect.flip(Stream.runDrain(chat.streamUsers(service, { pageSize: 1 }))).pipe(
      Effect.orElseSucceed(() => null)
    )
    if (streamed !== null) printed.push(renderings(streamed))
  }
  return printed
})

const expectNoSecret = (text: string) => {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

describe("secrets never leave", () => {
  for (const [name, client] of CREDENTIALS) {
    it.effect(`the ${name} is in no error, Debug log, span or recorded request, in memory, for every fault`, () => {
      const captured = capture()
      return Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const printed = yield* clocked(everyFailure)
        expect(printed.length).toBeGreaterThan(40)
        expect(captured.logs.some((line) => line.includes("\"DEBUG\""))).toBe(true)
        expect(captured.spans.map((s) => s.name)).toContain("ChatV2UserApi.deleteUser")
        const requests = yield* fake.requests
        expect(requests.every((r) => r.headers.authorization === "[redacted]")).toBe(true)
        expect(new Set(requests.map((r) => r.username))).toEqual(new Set([client.apiKeySid ?? client.accountSid]))
        expectNoSecret(printed.join("\n") + captured.dump() + JSON.stringify(requests))
      }).pipe(
        Effect.provide(ChatTest.layer({ ...FAKE, client: { ...client, retry: { times: 1 }, timeout: "5 seconds" } })),
        Effect.provide(captured.layer)
      )
    })

    it.live(`the ${name} is in no error, Debug log, span or recorded request, over a socket, for every fault`, () => {
      const captured = capture()
      return Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const printed = yield* everyFailure
        expect(printed.length).toBeGreaterThan(40)
        const requests = yield* fake.requests
        expect(requests.every((r) => r.headers.authorization === "[redacted]")).toBe(true)
        expectNoSecret(printed.join("\n") + captured.dump() + JSON.stringify(requests))
      }).pipe(
        Effect.provide(
          Emulator.layerClient({
            ...FAKE,
            client: { ...client, retry: { times: 1, base: "1 millis" }, timeout: "80 millis" }
          }).pipe(Layer.provide(FetchHttpClient.layer))
        ),
        Effect.provide(captured.layer)
      )
    })
  }

  it.effect("a wrong secret is refused (AuthenticationFailed) without showing either secret", () =>
    Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const fake = yield* FakeTwilioChat
      const error = yield* Effect.flip(chat.fetchUser(fake.defaultServiceSid, TARGET))
      expect(error._tag).toBe("AuthenticationFailed")
      expectNoSecret(renderings(error) + JSON.stringify(yield* fake.requests))
    }).pipe(Effect.provide(ChatTest.layer({ ...FAKE, client: { apiKeySid: KEY, apiKeySecret: `${API_SECRET}x` } }))))

  it.effect("a malformed configuration fails with a ConfigError that does not echo the secret", () =>
    Effect.gen(function*() {
      for (
        const client of [
          { apiKeySid: "SK-not-a-sid", apiKeySecret: API_SECRET },
          { accountSid: "AC-not-a-sid", authToken: AUTH_TOKEN },
          { accountSid: ACCOUNT, authToken: AUTH_TOKEN, baseUrl: `http://example.com/${AUTH_TOKEN}` }
        ]
      ) {
        const error = yield* Effect.flip(Layer.build(ChatTest.layer({ ...FAKE, client })))
        expect(error._tag).toBe("ConfigError")
        expectNoSecret(renderings(error))
      }
    }).pipe(Effect.scoped))

  it.effect("spans carry the operation and the service SID, never an identity or the attributes", () => {
    const captured = capture()
    return Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      const service = fake.defaultServiceSid
      yield* chat.createUser(service, "pii@example.com", { attributes: { ssn: "123-45-6789" } })
      yield* chat.fetchUser(service, "pii@example.com")
      yield* Effect.flip(chat.fetchUser(service, "nobody@example.com"))
      const ours = captured.spans.filter((span) => span.name.startsWith("ChatV2UserApi."))
      expect(ours.map((span) => span.name)).toEqual([
        "ChatV2UserApi.createUser",
        "ChatV2UserApi.fetchUser",
        "ChatV2UserApi.fetchUser"
      ])
      for (const span of ours) expect(span.attributes.get("chat.service_sid")).toBe(service)
      const text = captured.dump()
      expect(text).not.toContain("pii@example.com")
      expect(text).not.toContain("123-45-6789")
    }).pipe(Effect.provide(ChatTest.layer()), Effect.provide(captured.layer))
  })
})
