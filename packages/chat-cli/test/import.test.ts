import { Fault } from "@effect-twilio/chat-testing"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { linesOf, run, startEmulator, startEmulatorBin, tempDir, type TestEmulator } from "./support/cli.js"

const dir = tempDir()

/** The 10 bad lines of the 1,000, by line number, and what makes each bad. */
const BAD: Record<number, string> = {
  3: "{\"identity\": \"broken\"",
  50: "[1, 2, 3]",
  101: "{\"friendlyName\": \"no identity\"}",
  222: "{\"identity\": \"\"}",
  333: JSON.stringify({ identity: "US" + "0".repeat(32) }),
  444: JSON.stringify({ identity: "x".repeat(257) }),
  555: JSON.stringify({ identity: "big", attributes: { blob: "x".repeat(16 * 1024) } }),
  666: JSON.stringify({ identity: "array-attributes", attributes: [1] }),
  777: JSON.stringify({ identity: "bad-role", roleSid: "RL123" }),
  1000: "not json at all"
}

const ndjsonFile = (name: string, lines: number, bad: Record<number, string> = {}): string => {
  const file = join(dir, name)
  const text = Array.from(
    { length: lines },
    (_, i) => bad[i + 1] ?? JSON.stringify({ identity: `import-${i + 1}`, attributes: { line: i + 1 } })
  ).join("\n")
  writeFileSync(file, text + "\n")
  return file
}

describe("import", () => {
  it("of 1,000 lines with 10 bad ones creates 990, reports the 10 by line number, writes them to --failures, exits 1", async () => {
    const file = ndjsonFile("mixed.ndjson", 1000, BAD)
    const failures = join(dir, "failures.ndjson")
    const result = await run(
      ["import", file, "--emulator", "--rate", "100000", "--concurrency", "8", "--failures", failures, "--json"]
    )
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: 990, created: 990, failed: 0, invalid: 10 })
    const reported = result.stderr.split("\n").filter((line) => /^line \d+: /.test(line))
    expect(reported.map((line) => Number(/^line (\d+)/.exec(line)![1]))).toEqual(Object.keys(BAD).map(Number))
    expect(reported.join("\n")).toMatch(/line 555: attributes are \d+ bytes of JSON, over the limit of 16384/)
    expect(result.stderr).toContain("created 990, updated 0, skipped 0, failed 0, invalid 10")
    expect(linesOf(readFileSync(failures, "utf8"))).toEqual(Object.values(BAD))
  })

  it("--dry-run validates every line and sends nothing", async () => {
    const emulator = await startEmulator()
    try {
      const file = ndjsonFile("dry.ndjson", 20, { 7: "{" })
      const result = await run(["import", file, "--dry-run"], { env: emulator.env })
      expect(result.code).toBe(1)
      expect(result.stderr).toContain("line 7: malformed JSON")
      expect(result.stderr).toContain("dry run: 19 valid, 1 invalid; nothing was sent")
      expect(await emulator.run(emulator.fake.requests)).toEqual([])
    } finally {
      await emulator.close()
    }
  })

  it("reports a CSV record spanning lines by its lines, and a CSV without an identity column is bad usage", async () => {
    const file = join(dir, "multi.csv")
    writeFileSync(file, "identity,friendlyName\r\nok-1,\"two\r\nlines\"\r\n\"bad\"x,y\r\nok-2,plain\r\n")
    const result = await run(["import", file, "--emulator", "--rate", "1000", "--json"])
    expect(JSON.parse(result.stdout)).toMatchObject({ created: 2, invalid: 1 })
    expect(result.stderr).toContain("line 4: malformed CSV: unexpected \"x\" after a quoted field")
    const noIdentity = join(dir, "no-identity.csv")
    writeFileSync(noIdentity, "name,attributes\nada,{}\n")
    const usage = await run(["import", noIdentity, "--emulator"])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("the CSV header has no identity column")
  })

  it("--on-conflict skip, update and fail decide what an existing identity becomes", async () => {
    const file = ndjsonFile("conflict.ndjson", 3)
    const seeded = join(dir, "seeded.ndjson")
    writeFileSync(seeded, readFileSync(file, "utf8").replaceAll("import-", "user-00"))
    const base = ["import", seeded, "--emulator", "--seed-users", "2", "--json", "--rate", "1000"]
    const skip = await run([...base, "--on-conflict", "skip"])
    expect(JSON.parse(skip.stdout)).toMatchObject({ created: 1, skipped: 2 })
    const update = await run([...base, "--on-conflict", "update"])
    expect(JSON.parse(update.stdout)).toMatchObject({ created: 1, updated: 2 })
    const fail = await run(base)
    expect(JSON.parse(fail.stdout)).toMatchObject({ created: 1, failed: 2 })
    expect(fail.code).toBe(1)
    expect(fail.stderr).toContain("line 1 (\"user-001\"): a user with identity \"user-001\" exists")
  })
})

describe("import against a separately started emulator", () => {
  let emulator: TestEmulator
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  afterAll(() => emulator.close())

  it("under 20% injected 429s creates each user exactly once", async () => {
    const users = 500
    // A seeded pseudo-random script: about one create request in five is answered 429 (not processed).
    let state = 42
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const script = Array.from({ length: 2 * users }, () => random() < 0.2 ? Fault.rateLimited() : Fault.pass)
    const injected = script.filter((fault) => fault !== Fault.pass).length
    await emulator.run(emulator.fake.clearRequests)
    await emulator.run(emulator.fake.injectFaults("createUser", script))
    const file = ndjsonFile("limited.ndjson", users)
    const result = await run(["import", file, "--rate", "100000", "--concurrency", "16", "--json"], {
      env: emulator.env
    })
    expect(result.stderr).toContain(`created ${users}, updated 0, skipped 0, failed 0, invalid 0`)
    expect(result.code).toBe(0)
    const stored = await emulator.run(emulator.fake.users(emulator.info.serviceSid))
    expect(stored.map((u) => u.identity).sort()).toEqual(
      Array.from({ length: users }, (_, i) => `import-${i + 1}`).sort()
    )
    const creates = (await emulator.run(emulator.fake.requests)).filter((r) => r.operation === "createUser").length
    const consumed429s = script.slice(0, creates).filter((fault) => fault !== Fault.pass).length
    expect(consumed429s).toBeGreaterThan(users * 0.15)
    expect(consumed429s).toBeLessThanOrEqual(injected)
    // Every create request was either answered 429 (and not processed) or created its user: none was repeated.
    expect(creates - consumed429s).toBe(users)
    await emulator.run(emulator.fake.clearFaults)
  })
})

describe("import against the chat-emulator bin, a process of its own", () => {
  it("--rate is honoured: the emulator's clock records the creates spaced at that rate", async () => {
    const emulator = await startEmulatorBin()
    try {
      const rate = 20
      const users = 50
      const file = ndjsonFile("paced.ndjson", users)
      const result = await run(["import", file, "--rate", String(rate), "--concurrency", "5"], { env: emulator.env })
      expect(result.code).toBe(0)
      const { requests } = await emulator.admin("requests")
      const times: Array<number> = requests
        .filter((r: { operation: string }) => r.operation === "createUser")
        .map((r: { receivedAt: number }) => r.receivedAt)
        .sort((a: number, b: number) => a - b)
      expect(times).toHaveLength(users)
      // The overall pace: (n - 1) intervals of 1/rate seconds at least (less 5% for timer slack).
      expect(times[users - 1] - times[0]).toBeGreaterThanOrEqual(((users - 1) * 1000 / rate) * 0.95)
      // No burst: no window of one second holds more than the rate (+ 2, for arrivals a busy server records late).
      const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length))
      expect(busiest).toBeLessThanOrEqual(rate + 2)
    } finally {
      await emulator.stop()
    }
  })
})
