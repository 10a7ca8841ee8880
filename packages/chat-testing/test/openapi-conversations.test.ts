/**
 * Conformance with Twilio's Conversations v1 OpenAPI (`spec/conversations-v1-users.openapi.json`), both ways: every
 * answer the fake gives on `/v1/Services/{sid}/Users[/{sid}]` and `/v1/Users[/{sid}]` validates against the spec's
 * response schemas (or, for errors, Twilio's error body), and every request of the workload against its parameters.
 * The workload (raw requests, as any client sends them) drives every operation, every field and the common errors
 * on both path forms, in memory and over the emulator.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { Emulator, FakeTwilioChat, type FakeTwilioChatService, type RecordedRequest } from "../src/index.js"
import { conversations } from "./openapi.js"
import { basic, OTHER_SERVICE, raw, rawHttp, ROLE, type Send } from "./utils.js"

interface Captured {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: string
}

/** `send`, keeping every answer with the path it was for. */
const capturing = (send: Send, captured: Array<Captured>): Send => (method, pathAndQuery, options) =>
  Effect.tap(send(method, pathAndQuery, options), (answer) => {
    captured.push({
      method,
      path: pathAndQuery.split("?")[0],
      status: answer.status,
      body: typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)
    })
  })

/** Every operation with every field, the paging walk and the errors, on one collection (`/v1/Users`, say). */
const workload = (send: Send, collection: string, fake: FakeTwilioChatService) =>
  Effect.gen(function*() {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
    const full = yield* send("POST", collection, {
      form: form({
        Identity: "alice@example.com",
        FriendlyName: "Alice A.",
        Attributes: JSON.stringify({ team: "blue", nested: { list: [1, "two", null] } }),
        RoleSid: ROLE
      }),
      headers: { "x-twilio-webhook-enabled": "true" }
    })
    const odd = encodeURIComponent("a/b?c#d %🙂")
    yield* send("POST", collection, { form: form({ Identity: "a/b?c#d %🙂" }) })
    yield* send("POST", collection, { form: form({ Identity: "minimal" }) })
    yield* send("POST", collection, { form: form({ Identity: "minimal" }) })
    yield* send("POST", collection, { form: form({ Identity: "US0123456789abcdef0123456789abcdef" }) })
    yield* send("POST", collection, { form: form({ FriendlyName: "no identity" }) })
    yield* send("GET", `${collection}/${full.body.sid}`)
    yield* send("GET", `${collection}/${odd}`)
    yield* send("GET", `${collection}/nobody`)
    yield* send("POST", `${collection}/${full.body.sid}`, {
      form: form({ FriendlyName: "Alice", Attributes: "{\"team\":\"red\"}", RoleSid: ROLE }),
      headers: { "x-twilio-webhook-enabled": "false" }
    })
    yield* send("POST", `${collection}/minimal`, { form: "" })
    yield* send("POST", `${collection}/nobody`, { form: form({ FriendlyName: "N" }) })
    yield* send("GET", collection)
    yield* send("GET", `${collection}?PageSize=50&Page=0`)
    let page = (yield* send("GET", `${collection}?PageSize=4`)).body
    while (page.meta.next_page_url !== null) {
      const next = new URL(page.meta.next_page_url)
      page = (yield* send("GET", next.pathname + next.search)).body
    }
    const previous = new URL(page.meta.previous_page_url)
    yield* send("GET", previous.pathname + previous.search)
    yield* send("GET", `${collection}?PageToken=forged`)
    yield* send("GET", `${collection}?PageSize=51`)
    yield* send("GET", collection, { headers: { authorization: basic(fake.accountSid, "wrong") } })
    yield* send("DELETE", `${collection}/${full.body.sid}`, { headers: { "x-twilio-webhook-enabled": "true" } })
    yield* send("DELETE", `${collection}/${odd}`)
    yield* send("DELETE", `${collection}/nobody`)
  })

const ways: ReadonlyArray<
  readonly [string, Effect.Effect<readonly [FakeTwilioChatService, Send], unknown, Scope.Scope>]
> = [
  ["in memory", Effect.map(FakeTwilioChat.make({ seedUsers: 12 }), (fake) => [fake, raw(fake)] as const)],
  [
    "over the emulator",
    Effect.map(Layer.build(Emulator.layer({ seedUsers: 12 })), (context) => {
      const emulator = Context.get(context, Emulator)
      return [Context.get(context, FakeTwilioChat), rawHttp(emulator.localUrl, emulator)] as const
    })
  ]
]

/** The workload on the service's path, the default service's and an unknown service's, captured and recorded. */
const runWorkload = (setup: (typeof ways)[number][1]) =>
  Effect.gen(function*() {
    const [fake, send] = yield* setup
    const captured: Array<Captured> = []
    const capture = capturing(send, captured)
    yield* workload(capture, `/v1/Services/${fake.defaultServiceSid}/Users`, fake)
    yield* workload(capture, "/v1/Users", fake)
    yield* capture("POST", `/v1/Services/${OTHER_SERVICE}/Users`, { form: "Identity=nobody" })
    yield* capture("GET", `/v1/Services/${OTHER_SERVICE}/Users`)
    return { captured, requests: yield* fake.requests }
  })

describe("conformance with Twilio's Conversations v1 OpenAPI", () => {
  for (const [name, setup] of ways) {
    describe(name, () => {
      it.scopedLive("every answer validates: success bodies against the spec, errors against Twilio's error body", () =>
        Effect.gen(function*() {
          const { captured } = yield* runWorkload(setup)
          const problems = captured.flatMap((c) => conversations.checkResponse(c.method, c.path, c.status, c.body))
          expect(problems).toEqual([])
          const seen = new Set(
            captured.map((c) => `${conversations.findOperation(c.method, c.path)?.operationId} ${c.status}`)
          )
          expect([...seen].sort()).toEqual([
            "CreateServiceUser 201",
            "CreateServiceUser 400",
            "CreateServiceUser 404",
            "CreateServiceUser 409",
            "CreateUser 201",
            "CreateUser 400",
            "CreateUser 409",
            "DeleteServiceUser 204",
            "DeleteServiceUser 404",
            "DeleteUser 204",
            "DeleteUser 404",
            "FetchServiceUser 200",
            "FetchServiceUser 404",
            "FetchUser 200",
            "FetchUser 404",
            "ListServiceUser 200",
            "ListServiceUser 400",
            "ListServiceUser 401",
            "ListServiceUser 404",
            "ListUser 200",
            "ListUser 400",
            "ListUser 401",
            "UpdateServiceUser 200",
            "UpdateServiceUser 404",
            "UpdateUser 200",
            "UpdateUser 404"
          ])
        }))

      it.scopedLive("every request validates against the spec's parameters, but those meant not to", () =>
        Effect.gen(function*() {
          const { requests } = yield* runWorkload(setup)
          // A page size over the spec's maximum, a create without Identity: the spec refuses them, as the fake does.
          const onPurpose = (r: RecordedRequest) =>
            r.query.PageSize === "51" || (r.operation === "createUser" && r.form.Identity === undefined)
          expect(requests.filter((r) => !onPurpose(r)).flatMap(conversations.checkRequest)).toEqual([])
          expect(requests.filter(onPurpose).map((r) => conversations.checkRequest(r).length)).toEqual([1, 1, 1, 1])
          expect(requests.every((r) => r.api === "conversations")).toBe(true)
        }))
    })
  }

  it("accepts the spec's own examples, so the validators read the spec as written", () => {
    const examples = conversations.responseExamples()
    expect(examples.length).toBeGreaterThanOrEqual(8)
    for (const [method, path, status, example] of examples) {
      expect(conversations.checkResponse(method, path, Number(status), JSON.stringify(example))).toEqual([])
    }
  })

  it("rejects a Chat V2 body on a Conversations path, and what else the spec forbids", () => {
    const [, , , example] = conversations.responseExamples().find(([method, path, status]) =>
      method === "GET" && path === "/v1/Users/Sid" && status === "200"
    )!
    const user = example as Record<string, unknown>
    const path = "/v1/Services/ISaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Users/alice"
    const bad = (patch: Record<string, unknown>) => JSON.stringify({ ...user, ...patch })
    expect(conversations.checkResponse("GET", path, 200, JSON.stringify(user))).toEqual([])
    expect(conversations.checkResponse("GET", path, 200, bad({ joined_channels_count: 0 }))).not.toEqual([])
    const { chat_service_sid, ...chatLike } = user
    expect(
      conversations.checkResponse("GET", path, 200, JSON.stringify({ ...chatLike, service_sid: chat_service_sid }))
    )
      .not.toEqual([])
    expect(conversations.checkResponse("GET", "/v1/Users/alice", 200, bad({ sid: "XX" }))).not.toEqual([])
    expect(conversations.checkResponse("DELETE", "/v1/Users/alice", 204, "{}")).not.toEqual([])
  })
})
