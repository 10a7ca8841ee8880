/**
 * Conformance with Twilio's OpenAPI, both ways: every answer the fake gives validates against the spec's response
 * schemas (or, for errors, Twilio's error body), and every request our client sends validates against the spec's
 * parameters and request bodies. The workload drives every operation, every option and the common errors, in
 * memory and over the emulator.
 */
import { ChatV2UserApi, type ChatV2UserApiOptions } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { ChatTest, Emulator, FakeTwilioChat, type RecordedRequest } from "../src/index.js"
import { checkRequest, checkResponse, findOperation, responseExamples } from "./openapi.js"
import { OTHER_SERVICE, ROLE } from "./utils.js"

interface Captured {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: string
}

/** A `transformClient` that keeps every answer the client reads. */
const capturing = (captured: Array<Captured>) => (client: HttpClient.HttpClient) =>
  HttpClient.transform(
    client,
    (effect, request) =>
      Effect.tap(effect, (response) =>
        Effect.map(Effect.orDie(response.text), (body) => {
          captured.push({ method: request.method, path: new URL(request.url).pathname, status: response.status, body })
        }))
  )

/** Every operation with every option, the paging walk and the errors a program meets. */
const workload = Effect.gen(function*() {
  const chat = yield* ChatV2UserApi
  const fake = yield* FakeTwilioChat
  const service = fake.defaultServiceSid
  const attempt = <A, E>(effect: Effect.Effect<A, E>) => Effect.ignore(effect)
  yield* fake.seedUsers(service, 12)
  const full = yield* chat.createUser(service, "alice@example.com", {
    attributes: { team: "blue", n: 1, nested: { list: [1, "two", null] } },
    friendlyName: "Alice A.",
    roleSid: ROLE,
    xTwilioWebhookEnabled: "true"
  })
  yield* chat.createUser(service, "a/b?c#d %🙂", { xTwilioWebhookEnabled: "false" })
  yield* chat.createUser(service, "minimal")
  yield* attempt(chat.createUser(service, "minimal"))
  yield* attempt(chat.createUser(service, "US0123456789abcdef0123456789abcdef"))
  yield* attempt(chat.createUser(service, "x".repeat(300)))
  yield* attempt(chat.createUser(OTHER_SERVICE, "nobody"))
  yield* chat.fetchUser(service, full.sid)
  yield* chat.fetchUser(service, "a/b?c#d %🙂")
  yield* attempt(chat.fetchUser(service, "nobody"))
  yield* chat.updateUser(service, full.sid, {
    attributes: { team: "red" },
    friendlyName: "Alice",
    roleSid: ROLE,
    xTwilioWebhookEnabled: "true"
  })
  yield* chat.updateUser(service, "minimal", { friendlyName: "M" })
  yield* chat.updateUser(service, "minimal")
  yield* attempt(chat.updateUser(service, "nobody", { friendlyName: "N" }))
  yield* chat.listUser(service)
  yield* chat.listUser(service, { pageSize: 100, page: 0 })
  let page = yield* chat.listUser(service, { pageSize: 4 })
  while (true) {
    const next = yield* chat.nextPage(page)
    if (Option.isNone(next)) break
    page = next.value
  }
  const token = new URL(page.meta.url).searchParams.get("PageToken")!
  yield* chat.listUser(service, { pageSize: 4, page: 3, pageToken: token })
  yield* attempt(chat.listUser(service, { pageToken: "forged" }))
  yield* attempt(chat.listUser(OTHER_SERVICE))
  yield* Stream.runDrain(chat.streamUsers(service, { pageSize: 5 }))
  yield* Stream.runDrain(chat.streamUsers(service, { limit: 3 }))
  yield* chat.deleteUser(service, full.sid)
  yield* chat.deleteUser(service, "a/b?c#d %🙂")
  yield* attempt(chat.deleteUser(service, "nobody"))
})

/** The workload's captured answers and recorded requests, plus one request with wrong credentials. */
const runWorkload = (
  makeLayer: (client: ChatV2UserApiOptions) => Layer.Layer<ChatV2UserApi | FakeTwilioChat, unknown>
) =>
  Effect.gen(function*() {
    const captured: Array<Captured> = []
    const requests: Array<RecordedRequest> = []
    yield* Effect.zipRight(workload, Effect.flatMap(FakeTwilioChat, (fake) => fake.requests)).pipe(
      Effect.tap((recorded) => requests.push(...recorded)),
      Effect.provide(makeLayer({ transformClient: capturing(captured), retry: false }))
    )
    yield* Effect.flatMap(ChatV2UserApi, (chat) => Effect.ignore(chat.listUser("IS0123456789abcdef0123456789abcdef")))
      .pipe(Effect.provide(makeLayer({ transformClient: capturing(captured), authToken: "wrong" })))
    return { captured, requests }
  })

const ways = [
  ["in memory", (client: ChatV2UserApiOptions) => ChatTest.layer({ client })],
  [
    "over the emulator",
    (client: ChatV2UserApiOptions) => Emulator.layerClient({ client }).pipe(Layer.provide(FetchHttpClient.layer))
  ]
] as const

describe("conformance with Twilio's OpenAPI", () => {
  for (const [name, makeLayer] of ways) {
    describe(name, () => {
      it.live("every answer validates: success bodies against the spec, errors against Twilio's error body", () =>
        Effect.gen(function*() {
          const { captured } = yield* runWorkload(makeLayer)
          const problems = captured.flatMap((c) => checkResponse(c.method, c.path, c.status, c.body))
          expect(problems).toEqual([])
          const seen = new Set(captured.map((c) => `${findOperation(c.method, c.path)?.operationId} ${c.status}`))
          expect([...seen].sort()).toEqual([
            "CreateUser 201",
            "CreateUser 400",
            "CreateUser 404",
            "CreateUser 409",
            "DeleteUser 204",
            "DeleteUser 404",
            "FetchUser 200",
            "FetchUser 404",
            "ListUser 200",
            "ListUser 400",
            "ListUser 401",
            "ListUser 404",
            "UpdateUser 200",
            "UpdateUser 404"
          ])
        }))

      it.live("every request our client sends validates against the spec's parameters and request bodies", () =>
        Effect.gen(function*() {
          const { requests } = yield* runWorkload(makeLayer)
          expect(requests.flatMap(checkRequest)).toEqual([])
          const sent = new Set(requests.flatMap((r) => [...Object.keys(r.query), ...Object.keys(r.form)]))
          expect([...sent].sort()).toEqual([
            "Attributes",
            "FriendlyName",
            "Identity",
            "Page",
            "PageSize",
            "PageToken",
            "RoleSid"
          ])
          expect(requests.some((r) => r.headers["x-twilio-webhook-enabled"] === "false")).toBe(true)
        }))
    })
  }

  it("accepts the spec's own examples, so the validators read the spec as written", () => {
    const examples = responseExamples()
    expect(examples.length).toBeGreaterThanOrEqual(4)
    for (const [method, path, status, example] of examples) {
      expect(checkResponse(method, path, Number(status), JSON.stringify(example))).toEqual([])
    }
  })

  it("rejects what the spec forbids, in answers and in requests", () => {
    const [, path, , example] = responseExamples().find(([method, , status]) => method === "GET" && status === "200")!
    const user = (example as any).users?.[0] ?? example
    const userPath = "/v2/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Users/alice"
    const bad = (patch: Record<string, unknown>) => JSON.stringify({ ...user, ...patch })
    expect(checkResponse("GET", userPath, 200, bad({ sid: "XX" }))).not.toEqual([])
    expect(checkResponse("GET", userPath, 200, bad({ joined_channels_count: null }))).not.toEqual([])
    expect(checkResponse("GET", userPath, 200, bad({ extra: 1 }))).not.toEqual([])
    expect(checkResponse("GET", userPath, 200, bad({ date_created: "yesterday" }))).not.toEqual([])
    const { url: _, ...withoutUrl } = user
    expect(checkResponse("GET", userPath, 200, JSON.stringify(withoutUrl))).not.toEqual([])
    expect(checkResponse("GET", userPath, 201, JSON.stringify(user))).not.toEqual([])
    expect(checkResponse("DELETE", userPath, 204, "{}")).not.toEqual([])
    expect(checkResponse("GET", path, 404, JSON.stringify({ code: "x", message: "m", status: 404 }))).not.toEqual([])

    const request = (patch: Partial<RecordedRequest>): RecordedRequest => ({
      operation: "listUser",
      api: "chat",
      method: "GET",
      path: "/v2/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Users",
      query: {},
      form: {},
      headers: {},
      username: null,
      receivedAt: 0,
      ...patch
    })
    expect(checkRequest(request({}))).toEqual([])
    expect(checkRequest(request({ query: { PageSize: "101" } }))).not.toEqual([])
    expect(checkRequest(request({ query: { Page: "-1" } }))).not.toEqual([])
    expect(checkRequest(request({ query: { Limit: "5" } }))).not.toEqual([])
    expect(checkRequest(request({ path: "/v2/Services/IS1/Users" }))).not.toEqual([])
    const form = { "content-type": "application/x-www-form-urlencoded" }
    expect(checkRequest(request({ method: "POST", headers: form, form: { Identity: "a" } }))).toEqual([])
    expect(checkRequest(request({ method: "POST", headers: form, form: {} }))).not.toEqual([])
    expect(checkRequest(request({ method: "POST", headers: form, form: { Identity: "a", Nick: "b" } }))).not.toEqual([])
    expect(checkRequest(request({ method: "POST", headers: form, form: { Identity: "a", RoleSid: "RL1" } }))).not
      .toEqual([])
    expect(checkRequest(request({ method: "POST", headers: {}, form: { Identity: "a" } }))).not.toEqual([])
    expect(
      checkRequest(request({
        method: "POST",
        headers: { ...form, "x-twilio-webhook-enabled": "yes" },
        form: { Identity: "a" }
      }))
    ).not.toEqual([])
  })
})
