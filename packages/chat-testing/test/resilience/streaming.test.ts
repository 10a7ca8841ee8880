/**
 * `streamUsers` loses and duplicates nothing: property tests over random services, page sizes, faults on random
 * pages and users created and deleted between pages; and a consumer that stops (`Stream.take`, an interrupted
 * fiber) stops the requests, in memory and over a real socket, where the in-flight request's connection is closed.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { ChatTest, Emulator, FakeTwilioChat, Fault } from "../../src/index.js"
import { liveWait } from "../utils.js"
import { walkThroughChurn } from "./churn.js"
import { eventually } from "./utils.js"

/** Every fault a list answer may meet; each is retried, so the walk goes on. */
const RETRIED_FAULTS: ReadonlyArray<Fault.Fault> = [
  Fault.rateLimited(),
  Fault.rateLimited({ retryAfter: 1 }),
  Fault.status(500),
  Fault.status(502),
  Fault.status(503),
  Fault.status(504),
  Fault.htmlBadGateway,
  Fault.reset(),
  Fault.reset({ afterProcessing: true }),
  Fault.truncated,
  Fault.delay("1 minute"),
  Fault.stalledBody
]

/** Between two pages: how many users to create, and which users (by position among those left) to delete. */
const Churn = FastCheck.record({
  creates: FastCheck.nat(3),
  deletes: FastCheck.array(FastCheck.nat(), { maxLength: 3 })
})

describe("streamUsers loses and duplicates nothing", () => {
  it.effect.prop(
    "yields every user present for the whole walk exactly once, in the service's order, through faults and churn",
    {
      users: FastCheck.integer({ min: 0, max: 500 }),
      pageSize: FastCheck.integer({ min: 1, max: 100 }),
      // Per page: up to 3 faults before it is answered (the client retries 3 times).
      faults: FastCheck.array(FastCheck.array(FastCheck.constantFrom(...RETRIED_FAULTS), { maxLength: 3 }), {
        maxLength: 30
      }),
      churn: FastCheck.array(Churn, { maxLength: 30 })
    },
    ({ churn, faults, pageSize, users }) => Effect.asVoid(walkThroughChurn({ churn, faults, pageSize, users })),
    { timeout: 60_000, fastCheck: { numRuns: 25 } }
  )

  it.effect.prop(
    "Stream.take(n) sends only the requests for the pages it reads",
    {
      users: FastCheck.integer({ min: 0, max: 300 }),
      pageSize: FastCheck.integer({ min: 1, max: 100 }),
      n: FastCheck.integer({ min: 0, max: 350 })
    },
    ({ n, pageSize, users }) =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        const taken = yield* Stream.runCollect(Stream.take(chat.streamUsers(fake.defaultServiceSid, { pageSize }), n))
        expect(Chunk.size(taken)).toBe(Math.min(n, users))
        const pages = Math.max(1, Math.ceil(users / pageSize))
        const needed = n === 0 ? 0 : Math.min(pages, Math.ceil(n / pageSize))
        expect(yield* fake.requests).toHaveLength(needed)
      }).pipe(Effect.provide(ChatTest.layer({ seedUsers: users }))),
    { fastCheck: { numRuns: 40 } }
  )
})

describe("a consumer that stops stops the requests", () => {
  it.effect("interrupting the consumer during a stalled page sends nothing more, even hours later", () =>
    Effect.gen(function*() {
      const fake = yield* FakeTwilioChat
      const chat = yield* ChatV2UserApi
      yield* fake.injectFaults("listUser", [Fault.pass, Fault.pass, Fault.delay("10 minutes")])
      const fiber = yield* Effect.fork(Stream.runDrain(chat.streamUsers(fake.defaultServiceSid, { pageSize: 10 })))
      yield* TestClock.adjust(0)
      expect(yield* fake.requests).toHaveLength(3)
      yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
      yield* TestClock.adjust("6 hours")
      expect(yield* fake.requests).toHaveLength(3)
    }).pipe(Effect.provide(ChatTest.layer({ seedUsers: 100 }))))

  const overSocket = Emulator.layerClient({ seedUsers: 100 }).pipe(Layer.provide(FetchHttpClient.layer))

  for (
    const [what, fault] of [
      ["before its headers", Fault.delay("1 minute")],
      ["with its body half sent", Fault.stalledBody]
    ] as const
  ) {
    it.live(`over a socket, interrupting the consumer on a page stalled ${what} closes that request's connection`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const emulator = yield* Emulator
        const chat = yield* ChatV2UserApi
        yield* fake.injectFaults("listUser", [Fault.pass, fault])
        const fiber = yield* Effect.fork(Stream.runDrain(chat.streamUsers(emulator.serviceSid, { pageSize: 10 })))
        expect(yield* eventually(fake.requests, (r) => r.length === 2)).toHaveLength(2)
        expect(yield* eventually(emulator.inFlight, (n) => n === 1)).toBe(1)
        yield* Fiber.interrupt(fiber)
        expect(yield* eventually(emulator.inFlight, (n) => n === 0)).toBe(0)
        expect(yield* emulator.abandoned).toBe(1)
        yield* liveWait(100)
        expect(yield* fake.requests).toHaveLength(2)
      }).pipe(Effect.provide(overSocket)))
  }
})
