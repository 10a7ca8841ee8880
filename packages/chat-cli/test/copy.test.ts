import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { linesOf, run, startEmulator, tempDir } from "./support/cli.js"

const TARGET = "IS" + "c0".repeat(16)

describe("copy", () => {
  it("with --emulator: the seeded users into a new service", async () => {
    const result = await run(["copy", "--emulator", "--seed-users", "120", "--to", TARGET, "--rate", "1000", "--json"])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: 120, created: 120, failed: 0 })
  })

  it("between two services of a separately started emulator: the same users; roles only with --copy-roles", async () => {
    const emulator = await startEmulator({ seedUsers: 250 })
    try {
      await emulator.run(emulator.fake.createService({ sid: TARGET }))
      await emulator.run(emulator.fake.seedUsers(TARGET, [{ identity: "user-007" }]))
      const failures = join(tempDir(), "failures.ndjson")
      const result = await run(["copy", "--to", TARGET, "--rate", "1000", "--failures", failures, "--json"], {
        env: emulator.env
      })
      expect(result.code).toBe(1)
      expect(JSON.parse(result.stdout)).toMatchObject({ created: 249, failed: 1 })
      expect(linesOf(readFileSync(failures, "utf8")).map((line) => JSON.parse(line).identity)).toEqual(["user-007"])
      const source = await emulator.run(emulator.fake.users(emulator.info.serviceSid))
      const target = await emulator.run(emulator.fake.users(TARGET))
      const view = (u: (typeof source)[number]) => [u.identity, u.friendlyName, u.attributes]
      expect(target.map(view).sort()).toEqual(
        source.map(view).map((v) => v[0] === "user-007" ? [v[0], null, "{}"] : v).sort()
      )
      expect(new Set(target.map((u) => u.roleSid)).has(source[0].roleSid)).toBe(false)
    } finally {
      await emulator.close()
    }
  })

  it("across the APIs: read through Chat V2, written through Conversations (--to-api), the same users", async () => {
    const emulator = await startEmulator({ seedUsers: 60 })
    try {
      await emulator.run(emulator.fake.createService({ sid: TARGET }))
      const result = await run(["copy", "--to", TARGET, "--to-api", "conversations", "--rate", "1000", "--json"], {
        env: emulator.env
      })
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ created: 60, failed: 0 })
      const requests = await emulator.run(emulator.fake.requests)
      const writes = requests.filter((r) => r.operation === "createUser")
      expect(writes).toHaveLength(60)
      expect(new Set(writes.map((r) => r.api))).toEqual(new Set(["conversations"]))
      expect(new Set(requests.filter((r) => r.operation === "listUser").map((r) => r.api))).toEqual(new Set(["chat"]))
      const source = await emulator.run(emulator.fake.users(emulator.info.serviceSid))
      const target = await emulator.run(emulator.fake.users(TARGET))
      const view = (u: (typeof source)[number]) => [u.identity, u.friendlyName, u.attributes]
      expect(target.map(view).sort()).toEqual(source.map(view).sort())
    } finally {
      await emulator.close()
    }
  })
})
