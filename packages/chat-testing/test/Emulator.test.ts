/**
 * The emulator as a server: real sockets on 127.0.0.1, live time. (The contract suite runs the client over it in
 * `Emulator.contract.test.ts`.)
 */
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import { Emulator, EmulatorError, FakeTwilioChat, Fault } from "../src/index.js"
import { basic, liveWait } from "./utils.js"

interface RawAnswer {
  readonly status?: number
  readonly headers?: Http.IncomingHttpHeaders
  readonly body?: string
  readonly complete?: boolean
  readonly error?: string
}

/** One request with node's own client, reporting what arrived on the socket, and how the connection ended. */
const request = (
  url: string,
  options: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string } = {}
) =>
  Effect.async<RawAnswer>((resume) => {
    const req = Http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("error", () => {})
        res.on("close", () =>
          resume(Effect.succeed({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            complete: res.complete
          })))
      }
    )
    req.on("error", (error: NodeJS.ErrnoException) => resume(Effect.succeed({ error: error.code ?? error.message })))
    req.end(options.body)
  })

const credentials = Effect.map(
  Emulator,
  (emulator) => ({ authorization: basic(emulator.accountSid, Redacted.value(emulator.authToken)) })
)

describe("Emulator", () => {
  it.scopedLive("listens on 127.0.0.1 on a free port; two emulators get two ports", () =>
    Effect.gen(function*() {
      const a = yield* Layer.build(Emulator.layer())
      const b = yield* Layer.build(Emulator.layer())
      const [ea, eb] = [Context.get(a, Emulator), Context.get(b, Emulator)]
      expect(ea.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(ea.baseUrl).toBe(`http://127.0.0.1:${ea.port}`)
      expect(ea.port).toBeGreaterThan(0)
      expect(eb.port).not.toBe(ea.port)
    }))

  it.live("answers any HTTP client: Basic auth, a form body, Twilio's JSON and absolute URLs on its own origin", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const headers = yield* credentials
      const users = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`
      const created = yield* request(users, {
        method: "POST",
        headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
        body: "Identity=alice%40example.com&Attributes=%7B%22a%22%3A1%7D"
      })
      expect(created.status).toBe(201)
      expect(created.headers!["content-type"]).toBe("application/json; charset=utf-8")
      const user = JSON.parse(created.body!)
      expect(user.url).toBe(`${users}/${user.sid}`)
      const fetched = yield* request(`${users}/alice%40example.com`, { headers })
      expect(JSON.parse(fetched.body!)).toMatchObject({ sid: user.sid, attributes: "{\"a\":1}" })
      const page = JSON.parse((yield* request(`${users}?PageSize=1`, { headers })).body!)
      expect(page.meta.first_page_url).toBe(`${users}?PageSize=1&Page=0`)
      const unauthenticated = yield* request(users)
      expect([unauthenticated.status, JSON.parse(unauthenticated.body!).code]).toEqual([401, 20003])
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("truncates a body for real: Content-Length announces more than arrives, then the connection closes", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("listUser", [Fault.truncated])
      const answer = yield* request(`${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`, {
        headers: yield* credentials
      })
      expect(answer.status).toBe(200)
      expect(answer.complete).toBe(false)
      const announced = Number(answer.headers!["content-length"])
      expect(Buffer.byteLength(answer.body!)).toBe(Math.floor(announced / 2))
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 3 }))))

  it.live("resets the connection for real: the client gets ECONNRESET and no answer", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("fetchUser", [Fault.reset()])
      const answer = yield* request(`${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users/alice`, {
        headers: yield* credentials
      })
      expect(answer).toEqual({ error: "ECONNRESET" })
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("waits out a delay on the live clock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("listUser", [Fault.delay("150 millis")])
      const start = Date.now()
      const answer = yield* request(`${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`, {
        headers: yield* credentials
      })
      expect(answer.status).toBe(200)
      expect(Date.now() - start).toBeGreaterThanOrEqual(140)
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("drops a request whose client went away during a delay: the user is never created", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const fake = yield* FakeTwilioChat
      yield* fake.injectFaults("createUser", [Fault.delay("1 second")])
      const controller = new AbortController()
      const sent = fetch(`${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`, {
        method: "POST",
        headers: { ...(yield* credentials), "content-type": "application/x-www-form-urlencoded" },
        body: "Identity=ghost",
        signal: controller.signal
      }).catch((error: Error) => error.name)
      for (let i = 0; i < 200 && (yield* fake.requests).length === 0; i++) yield* liveWait(5)
      expect(yield* fake.requests).toHaveLength(1)
      controller.abort()
      expect(yield* Effect.promise(() => sent)).toBe("AbortError")
      yield* liveWait(1_500)
      expect(yield* fake.users(emulator.serviceSid)).toEqual([])
    }).pipe(Effect.provide(Emulator.layer())))

  it.live("closes the server and its keep-alive connections when the layer is released", () =>
    Effect.gen(function*() {
      const agent = new Http.Agent({ keepAlive: true })
      const baseUrl = yield* Effect.gen(function*() {
        const emulator = yield* Emulator
        const answer = yield* Effect.promise(() =>
          new Promise<number>((resolve) =>
            Http.get(`${emulator.baseUrl}/v2/Services`, { agent }, (res) => {
              res.resume()
              res.on("end", () => resolve(res.statusCode!))
            })
          )
        )
        expect(answer).toBe(401)
        return emulator.baseUrl
      }).pipe(Effect.provide(Emulator.layer()))
      agent.destroy()
      expect(yield* request(`${baseUrl}/v2/Services`)).toEqual({ error: "ECONNREFUSED" })
    }))

  it.live("fails with EmulatorError for an invalid port, or a port in use", () =>
    Effect.gen(function*() {
      const invalid = yield* Effect.flip(Layer.launch(Emulator.layer({ port: 70_000 })))
      expect(invalid).toBeInstanceOf(EmulatorError)
      const inUse = yield* Effect.gen(function*() {
        const emulator = yield* Emulator
        return yield* Effect.flip(Layer.launch(Emulator.layer({ port: emulator.port })))
      }).pipe(Effect.provide(Emulator.layer()))
      expect(inUse.message).toContain("EADDRINUSE")
    }))
})
