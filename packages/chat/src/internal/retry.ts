/**
 * The retry policy, as one table, and the loop that runs attempts under it.
 *
 * | what an attempt met                              | create          | fetch, update, delete, list |
 * | ------------------------------------------------ | --------------- | --------------------------- |
 * | 429 (Twilio did not process the request)         | retry           | retry                       |
 * | 500, 502, 503, 504                               | fail            | retry                       |
 * | a timeout, a reset, a broken body                | fail            | retry                       |
 * | a connection never made (refused, DNS, connect)  | retry           | retry                       |
 * | any other answer                                 | done            | done                        |
 *
 * A 429's `Retry-After` (capped at `cap`) is the wait; otherwise waits grow exponentially from `base`, ±20% jitter,
 * capped at `cap`. A delete answered 404 after an attempt that got no answer has succeeded (that attempt deleted).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { Attempt, Decode, Decoded, Failure } from "./attempt.js"
import type { Answer, CallContext } from "./errors.js"
import * as Errors from "./errors.js"
import type { Redactor } from "./redact.js"

/** The rules of one operation. `E` is the error its non-2xx answers map to. */
export interface Rule<E> {
  readonly name: string
  /** 5xx answers and failures after the request may have left are retried: the request is idempotent. */
  readonly idempotent: boolean
  /** A 404 after an attempt that got no answer means that attempt succeeded (delete). */
  readonly notFoundAfterLostAnswerIsSuccess: boolean
  /** The error of a non-2xx answer. */
  readonly error: (answer: Answer, call: CallContext, retryAfter: Duration.Duration | undefined) => E
}

/** The retry options, resolved. */
export interface Policy {
  readonly retries: number
  readonly baseMillis: number
  readonly capMillis: number
  readonly timeoutMillis: number
  readonly redact: Redactor
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504])

/** Whether a failure is retried under `rule`. */
const retriesFailure = (rule: Rule<unknown>, failure: Failure): boolean =>
  failure._tag === "Connection" ? rule.idempotent || failure.notSent : failure._tag === "Timeout" && rule.idempotent

/** The wait before retry `n` (0-based): exponential from `base`, ±20% jitter, capped. */
const backoff = (policy: Policy, n: number): Effect.Effect<Duration.Duration> =>
  Effect.map(
    Random.next,
    (r) => Duration.millis(Math.round(Math.min(policy.capMillis, policy.baseMillis * 2 ** n * (0.8 + 0.4 * r))))
  )

/** Logs the retry at Debug level (operation, cause, attempt and wait: never the request), then waits. */
const waitToRetry = (rule: Rule<unknown>, policy: Policy, n: number, cause: string, wait: Duration.Duration) =>
  Effect.zipRight(
    Effect.logDebug(`${rule.name}: ${cause}, retry ${n + 1} of ${policy.retries} in ${Duration.format(wait)}`),
    Effect.sleep(wait)
  )

const describeFailure = (failure: Failure): string =>
  failure._tag === "Connection" ? "connection failed" : failure._tag === "Timeout" ? "timed out" : "body refused"

/** The public error of a failed attempt. */
const failureError = (failure: Failure, call: CallContext, timeoutMillis: number) =>
  failure._tag === "Timeout"
    ? Errors.timedOut(timeoutMillis, call)
    : failure._tag === "Connection"
    ? Errors.connectionFailed(failure.cause, failure.notSent, call)
    : Errors.unexpected(failure.status, failure.reason, call)

/**
 * Runs `request` through `attempt` under `rule`: `decode` turns a 2xx answer into the result, inside the attempt. Each attempt has its own timeout; waits follow Effect's `Clock`, so `TestClock`
 * drives them in tests.
 */
export const run = <A, E>(
  attempt: Attempt,
  policy: Policy,
  rule: Rule<E>,
  request: Parameters<Attempt>[0],
  decode: Decode<A>
) => {
  const call = (n: number): CallContext => ({ operation: rule.name, attempts: n + 1, redact: policy.redact })
  const result = (status: number, decoded: Decoded<A>, n: number): Effect.Effect<A, Errors.AttemptError> =>
    decoded.ok ? Effect.succeed(decoded.value) : Effect.fail(Errors.unexpected(status, decoded.detail, call(n)))
  const loop = (n: number, lostAnswer: boolean): Effect.Effect<A, E | Errors.AttemptError> =>
    Effect.matchEffect(attempt(request, decode), {
      onFailure: (failure) =>
        n < policy.retries && retriesFailure(rule, failure)
          ? Effect.flatMap(backoff(policy, n), (wait) =>
            Effect.zipRight(waitToRetry(rule, policy, n, describeFailure(failure), wait), loop(n + 1, true)))
          : Effect.fail(failureError(failure, call(n), policy.timeoutMillis)),
      onSuccess: (outcome) => {
        if (outcome._tag === "Decoded") return result(outcome.status, outcome.result, n)
        const answer = outcome.answer
        const status = answer.status
        if (status === 404 && lostAnswer && rule.notFoundAfterLostAnswerIsSuccess) {
          return result(status, decode(answer), n)
        }
        if (status === 429) return onRateLimited(answer, n, lostAnswer)
        if (n < policy.retries && rule.idempotent && RETRYABLE_5XX.has(status)) {
          return Effect.flatMap(
            backoff(policy, n),
            (wait) => Effect.zipRight(waitToRetry(rule, policy, n, `HTTP ${status}`, wait), loop(n + 1, lostAnswer))
          )
        }
        return Effect.fail(rule.error(answer, call(n), undefined))
      }
    })
  const onRateLimited = (answer: Answer, n: number, lostAnswer: boolean) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const retryAfter = Errors.parseRetryAfter(answer.headers["retry-after"], now)
      if (n >= policy.retries) return Effect.fail(rule.error(answer, call(n), retryAfter))
      const wait = retryAfter === undefined
        ? backoff(policy, n)
        : Effect.succeed(Duration.millis(Math.min(policy.capMillis, Duration.toMillis(retryAfter))))
      return Effect.flatMap(
        wait,
        (d) => Effect.zipRight(waitToRetry(rule, policy, n, "HTTP 429", d), loop(n + 1, lostAnswer))
      )
    })
  return loop(0, false)
}
