/**
 * The `chat-emulator` command line: its flags and environment, read into what the bin does.
 *
 * @internal
 */
import { parseArgs } from "node:util"
import type { EmulatorOptions } from "../Emulator.js"

export const USAGE = `Usage: chat-emulator [options]

  --port N           the port on 127.0.0.1 (default 0: a free port)
  --seed-users N     users to seed in the default service (default 0)
  --seed TEXT        derives SIDs and credentials (default "effect-twilio")
  --public-url URL   the origin written in every URL the emulator answers, when clients reach it through a proxy,
                     a tunnel or a container's name (default: its own origin; env CHAT_EMULATOR_PUBLIC_URL)
  --write-env PATH   also write the export lines to PATH (mode 600), for another shell to source (not named
                     --env-file: node reads that flag wherever it is on its command line)
  --api-key          also print the API key pair, TWILIO_API_KEY and TWILIO_API_SECRET
  --detach           serve in the background: print the export lines (and CHAT_EMULATOR_PID) once it listens,
                     then exit, for eval "$(chat-emulator --detach)"; stop it with kill "$CHAT_EMULATOR_PID"
  -h, --help         this text

Prints sourceable export lines on stdout (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_CHAT_BASE_URL,
TWILIO_CHAT_SERVICE_SID) and notes on stderr; serves until SIGINT (Ctrl+C) or SIGTERM, then exits 0.`

/** The variable that sets the public URL when `--public-url` does not. */
export const PUBLIC_URL_VARIABLE = "CHAT_EMULATOR_PUBLIC_URL"

/** What the command line asks for. */
export interface Command {
  readonly emulator: EmulatorOptions
  readonly writeEnv: string | undefined
  readonly apiKey: boolean
  readonly detach: boolean
}

const wholeNumber = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`${flag} expects a whole number, got ${JSON.stringify(value)}`)
  return Number(value)
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value

/** The command of `argv` (without node and the script) and `env`; throws on a malformed flag. */
export const parseCommand = (
  argv: ReadonlyArray<string>,
  env: Readonly<Record<string, string | undefined>>
): Command | "help" => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: "string" },
      "seed-users": { type: "string" },
      seed: { type: "string" },
      "public-url": { type: "string" },
      "write-env": { type: "string" },
      "api-key": { type: "boolean" },
      detach: { type: "boolean" },
      help: { type: "boolean", short: "h" }
    },
    strict: true
  })
  if (values.help) return "help"
  if (values["write-env"] === "") throw new Error("--write-env expects a path")
  return {
    emulator: {
      port: wholeNumber("--port", values.port),
      seedUsers: wholeNumber("--seed-users", values["seed-users"]),
      seed: values.seed,
      publicUrl: nonEmpty(values["public-url"]) ?? nonEmpty(env[PUBLIC_URL_VARIABLE])
    },
    writeEnv: values["write-env"],
    apiKey: values["api-key"] ?? false,
    detach: values.detach ?? false
  }
}

/** `argv` without `--detach`: the command the background process runs. */
export const withoutDetach = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv.filter((arg) => arg !== "--detach")
