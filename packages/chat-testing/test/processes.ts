/**
 * Process tests of the `chat-emulator` bin: start a command in a process group of its own, wait for a line, signal
 * the group as Ctrl+C does, and read what a shell makes of the output. Every wait is bounded; the group is killed
 * when the test's scope closes, whatever happened.
 */
import * as Effect from "effect/Effect"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export const BIN = fileURLToPath(new URL("../bin/chat-emulator.js", import.meta.url))
export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url))
export const ROOT_DIR = fileURLToPath(new URL("../../..", import.meta.url))

/** How long a start may take on a loaded machine (tsx compiles the sources first). */
export const START_TIMEOUT_MS = 45_000
/** A generous, bounded timeout for a whole process test. */
export const PROCESS_TEST_TIMEOUT_MS = 90_000

export interface Run {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const start = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv): Run => {
  const child = spawn(command, [...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  )
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** Signals the whole process group of `run` (pnpm, its shell and the bin alike), as a terminal's Ctrl+C does. */
export const signalGroup = (run: Run, signal: NodeJS.Signals) => {
  try {
    process.kill(-run.child.pid!, signal)
  } catch {
    // The group is gone already.
  }
}

/** Starts `command` in a process group of its own, killed (SIGKILL, the whole group) when the scope closes. */
export const running = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}
) =>
  Effect.acquireRelease(
    Effect.sync(() => start(command, args, options.cwd ?? PACKAGE_DIR, { ...process.env, ...options.env })),
    (run) =>
      Effect.promise(() => {
        signalGroup(run, "SIGKILL")
        return run.exited
      })
  )

/** Waits (at most `START_TIMEOUT_MS`) until stderr holds `text`, or the process has exited. */
export const printed = (run: Run, text: string) =>
  Effect.promise(async () => {
    const deadline = Date.now() + START_TIMEOUT_MS
    while (!run.stderr().includes(text) && run.child.exitCode === null && run.child.signalCode === null) {
      if (Date.now() > deadline) throw new Error(`No "${text}" in ${START_TIMEOUT_MS} ms:\n${run.stderr()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return { stdout: run.stdout(), stderr: run.stderr() }
  })

/** How the process ended, waiting at most 20 seconds. */
export const ended = (run: Run) =>
  Effect.promise(() =>
    Promise.race([
      run.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("Still running after 20 s")), 20_000))
    ])
  )

/**
 * The values bash gives `names` after running `script` (sourcing export lines, say), with `args` as `$1`...:
 * what a user's shell makes of the output, quoting included.
 */
export const inBash = (
  script: string,
  names: ReadonlyArray<string>,
  args: ReadonlyArray<string> = []
): Record<string, string> => {
  const print = names.map((name) => `printf '%s\\0' "\${${name}-}"`).join("; ")
  const out = execFileSync("bash", ["-c", `set -e; ${script}\n${print}`, "bash", ...args], {
    encoding: "utf8",
    timeout: START_TIMEOUT_MS,
    env: { ...process.env, ...cleanEnv() }
  })
  const values = out.split("\0")
  return Object.fromEntries(names.map((name, i) => [name, values[i]]))
}

/** The lines of `text`, without the last empty one. */
export const lines = (text: string): ReadonlyArray<string> => text.split("\n").filter((line) => line !== "")

export const TWILIO_VARIABLES = [
  "TWILIO_ACCOUNT_SID",
  "TWILIO_AUTH_TOKEN",
  "TWILIO_API_KEY",
  "TWILIO_API_SECRET",
  "TWILIO_CHAT_BASE_URL",
  "TWILIO_CONVERSATIONS_BASE_URL",
  "TWILIO_CHAT_SERVICE_SID"
] as const

/** The environment of a spawned bin: none of the caller's Twilio variables, so notes and defaults are its own. */
export const cleanEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(TWILIO_VARIABLES.map((name) => [name, undefined])),
  CHAT_EMULATOR_PUBLIC_URL: undefined,
  ...extra
})
