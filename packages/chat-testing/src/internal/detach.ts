/**
 * `chat-emulator --detach`: the emulator in a background process of its own (its own session, no terminal, no
 * inherited output), so that `eval "$(chat-emulator --detach)"` returns once it listens. The foreground process
 * relays what the background one reports over IPC (its export lines and notes, or why it could not start), then
 * exits.
 *
 * @internal
 */
import { spawn } from "node:child_process"

/** Set in the environment of the background process: it reports over IPC instead of printing. */
export const BACKGROUND_VARIABLE = "CHAT_EMULATOR_BACKGROUND"

/** What the background process reports, once. */
export type Report =
  | { readonly _tag: "Ready"; readonly stdout: string; readonly stderr: string }
  | { readonly _tag: "Failed"; readonly message: string }

const STARTUP_TIMEOUT_MS = 60_000

/** Whether this process is the background emulator of a `--detach`, with its IPC channel still open. */
export const isBackground = (): boolean => process.env[BACKGROUND_VARIABLE] === "1" && process.send !== undefined

let reported = false

/**
 * In the background process: exits if the foreground one goes away before the report (interrupted while it waited),
 * rather than serving unannounced, with nobody knowing its PID.
 */
export const exitWithForeground = (): void => {
  if (process.env[BACKGROUND_VARIABLE] !== "1") return
  if (!process.connected) process.exit(0)
  process.once("disconnect", () => {
    if (!reported) process.exit(0)
  })
}

/**
 * Sends `report` to the foreground process and closes the channel. The report counts as made only once it is
 * written: a foreground interrupted while the emulator was starting may be gone before this process has seen the
 * channel close (a loaded machine starts it slowly), and then the write fails and this process exits as it would
 * have on the disconnect.
 */
export const report = (message: Report): void => {
  if (!isBackground() || !process.connected) return
  process.send!(message, undefined, {}, (error) => {
    if (error !== null && error !== undefined) process.exit(0)
    reported = true
    if (process.connected) process.disconnect()
  })
}

const isReport = (value: unknown): value is Report =>
  typeof value === "object" && value !== null && "_tag" in value &&
  (value._tag === "Ready" || value._tag === "Failed")

/**
 * Starts this script again in the background with `argv` (without `--detach`), and resolves with this process's
 * exit code: 0 once it reports that it listens (its export lines printed on stdout), 1 otherwise.
 */
export const detach = (argv: ReadonlyArray<string>): Promise<number> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
      detached: true,
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      env: { ...process.env, [BACKGROUND_VARIABLE]: "1" }
    })
    const settle = (code: number, text: string) => {
      clearTimeout(timer)
      child.removeAllListeners()
      if (child.connected) child.disconnect()
      child.unref()
      process.stderr.write(text)
      resolve(code)
    }
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      settle(1, `chat-emulator: the background emulator did not start in ${STARTUP_TIMEOUT_MS / 1000} s\n`)
    }, STARTUP_TIMEOUT_MS)
    child.on("message", (message: unknown) => {
      if (!isReport(message)) return
      if (message._tag === "Failed") return settle(1, `chat-emulator: ${message.message}\n`)
      process.stdout.write(message.stdout)
      settle(0, message.stderr)
    })
    child.on("error", (error) => settle(1, `chat-emulator: cannot start the background emulator: ${error.message}\n`))
    child.on("exit", (code, signal) =>
      settle(1, `chat-emulator: the background emulator exited (${signal ?? code}) before it listened\n`))
  })
