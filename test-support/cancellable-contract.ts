/**
 * The contract of a layer's `cancellable` (its `Effect.async` for exchanges): interruption cancels, a completed
 * exchange cancels nothing, and nothing of a completed exchange stays reachable for V8's scavenges.
 *
 * The last is measured: old-space growth while 64 completed exchanges, each holding 64 KiB (a young object, not a
 * large one) in what it would cancel, meet minor collections (`gc({ type: "minor" })`, exposed at run time). A canary holds the reason the helper exists:
 * on effect 3.22 a canceler returned to `Effect.async` keeps every completed exchange alive until a full collection.
 * The day the canary fails, Effect has changed and the helper may give way to `Effect.async`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as V8 from "node:v8"
import * as Vm from "node:vm"

type Cancellable = <A, E>(
  register: (resume: (effect: Effect.Effect<A, E>) => void) => { cancel(): void } | undefined
) => Effect.Effect<A, E>

V8.setFlagsFromString("--expose-gc")
const gc = Vm.runInNewContext("gc") as (options?: { readonly type: "minor" | "major" }) => void

const oldSpaceUsed = () => V8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space")!.space_used_size

const EXCHANGES = 64
const PAYLOAD = 64 * 1024

/** What an exchange holds until it ends: allocated inside it, referenced only by what it would cancel. */
const payload = () => new Array<number>(PAYLOAD / 8).fill(1)

/** Old-space growth over the exchanges of `exchange`, each answering on the next macrotask, a minor GC after each. */
const growthOver = (exchange: Effect.Effect<number>) =>
  Effect.gen(function*() {
    gc()
    const before = oldSpaceUsed()
    for (let i = 0; i < EXCHANGES; i++) {
      yield* exchange
      gc({ type: "minor" })
    }
    gc({ type: "minor" })
    return oldSpaceUsed() - before
  })

export const cancellableContract = (name: string, cancellable: Cancellable) =>
  describe(`${name}'s cancellable`, () => {
    it.live("answers what the registration resumes with, and cancels nothing once answered", () =>
      Effect.gen(function*() {
        let cancelled = 0
        const value = yield* cancellable<number, never>((resume) => {
          setImmediate(() => resume(Effect.succeed(7)))
          return { cancel: () => cancelled++ }
        })
        expect(value).toBe(7)
        expect(cancelled).toBe(0)
      }))

    it.live("cancels once when the fiber is interrupted mid-flight, even from an uninterruptible caller's child", () =>
      Effect.gen(function*() {
        let cancelled = 0
        const fiber = yield* Effect.fork(cancellable<number, never>(() => ({ cancel: () => cancelled++ })))
        yield* Effect.sleep(5)
        const exit = yield* Fiber.interrupt(fiber)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(cancelled).toBe(1)
      }))

    it.live("a registration that resumes at once (a failure before any I/O) needs nothing cancelled", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(cancellable<never, string>((resume) => {
          resume(Effect.fail("refused"))
          return undefined
        }))
        expect(exit).toStrictEqual(Exit.fail("refused"))
      }))

    it.live("keeps nothing of a completed exchange alive for V8's scavenges", () =>
      Effect.gen(function*() {
        const grown = yield* growthOver(cancellable<number, never>((resume) => {
          const held = payload()
          setImmediate(() => resume(Effect.succeed(1)))
          return { cancel: () => held.fill(0) }
        }))
        // 4 MiB would be promoted if completed exchanges were retained; a few hundred KiB is the test's own.
        expect(grown).toBeLessThan(EXCHANGES * PAYLOAD / 4)
      }))

    it.live("canary: on this effect, a canceler returned to Effect.async keeps completed exchanges alive", () =>
      Effect.gen(function*() {
        const grown = yield* growthOver(Effect.async<number>((resume) => {
          const held = payload()
          setImmediate(() => resume(Effect.succeed(1)))
          return Effect.sync(() => held.fill(0))
        }))
        expect(grown).toBeGreaterThan(EXCHANGES * PAYLOAD * 3 / 4)
      }))
  })
