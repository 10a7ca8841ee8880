/**
 * The two file formats, both ways: a user as an NDJSON line or a CSV row (export), and an NDJSON line or a CSV
 * record as a user to import. The columns are the same in both: `sid, identity, friendlyName, roleSid, attributes,
 * dateCreated, dateUpdated`; an import reads `identity, friendlyName, roleSid, attributes` and ignores the rest.
 * In CSV, `attributes` is its JSON text and an empty cell is an unset value.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Csv from "./csv.js"
import type { CliUser } from "./usersApi.js"
import { type ImportUser, importUser, importUserOfJson } from "./validate.js"

/** The formats of `--format`. */
export const FORMATS = ["ndjson", "csv"] as const

/** `ndjson` or `csv`. */
export type Format = typeof FORMATS[number]

/** The columns of an exported CSV, in order. */
export const COLUMNS = ["sid", "identity", "friendlyName", "roleSid", "attributes", "dateCreated", "dateUpdated"]

/** The CSV header line (without its line break). */
export const CSV_HEADER = Csv.row(COLUMNS)

/** A user as the JSON object of exports and `--json`, its fields in the columns' order. */
export const record = (user: CliUser) => ({
  sid: user.sid,
  identity: user.identity,
  friendlyName: user.friendlyName,
  roleSid: user.roleSid,
  attributes: user.attributes,
  dateCreated: user.dateCreated,
  dateUpdated: user.dateUpdated
})

/** A user as an NDJSON line, without its line break. */
export const ndjsonLine = (user: CliUser): string => JSON.stringify(record(user))

/** A user as a CSV row, without its line break. */
export const csvLine = (user: CliUser): string =>
  Csv.row([
    user.sid,
    user.identity,
    user.friendlyName ?? "",
    user.roleSid ?? "",
    user.attributes === null || user.attributes === undefined ? "" : JSON.stringify(user.attributes),
    user.dateCreated,
    user.dateUpdated
  ])

/** The line of `user` in `format`. */
export const lineOf = (format: Format): (user: CliUser) => string => format === "csv" ? csvLine : ndjsonLine

/** The user of one NDJSON line, or why it is refused. */
export const parseNdjsonLine = (text: string): Either.Either<ImportUser, string> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return Either.left(`malformed JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  return importUserOfJson(value)
}

const parseAttributes = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(text))
  } catch {
    return Either.left("attributes is not valid JSON text")
  }
}

/** The user of one CSV record, given the header's columns, or why it is refused. */
export const parseCsvRecord = (
  columns: ReadonlyArray<string>,
  text: string
): Either.Either<ImportUser, string> => {
  const fields = Csv.parseRecord(text)
  if ("error" in fields) return Either.left(`malformed CSV: ${fields.error}`)
  if (fields.length !== columns.length) {
    return Either.left(`malformed CSV: ${fields.length} fields where the header has ${columns.length}`)
  }
  const record: Record<string, unknown> = {}
  columns.forEach((column, i) => {
    if (fields[i] !== "") record[column] = fields[i]
  })
  if (typeof record.attributes !== "string") return importUser(record)
  return Either.flatMap(parseAttributes(record.attributes), (attributes) => importUser({ ...record, attributes }))
}

/** The columns of a CSV header record, or why it cannot be one (it must name `identity`). */
export const parseCsvHeader = (text: string): Either.Either<ReadonlyArray<string>, string> => {
  const fields = Csv.parseRecord(text.replace(/^\uFEFF/, ""))
  if ("error" in fields) return Either.left(`the CSV header is malformed: ${fields.error}`)
  return fields.includes("identity")
    ? Either.right(fields.map((f) => f.trim()))
    : Either.left(`the CSV header has no identity column (columns: ${fields.join(", ")})`)
}
