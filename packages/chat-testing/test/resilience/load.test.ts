/**
 * Load: 2,000 creates, 50 at a time, over a real socket, while the emulator answers 429 to a random 20% of the
 * requests. Every user ends up existing exactly once, no create is repeated after it was processed, and the run
 * stays within the suite's time budget.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import { Emulator, FakeTwilioChat, Fault } from "../../src/index.js"

const USERS = 2_000
const BUDGET_MILLIS = 20_000

describe("load", () => {
  it.live(
    `${USERS} creates at concurrency 50 through random 429s: each user exists exactly once`,
    () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const emulator = yield* Emulator
        const chat = yield* ChatV2UserApi
        // Requests take the script in the order they arrive: a random 20% of them are answered 429.
        const random = Random.make("load-test")
        const script: Array<Fault.Fault> = []
        for (let i = 0; i < 2 * USERS; i++) script.push((yield* random.next) < 0.2 ? Fault.rateLimited() : Fault.pass)
        yield* fake.injectFaults("createUser", script)

        const identities = Array.from({ length: USERS }, (_, i) => `load-${String(i).padStart(4, "0")}`)
        const started = Date.now()
        const created = yield* Effect.forEach(
          identities,
          (identity) => chat.createUser(emulator.serviceSid, identity),
          { concurrency: 50 }
        )
        const elapsed = Date.now() - started

        const stored = yield* fake.users(emulator.serviceSid)
        expect(stored.map((u) => u.identity).sort()).toEqual(identities)
        expect(new Set(created.map((u) => u.sid)).size).toBe(USERS)
        expect(new Set(stored.map((u) => u.sid))).toEqual(new Set(created.map((u) => u.sid)))
        // Every request was either a 429 (not processed) or the one create of its identity: nothing was sent twice
        // once processed, and each identity's form went out once more than the 429s it met.
        const requests = yield* fake.requests
        const tooMany = script.slice(0, requests.length).filter((fault) => fault._tag === "Status").length
        expect(tooMany).toBeGreaterThan(0.15 * USERS)
        expect(requests).toHaveLength(USERS + tooMany)
        expect(new Set(requests.map((r) => r.form.Identity))).toEqual(new Set(identities))
        expect(elapsed).toBeLessThan(BUDGET_MILLIS)
      }).pipe(
        Effect.provide(
          Emulator.layerClient({ client: { retry: { times: 10, base: "5 millis", cap: "100 millis" } } }).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      ),
    BUDGET_MILLIS + 10_000
  )
})
