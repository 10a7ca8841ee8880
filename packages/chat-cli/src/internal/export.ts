/**
 * `export`: every user of a service as NDJSON or CSV, page by page as a `Stream` (memory holds a page or two,
 * whatever the service's size). After each page is written the cursor says where the next user is; when the export
 * stops early (an interruption, a failure) the cursor becomes the `--resume-from` token printed on stderr, and a
 * resumed export asks for the same page again and skips what was written, so no user is lost or repeated.
 *
 * @internal
 */
import type { ListUserError } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { UsageError } from "./errors.js"
import * as Formats from "./formats.js"
import * as LineWriter from "./lineWriter.js"
import * as Pages from "./pages.js"
import * as Progress from "./progress.js"
import * as ResumeToken from "./resumeToken.js"
import type { PagePosition, UserPage, UsersApi } from "./usersApi.js"

/** What `export` was asked. */
export interface ExportOptions {
  readonly serviceSid: string
  readonly format: Formats.Format
  readonly out: Option.Option<string>
  readonly pageSize: number
  readonly resume: Option.Option<ResumeToken.ResumePoint>
}

/** Where the export is: the page being written, how many of its users are written, the last one, the total. */
interface Cursor {
  position: PagePosition | undefined
  skip: number
  last: string | null
  written: number
}

const startOf = (options: ExportOptions): Cursor =>
  Option.match(options.resume, {
    onNone: () => ({ position: undefined, skip: 0, last: null, written: 0 }),
    onSome: (point) => ({
      position: { page: point.page, pageToken: point.pageToken },
      skip: point.skip,
      last: point.last,
      written: point.written
    })
  })

/** How many users of the first (resumed) page were written: up to the last one written if it is still there. */
const skipOf = (page: UserPage, cursor: Cursor): number => {
  const index = cursor.last === null ? -1 : page.users.findIndex((user) => user.sid === cursor.last)
  return index >= 0 ? index + 1 : Math.min(cursor.skip, page.users.length)
}

/** Writes a page's users (those not written yet) and moves the cursor past them. */
const writePage =
  (writer: LineWriter.LineWriter, line: (user: UserPage["users"][number]) => string) =>
  (cursor: Cursor, first: { resumed: boolean }) =>
  (page: UserPage): void => {
    const skip = first.resumed ? skipOf(page, cursor) : 0
    first.resumed = false
    const fresh = page.users.slice(skip)
    writer.write(fresh.map(line))
    cursor.position = page.position
    cursor.skip = page.users.length
    cursor.last = page.users.length > 0 ? page.users[page.users.length - 1].sid : cursor.last
    cursor.written += fresh.length
  }

/** The token of a cursor. */
const tokenOf = (users: UsersApi, options: ExportOptions, cursor: Cursor): string =>
  ResumeToken.encode(
    new ResumeToken.ResumePoint({
      api: users.api,
      service: options.serviceSid,
      format: options.format,
      pageSize: options.pageSize,
      page: cursor.position?.page ?? 0,
      pageToken: cursor.position?.pageToken ?? null,
      skip: cursor.position === undefined ? 0 : cursor.skip,
      last: cursor.last,
      written: cursor.written
    })
  )

/** `text` as one word of a POSIX shell: as it is when it is safe, else single-quoted. */
const shellWord = (text: string): string =>
  /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`

const resumeHint = (users: UsersApi, options: ExportOptions, cursor: Cursor, why: string): string => {
  const out = Option.match(options.out, { onNone: () => "", onSome: (file) => ` --out ${shellWord(file)}` })
  return `chat-users: export ${why} after ${cursor.written} users; to continue (appending), run:\n` +
    `  chat-users export${out} --resume-from ${tokenOf(users, options, cursor)}\n`
}

/** Runs the export; on an early stop prints the exact `--resume-from` token. Succeeds with the users written. */
export const run = (
  users: UsersApi,
  options: ExportOptions
): Effect.Effect<number, ListUserError | UsageError, Scope.Scope> =>
  Effect.gen(function*() {
    const resuming = Option.isSome(options.resume)
    const writer = yield* LineWriter.open(options.out, resuming)
    if (options.format === "csv" && (!resuming || (Option.isSome(options.out) && writer.wasEmpty))) {
      writer.write([Formats.CSV_HEADER])
    }
    const cursor = startOf(options)
    const counter = { count: 0 }
    yield* Progress.show("exported", counter)
    const write = writePage(writer, Formats.lineOf(options.format))(cursor, { resumed: resuming })
    return yield* Pages.pages(users, options.serviceSid, options.pageSize, cursor.position).pipe(
      Stream.runForEach((page) =>
        Effect.sync(() => {
          write(page)
          counter.count = cursor.written
        })
      ),
      Effect.map(() => cursor.written),
      Effect.onExit((exit) =>
        Exit.isSuccess(exit)
          ? Effect.void
          : Effect.sync(() =>
            process.stderr.write(
              resumeHint(users, options, cursor, Exit.isInterrupted(exit) ? "interrupted" : "failed")
            )
          )
      )
    )
  })
