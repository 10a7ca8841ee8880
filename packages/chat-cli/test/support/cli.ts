/**
 * Running the bundled CLI as a process, and an emulator started by the test itself (a "separately started" one, in
 * the test's process, driven through `FakeTwilioChat`: seeding, faults, recorded requests).
 */
import { Emulator, type EmulatorInfo, FakeTwilioChat, type FakeTwilioChatService } from "@effect-twilio/chat-testing"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, inject } from "vitest"

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment without the caller's Twilio variables, plus `extra`. */
const envWith = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TWILIO_"))),
  ...extra
})

export interface Running {
  readonly child: ChildProcess
  readonly done: Promise<Result>
  /** stdout and stderr so far. */
  readonly output: () => { readonly stdout: string; readonly stderr: string }
}

/**
 * Starts `chat-users args`: the bundle is executed itself, as the bin is, so its `#!` line (with its node flags)
 * applies; `nodeOptions` go through `NODE_OPTIONS`.
 */
export const start = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly nodeOptions?: string } = {}
): Running => {
  const nodeOptions = options.nodeOptions === undefined ? {} : { NODE_OPTIONS: options.nodeOptions }
  const child = spawn(inject("cli"), args, {
    env: envWith({ ...options.env, ...nodeOptions }),
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
  const done = new Promise<Result>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, done, output: () => ({ stdout, stderr }) }
}

/** Runs `chat-users args` to its end. */
export const run = (args: ReadonlyArray<string>, options: Parameters<typeof start>[1] = {}): Promise<Result> =>
  start(args, options).done

const tempDirs: Array<string> = []
// Registered by the test file that imports this module: its temporary directories go when it ends.
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory, removed after the test file. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "chat-users-"))
  tempDirs.push(dir)
  return dir
}

export interface TestEmulator {
  readonly info: EmulatorInfo
  readonly fake: FakeTwilioChatService
  /** The `TWILIO_*` variables that point `layerConfig()` (and so the CLI) at it. */
  readonly env: Record<string, string>
  /** Runs an effect (a fake's operation). */
  readonly run: <A, E>(effect: Effect.Effect<A, E>) => Promise<A>
  readonly close: () => Promise<void>
}

/** Starts an emulator in this process. */
export const startEmulator = async (options: { readonly seedUsers?: number } = {}): Promise<TestEmulator> => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(Emulator.layer(options), scope))
  const info = Context.get(context, Emulator)
  return {
    info,
    fake: Context.get(context, FakeTwilioChat),
    env: {
      TWILIO_ACCOUNT_SID: info.accountSid,
      TWILIO_AUTH_TOKEN: Redacted.value(info.authToken),
      TWILIO_CHAT_BASE_URL: info.baseUrl,
      TWILIO_CONVERSATIONS_BASE_URL: info.baseUrl,
      TWILIO_CHAT_SERVICE_SID: info.serviceSid
    },
    run: (effect) => Effect.runPromise(effect),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** Lines of a text, without the empty one after the last line break. */
export const linesOf = (text: string): Array<string> => text.split("\n").filter((line) => line !== "")

export interface EmulatorProcess {
  readonly env: Record<string, string>
  /** A request to the emulator's admin API (`/__emulator/...`), answered as JSON. */
  readonly admin: (path: string, init?: { readonly method?: string; readonly body?: unknown }) => Promise<any>
  readonly stop: () => Promise<void>
}

/** Starts the `chat-emulator` bin of `@effect-twilio/chat-testing` as a process of its own. */
export const startEmulatorBin = async (): Promise<EmulatorProcess> => {
  const bin = join(import.meta.dirname, "../../../chat-testing/bin/chat-emulator.js")
  const child = spawn(process.execPath, [bin], { env: envWith({}), stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const pairs = [...out.matchAll(/^export (TWILIO_[A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]] as const)
      if (pairs.length >= 4) resolve(Object.fromEntries(pairs))
    })
    child.on("exit", (code) => reject(new Error(`chat-emulator exited with ${code}: ${out}`)))
  })
  const auth = `Basic ${Buffer.from(`${env.TWILIO_ACCOUNT_SID}:${env.TWILIO_AUTH_TOKEN}`).toString("base64")}`
  return {
    env,
    admin: async (path, init = {}) => {
      const response = await fetch(`${env.TWILIO_CHAT_BASE_URL}/__emulator/${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: auth },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) })
      })
      return response.json()
    },
    stop: () =>
      new Promise((resolve) => {
        child.on("close", () => resolve())
        child.kill("SIGTERM")
      })
  }
}
