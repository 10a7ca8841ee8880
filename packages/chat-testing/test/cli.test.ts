/**
 * The bin's command line and its sourceable output, without a process: flags over the environment, and shell
 * quoting that a POSIX shell reads back exactly.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cli from "../src/internal/cli.js"
import * as ShellExports from "../src/internal/shellExports.js"
import { inBash } from "./processes.js"

describe("the chat-emulator command line", () => {
  it("reads the public URL from --public-url, else CHAT_EMULATOR_PUBLIC_URL (empty counts as unset)", () => {
    const env = { CHAT_EMULATOR_PUBLIC_URL: "http://from-env.example" }
    const fromFlag = Cli.parseCommand(["--public-url", "http://from-flag.example"], env)
    const fromEnv = Cli.parseCommand([], env)
    const neither = Cli.parseCommand(["--public-url", ""], { CHAT_EMULATOR_PUBLIC_URL: "" })
    expect([fromFlag, fromEnv, neither].map((c) => c !== "help" && c.emulator.publicUrl)).toEqual([
      "http://from-flag.example",
      "http://from-env.example",
      undefined
    ])
  })

  it("reads every flag, and refuses unknown ones and node's own --env-file", () => {
    expect(
      Cli.parseCommand(
        ["--port", "4010", "--seed-users", "3", "--seed", "s", "--write-env", "e", "--api-key", "--detach"],
        {}
      )
    ).toEqual({
      emulator: { port: 4010, seedUsers: 3, seed: "s", publicUrl: undefined },
      writeEnv: "e",
      apiKey: true,
      detach: true
    })
    expect(Cli.parseCommand(["-h"], {})).toBe("help")
    expect(() => Cli.parseCommand(["--env-file", "e"], {})).toThrow(/Unknown option '--env-file'/)
    expect(() => Cli.parseCommand(["--seed-users", "-1"], {})).toThrow()
    expect(Cli.withoutDetach(["--detach", "--port", "1"])).toEqual(["--port", "1"])
  })
})

describe("the export lines", () => {
  it("leave safe values bare and single-quote the others, which bash reads back exactly", () => {
    const values = ["http://127.0.0.1:4010", "IS0123", "it's", "$HOME `id` \"x\" \\ ;&|", "a b", "", "'", "é"]
    const lines = ShellExports.exportLines(values.map((value, i) => [`V${i}`, value]))
    expect(lines.split("\n").slice(0, 3)).toEqual([
      "export V0=http://127.0.0.1:4010",
      "export V1=IS0123",
      "export V2='it'\\''s'"
    ])
    const names = values.map((_, i) => `V${i}`)
    expect(Object.values(inBash("eval \"$1\"", names, [lines]))).toEqual(values)
  })
})
