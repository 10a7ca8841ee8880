import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import * as Output from "../src/internal/output.js"
import * as Progress from "../src/internal/progress.js"
import { importUser } from "../src/internal/validate.js"

describe("the progress line", () => {
  it("shows the count, the rate and the elapsed time", () => {
    expect(Progress.line("exported", 12_345, 5_300)).toBe("12,345 users exported · 2,329/s · 00:05")
    expect(Progress.line("imported", 0, 0)).toBe("0 users imported · 0/s · 00:00")
    expect(Progress.line("copied", 90_000, 61_000)).toBe("90,000 users copied · 1,475/s · 01:01")
  })
})

describe("validation of a record", () => {
  it("keeps the fields it knows and ignores the others", () => {
    expect(importUser({ identity: "ada", friendlyName: "Ada", sid: "US1", dateCreated: "x" })).toEqual(
      Either.right({ identity: "ada", fields: { friendlyName: "Ada", roleSid: undefined, attributes: undefined } })
    )
  })

  it("counts identities in characters, not UTF-16 units, and attributes in UTF-8 bytes", () => {
    expect(Either.isRight(importUser({ identity: "🚀".repeat(256) }))).toBe(true)
    expect(importUser({ identity: "🚀".repeat(257) })).toEqual(Either.left("identity is over 256 characters"))
    const attributes = { s: "é".repeat(8190) } // 16,380 bytes of UTF-8 plus {"s":""}: over 16 KiB
    expect(importUser({ identity: "a", attributes })).toEqual(
      Either.left("attributes are 16388 bytes of JSON, over the limit of 16384")
    )
  })

  it("refuses fields of the wrong type", () => {
    expect(importUser({ identity: 7 })).toEqual(Either.left("identity is missing"))
    expect(importUser({ identity: "a", friendlyName: 1 })).toEqual(Either.left("friendlyName must be a string"))
    expect(importUser({ identity: "a", attributes: "{}" })).toEqual(Either.left("attributes must be a JSON object"))
  })
})

describe("the table", () => {
  it("shows control and bidirectional characters of a hostile identity as ?, and cuts long cells", () => {
    const row = Output.tableRow({
      sid: "US" + "0".repeat(32),
      identity: "\u001b[2Jevil\u202egnp.exe",
      friendlyName: "x".repeat(40),
      roleSid: null,
      attributes: {},
      dateCreated: "2026-01-01T00:00:00Z",
      dateUpdated: "2026-01-01T00:00:00Z"
    })
    expect(row).toContain("?[2Jevil?gnp.exe")
    expect(row).toContain("x".repeat(23) + "…")
    expect(row.includes("\u001b") || row.includes("\u202e")).toBe(false)
  })
})
