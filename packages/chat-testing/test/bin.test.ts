/**
 * The `chat-emulator` bin, as a user runs it: a child process that prints where it listens and the credentials,
 * serves, and stops on SIGINT or SIGTERM.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { basic } from "./utils.js"

const BIN = fileURLToPath(new URL("../bin/chat-emulator.js", import.meta.url))

interface Run {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
}

const start = (args: ReadonlyArray<string>): Run => {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, output: () => output, exited }
}

/** Starts the bin and stops it (by its pid) when the test's scope closes, whatever happens. */
const running = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(Effect.sync(() => start(args)), (run) =>
    Effect.promise(() => {
      if (run.child.exitCode === null) run.child.kill("SIGKILL")
      return run.exited
    }))

const printed = (run: Run, text: string) =>
  Effect.promise(async () => {
    for (let i = 0; i < 300 && !run.output().includes(text) && run.child.exitCode === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return run.output()
  })

const variable = (output: string, name: string) => new RegExp(`^${name}=(.+)$`, "m").exec(output)?.[1]

describe("chat-emulator", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it.scopedLive(
      `prints the URL, service and credentials, serves the seeded users, and stops on ${signal}`,
      () =>
        Effect.gen(function*() {
          const run = yield* running(["--seed-users", "4", "--seed", "bin-test"])
          const output = yield* printed(run, "Press Ctrl+C")
          const baseUrl = variable(output, "TWILIO_CHAT_BASE_URL")!
          const service = variable(output, "TWILIO_CHAT_SERVICE_SID")!
          expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
          expect(service).toMatch(/^IS[0-9a-f]{32}$/)
          const authorization = basic(variable(output, "TWILIO_ACCOUNT_SID")!, variable(output, "TWILIO_AUTH_TOKEN")!)
          const page = yield* Effect.promise(() =>
            fetch(`${baseUrl}/v2/Services/${service}/Users`, { headers: { authorization } }).then((r) => r.json())
          )
          expect(page.users.map((u: { identity: string }) => u.identity)).toEqual([
            "user-001",
            "user-002",
            "user-003",
            "user-004"
          ])
          run.child.kill(signal)
          expect(yield* Effect.promise(() => run.exited)).toBe(0)
          expect(run.output()).toContain("Emulator stopped.")
        }),
      20_000
    )
  }

  it.scopedLive("refuses a malformed flag with its usage and exit code 2", () =>
    Effect.gen(function*() {
      const run = yield* running(["--port", "eighty"])
      expect(yield* Effect.promise(() => run.exited)).toBe(2)
      expect(run.output()).toContain("--port expects a whole number")
      expect(run.output()).toContain("Usage: chat-emulator")
    }), 20_000)
})
