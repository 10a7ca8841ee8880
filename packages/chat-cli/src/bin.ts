#!/usr/bin/env -S node --max-semi-space-size=2
/**
 * `chat-users`: bulk work on the users of a Twilio Chat service (list, get, create, update, delete, export,
 * import, copy). Exit codes: 0 success, 1 partial failure, 2 bad usage or configuration, 130 / 143 stopped by
 * SIGINT / SIGTERM (an export prints its `--resume-from` token first).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import { ExitCode } from "./internal/errors.js"
import { main } from "./internal/main.js"

const run = (): void => {
  const fiber = Effect.runFork(main(process.argv))
  let signalled: number | undefined
  const stop = (code: number) => () => {
    if (signalled !== undefined) return
    signalled = code
    fiber.unsafeInterruptAsFork(FiberId.none)
  }
  process.on("SIGINT", stop(ExitCode.SIGINT))
  process.on("SIGTERM", stop(ExitCode.SIGTERM))
  // A closed stdout (`chat-users export | head`) ends the run quietly.
  process.stdout.on("error", () => process.exit(signalled ?? ExitCode.Success))
  fiber.addObserver((exit) => {
    process.exitCode = Exit.isSuccess(exit) ? exit.value : signalled ?? ExitCode.Failure
    process.exit()
  })
}

run()
