/**
 * One walk of `streamUsers` through churn, as the streaming property test and its replayed counterexamples run it.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { expect } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { ChatTest, FakeTwilioChat, Fault } from "../../src/index.js"
import { T0 } from "../utils.js"
import { clocked } from "./utils.js"

/** Between two pages: how many users to create, and which users (by position among those left) to delete. */
export interface Churn {
  readonly creates: number
  readonly deletes: ReadonlyArray<number>
}

/**
 * One case of the streaming property: over `ChatTest.layer`,
 * `users` seeded users, streamed `pageSize` at a time, `churn[i]` applied after page `i` exactly as the property
 * applies it. Checks the property's invariants and returns what was streamed and who is left.
 */
export const walkThroughChurn = (
  { churn, faults = [], pageSize, users }: {
    readonly users: number
    readonly pageSize: number
    readonly churn: ReadonlyArray<Churn>
    /** Per page, the faults its list request meets before it is answered. */
    readonly faults?: ReadonlyArray<ReadonlyArray<Fault.Fault>>
  }
) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(T0)
    const fake = yield* FakeTwilioChat
    const chat = yield* ChatV2UserApi
    const service = fake.defaultServiceSid
    yield* fake.injectFaults("listUser", faults.flatMap((before) => [...before, Fault.pass]))
    const initial = (yield* fake.users(service)).map((u) => u.identity)
    const rank = new Map(initial.map((identity, i) => [identity, i]))
    const deleted = new Set<string>()
    let page = 0
    const betweenPages = Effect.gen(function*() {
      const change = churn[page++]
      if (change === undefined) return
      for (let j = 0; j < change.creates; j++) {
        const identity = `late-${page}-${j}`
        yield* chat.createUser(service, identity)
        rank.set(identity, rank.size)
      }
      for (const pick of change.deletes) {
        const left = yield* fake.users(service)
        if (left.length === 0) break
        const victim = left[pick % left.length].identity
        yield* chat.deleteUser(service, victim)
        deleted.add(victim)
      }
    })
    const exit = yield* chat.streamUsers(service, { pageSize }).pipe(
      Stream.chunks,
      Stream.tap(() => betweenPages),
      Stream.flattenChunks,
      Stream.map((u) => u.identity),
      Stream.runCollect,
      Effect.map(Chunk.toReadonlyArray),
      clocked,
      Effect.exit
    )
    // No failure, no defect: the walk ends normally.
    expect(Exit.isSuccess(exit) ? "success" : exit.cause.toString()).toBe("success")
    const streamed = Exit.isSuccess(exit) ? exit.value : []
    expect(new Set(streamed).size).toBe(streamed.length)
    const streamedSet = new Set(streamed)
    expect(initial.filter((identity) => !deleted.has(identity) && !streamedSet.has(identity))).toEqual([])
    for (const identity of streamed) expect(rank.has(identity)).toBe(true)
    const ranks = streamed.map((identity) => rank.get(identity)!)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    return { streamed, deleted, left: (yield* fake.users(service)).map((u) => u.identity) }
  }).pipe(Effect.provide(ChatTest.layer({ seedUsers: users, client: { timeout: "5 seconds" } })))
