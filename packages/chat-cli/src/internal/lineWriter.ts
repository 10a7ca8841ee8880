/**
 * Where lines go: a file (truncated, or appended to when resuming) or stdout. Writes are synchronous, so when a
 * write returns its lines are whole in the file: an interruption can never leave half a line, and what a resume
 * token counts as written is exactly what is there.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { closeSync, fstatSync, openSync, writeSync } from "node:fs"
import { usage, type UsageError } from "./errors.js"

/** An open destination of lines. */
export interface LineWriter {
  /** Writes the lines, each followed by a line break. */
  readonly write: (lines: ReadonlyArray<string>) => void
  /** Whether the destination held nothing when it was opened (a CSV header is written only then). */
  readonly wasEmpty: boolean
}

const stdout: LineWriter = {
  write: (lines) => {
    if (lines.length > 0) process.stdout.write(lines.join("\n") + "\n")
  },
  wasEmpty: true
}

/** Writes all of `text`: as a string (no Buffer of our own per page), and in the rare short write, the rest. */
const writeAll = (fd: number, text: string): void => {
  const written = writeSync(fd, text)
  const length = Buffer.byteLength(text, "utf8")
  if (written === length) return
  const bytes = Buffer.from(text, "utf8")
  let offset = written
  while (offset < length) offset += writeSync(fd, bytes, offset)
}

const openFile = (path: string, append: boolean): Effect.Effect<LineWriter, UsageError, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.try({
        try: () => openSync(path, append ? "a" : "w"),
        catch: (error) => usage(`cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`)
      }),
      (fd) => Effect.sync(() => closeSync(fd))
    ),
    (fd) => ({
      write: (lines) => {
        if (lines.length > 0) writeAll(fd, lines.join("\n") + "\n")
      },
      wasEmpty: fstatSync(fd).size === 0
    })
  )

/** The file at `path` (appended to when `append`), or stdout when there is none. */
export const open = (
  path: Option.Option<string>,
  append: boolean
): Effect.Effect<LineWriter, UsageError, Scope.Scope> =>
  Option.match(path, { onNone: () => Effect.succeed(stdout), onSome: (file) => openFile(file, append) })
