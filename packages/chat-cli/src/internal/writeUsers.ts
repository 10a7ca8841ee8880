/**
 * The write stage shared by `import` and `copy`: a `Stream` of users to create, paced on the client (`--rate`
 * starts per second, evenly spaced, so Twilio's 30 writes per second per service are not reached) and written with
 * bounded concurrency (`--concurrency`). A user whose identity exists is skipped, updated or failed as
 * `--on-conflict` says; every other failure is reported and counted, and never stops the rest (but failed
 * authentication, which would fail every line, stops the job).
 *
 * @internal
 */
import type { AuthenticationFailed } from "@effect-twilio/chat"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { UsersApi } from "./usersApi.js"
import type { ImportUser } from "./validate.js"

/** The choices of `--on-conflict`. */
export const ON_CONFLICT = ["skip", "update", "fail"] as const

/** What to do when the identity exists already. */
export type OnConflict = typeof ON_CONFLICT[number]

/** How to write. */
export interface WriteOptions {
  readonly serviceSid: string
  readonly concurrency: number
  /** Starts per second. */
  readonly rate: number
  readonly onConflict: OnConflict
}

/** A user to write, how reports name it (`line 17`) and its text for the failures file. */
export interface Candidate {
  readonly user: ImportUser
  readonly label: string
  readonly raw: string
}

/** What became of a candidate. */
export type Outcome =
  | { readonly _tag: "Created" | "Updated" | "Skipped" }
  | { readonly _tag: "Failed"; readonly reason: string }

/** The counts a summary prints. */
export interface Tally {
  /** Records that passed validation. */
  valid: number
  created: number
  updated: number
  skipped: number
  failed: number
  invalid: number
}

/** An empty tally. */
export const emptyTally = (): Tally => ({ valid: 0, created: 0, updated: 0, skipped: 0, failed: 0, invalid: 0 })

const done = (tag: "Created" | "Updated" | "Skipped"): Outcome => ({ _tag: tag })

const failed = (error: { readonly message: string }): Effect.Effect<Outcome> =>
  Effect.succeed({ _tag: "Failed", reason: error.message })

/** The errors that fail one user only (failed authentication stays an error: it would fail every user). */
const ONE_USER = {
  InvalidRequest: failed,
  RateLimited: failed,
  TwilioApiError: failed,
  TransportError: failed,
  UnexpectedResponse: failed
} as const

const onConflict = (
  users: UsersApi,
  options: WriteOptions,
  user: ImportUser
): Effect.Effect<Outcome, AuthenticationFailed> => {
  switch (options.onConflict) {
    case "skip":
      return Effect.succeed(done("Skipped"))
    case "fail":
      return Effect.succeed({ _tag: "Failed", reason: `a user with identity ${JSON.stringify(user.identity)} exists` })
    case "update":
      return users.update(options.serviceSid, user.identity, user.fields).pipe(
        Effect.as(done("Updated")),
        Effect.catchTags({ ...ONE_USER, UserNotFound: failed })
      )
  }
}

/** Creates one user, and applies `--on-conflict` when its identity exists. */
export const writeOne =
  (users: UsersApi, options: WriteOptions) => (user: ImportUser): Effect.Effect<Outcome, AuthenticationFailed> =>
    users.create(options.serviceSid, user.identity, user.fields).pipe(
      Effect.as(done("Created")),
      Effect.catchTag("UserAlreadyExists", () => onConflict(users, options, user)),
      Effect.catchTags(ONE_USER)
    )

/**
 * Spaces the elements evenly, `rate` per second: a bucket of one token refilled every 1/rate second. Above 200 per
 * second (where a wait would be under the timers' millisecond) the bucket holds `rate / 100` tokens refilled every
 * 10 ms instead: the same rate, in bursts of at most 1% of it.
 */
export const paced = (rate: number) => <A, E, R>(stream: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> => {
  const units = Math.max(1, Math.floor(rate / 100))
  return stream.pipe(
    Stream.rechunk(1),
    Stream.throttle({ cost: Chunk.size, units, duration: Duration.millis(units * 1000 / rate), strategy: "shape" })
  )
}

/** Adds an outcome to the tally. */
export const count = (tally: Tally, outcome: Outcome): void => {
  switch (outcome._tag) {
    case "Created":
      tally.created++
      return
    case "Updated":
      tally.updated++
      return
    case "Skipped":
      tally.skipped++
      return
    case "Failed":
      tally.failed++
  }
}

/** Writes every candidate, paced and concurrent; `onOutcome` hears of each as it ends (in completion order). */
export const writeAll = <E, R>(
  users: UsersApi,
  options: WriteOptions,
  candidates: Stream.Stream<Candidate, E, R>,
  onOutcome: (candidate: Candidate, outcome: Outcome) => void
): Effect.Effect<void, E | AuthenticationFailed, R> =>
  candidates.pipe(
    paced(options.rate),
    Stream.mapEffect(
      (candidate) => Effect.map(writeOne(users, options)(candidate.user), (outcome) => onOutcome(candidate, outcome)),
      { concurrency: options.concurrency, unordered: true }
    ),
    Stream.runDrain
  )

/** The summary line: `created 990, updated 0, skipped 0, failed 0, invalid 10`. */
export const summary = (tally: Tally): string =>
  `created ${tally.created}, updated ${tally.updated}, skipped ${tally.skipped}, failed ${tally.failed}, ` +
  `invalid ${tally.invalid}`
