import { describe, expect, it } from "vitest"
import { run } from "./support/cli.js"

const SERVICE = "IS" + "ab".repeat(16)

describe("single-user commands against --emulator", () => {
  it("list prints a table of the seeded users, and --json one JSON array", async () => {
    const table = await run(["list", "--emulator", "--seed-users", "3"])
    expect(table.code).toBe(0)
    expect(table.stdout.split("\n")[0]).toMatch(/^SID\s+IDENTITY\s+FRIENDLY NAME\s+ROLE\s+CREATED$/)
    expect(table.stdout).toContain("user-003")
    const json = await run(["list", "--emulator", "--seed-users", "3", "--json", "--limit", "2"])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout).map((u: { identity: string }) => u.identity)).toEqual(["user-001", "user-002"])
  })

  it("create, get, update and delete answer with the user (or its SID), in a service of its own", async () => {
    const base = ["--emulator", "--service", SERVICE, "--json"]
    const created = await run(["create", "ada@example.com", "--attributes", "{\"team\":\"blue\"}", ...base])
    expect(created.code).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ identity: "ada@example.com", attributes: { team: "blue" } })
    const updated = await run(["update", "user-001", "--friendly-name", "Ada", "--seed-users", "1", ...base])
    expect(JSON.parse(updated.stdout)).toMatchObject({ identity: "user-001", friendlyName: "Ada" })
    const got = await run(["get", "user-001", "--seed-users", "1", "--emulator"])
    expect(got.stdout).toMatch(/^identity\s+user-001$/m)
    const deleted = await run(["delete", "user-001", "--seed-users", "1", ...base])
    expect(JSON.parse(deleted.stdout)).toEqual({ deleted: "user-001" })
  })

  it("a user that does not exist is a failed operation: exit 1 and the library's message", async () => {
    const result = await run(["get", "nobody", "--emulator"])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^chat-users: ChatV2UserApi\.fetchUser: HTTP 404/)
  })

  it("every command has --help with an example", async () => {
    for (const command of ["list", "get", "create", "update", "delete", "export", "import", "copy"]) {
      const result = await run([command, "--help"])
      expect(result.code, command).toBe(0)
      expect(result.stdout, command).toMatch(new RegExp(`Example:[\\s\\S]*\\$ chat-users ${command} `))
    }
  })

  it("--api conversations reaches the same users through Conversations v1: list, create, get across the APIs", async () => {
    const base = ["--emulator", "--service", SERVICE, "--seed-users", "3", "--json"]
    const view = (users: ReadonlyArray<{ sid: string; identity: string }>) => users.map((u) => [u.sid, u.identity])
    const viaChat = JSON.parse((await run(["list", ...base])).stdout)
    const viaConversations = await run(["list", "--api", "conversations", ...base])
    expect(viaConversations.code).toBe(0)
    expect(view(JSON.parse(viaConversations.stdout))).toEqual(view(viaChat))
    expect(viaChat).toHaveLength(3)
    const created = await run([
      "create",
      "grace",
      "--api",
      "conversations",
      "--attributes",
      "{\"team\":\"red\"}",
      ...base
    ])
    expect(created.code).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ identity: "grace", attributes: { team: "red" } })
    const missing = await run(["get", "nobody", "--api", "conversations", "--emulator"])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^chat-users: ConversationsV1UserApi\.fetchUser: HTTP 404/)
  })
})
