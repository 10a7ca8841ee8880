#!/usr/bin/env node
/**
 * `chat-emulator`: serves the fake Twilio Chat V2 and Conversations v1 on 127.0.0.1 until SIGINT (Ctrl+C) or
 * SIGTERM, then exits 0. It prints `export TWILIO_...=...` lines on stdout (the variables
 * `ChatV2UserApi.layerConfig()` reads) and its notes on stderr, so the output can be sourced; `--write-env PATH`
 * writes the same lines to a file, and `--detach` serves in the background for `eval "$(chat-emulator --detach)"`.
 *
 * Usage: `chat-emulator [--port N] [--seed-users N] [--seed TEXT] [--public-url URL] [--write-env PATH] [--api-key]
 * [--detach]` (or `pnpm -s emulator --port 4010` in the repository).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { chmodSync, writeFileSync } from "node:fs"
import { Emulator, type EmulatorInfo } from "./Emulator.js"
import * as Cli from "./internal/cli.js"
import * as Detach from "./internal/detach.js"
import * as ShellExports from "./internal/shellExports.js"

/** How long a stop may take before the process exits anyway. */
const STOP_GRACE_MS = 5_000

const LOOPBACK = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/

/** What the bin says on stderr once the emulator listens. */
const notes = (emulator: EmulatorInfo, command: Cli.Command): ReadonlyArray<string> => {
  const token = Redacted.value(emulator.authToken)
  const users = `${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users`
  return [
    `Twilio Chat V2 and Conversations v1 emulator (a fake, not Twilio) listening on ${emulator.localUrl}` +
    (emulator.baseUrl === emulator.localUrl ? "" : `, public URL ${emulator.baseUrl}`),
    `Service ${emulator.serviceSid} holds ${command.emulator.seedUsers ?? 0} users.`,
    `Routes: Chat V2 ${emulator.baseUrl}/v2/Services/{sid}/Users[/{sid}]; Conversations v1 on the same origin, ` +
    `/v1/Services/{sid}/Users[/{sid}] and /v1/Users[/{sid}] (the default service, ${emulator.serviceSid}).`,
    ShellExports.credentialNote(command.apiKey),
    ...(command.apiKey || !(process.env.TWILIO_API_KEY || process.env.TWILIO_API_SECRET) ? [] : [
      "TWILIO_API_KEY or TWILIO_API_SECRET is set in this environment, and layerConfig() prefers an API key pair: " +
      "unset TWILIO_API_KEY TWILIO_API_SECRET (or pass --api-key) before using these variables."
    ]),
    ...(emulator.baseUrl.startsWith("http:") && !LOOPBACK.test(emulator.baseUrl)
      ? ["ChatV2UserApi accepts an http: base URL on loopback hosts only: give it an https: public URL elsewhere."]
      : []),
    ...(command.writeEnv === undefined
      ? []
      : [`Wrote the export lines to ${command.writeEnv} (source it: . ${ShellExports.shellQuote(command.writeEnv)})`]),
    `Try: curl -u ${emulator.accountSid}:${token} ${users}`,
    `Admin API (JSON, same credentials): ${emulator.baseUrl}/__emulator/ (services, users, requests, faults, reset)`
  ]
}

/** Prints (or, in the background, reports) the export lines and the notes, and writes the env file. */
const announce = (emulator: EmulatorInfo, command: Cli.Command) =>
  Effect.sync(() => {
    const background = Detach.isBackground()
    const variables: ShellExports.Variables = [
      ...ShellExports.variablesOf(emulator, command.apiKey),
      ...(background ? [["CHAT_EMULATOR_PID", String(process.pid)] as const] : [])
    ]
    const stdout = ShellExports.exportLines(variables)
    if (command.writeEnv !== undefined) {
      writeFileSync(command.writeEnv, stdout, { mode: 0o600 })
      chmodSync(command.writeEnv, 0o600)
    }
    const lines = notes(emulator, command)
    if (background) {
      const stop = `Serving in the background as process ${process.pid}: stop it with kill "$CHAT_EMULATOR_PID".`
      return Detach.report({ _tag: "Ready", stdout, stderr: [...lines, stop].join("\n") + "\n" })
    }
    process.stdout.write(stdout)
    process.stderr.write([...lines, "Press Ctrl+C to stop."].join("\n") + "\n")
  })

const serve = (command: Cli.Command) =>
  Effect.flatMap(Emulator, (emulator) => Effect.zipRight(announce(emulator, command), Effect.never)).pipe(
    Effect.provide(Emulator.layer(command.emulator))
  )

/** The message of a failure (an `EmulatorError`, a file that cannot be written), or the whole cause. */
const describeFailure = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => Cause.pretty(cause),
    onSome: (error) =>
      typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error)
  })

/** Serves until SIGINT or SIGTERM (every later signal is ignored while stopping), then exits 0; 1 on failure. */
const serveUntilSignal = (command: Cli.Command): void => {
  const fiber = Effect.runFork(serve(command))
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    fiber.unsafeInterruptAsFork(FiberId.none)
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref()
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
  fiber.addObserver((exit) => {
    if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
      const message = describeFailure(exit.cause)
      Detach.report({ _tag: "Failed", message })
      process.stderr.write(`chat-emulator: ${message}\n`)
      process.exit(1)
    }
    process.stderr.write("Emulator stopped.\n")
    process.exit(0)
  })
}

const main = (argv: ReadonlyArray<string>): void => {
  let command: Cli.Command | "help"
  try {
    command = Cli.parseCommand(argv, process.env)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${Cli.USAGE}\n`)
    process.exit(2)
  }
  if (command === "help") {
    process.stdout.write(Cli.USAGE + "\n")
  } else if (command.detach) {
    Detach.detach(Cli.withoutDetach(argv)).then((code) => process.exit(code))
  } else {
    Detach.exitWithForeground()
    serveUntilSignal(command)
  }
}

main(process.argv.slice(2))
