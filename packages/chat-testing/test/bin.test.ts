/**
 * The `chat-emulator` bin, as a user runs it: a child process that prints sourceable `export` lines on stdout and
 * its notes on stderr, serves, and exits 0 on SIGINT or SIGTERM; `--write-env`, `--api-key`, `--public-url` (and
 * `CHAT_EMULATOR_PUBLIC_URL`), and `--detach` for `eval "$(chat-emulator --detach)"`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  BIN,
  cleanEnv,
  ended,
  inBash,
  lines,
  printed,
  PROCESS_TEST_TIMEOUT_MS,
  running,
  signalGroup,
  TWILIO_VARIABLES
} from "./processes.js"
import { basic } from "./utils.js"

const users = (baseUrl: string, serviceSid: string, account: string, token: string) =>
  Effect.promise(() =>
    fetch(`${baseUrl}/v2/Services/${serviceSid}/Users`, { headers: { authorization: basic(account, token) } })
      .then((response) => response.json() as Promise<{ users: ReadonlyArray<{ identity: string }> }>)
      .then((page) => page.users.map((user) => user.identity))
  )

const listeningOn = (stderr: string) => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("chat-emulator", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it.scopedLive(
      `prints export lines a shell can source (notes on stderr), serves them, and exits 0 on ${signal}`,
      () =>
        Effect.gen(function*() {
          // A user's own API key in the environment would win over the printed pair: the bin says so.
          const userKey = signal === "SIGTERM" ? { TWILIO_API_KEY: "SK0123456789abcdef0123456789abcdef" } : {}
          const run = yield* running(process.execPath, [BIN, "--seed-users", "4", "--seed", "bin-test"], {
            env: cleanEnv(userKey)
          })
          const { stderr, stdout } = yield* printed(run, "Press Ctrl+C")
          expect(lines(stdout).map((line) => line.replace(/=.*/, ""))).toEqual([
            "export TWILIO_ACCOUNT_SID",
            "export TWILIO_AUTH_TOKEN",
            "export TWILIO_CHAT_BASE_URL",
            "export TWILIO_CONVERSATIONS_BASE_URL",
            "export TWILIO_CHAT_SERVICE_SID"
          ])
          expect(stderr).toContain("will use TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN")
          expect(stderr.includes("unset TWILIO_API_KEY TWILIO_API_SECRET")).toBe(signal === "SIGTERM")
          const sourced = inBash("eval \"$1\"", TWILIO_VARIABLES, [stdout])
          expect(sourced.TWILIO_CHAT_BASE_URL).toBe(listeningOn(stderr))
          expect(sourced.TWILIO_CONVERSATIONS_BASE_URL).toBe(listeningOn(stderr))
          expect(sourced.TWILIO_CHAT_SERVICE_SID).toMatch(/^IS[0-9a-f]{32}$/)
          expect([sourced.TWILIO_API_KEY, sourced.TWILIO_API_SECRET]).toEqual(["", ""])
          expect(
            yield* users(
              sourced.TWILIO_CHAT_BASE_URL,
              sourced.TWILIO_CHAT_SERVICE_SID,
              sourced.TWILIO_ACCOUNT_SID,
              sourced.TWILIO_AUTH_TOKEN
            )
          ).toEqual(["user-001", "user-002", "user-003", "user-004"])
          signalGroup(run, signal)
          expect(yield* ended(run)).toEqual({ code: 0, signal: null })
          expect(run.stderr()).toContain("Emulator stopped.")
        }),
      PROCESS_TEST_TIMEOUT_MS
    )
  }

  it.scopedLive(
    "--write-env writes the same lines (mode 600); --api-key adds the key pair; the public URL is quoted for the shell",
    () =>
      Effect.gen(function*() {
        const dir = mkdtempSync(join(tmpdir(), "chat-emulator-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const file = join(dir, "emulator env")
        // A host may hold a quote and a dollar: the shell must read them as they are.
        const publicUrl = "http://it's$home.example:8080"
        const run = yield* running(process.execPath, [BIN, "--api-key", "--write-env", file, "--seed-users", "1"], {
          env: cleanEnv({ CHAT_EMULATOR_PUBLIC_URL: publicUrl, TWILIO_API_KEY: "SK-of-the-user's-shell" })
        })
        const { stderr, stdout } = yield* printed(run, "Press Ctrl+C")
        expect(readFileSync(file, "utf8")).toBe(stdout)
        expect(statSync(file).mode & 0o777).toBe(0o600)
        expect(stdout).toContain("export TWILIO_CHAT_BASE_URL='http://it'\\''s$home.example:8080'\n")
        const sourced = inBash(". \"$1\"", TWILIO_VARIABLES, [file])
        expect(sourced.TWILIO_CHAT_BASE_URL).toBe(publicUrl)
        expect(sourced.TWILIO_API_KEY).toMatch(/^SK[0-9a-f]{32}$/)
        expect(sourced.TWILIO_API_SECRET).toMatch(/^[0-9a-f]{32}$/)
        expect(stderr).toContain("will use the API key pair (TWILIO_API_KEY + TWILIO_API_SECRET)")
        expect(stderr).toContain("public URL http://it's$home.example:8080")
        expect(stderr).toContain("http: base URL on loopback hosts only")
        expect(stderr).not.toContain("TWILIO_API_KEY or TWILIO_API_SECRET is set in this environment")
        // The server listens on its own origin; the API key pair is accepted.
        const apiKey = yield* users(
          listeningOn(stderr),
          sourced.TWILIO_CHAT_SERVICE_SID,
          sourced.TWILIO_API_KEY,
          sourced.TWILIO_API_SECRET
        )
        expect(apiKey).toEqual(["user-001"])
        signalGroup(run, "SIGINT")
        expect((yield* ended(run)).code).toBe(0)
      }),
    PROCESS_TEST_TIMEOUT_MS
  )

  it.scopedLive(
    "--detach: eval \"$(chat-emulator --detach)\" returns once it listens; the background emulator stops on SIGTERM",
    () =>
      Effect.gen(function*() {
        const started = Date.now()
        const sourced = inBash(
          `eval "$("$1" "$2" --detach --seed-users 2 --seed detached)"`,
          [...TWILIO_VARIABLES, "CHAT_EMULATOR_PID"],
          [process.execPath, BIN]
        )
        const pid = Number(sourced.CHAT_EMULATOR_PID)
        yield* Effect.addFinalizer(() => Effect.sync(() => isAlive(pid) && process.kill(pid, "SIGKILL")))
        expect(Date.now() - started).toBeLessThan(45_000)
        expect(pid).toBeGreaterThan(0)
        expect(isAlive(pid)).toBe(true)
        expect(
          yield* users(
            sourced.TWILIO_CHAT_BASE_URL,
            sourced.TWILIO_CHAT_SERVICE_SID,
            sourced.TWILIO_ACCOUNT_SID,
            sourced.TWILIO_AUTH_TOKEN
          )
        ).toEqual(["user-001", "user-002"])
        process.kill(pid, "SIGTERM")
        for (let i = 0; i < 400 && isAlive(pid); i++) yield* Effect.sleep("50 millis")
        expect(isAlive(pid)).toBe(false)
      }),
    PROCESS_TEST_TIMEOUT_MS
  )

  it.scopedLive.skipIf(process.platform !== "linux")(
    "--detach interrupted before it listens leaves no emulator behind",
    () =>
      Effect.gen(function*() {
        const seed = `interrupted-${process.pid}-${Date.now()}`
        const withSeed = () =>
          readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
            try {
              return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(seed)
            } catch {
              return false
            }
          })
        yield* Effect.addFinalizer(() =>
          Effect.sync(() => withSeed().forEach((pid) => process.kill(Number(pid), "SIGKILL")))
        )
        const run = yield* running(process.execPath, [BIN, "--detach", "--seed", seed], { env: cleanEnv() })
        // Wait for the background process to exist, then interrupt the foreground one, as Ctrl+C would.
        for (let i = 0; i < 400 && withSeed().length < 2; i++) yield* Effect.sleep("25 millis")
        expect(withSeed().length).toBe(2)
        signalGroup(run, "SIGINT")
        yield* ended(run)
        for (let i = 0; i < 800 && withSeed().length > 0; i++) yield* Effect.sleep("50 millis")
        expect(withSeed()).toEqual([])
      }),
    PROCESS_TEST_TIMEOUT_MS
  )

  it.scopedLive(
    "refuses a malformed flag with its usage and exit code 2, an invalid public URL with 1",
    () =>
      Effect.gen(function*() {
        const flag = yield* running(process.execPath, [BIN, "--port", "eighty"], { env: cleanEnv() })
        expect((yield* ended(flag)).code).toBe(2)
        expect(flag.stderr()).toContain("--port expects a whole number")
        expect(flag.stderr()).toContain("Usage: chat-emulator")
        const url = yield* running(process.execPath, [BIN, "--public-url", "http://127.0.0.1:8080/twilio"], {
          env: cleanEnv()
        })
        expect((yield* ended(url)).code).toBe(1)
        expect(url.stderr()).toContain("chat-emulator: Invalid publicUrl \"http://127.0.0.1:8080/twilio\"")
        expect(url.stdout()).toBe("")
      }),
    PROCESS_TEST_TIMEOUT_MS
  )
})
