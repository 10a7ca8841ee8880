/**
 * The CLI's own failures and the exit code of every failure: 2 for bad usage or configuration, 1 for a job that
 * did not fully succeed (some lines or users failed, an operation was refused by Twilio).
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/** Bad usage or configuration (a malformed option, a hostile resume token, a missing file): exit 2. */
export class UsageError extends Schema.TaggedError<UsageError>("@effect-twilio/chat-cli/UsageError")("UsageError", {
  message: Schema.String
}) {}

/** The job ran but did not fully succeed; its summary was printed already: exit 1. */
export class PartialFailure extends Schema.TaggedError<PartialFailure>("@effect-twilio/chat-cli/PartialFailure")(
  "PartialFailure",
  { message: Schema.String }
) {}

/** The process exit codes. */
export const ExitCode = {
  Success: 0,
  Failure: 1,
  Usage: 2,
  /** 128 + the signal's number, as shells report a process stopped by a signal. */
  SIGINT: 130,
  SIGTERM: 143
} as const

/** A `UsageError` with this message. */
export const usage = (message: string) => new UsageError({ message })
