import type { SeedUser, StoredUser } from "@effect-twilio/chat-testing"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { linesOf, run, startEmulator, tempDir, type TestEmulator } from "./support/cli.js"

const USERS = 10_000
const TARGETS = { ndjson: "IS" + "0a".repeat(16), csv: "IS" + "0c".repeat(16) }

/** Users whose text fields hold what CSV and JSON must quote or escape, and odd Unicode. */
const seedUsers = (): Array<SeedUser> =>
  Array.from({ length: USERS }, (_, i) => ({
    identity: i % 7 === 0 ? `user ${i}, "quoted"\nline two ü 🚀` : `user-${i}@example.com`,
    ...(i % 5 === 0 ? {} : { friendlyName: i % 3 === 0 ? `Name, with "quotes" and\r\nCRLF ${i} עברית` : `User ${i}` }),
    roleSid: "RL" + (i % 2 === 0 ? "1" : "2").repeat(32),
    attributes: i % 11 === 0 ? "{}" : { n: i, tags: ["a,b", "c\"d"], nested: { e: "\u0000\u2028 ☃", ok: true } }
  }))

const comparable = (users: ReadonlyArray<StoredUser>) =>
  users.map((u) => ({
    identity: u.identity,
    friendlyName: u.friendlyName,
    roleSid: u.roleSid,
    attributes: u.attributes
  }))

describe("export of 10,000 users round-trips through import into an empty service", () => {
  let emulator: TestEmulator
  const dir = tempDir()
  beforeAll(async () => {
    emulator = await startEmulator()
    await emulator.run(emulator.fake.seedUsers(emulator.info.serviceSid, seedUsers()))
  })
  afterAll(() => emulator.close())

  for (const format of ["ndjson", "csv"] as const) {
    it(`as ${format}: the same users, attributes included`, async () => {
      const file = join(dir, `users.${format}`)
      const exported = await run(["export", "--format", format, "--out", file], { env: emulator.env })
      expect(exported.stderr).toContain(`Exported ${USERS} users.`)
      expect(exported.code).toBe(0)
      await emulator.run(emulator.fake.createService({ sid: TARGETS[format] }))
      const imported = await run(
        ["import", file, "--service", TARGETS[format], "--rate", "100000", "--concurrency", "16", "--json"],
        { env: emulator.env }
      )
      expect(imported.stderr).toBe("created 10000, updated 0, skipped 0, failed 0, invalid 0\n")
      expect(imported.code).toBe(0)
      expect(JSON.parse(imported.stdout)).toMatchObject({ valid: USERS, created: USERS, failed: 0, invalid: 0 })
      const source = comparable(await emulator.run(emulator.fake.users(emulator.info.serviceSid)))
      const target = comparable(await emulator.run(emulator.fake.users(TARGETS[format])))
      // Concurrent creates finish in any order: compare by identity.
      const byIdentity = (a: { identity: string }, b: { identity: string }) => a.identity < b.identity ? -1 : 1
      expect(target.sort(byIdentity)).toEqual(source.sort(byIdentity))
      if (format === "ndjson") expect(linesOf(readFileSync(file, "utf8"))).toHaveLength(USERS)
    })
  }
})
