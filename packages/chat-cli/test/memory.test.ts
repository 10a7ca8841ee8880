import { readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { run, startEmulator, tempDir, type TestEmulator } from "./support/cli.js"

const SMALL = "IS" + "1".repeat(32)
const LARGE = "IS" + "2".repeat(32)
const PRELOAD = resolve(import.meta.dirname, "support/maxrss.mjs")

describe("export's memory does not grow with the service's size", () => {
  let emulator: TestEmulator
  const dir = tempDir()
  beforeAll(async () => {
    emulator = await startEmulator()
    for (const [sid, count] of [[SMALL, 10_000], [LARGE, 100_000]] as const) {
      await emulator.run(emulator.fake.createService({ sid }))
      await emulator.run(emulator.fake.seedUsers(sid, count))
    }
  })
  afterAll(() => emulator.close())

  /** The peak RSS (KiB) of an export of `service`, measured by the kernel for the CLI's process. */
  const peakRss = async (service: string, users: number): Promise<number> => {
    const rssFile = join(dir, `${service}.rss`)
    const result = await run(["export", "--service", service, "--out", "/dev/null"], {
      env: { ...emulator.env, CHAT_USERS_MAXRSS_FILE: rssFile },
      nodeOptions: `--import ${PRELOAD}`
    })
    expect(result.stderr).toBe(`Exported ${users} users.\n`)
    return Number(readFileSync(rssFile, "utf8"))
  }

  /** The median of three runs: a peak depends on when the collector ran, and the machine is shared. */
  const medianPeakRss = async (service: string, users: number): Promise<number> => {
    const peaks: Array<number> = []
    for (let i = 0; i < 3; i++) peaks.push(await peakRss(service, users))
    return peaks.sort((a, b) => a - b)[1]
  }

  it("peak RSS at 100,000 users is within 15% of that at 10,000", async () => {
    const small = await medianPeakRss(SMALL, 10_000)
    const large = await medianPeakRss(LARGE, 100_000)
    console.log(
      `export peak RSS: 10,000 users ${(small / 1024).toFixed(1)} MiB, 100,000 users ${(large / 1024).toFixed(1)} MiB`
    )
    expect(large / small).toBeLessThanOrEqual(1.15)
  }, 120_000)
})
