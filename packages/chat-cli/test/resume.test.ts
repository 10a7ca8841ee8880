import { Fault } from "@effect-twilio/chat-testing"
import { readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { linesOf, run, start, startEmulator, tempDir, type TestEmulator } from "./support/cli.js"

const USERS = 3000
const TOKEN = /--resume-from (\S+)/

describe("an export that stops midway and is resumed yields every user exactly once", () => {
  let emulator: TestEmulator
  let sids: Array<string>
  const dir = tempDir()
  beforeAll(async () => {
    emulator = await startEmulator({ seedUsers: USERS })
    sids = (await emulator.run(emulator.fake.users(emulator.info.serviceSid))).map((u) => u.sid)
  })
  afterAll(() => emulator.close())

  const sidsIn = (file: string, format: "ndjson" | "csv") =>
    format === "ndjson"
      ? linesOf(readFileSync(file, "utf8")).map((line) => JSON.parse(line).sid)
      : linesOf(readFileSync(file, "utf8")).slice(1).map((line) => line.split(",")[0])

  it.each([["SIGINT", 130], ["SIGTERM", 143]] as const)(
    "killed with %s: it prints the exact --resume-from token, exits %i, and the resumed export appends the rest",
    async (signal, code) => {
      // Slow pages (30 ms each, on the emulator's clock), so the signal lands midway.
      await emulator.run(emulator.fake.injectFaults("listUser", Array.from({ length: 400 }, () => Fault.delay(30))))
      const file = join(dir, `interrupted-${signal}.ndjson`)
      const running = start(["export", "--page-size", "10", "--out", file], { env: emulator.env })
      const linesSoFar = () =>
        statSync(file, { throwIfNoEntry: false }) ? linesOf(readFileSync(file, "utf8")).length : 0
      while (linesSoFar() < 600) await new Promise((resolve) => setTimeout(resolve, 20))
      running.child.kill(signal)
      const stopped = await running.done
      await emulator.run(emulator.fake.clearFaults)
      expect(stopped.code).toBe(code)
      expect(stopped.stderr).toMatch(
        /^chat-users: export interrupted after \d+ users; to continue \(appending\), run:\n/
      )
      const written = linesOf(readFileSync(file, "utf8")).length
      expect(written).toBeGreaterThanOrEqual(600)
      expect(written).toBeLessThan(USERS)
      const token = TOKEN.exec(stopped.stderr)![1]
      const resumed = await run(["export", "--out", file, "--resume-from", token], { env: emulator.env })
      expect(resumed.code).toBe(0)
      expect(resumed.stderr).toBe(`Exported ${USERS} users.\n`)
      expect(sidsIn(file, "ndjson")).toEqual(sids)
    }
  )

  it("failed (a page refused with a 400): exit 1 with the token; resumed as CSV, the header is not repeated", async () => {
    const file = join(dir, "failed.csv")
    await emulator.run(emulator.fake.injectFaults("listUser", [...Array(7).fill(Fault.pass), Fault.status(400)]))
    const failed = await run(["export", "--format", "csv", "--page-size", "100", "--out", file], { env: emulator.env })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain("chat-users: export failed after 700 users")
    expect(failed.stderr).toMatch(/chat-users: ChatV2UserApi\.listUser: HTTP 400/)
    const resumed = await run(["export", "--out", file, "--resume-from", TOKEN.exec(failed.stderr)![1]], {
      env: emulator.env
    })
    expect(resumed.code).toBe(0)
    expect(readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("sid,"))).toHaveLength(1)
    expect(sidsIn(file, "csv")).toEqual(sids)
  })
})

describe("resume tokens", () => {
  it("a hostile or foreign token is bad usage: exit 2, one line saying why, no stack trace, nothing sent", async () => {
    const valid = "cu1." + Buffer.from(JSON.stringify({ api: "chat" })).toString("base64url")
    const hostile = [
      "",
      "garbage",
      "cu1.",
      "cu1.!!!.00000000",
      `${valid}.deadbeef`,
      "cu1." + "A".repeat(5000) + ".00000000",
      "cu1.e30.44136fa3",
      "../../etc/passwd",
      "cu1.\u202e\u0007.x"
    ]
    const emulator = await startEmulator()
    try {
      for (const token of hostile) {
        const result = await run(["export", "--resume-from", token], { env: emulator.env })
        expect(result.code, token).toBe(2)
        expect(result.stderr, token).toMatch(/^chat-users: --resume-from: [^\n]+\n$/)
        expect(result.stderr, token).not.toMatch(/\n\s+at /)
      }
      expect(await emulator.run(emulator.fake.requests)).toEqual([])
    } finally {
      await emulator.close()
    }
  })
})
