/**
 * `pnpm emulator` as a user runs it: pnpm, the shell of its script and the bin in one process group, which Ctrl+C
 * signals as a whole. The emulator stops, and pnpm exits 0 (no ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL, no ELIFECYCLE).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import {
  cleanEnv,
  ended,
  inBash,
  lines,
  PACKAGE_DIR,
  printed,
  PROCESS_TEST_TIMEOUT_MS,
  ROOT_DIR,
  running,
  signalGroup
} from "./processes.js"

const SIGNALS = ["SIGINT", "SIGTERM"] as const

/** Runs `args` with pnpm in `cwd` until the emulator listens, signals the group, and checks everything ended well. */
const stopsCleanly = (cwd: string, args: ReadonlyArray<string>, signal: NodeJS.Signals) =>
  Effect.gen(function*() {
    const run = yield* running("pnpm", args, { cwd, env: cleanEnv() })
    const { stdout } = yield* printed(run, "Press Ctrl+C")
    signalGroup(run, signal)
    expect(yield* ended(run)).toEqual({ code: 0, signal: null })
    const output = run.stdout() + run.stderr()
    expect(output).toContain("Emulator stopped.")
    expect(output).not.toMatch(/ERR_PNPM|ELIFECYCLE/)
    return stdout
  })

/** The root's `emulator` script: with `exec node` (no pnpm nor shell left between pnpm and the bin) it exits 0. */
const rootScript: string = JSON.parse(readFileSync(join(ROOT_DIR, "package.json"), "utf8")).scripts.emulator

describe("pnpm emulator", () => {
  for (const signal of SIGNALS) {
    it.scopedLive(
      `in the package, pnpm -s emulator prints only export lines and exits 0 on ${signal}`,
      () =>
        Effect.gen(function*() {
          const stdout = yield* stopsCleanly(PACKAGE_DIR, ["-s", "emulator", "--seed-users", "1"], signal)
          expect(lines(stdout).every((line) => /^export TWILIO_[A-Z_]+=\S+$/.test(line))).toBe(true)
          expect(inBash("eval \"$1\"", ["TWILIO_CHAT_BASE_URL"], [stdout]).TWILIO_CHAT_BASE_URL).toMatch(
            /^http:\/\/127\.0\.0\.1:\d+$/
          )
        }),
      PROCESS_TEST_TIMEOUT_MS
    )

    it.scopedLive(
      `pnpm --filter @effect-twilio/chat-testing run emulator (from the root) exits 0 on ${signal}`,
      () =>
        Effect.asVoid(stopsCleanly(ROOT_DIR, ["--filter", "@effect-twilio/chat-testing", "run", "emulator"], signal)),
      PROCESS_TEST_TIMEOUT_MS
    )

    it.scopedLive.skipIf(!rootScript.startsWith("exec node "))(
      `pnpm emulator at the root exits 0 on ${signal} (its script: ${rootScript})`,
      () => Effect.asVoid(stopsCleanly(ROOT_DIR, ["emulator"], signal)),
      PROCESS_TEST_TIMEOUT_MS
    )
  }
})
