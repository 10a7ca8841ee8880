/**
 * What `list`, `get`, `create`, `update` and `delete` print on stdout: a table for people (fixed columns, so a list
 * streams without reading everything first) or, with `--json`, JSON for scripts (a list is one JSON array, written
 * as it streams).
 *
 * @internal
 */
import * as Formats from "./formats.js"
import type { CliUser } from "./usersApi.js"

const COLUMNS = [
  { title: "SID", width: 34, of: (u: CliUser) => u.sid },
  { title: "IDENTITY", width: 28, of: (u: CliUser) => u.identity },
  { title: "FRIENDLY NAME", width: 24, of: (u: CliUser) => u.friendlyName ?? "" },
  { title: "ROLE", width: 34, of: (u: CliUser) => u.roleSid ?? "" },
  { title: "CREATED", width: 20, of: (u: CliUser) => u.dateCreated }
] as const

/** Whether a code point is a control or bidirectional-override character. */
const isControl = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069)

/** Controls shown as `?`, so a hostile identity cannot move the cursor, recolour or reorder the terminal. */
const printable = (text: string): string =>
  Array.from(text, (char) => isControl(char.codePointAt(0) ?? 0) ? "?" : char).join("")

const cell = (text: string, width: number): string => {
  const chars = Array.from(printable(text))
  return chars.length > width ? chars.slice(0, width - 1).join("") + "…" : chars.join("").padEnd(width)
}

/** The table's header line. */
export const tableHeader = (): string => COLUMNS.map((c) => cell(c.title, c.width)).join("  ").trimEnd()

/** A user as a table row. */
export const tableRow = (user: CliUser): string => COLUMNS.map((c) => cell(c.of(user), c.width)).join("  ").trimEnd()

/** A user as indented JSON (the fields of an NDJSON export). */
export const json = (user: CliUser): string => JSON.stringify(Formats.record(user), null, 2)

/** A user as `field: value` lines, for `get`, `create` and `update`. */
export const details = (user: CliUser): string =>
  [
    ["sid", user.sid],
    ["identity", user.identity],
    ["friendly name", user.friendlyName ?? ""],
    ["role", user.roleSid ?? ""],
    ["attributes", JSON.stringify(user.attributes)],
    ["created", user.dateCreated],
    ["updated", user.dateUpdated]
  ].map(([name, value]) => `${name.padEnd(14)}${printable(value)}`).join("\n")
