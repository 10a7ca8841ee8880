import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Stream from "effect/Stream"
import { describe, expect, it } from "vitest"
import * as Csv from "../src/internal/csv.js"
import * as Formats from "../src/internal/formats.js"
import * as Input from "../src/internal/input.js"

/** The items of a file's text, split into chunks of `size` characters (as a read stream delivers them). */
const itemsOf = (text: string, format: Formats.Format, size = 7) =>
  Effect.runSync(
    Stream.runCollect(
      Input.items(
        Stream.fromIterable(
          Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))
        ),
        format
      )
    ).pipe(Effect.map(Chunk.toArray), Effect.either)
  )

const ODD = [
  "plain",
  "a,b",
  "say \"hi\"",
  "\"",
  "\"\"",
  "line\nbreak",
  "crlf\r\nbreak",
  "lone\rcr",
  " leading",
  "trailing ",
  "",
  "ü é ß 漢字 🚀 👩‍👩‍👧 עברית \u202e",
  "\uFEFFbom",
  "tab\there",
  ",,,"
]

describe("CSV fields and records", () => {
  it("quotes a field only when it must, doubling its quotes", () => {
    expect(Csv.field("plain")).toBe("plain")
    expect(Csv.field("a,b")).toBe("\"a,b\"")
    expect(Csv.field("say \"hi\"")).toBe("\"say \"\"hi\"\"\"")
    expect(Csv.field("line\nbreak")).toBe("\"line\nbreak\"")
    expect(Csv.field(" leading")).toBe("\" leading\"")
    expect(Csv.row(["a", "", "b,c"])).toBe("a,,\"b,c\"")
  })

  it("parses back every odd field as itself", () => {
    for (const value of ODD) {
      expect(Csv.parseRecord(Csv.row(["x", value, "y"])), JSON.stringify(value)).toEqual(["x", value, "y"])
    }
  })

  it("round-trips any fields (property)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.string({ unit: "grapheme" }), { minLength: 1, maxLength: 6 }),
        (values) => {
          expect(Csv.parseRecord(Csv.row(values))).toEqual(values)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("refuses malformed records, saying why", () => {
    expect(Csv.parseRecord("\"open")).toEqual({ error: "a quoted field is not closed" })
    expect(Csv.parseRecord("\"a\"b")).toEqual({ error: "unexpected \"b\" after a quoted field" })
    expect(Csv.parseRecord("a\"b")).toEqual({ error: "a quote inside an unquoted field" })
  })
})

describe("CSV files", () => {
  it("assembles records across lines and chunks, keeping CRLF inside fields and line numbers", () => {
    const text = "\uFEFFidentity,friendlyName,attributes\r\n" +
      "ada,\"Ada\r\nLovelace\",\"{\"\"team\"\":\"\"blue, green\"\"}\"\r\n" +
      "\r\n" +
      "bob,Bob 🚀,\r\n"
    const items = itemsOf(text, "csv")
    expect(Either.isRight(items)).toBe(true)
    const records = Either.getOrThrow(items).filter((item) => item._tag === "Record")
    expect(records.map((r) => [r.line, r.lastLine])).toEqual([[2, 3], [5, 5]])
    expect(records.map((r) => Either.getOrThrow(r.user))).toEqual([
      {
        identity: "ada",
        fields: { friendlyName: "Ada\r\nLovelace", roleSid: undefined, attributes: { team: "blue, green" } }
      },
      { identity: "bob", fields: { friendlyName: "Bob 🚀", roleSid: undefined, attributes: undefined } }
    ])
  })

  it("writes what it reads: an exported row imports as the same user", () => {
    for (const value of ODD.filter((v) => v !== "")) {
      const user = {
        sid: "US" + "0".repeat(32),
        identity: `id ${value}`,
        friendlyName: value,
        roleSid: null,
        attributes: { value },
        dateCreated: "2026-01-01T00:00:00Z",
        dateUpdated: "2026-01-01T00:00:00Z"
      }
      const records = Either.getOrThrow(itemsOf(`${Formats.CSV_HEADER}\n${Formats.csvLine(user)}\n`, "csv", 3))
        .filter((item) => item._tag === "Record")
      expect(records.map((r) => Either.getOrThrow(r.user)), JSON.stringify(value)).toEqual([
        { identity: `id ${value}`, fields: { friendlyName: value, roleSid: undefined, attributes: { value } } }
      ])
    }
  })

  it("refuses a record left open at the end of the file, with the lines it spans", () => {
    const records = Either.getOrThrow(itemsOf("identity\nok\n\"never closed\nmore\n", "csv"))
      .filter((item) => item._tag === "Record")
    expect(records.map((r) => [r.line, r.lastLine, Either.isLeft(r.user)])).toEqual([[2, 2, false], [3, 4, true]])
  })
})
