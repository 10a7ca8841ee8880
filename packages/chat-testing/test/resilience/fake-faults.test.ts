/**
 * The faults the resilience suite added to the fake, checked at the wire: stalled bodies, enormous bodies, raw JSON
 * answers, redirects, arrival times of recorded requests, and the emulator's count of requests in flight and of
 * answers the client abandoned.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Http from "node:http"
import { ChatTest, Emulator, FakeTwilioChat, type FakeTwilioChatService, Fault } from "../../src/index.js"
import { basic, raw, T0 } from "../utils.js"
import { eventually } from "./utils.js"

const usersPath = (fake: FakeTwilioChatService) => `/v2/Services/${fake.defaultServiceSid}/Users`
const PADDING = 1024 * 1024

interface Socketed {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
  readonly request: Http.ClientRequest
}

/** A request with node's own client; resolves with what arrived once the body ends or `firstBytes` have come. */
const send = (url: string, authorization: string, options: { readonly firstBytes?: number } = {}) =>
  Effect.async<Socketed>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let done = false
    const request = Http.request(url, { headers: { authorization }, agent: false }, (response) => {
      const finish = () => {
        if (done) return
        done = true
        resume(Effect.succeed({
          status: response.statusCode!,
          headers: response.headers,
          body: Buffer.concat(chunks),
          request
        }))
      }
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.length
        if (options.firstBytes !== undefined && size >= options.firstBytes) finish()
      })
      response.on("end", finish)
      response.on("close", finish)
      response.on("error", () => {})
    })
    request.on("error", () => {
      if (done) return
      done = true
      resume(Effect.succeed({ status: 0, headers: {}, body: Buffer.alloc(0), request }))
    })
    request.end()
  })

const credentialsOf = (emulator: Emulator["Type"]) => basic(emulator.accountSid, Redacted.value(emulator.authToken))

describe("the fake's faults for hostile servers", () => {
  it.effect("records when each request arrived, on Effect's Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const fake = yield* FakeTwilioChat
      yield* raw(fake)("GET", usersPath(fake))
      yield* TestClock.adjust("5 seconds")
      yield* raw(fake)("GET", usersPath(fake))
      expect((yield* fake.requests).map((r) => r.receivedAt)).toEqual([T0, T0 + 5_000])
    }).pipe(Effect.provide(FakeTwilioChat.layer())))

  it.effect("Fault.json answers the given status and JSON, without processing the request", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("createUser", [Fault.json({ sid: "US1" }, { status: 201 }), Fault.json("[[[]]]")])
      const first = yield* raw(fake)("POST", usersPath(fake), { form: "Identity=alice" })
      expect(first).toMatchObject({ status: 201, body: { sid: "US1" } })
      expect(first.headers["content-type"]).toContain("application/json")
      expect((yield* raw(fake)("POST", usersPath(fake), { form: "Identity=alice" })).body).toEqual([[[]]])
      expect(yield* fake.users(fake.defaultServiceSid)).toEqual([])
    }).pipe(Effect.provide(FakeTwilioChat.layer())))

  it.effect("Fault.redirect answers a 3xx with Location, without processing the request", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: "alice" }])
      yield* fake.injectFaults("deleteUser", [Fault.redirect("https://evil.example.com/x", { status: 307 })])
      const answer = yield* fake.handle({
        method: "DELETE",
        path: `${usersPath(fake)}/alice`,
        query: "",
        headers: { authorization: basic(fake.accountSid, Redacted.value(fake.authToken)) },
        body: ""
      })
      expect(answer).toMatchObject({ _tag: "Answer", status: 307, headers: { location: "https://evil.example.com/x" } })
      expect(yield* fake.users(fake.defaultServiceSid)).toHaveLength(1)
    }).pipe(Effect.provide(FakeTwilioChat.layer())))

  it.effect("Fault.foreignNextPage scripted for an operation that answers no page leaves the answer alone", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("createUser", [Fault.foreignNextPage()])
      expect(yield* raw(fake)("POST", usersPath(fake), { form: "Identity=alice" })).toMatchObject({
        status: 201,
        body: { identity: "alice" }
      })
    }).pipe(Effect.provide(FakeTwilioChat.layer())))

  it.effect("Fault.stalledBody processes the request and flags the answer; a 204 is never answered at all", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const authorization = basic(fake.accountSid, Redacted.value(fake.authToken))
      yield* fake.injectFaults("createUser", [Fault.stalledBody])
      yield* fake.injectFaults("deleteUser", [Fault.stalledBody])
      const created = yield* fake.handle({
        method: "POST",
        path: usersPath(fake),
        query: "",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: "Identity=alice"
      })
      expect(created).toMatchObject({ _tag: "Answer", status: 201, stalled: true })
      const deleting = yield* Effect.fork(fake.handle({
        method: "DELETE",
        path: `${usersPath(fake)}/alice`,
        query: "",
        headers: { authorization },
        body: ""
      }))
      yield* TestClock.adjust("1 day")
      expect(Option.isNone(yield* Fiber.poll(deleting))).toBe(true)
      expect(yield* fake.users(fake.defaultServiceSid)).toEqual([])
      yield* Fiber.interrupt(deleting)
    }).pipe(Effect.provide(FakeTwilioChat.layer())))

  for (const contentLength of [false, true]) {
    it.effect(`Fault.enormous pads the answer with spaces ${contentLength ? "and announces" : "without"} its size`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        yield* fake.injectFaults("listUser", [Fault.enormous({ bytes: PADDING, contentLength })])
        const response = yield* ChatTest.httpClient(fake).get(`${fake.baseUrl}${usersPath(fake)}`, {
          headers: { authorization: basic(fake.accountSid, Redacted.value(fake.authToken)) }
        })
        const text = yield* response.text
        const json = text.trimEnd()
        expect(text.length - json.length).toBe(PADDING)
        expect(JSON.parse(text).meta.key).toBe("users")
        expect(response.headers["content-length"]).toBe(contentLength ? String(text.length) : undefined)
      }).pipe(Effect.provide(FakeTwilioChat.layer())))
  }
})

describe("the emulator's faults for hostile servers, on a real socket", () => {
  it.live("Fault.stalledBody sends the headers and half the body, and keeps the connection until the client leaves", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("listUser", [Fault.stalledBody])
      const url = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`
      const answer = yield* send(url, credentialsOf(emulator), { firstBytes: 1 })
      expect(answer.status).toBe(200)
      const announced = Number(answer.headers["content-length"])
      expect(yield* eventually(emulator.inFlight, (n) => n === 1, 200)).toBe(1)
      expect(answer.body.length).toBeLessThanOrEqual(Math.floor(announced / 2))
      answer.request.destroy()
      expect(yield* eventually(emulator.inFlight, (n) => n === 0)).toBe(0)
      expect(yield* emulator.abandoned).toBe(1)
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 3 }))))

  for (const contentLength of [false, true]) {
    it.live(`Fault.enormous streams the padding ${contentLength ? "with" : "without"} a Content-Length`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator
        const fake = yield* FakeTwilioChat
        yield* fake.injectFaults("listUser", [Fault.enormous({ bytes: PADDING, contentLength })])
        const url = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`
        const answer = yield* send(url, credentialsOf(emulator))
        const text = answer.body.toString("utf8")
        expect(text.length - text.trimEnd().length).toBe(PADDING)
        expect(answer.headers["content-length"]).toBe(contentLength ? String(answer.body.length) : undefined)
        expect(answer.headers["transfer-encoding"]).toBe(contentLength ? undefined : "chunked")
        expect(yield* eventually(emulator.inFlight, (n) => n === 0)).toBe(0)
        expect(yield* emulator.abandoned).toBe(0)
      }).pipe(Effect.provide(Emulator.layer({ seedUsers: 3 }))))
  }

  it.live("counts neither its own resets and truncations nor complete answers as abandoned", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("listUser", [Fault.reset(), Fault.truncated, Fault.pass])
      const url = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`
      const statuses: Array<number> = []
      for (let i = 0; i < 3; i++) statuses.push((yield* send(url, credentialsOf(emulator))).status)
      expect(statuses).toEqual([0, 200, 200])
      expect(yield* eventually(emulator.inFlight, (n) => n === 0)).toBe(0)
      expect(yield* emulator.abandoned).toBe(0)
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 3 }))))
})
