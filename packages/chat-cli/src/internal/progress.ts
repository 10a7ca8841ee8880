/**
 * The live progress line on stderr (count, rate, elapsed), redrawn four times a second while stderr is a terminal
 * and never written otherwise; the final state is printed as a summary by each command.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"

/** A counter the progress line reads. */
export interface Counter {
  count: number
}

const elapsed = (millis: number): string => {
  const seconds = Math.floor(millis / 1000)
  const mm = String(Math.floor(seconds / 60)).padStart(2, "0")
  return `${mm}:${String(seconds % 60).padStart(2, "0")}`
}

/** The text of the line: `12,345 users exported · 2,345/s · 00:05`. */
export const line = (verb: string, count: number, millis: number): string => {
  const rate = millis > 0 ? Math.round(count / (millis / 1000)) : 0
  return `${count.toLocaleString("en-US")} users ${verb} · ${rate.toLocaleString("en-US")}/s · ${elapsed(millis)}`
}

/**
 * Shows the line for `counter` until the scope closes (then clears it), when stderr is a terminal. The drawing fiber
 * is forked interruptible in the scope (not inside an `acquireRelease`, whose forks could never be interrupted).
 */
export const show = (verb: string, counter: Counter): Effect.Effect<void, never, Scope.Scope> => {
  if (process.stderr.isTTY !== true) return Effect.void
  const started = Date.now()
  const draw = Effect.sync(() => process.stderr.write(`\r\x1b[K${line(verb, counter.count, Date.now() - started)}`))
  // Finalizers run last first: the fiber is interrupted, then the line cleared.
  return Effect.zipRight(
    Effect.addFinalizer(() => Effect.sync(() => process.stderr.write("\r\x1b[K"))),
    Effect.asVoid(Effect.forkScoped(Effect.interruptible(Effect.repeat(draw, Schedule.spaced("250 millis")))))
  )
}
