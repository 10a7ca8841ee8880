/**
 * The fault matrix: every operation against every way Twilio (or a proxy in front of it) fails, over the in-memory
 * fake on `TestClock`. Each cell checks the outcome (success after a retry, or the exact error), how many requests
 * the fake received, the waits between them, and what the service holds afterwards: create is never retried when it
 * might have been processed, and a delete whose answer was lost reports success when its retry finds 404.
 */
import { ChatV2UserApi, type ChatV2UserApiOptions } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import { ChatTest, FakeTwilioChat, Fault } from "../../src/index.js"
import { T0 } from "../utils.js"
import { clocked, gaps, NEW_USER, type Operation, OPERATIONS, TARGET } from "./utils.js"

/** The client's timeout in this file; the default retry policy: 3 retries, 250 ms doubling, ±20% jitter. */
const TIMEOUT = 5_000
/** The window of the n-th backoff (0-based) under the default policy. */
const backoff = (n: number): readonly [number, number] => [0.8 * 250 * 2 ** n, 1.2 * 250 * 2 ** n]
const exactly = (millis: number): readonly [number, number] => [millis, millis]
const plus = (millis: number, [min, max]: readonly [number, number]): readonly [number, number] => [
  millis + min,
  millis + max
]

interface Expected {
  /** `undefined`: the call succeeds; otherwise the fields the error must have. */
  readonly error?: Readonly<Record<string, unknown>> | undefined
  readonly attempts: number
  /** A window for each wait between two attempts. */
  readonly waits: ReadonlyArray<readonly [number, number]>
  /** Whether the service ends up holding the created user (create), or without the target (delete). */
  readonly changed: boolean
}

interface Row {
  readonly fault: string
  readonly script: ReadonlyArray<Fault.Fault>
  readonly client?: ChatV2UserApiOptions
  readonly expect: (op: Operation) => Expected
}

const succeeds = (waits: ReadonlyArray<readonly [number, number]>): Expected => ({
  attempts: waits.length + 1,
  waits,
  changed: true
})
const fails = (
  error: Readonly<Record<string, unknown>>,
  attempts: number,
  waits: ReadonlyArray<readonly [number, number]> = [],
  changed = false
): Expected => ({ error, attempts, waits, changed })

/** A fault on the first attempt only: idempotent operations retry once and succeed; create fails with `onCreate`. */
const onceRetried = (
  fault: string,
  script: Fault.Fault,
  wait: readonly [number, number],
  onCreate: Expected
): Row => ({ fault, script: [script], expect: (op) => op.idempotent ? succeeds([wait]) : onCreate })

/** The same fault on every attempt. */
const always = (fault: Fault.Fault) => Array.from({ length: 8 }, () => fault)
const growing = [backoff(0), backoff(1), backoff(2)]

/** A user body without `account_sid`, `date_created` and the rest: JSON, but not a user. */
const INCOMPLETE = { sid: "US0123456789abcdef0123456789abcdef", identity: TARGET }

const rows: ReadonlyArray<Row> = [
  {
    fault: "429 without Retry-After",
    script: [Fault.rateLimited()],
    expect: () => succeeds([backoff(0)])
  },
  {
    fault: "429 with Retry-After: 7 (seconds)",
    script: [Fault.rateLimited({ retryAfter: 7 })],
    expect: () => succeeds([exactly(7_000)])
  },
  {
    fault: "429 with Retry-After as an HTTP date 12 s ahead",
    script: [Fault.rateLimited({ retryAfter: new Date(T0 + 12_000).toUTCString() })],
    expect: () => succeeds([exactly(12_000)])
  },
  ...[500, 502, 503, 504].map((status) =>
    onceRetried(
      `${status}`,
      Fault.status(status),
      backoff(0),
      fails({ _tag: "TwilioApiError", status }, 1)
    )
  ),
  onceRetried(
    "a reset connection",
    Fault.reset(),
    backoff(0),
    fails({ _tag: "TransportError", reason: "Connection" }, 1)
  ),
  onceRetried(
    "a connection reset after processing (the answer lost)",
    Fault.reset({ afterProcessing: true }),
    backoff(0),
    fails({ _tag: "TransportError", reason: "Connection" }, 1, [], true)
  ),
  onceRetried(
    "a response stalled past the timeout",
    Fault.delay("1 minute"),
    plus(TIMEOUT, backoff(0)),
    fails({ _tag: "TransportError", reason: "Timeout" }, 1)
  ),
  onceRetried(
    "headers sent, then the body stalled past the timeout (after processing)",
    Fault.stalledBody,
    plus(TIMEOUT, backoff(0)),
    fails({ _tag: "TransportError", reason: "Timeout" }, 1, [], true)
  ),
  {
    fault: "a 200 body that is not JSON",
    script: [Fault.notJson()],
    expect: () => fails({ _tag: "UnexpectedResponse", status: 200 }, 1)
  },
  onceRetried(
    "an HTML 502 page from a proxy",
    Fault.htmlBadGateway,
    backoff(0),
    fails({ _tag: "TwilioApiError", status: 502, code: null }, 1)
  ),
  onceRetried(
    "a truncated body (after processing)",
    Fault.truncated,
    backoff(0),
    fails({ _tag: "TransportError", reason: "Connection" }, 1, [], true)
  ),
  {
    fault: "a 200 whose JSON lacks required fields",
    script: [Fault.json(INCOMPLETE)],
    expect: () => fails({ _tag: "UnexpectedResponse", status: 200 }, 1)
  },
  {
    fault: "429 on every attempt, without Retry-After",
    script: always(Fault.rateLimited()),
    expect: () => fails({ _tag: "RateLimited", status: 429, code: 20429 }, 4, growing)
  },
  {
    fault: "429 with Retry-After: 2 on every attempt",
    script: always(Fault.rateLimited({ retryAfter: 2 })),
    expect: () =>
      fails({ _tag: "RateLimited", retryAfter: Duration.seconds(2) }, 4, [
        exactly(2_000),
        exactly(2_000),
        exactly(2_000)
      ])
  },
  {
    fault: "429 on every attempt, with retry { times: 6, cap: 1 second }",
    script: always(Fault.rateLimited()),
    client: { retry: { times: 6, cap: "1 second" } },
    expect: () =>
      fails({ _tag: "RateLimited" }, 7, [
        backoff(0),
        backoff(1),
        [800, 1_000],
        exactly(1_000),
        exactly(1_000),
        exactly(1_000)
      ])
  },
  {
    fault: "503 on every attempt",
    script: always(Fault.status(503)),
    expect: (op) =>
      op.idempotent
        ? fails({ _tag: "TwilioApiError", status: 503 }, 4, growing)
        : fails({ _tag: "TwilioApiError", status: 503 }, 1)
  },
  {
    fault: "a reset connection on every attempt",
    script: always(Fault.reset()),
    expect: (op) =>
      fails({ _tag: "TransportError", reason: "Connection" }, op.idempotent ? 4 : 1, op.idempotent ? growing : [])
  },
  {
    fault: "a stall past the timeout on every attempt",
    script: always(Fault.delay("1 minute")),
    expect: (op) =>
      fails(
        { _tag: "TransportError", reason: "Timeout" },
        op.idempotent ? 4 : 1,
        op.idempotent ? growing.map((w) => plus(TIMEOUT, w)) : []
      )
  }
]

const describeExpected = ({ attempts, error, waits }: Expected): string => {
  const after = attempts === 1 ? "after 1 request" : `after ${attempts} requests`
  const waited = waits.length === 0
    ? ""
    : ", waiting " + waits.map(([min, max]) => min === max ? `${min}` : `${min}-${max}`).join(", ") + " ms"
  if (error === undefined) return `succeeds ${after}${waited}`
  const detail = ["status", "reason"].filter((k) => error[k] !== undefined).map((k) => ` ${error[k]}`).join("")
  return `fails with ${error._tag}${detail} ${after}${waited}`
}

describe("fault matrix: each operation against each failure, on TestClock", () => {
  for (const row of rows) {
    describe(row.fault, () => {
      for (const op of OPERATIONS) {
        const expected = row.expect(op)
        it.effect(`${op.name} ${describeExpected(expected)}`, () =>
          Effect.gen(function*() {
            yield* TestClock.setTime(T0)
            const fake = yield* FakeTwilioChat
            const chat = yield* ChatV2UserApi
            const service = fake.defaultServiceSid
            yield* fake.seedUsers(service, [{ identity: TARGET }])
            yield* fake.injectFaults(op.name, row.script)

            const result = yield* clocked(Effect.either(op.run(chat, service)))

            if (expected.error === undefined) {
              expect(Either.isRight(result) ? "success" : result.left).toBe("success")
            } else {
              expect(Either.isLeft(result) ? result.left : "success").toMatchObject(expected.error)
            }
            const requests = yield* fake.requests
            expect(requests.map((r) => r.operation)).toEqual(Array(expected.attempts).fill(op.name))
            const waits = gaps(requests)
            expect(waits).toHaveLength(expected.waits.length)
            waits.forEach((wait, i) => {
              expect(wait).toBeGreaterThanOrEqual(expected.waits[i][0])
              expect(wait).toBeLessThanOrEqual(expected.waits[i][1])
            })
            const identities = (yield* fake.users(service)).map((u) => u.identity)
            if (op.name === "createUser") {
              expect(identities).toEqual(expected.changed ? [TARGET, NEW_USER] : [TARGET])
            } else if (op.name === "deleteUser") {
              expect(identities).toEqual(expected.changed ? [] : [TARGET])
            } else {
              expect(identities).toEqual([TARGET])
            }
          }).pipe(Effect.provide(ChatTest.layer({ client: { timeout: `${TIMEOUT} millis`, ...row.client } }))))
      }
    })
  }
})
