#!/usr/bin/env node
/**
 * `chat-emulator`: serves the fake Twilio Chat V2 on 127.0.0.1 until interrupted, and prints where it listens
 * and the credentials it accepts, as `TWILIO_*` variables that `ChatV2UserApi.layerConfig()` reads.
 *
 * Usage: `chat-emulator [--port N] [--seed-users N] [--seed TEXT]` (or `pnpm emulator -- --port 4010`).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Redacted from "effect/Redacted"
import { parseArgs } from "node:util"
import { Emulator, type EmulatorOptions } from "./Emulator.js"

const USAGE = "Usage: chat-emulator [--port N (default 0: a free port)] [--seed-users N (default 0)] [--seed TEXT]"

const wholeNumber = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`${flag} expects a whole number, got ${JSON.stringify(value)}`)
  return Number(value)
}

const parseOptions = (argv: ReadonlyArray<string>): EmulatorOptions | "help" => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: "string" },
      "seed-users": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" }
    },
    strict: true
  })
  if (values.help) return "help"
  return {
    port: wholeNumber("--port", values.port),
    seedUsers: wholeNumber("--seed-users", values["seed-users"]),
    seed: values.seed
  }
}

const serve = (options: EmulatorOptions) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const token = Redacted.value(emulator.authToken)
    const lines = [
      `Twilio Chat V2 emulator (a fake, not Twilio) listening on ${emulator.baseUrl}`,
      "",
      `TWILIO_CHAT_BASE_URL=${emulator.baseUrl}`,
      `TWILIO_ACCOUNT_SID=${emulator.accountSid}`,
      `TWILIO_AUTH_TOKEN=${token}`,
      `TWILIO_API_KEY=${emulator.apiKeySid}`,
      `TWILIO_API_SECRET=${Redacted.value(emulator.apiKeySecret)}`,
      `TWILIO_CHAT_SERVICE_SID=${emulator.serviceSid}`,
      "",
      `Service ${emulator.serviceSid} holds ${options.seedUsers ?? 0} users. Try:`,
      `  curl -u ${emulator.accountSid}:${token} ${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`,
      "Press Ctrl+C to stop."
    ]
    yield* Effect.sync(() => process.stdout.write(lines.join("\n") + "\n"))
    return yield* Effect.never
  }).pipe(Effect.provide(Emulator.layer(options)))

let options: EmulatorOptions | "help"
try {
  options = parseOptions(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`)
  process.exit(2)
}
if (options === "help") {
  process.stdout.write(USAGE + "\n")
} else {
  const fiber = Effect.runFork(serve(options))
  const stop = () => fiber.unsafeInterruptAsFork(FiberId.none)
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
      process.stderr.write(`chat-emulator: ${Cause.pretty(exit.cause)}\n`)
      process.exitCode = 1
    } else {
      process.stdout.write("Emulator stopped.\n")
    }
  })
}
