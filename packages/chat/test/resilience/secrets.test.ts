import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { clocked, scripted, SERVICE, userJson } from "../utils.js"

const AUTH_TOKEN = "tok_7d1f0c5e9a2b4c8d"
const API_SECRET = "sec_b6e3a9f1c0d24e57"
const KEY = "SK0123456789abcdef0123456789abcdef"
const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
const SECRETS = [
  AUTH_TOKEN,
  API_SECRET,
  Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString("base64"),
  Buffer.from(`${KEY}:${API_SECRET}`).toString("base64")
]

interface Captured {
  readonly logs: Array<string>
  readonly spans: Array<Tracer.Span>
}

/** A Logger at Debug and a Tracer that keep everything the client emits. */
const capture = (): Captured & { readonly layer: Layer.Layer<never> } => {
  const logs: Array<string> = []
  const spans: Array<Tracer.Span> = []
  const logger = Logger.make(({ annotations, cause, logLevel, message, spans: logSpans }) => {
    logs.push(JSON.stringify({ level: logLevel.label, message, cause: String(cause), annotations, spans: logSpans }))
  })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.unwrapEffect(
      Effect.map(Effect.tracer, (base) =>
        Layer.setTracer(Tracer.make({
          span: (...args) => {
            const span = base.span(...args)
            spans.push(span)
            return span
          },
          context: (f, fiber) => base.context(f, fiber)
        })))
    )
  )
  return { logs, spans, layer }
}

/**
 * Everything of a span an exporter sends: name, attributes, events and, for a failure, the error. (A success
 * exit's value stays in memory: exporters do not send it.)
 */
const dump = (captured: Captured) =>
  JSON.stringify({
    logs: captured.logs,
    spans: captured.spans.map((span) => ({
      name: span.name,
      attributes: [...span.attributes.entries()].map(([k, v]) => [k, String(v)]),
      events: ((span as unknown as { events?: Array<[string, bigint, unknown]> }).events ?? []).map((
        [name, , attributes]
      ) => [name, JSON.stringify(attributes)]),
      failure: span.status._tag === "Ended" && Exit.isFailure(span.status.exit)
        ? Cause.pretty(span.status.exit.cause)
        : null
    }))
  })

const everyFailure = [
  { status: 401, body: { code: 20003, message: "Authenticate", status: 401 } },
  { status: 503, body: "<html>down</html>" },
  { status: 429, headers: { "retry-after": "1" } },
  "reset" as const,
  "hang" as const,
  { status: 200, body: "{not json" },
  { status: 302, headers: { location: "https://elsewhere.example.com/" } }
]

describe("secrets never leave: errors, Debug logs and spans", () => {
  for (
    const credentials of [
      { name: "auth token", options: { accountSid: ACCOUNT, authToken: AUTH_TOKEN } },
      { name: "API key secret", options: { apiKeySid: KEY, apiKeySecret: Redacted.make(API_SECRET) } }
    ]
  ) {
    it.effect(`the ${credentials.name} appears in no error, log line or span, for every kind of failure`, () => {
      const captured = capture()
      const fake = scripted((_, index) => everyFailure[Math.floor(index / 4) % everyFailure.length])
      return Effect.gen(function*() {
        const chat = yield* ChatV2UserApi
        const errors: Array<unknown> = []
        for (let i = 0; i < everyFailure.length; i++) {
          errors.push(yield* Effect.flip(chat.fetchUser(SERVICE, `user-${i}`)))
        }
        errors.push(yield* Effect.flip(chat.createUser(SERVICE, "x")))
        errors.push(yield* Effect.flip(Stream.runDrain(chat.streamUsers(SERVICE))))
        expect(captured.logs.length).toBeGreaterThan(0)
        expect(captured.spans.map((s) => s.name)).toContain("ChatV2UserApi.fetchUser")
        const text = errors.map((e) =>
          `${String(e)} ${JSON.stringify(e)} ${(e as Error).message} ${(e as Error).stack}`
        )
          .join("\n") + dump(captured)
        for (const secret of SECRETS) expect(text).not.toContain(secret)
      }).pipe(
        clocked,
        Effect.provide(
          ChatV2UserApi.layer({ ...credentials.options, timeout: "1 second" }).pipe(
            Layer.provide(fake.layer),
            Layer.orDie
          )
        ),
        Effect.provide(captured.layer)
      )
    })
  }

  it.effect("spans carry the operation and the service SID, never the identity or the attributes", () => {
    const captured = capture()
    const fake = scripted([{ status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      yield* chat.createUser(SERVICE, "alice@example.com", { attributes: { ssn: "123-45-6789" } })
      yield* chat.fetchUser(SERVICE, "alice@example.com")
      const ours = captured.spans.filter((s) => s.name.startsWith("ChatV2UserApi."))
      expect(ours.map((s) => s.name)).toEqual(["ChatV2UserApi.createUser", "ChatV2UserApi.fetchUser"])
      for (const span of ours) expect(span.attributes.get("chat.service_sid")).toBe(SERVICE)
      const text = dump(captured)
      expect(text).not.toContain("alice")
      expect(text).not.toContain("123-45-6789")
    }).pipe(
      Effect.provide(
        ChatV2UserApi.layer({ accountSid: ACCOUNT, authToken: AUTH_TOKEN }).pipe(Layer.provide(fake.layer), Layer.orDie)
      ),
      Effect.provide(captured.layer)
    )
  })
})
