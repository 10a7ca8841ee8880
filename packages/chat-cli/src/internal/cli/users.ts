/**
 * The commands on single users and listing: `list`, `get`, `create`, `update`, `delete`.
 *
 * @internal
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { usage, type UsageError } from "../errors.js"
import * as Formats from "../formats.js"
import * as Output from "../output.js"
import * as Pages from "../pages.js"
import type { CliUser, UserFields } from "../usersApi.js"
import { importUser, userFields } from "../validate.js"
import { common, help, json, withUsers } from "./shared.js"

const print = (text: string) => Effect.sync(() => process.stdout.write(`${text}\n`))

const printUser = (asJson: boolean) => (user: CliUser) => print(asJson ? Output.json(user) : Output.details(user))

const sid = Args.text({ name: "sid-or-identity" }).pipe(Args.withDescription("The user's SID (US...) or identity"))

/** Writes a stream of users as a table (header first) or one JSON array, as it streams. */
const printAll = <E>(users: Stream.Stream<CliUser, E>, asJson: boolean) =>
  Effect.gen(function*() {
    yield* print(asJson ? "[" : Output.tableHeader())
    yield* Stream.runForEach(Stream.zipWithIndex(users), ([user, i]) =>
      print(asJson ? `${i === 0 ? "" : ","}${Formats.ndjsonLine(user)}` : Output.tableRow(user)))
    if (asJson) {
      yield* print("]")
    }
  })

const list = Command.make("list", {
  ...common,
  json,
  limit: Options.integer("limit").pipe(
    Options.withPseudoName("N"),
    Options.withDescription("List at most this many users (default: all of them, streamed)"),
    Options.optional
  )
}, (options) =>
  withUsers(options, (users, serviceSid) =>
    Effect.gen(function*() {
      const all = Stream.mapConcat(Pages.pages(users, serviceSid, users.maxPageSize), (page) => page.users)
      yield* printAll(
        Option.match(options.limit, { onNone: () => all, onSome: (n) => Stream.take(all, n) }),
        options.json
      )
    }))).pipe(
    Command.withDescription(
      help(
        "List the users of a service: a table, or a JSON array with --json.",
        "chat-users list --emulator --seed-users 3"
      )
    )
  )

const get = Command.make(
  "get",
  { ...common, json, sid },
  (options) =>
    withUsers(options, (users, serviceSid) =>
      Effect.gen(function*() {
        yield* Effect.flatMap(users.fetch(serviceSid, options.sid), printUser(options.json))
      }))
).pipe(
  Command.withDescription(
    help("Show one user, by SID or identity.", "chat-users get user-001 --emulator --seed-users 3")
  )
)

/** The write options of `create` and `update`. */
const fields = {
  friendlyName: Options.text("friendly-name").pipe(
    Options.withPseudoName("NAME"),
    Options.withDescription("The display name"),
    Options.optional
  ),
  roleSid: Options.text("role-sid").pipe(
    Options.withPseudoName("RL..."),
    Options.withDescription("The role, RL + 32 hex digits"),
    Options.optional
  ),
  attributes: Options.text("attributes").pipe(
    Options.withPseudoName("JSON"),
    Options.withDescription("A JSON object, at most 16 KiB of JSON text"),
    Options.optional
  )
}

type FieldOptions = { readonly [K in keyof typeof fields]: Option.Option<string> }

/** The fields of the options, checked as an import line would be. */
const fieldsOf = (options: FieldOptions): Effect.Effect<UserFields, UsageError> =>
  Effect.gen(function*() {
    const attributes = yield* Option.match(options.attributes, {
      onNone: () => Effect.succeed(undefined),
      onSome: (text) =>
        Effect.try({ try: (): unknown => JSON.parse(text), catch: () => usage("--attributes: not valid JSON") })
    })
    const record = {
      friendlyName: Option.getOrUndefined(options.friendlyName),
      roleSid: Option.getOrUndefined(options.roleSid),
      attributes
    }
    return yield* Either.match(userFields(record), {
      onLeft: (reason) => Effect.fail(usage(reason)),
      onRight: Effect.succeed
    })
  })

const identity = Args.text({ name: "identity" }).pipe(Args.withDescription("The new user's identity"))

const create = Command.make(
  "create",
  { ...common, json, identity, ...fields },
  (options) =>
    withUsers(options, (users, serviceSid) =>
      Effect.gen(function*() {
        const checked = yield* Either.match(importUser({ identity: options.identity }), {
          onLeft: (reason) => Effect.fail(usage(reason)),
          onRight: Effect.succeed
        })
        const written = yield* fieldsOf(options)
        yield* Effect.flatMap(users.create(serviceSid, checked.identity, written), printUser(options.json))
      }))
).pipe(
  Command.withDescription(
    help(
      "Create a user.",
      "chat-users create alice@example.com --friendly-name Alice --attributes '{\"team\":\"blue\"}' --emulator"
    )
  )
)

const update = Command.make(
  "update",
  { ...common, json, sid, ...fields },
  (options) =>
    withUsers(options, (users, serviceSid) =>
      Effect.gen(function*() {
        const written = yield* fieldsOf(options)
        yield* Effect.flatMap(users.update(serviceSid, options.sid, written), printUser(options.json))
      }))
).pipe(
  Command.withDescription(
    help(
      "Update a user's friendly name, role or attributes.",
      "chat-users update user-001 --friendly-name Ada --emulator --seed-users 1"
    )
  )
)

const remove = Command.make(
  "delete",
  { ...common, json, sid },
  (options) =>
    withUsers(options, (users, serviceSid) =>
      Effect.gen(function*() {
        yield* users.remove(serviceSid, options.sid)
        yield* print(options.json ? JSON.stringify({ deleted: options.sid }) : `Deleted ${options.sid}`)
      }))
).pipe(
  Command.withDescription(
    help("Delete a user, by SID or identity.", "chat-users delete user-001 --emulator --seed-users 1")
  )
)

/** The commands on single users. */
export const commands = [list, get, create, update, remove] as const
