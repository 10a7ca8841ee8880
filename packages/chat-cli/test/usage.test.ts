import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { run, tempDir } from "./support/cli.js"

const dir = tempDir()
const file = join(dir, "users.ndjson")
writeFileSync(file, "{\"identity\":\"a\"}\n")

/** Each case: arguments, and a piece of what stderr must say. */
const CASES: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
  [[], "a command is needed"],
  [["frobnicate"], "Invalid subcommand"],
  [["list", "--bogus"], "--bogus"],
  [["list", "--api", "sms"], "Expected one of the following cases: chat, conversations"],
  [["list", "--service", "IS123"], "--service: expected a service SID"],
  [["list", "--seed-users", "5"], "--seed-users needs --emulator"],
  [["list", "--emulator", "--seed-users", "-1"], "--seed-users: expected 0 to 1000000"],
  [["list", "--service", "IS" + "0".repeat(32)], "Missing Twilio credentials"],
  [["export", "--emulator", "--page-size", "101"], "--page-size: expected 1 to 100"],
  [["export", "--emulator", "--format", "xml"], "Expected one of the following cases: ndjson, csv"],
  [["import", file, "--emulator", "--concurrency", "0"], "--concurrency: expected 1 to 64"],
  [["import", file, "--emulator", "--rate", "0"], "--rate: expected 0.01 to 100000"],
  [["import", file, "--emulator", "--on-conflict", "merge"], "Expected one of the following cases: skip, update, fail"],
  [["import", join(dir, "missing.ndjson"), "--emulator"], "no such file"],
  [["import", dir, "--emulator"], "not a file"],
  [["import", "--emulator"], "file"],
  [["create", "US" + "0".repeat(32), "--emulator"], "identity cannot look like a user SID"],
  [["create", "ada", "--attributes", "[1]", "--emulator"], "attributes must be a JSON object"],
  [["create", "ada", "--attributes", "{", "--emulator"], "--attributes: not valid JSON"],
  [["update", "ada", "--role-sid", "RL1", "--emulator"], "roleSid must be RL followed by 32 hex digits"],
  [["copy", "--emulator", "--to", "nope"], "--to: expected a service SID"],
  [["export", "--emulator", "--api", "conversations", "--page-size", "51"], "Expected a whole number from 1 to 50"]
]

describe("bad usage or configuration exits 2, with a message and no stack trace", () => {
  it.each(CASES)("chat-users %j", async (args, message) => {
    const result = await run(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stdout).toBe("")
  })
})
