import { execFileSync, spawnSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { inject } from "vitest"
import { run } from "./support/cli.js"

/** `script` (util-linux) runs a command on a pseudo-terminal: stderr is then a TTY, as in a shell. */
const hasScript = spawnSync("script", ["--version"]).status === 0

describe("the progress line", () => {
  it.skipIf(!hasScript)("is redrawn on stderr when it is a terminal, then cleared", () => {
    const command = `${inject("cli")} export --emulator --seed-users 20000 --page-size 20 --out /dev/null`
    const output = execFileSync("script", ["-qec", command, "/dev/null"], {
      encoding: "utf8",
      timeout: 60_000,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const clear = "\r\u001b[K"
    expect(output).toMatch(new RegExp(`${clear.replace("[", "\\[")}[\\d,]+ users exported · [\\d,]+/s · 00:\\d\\d`))
    expect(output.endsWith(`${clear}Exported 20000 users.\r\n`)).toBe(true)
  })

  it("is never written when stderr is not a terminal", async () => {
    const result = await run([
      "export",
      "--emulator",
      "--seed-users",
      "20000",
      "--page-size",
      "20",
      "--out",
      "/dev/null"
    ])
    expect(result.stderr).toBe("Exported 20000 users.\n")
  })
})
