/**
 * Reading an import file as a stream of records, each with its line numbers, its raw text (to copy into the
 * failures file) and the user it describes or why it is refused. Memory holds one chunk and one record.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { createReadStream, existsSync, statSync } from "node:fs"
import * as Csv from "./csv.js"
import { usage, type UsageError } from "./errors.js"
import * as Formats from "./formats.js"
import type { ImportUser } from "./validate.js"

/** The header record of a CSV input, as read: the failures file starts with it. */
export interface InputHeader {
  readonly _tag: "Header"
  readonly raw: string
}

/** One record of the input. */
export interface InputRecord {
  readonly _tag: "Record"
  /** The line it starts on (1-based) and the line it ends on (a CSV field may span lines). */
  readonly line: number
  readonly lastLine: number
  /** Its text as read, without the final line break. */
  readonly raw: string
  readonly user: Either.Either<ImportUser, string>
}

/** A physical line and its number. */
interface Line {
  readonly number: number
  readonly text: string
}

/** A CSV record over at most this much text is refused (an unclosed quote would otherwise swallow the file). */
const MAX_RECORD_CHARS = 256 * 1024

const chunksOf = (path: string): Stream.Stream<string, UsageError> =>
  Stream.fromAsyncIterable(
    createReadStream(path, { encoding: "utf8", highWaterMark: 64 * 1024 }) as AsyncIterable<string>,
    (error) => usage(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
  )

/** Splits text chunks at `\n` (a `\r` before it stays on the line, for CSV to keep or drop). */
export const splitLines = <E>(chunks: Stream.Stream<string, E>): Stream.Stream<Line, E> =>
  chunks.pipe(
    Stream.map(Option.some),
    Stream.concat(Stream.make(Option.none<string>())),
    Stream.mapAccum("", (rest, chunk): readonly [string, ReadonlyArray<string>] =>
      Option.match(chunk, {
        onNone: () => ["", rest === "" ? [] : [rest]],
        onSome: (text) => {
          const parts = (rest + text).split("\n")
          const last = parts.pop() ?? ""
          return [last, parts]
        }
      })),
    Stream.flattenIterables,
    Stream.zipWithIndex,
    Stream.map(([text, i]) => ({ number: i + 1, text }))
  )

const stripCr = (text: string): string => text.endsWith("\r") ? text.slice(0, -1) : text

/** NDJSON: one record per non-blank line. */
const ndjsonRecords = <E>(lines: Stream.Stream<Line, E>): Stream.Stream<InputRecord, E> =>
  lines.pipe(
    Stream.map((line) => ({ ...line, text: stripCr(line.text) })),
    Stream.filter((line) => line.text.trim() !== ""),
    Stream.map((line): InputRecord => ({
      _tag: "Record",
      line: line.number,
      lastLine: line.number,
      raw: line.text,
      user: Formats.parseNdjsonLine(line.number === 1 ? line.text.replace(/^\uFEFF/, "") : line.text)
    }))
  )

/** Pending lines of a CSV record whose quoted field is still open. */
interface Pending {
  readonly first: number
  readonly last: number
  readonly text: string
}

/** A whole CSV record's text (without the final line break) and the lines it spans. */
interface CsvText {
  readonly line: number
  readonly last: number
  readonly text: string
}

/** The next state and output of the CSV assembler, given a line (or the end of the input: `None`). */
const assemble = (
  pending: Option.Option<Pending>,
  next: Option.Option<Line>
): readonly [Option.Option<Pending>, Chunk.Chunk<CsvText>] => {
  if (Option.isNone(next)) {
    return [
      Option.none(),
      Option.match(pending, {
        onNone: () => Chunk.empty(),
        onSome: (p) => Chunk.of({ line: p.first, last: p.last, text: stripCr(p.text) })
      })
    ]
  }
  const line = next.value
  const text = Option.match(pending, { onNone: () => line.text, onSome: (p) => `${p.text}\n${line.text}` })
  const first = Option.match(pending, { onNone: () => line.number, onSome: (p) => p.first })
  if (Csv.isOpen(text) && text.length <= MAX_RECORD_CHARS) {
    return [Option.some({ first, last: line.number, text }), Chunk.empty()]
  }
  return [Option.none(), Chunk.of({ line: first, last: line.number, text: stripCr(text) })]
}

/** Joins physical lines into whole CSV records; a record still open at the end is handed on as it is. */
const csvTexts = <E>(lines: Stream.Stream<Line, E>): Stream.Stream<CsvText, E> =>
  lines.pipe(
    Stream.map(Option.some),
    Stream.concat(Stream.make(Option.none<Line>())),
    Stream.mapAccum(Option.none<Pending>(), assemble),
    Stream.flattenChunks
  )

/** CSV: the header, then a record per data record; a record left open at the end is refused. */
const csvRecords = <E>(lines: Stream.Stream<Line, E>): Stream.Stream<InputItem, E | UsageError> =>
  csvTexts(lines).pipe(
    Stream.filter((record) => record.text.trim() !== ""),
    Stream.mapAccumEffect(Option.none<ReadonlyArray<string>>(), (columns, record) =>
      Option.match(columns, {
        onNone: () =>
          Either.match(Formats.parseCsvHeader(record.text), {
            onLeft: (message) => Effect.fail(usage(`line ${record.line}: ${message}`)),
            onRight: (header) =>
              Effect.succeed(
                [Option.some(header), Chunk.of<InputItem>({ _tag: "Header", raw: record.text })] as const
              )
          }),
        onSome: (header) => Effect.succeed([columns, Chunk.of<InputItem>(csvInputRecord(header, record))] as const)
      })),
    Stream.flattenChunks
  )

const csvInputRecord = (
  header: ReadonlyArray<string>,
  record: CsvText
): InputRecord => ({
  _tag: "Record",
  line: record.line,
  lastLine: record.last,
  raw: record.text,
  user: Csv.isOpen(record.text)
    ? Either.left(`malformed CSV: a quoted field is not closed (or the record is over ${MAX_RECORD_CHARS} characters)`)
    : Formats.parseCsvRecord(header, record.text)
})

/** What an input yields: a CSV header first (CSV only), then the records. */
export type InputItem = InputHeader | InputRecord

/** The items of text chunks in `format`. */
export const items = <E>(
  chunks: Stream.Stream<string, E>,
  format: Formats.Format
): Stream.Stream<InputItem, E | UsageError> =>
  format === "csv" ? csvRecords(splitLines(chunks)) : ndjsonRecords(splitLines(chunks))

/** The records of the file at `path`; a missing file or a directory is bad usage. */
export const readFile = (path: string, format: Formats.Format): Stream.Stream<InputItem, UsageError> =>
  Stream.unwrap(Effect.suspend(() => {
    if (!existsSync(path)) return Effect.fail(usage(`no such file: ${path}`))
    if (!statSync(path).isFile()) return Effect.fail(usage(`not a file: ${path}`))
    return Effect.succeed(items(chunksOf(path), format))
  }))

/** The format of an input file: `--format` when given, else from its extension (`.csv`, anything else NDJSON). */
export const formatOf = (path: string, given: Option.Option<Formats.Format>): Formats.Format =>
  Option.getOrElse(given, () => (/\.csv$/i.test(path) ? "csv" : "ndjson"))
