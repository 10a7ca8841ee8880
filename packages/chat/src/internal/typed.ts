/**
 * Typed attributes over either service: reads decode each user's `attributes` with a `Schema` (a mismatch is
 * `AttributesMismatch`), writes encode them with it and hand the result to the untyped operation, which validates
 * and sends it as usual. Nothing else changes: the same requests, retries, errors, paging and laziness.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { CreateUserError, ListUserError, UserOperationError } from "../ChatError.js"
import { AttributesMismatch, InvalidRequest } from "../ChatError.js"
import type {
  AttributesJson,
  PageWithAttributes,
  TypedUserApi,
  TypedUserWriteOptions,
  WithAttributes
} from "../TypedUserApi.js"
import type { ListUserOptions, StreamUsersOptions, UserWriteOptions } from "../UserOptions.js"
import type { Page } from "./api.js"
import type { Redactor } from "./redact.js"

/** What a schema of attributes must encode to (see `AttributesJson`). */
export type JsonObject = AttributesJson

/** The untyped operations, as both services have them. */
export interface Untyped<User, P, S, D> {
  readonly createUser: (s: S, identity: string, options?: UserWriteOptions) => Effect.Effect<User, CreateUserError>
  readonly updateUser: (s: S, sid: string, options?: UserWriteOptions) => Effect.Effect<User, UserOperationError>
  readonly fetchUser: (s: S, sid: string) => Effect.Effect<User, UserOperationError>
  readonly deleteUser: (s: S, sid: string, options?: D) => Effect.Effect<void, UserOperationError>
  readonly listUser: (s: S, options?: ListUserOptions) => Effect.Effect<P, ListUserError>
  readonly nextPage: (page: P) => Effect.Effect<Option.Option<P>, ListUserError>
  readonly streamUsers: (s: S, options?: StreamUsersOptions) => Stream.Stream<User, ListUserError>
}

/** Where the operations built by this package keep their redactor, for the typed layer's messages. */
export const REDACTOR: unique symbol = Symbol.for("@effect-twilio/chat/Redactor")

const identity: Redactor = (text) => text

/** The redactor of operations built by this package; none for a service made elsewhere (a test double). */
const redactorOf = (service: object): Redactor => {
  const redactor = (service as { readonly [REDACTOR]?: unknown })[REDACTOR]
  return typeof redactor === "function" ? redactor as Redactor : identity
}

/** A copy of `value` (same prototype, same fields in the same order) with `key` set to `replacement`. */
const replaced = <T extends object>(value: T, key: string, replacement: unknown): T => {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(value)), value)
  copy[key] = replacement
  return copy
}

/** A user of either API, as the typed layer reads it. */
type AnyUser = { readonly sid: string; readonly attributes: unknown }

/** Reading typed users: each user's attributes decoded with the schema, or `AttributesMismatch` naming the user. */
const reader = <User extends AnyUser, A, I>(schema: Schema.Schema<A, I>, redact: Redactor) => {
  const decode = Schema.decodeUnknownEither(schema)

  const mismatch = (operation: string, user: User, error: ParseResult.ParseError) => {
    const sid = redact(String(user.sid))
    const issue = redact(error.message)
    return new AttributesMismatch({
      sid,
      issue,
      operation,
      message: `${operation}: the attributes of user ${sid} do not match the schema: ${issue}`
    })
  }

  const user = (operation: string, u: User): Either.Either<WithAttributes<User, A>, AttributesMismatch> => {
    const attributes = decode(u.attributes)
    return Either.isRight(attributes)
      ? Either.right(replaced(u, "attributes", attributes.right) as unknown as WithAttributes<User, A>)
      : Either.left(mismatch(operation, u, attributes.left))
  }

  const users = (
    operation: string,
    list: ReadonlyArray<User>
  ): Either.Either<Array<WithAttributes<User, A>>, AttributesMismatch> => {
    const out: Array<WithAttributes<User, A>> = new Array(list.length)
    for (let i = 0; i < list.length; i++) {
      const typed = user(operation, list[i])
      if (Either.isLeft(typed)) return Either.left(typed.left)
      out[i] = typed.right
    }
    return Either.right(out)
  }

  return { user, users }
}

/** The options with the attributes encoded, or why not; anything but an object is left to the validation. */
const encoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeEither(schema)
  return (options: TypedUserWriteOptions<A> | undefined): UserWriteOptions | undefined | InvalidRequest => {
    if (typeof options !== "object" || options === null) return options as UserWriteOptions | undefined
    try {
      if (options.attributes === undefined) return options as UserWriteOptions
      const attributes = encode(options.attributes)
      return Either.isRight(attributes)
        ? { ...options, attributes: attributes.right as UserWriteOptions["attributes"] }
        : new InvalidRequest({
          field: "options.attributes",
          message: `The attributes do not match the schema: ${attributes.left.message}`
        })
    } catch (e) {
      return new InvalidRequest({
        field: "options",
        message: `An argument could not be read: ${e instanceof Error ? e.name : typeof e}`
      })
    }
  }
}

/** The typed operations over `service`, with `schema` for the attributes. */
export const make = <User extends AnyUser, P extends Page<User>, A, I extends JsonObject, S, D>(
  service: Untyped<User, P, S, D>,
  apiName: string,
  schema: Schema.Schema<A, I>
): TypedUserApi<User, P, A, S, D> => {
  const read = reader<User, A, I>(schema, redactorOf(service))
  const encoded = encoder(schema)
  const untypedPages = new WeakMap<object, P>()
  const name = (operation: string) => `${apiName}.${operation}`

  const typedPage =
    (operation: string) => (page: P): Effect.Effect<PageWithAttributes<P, User, A>, AttributesMismatch> =>
      Either.match(read.users(operation, page.users), {
        onLeft: Effect.fail,
        onRight: (users) => {
          const typed = replaced(page, "users", users) as unknown as PageWithAttributes<P, User, A>
          untypedPages.set(typed, page)
          return Effect.succeed(typed)
        }
      })

  const one = (operation: string) => (user: User) => Effect.suspend(() => read.user(operation, user))

  const write = <E>(
    operation: string,
    options: TypedUserWriteOptions<A> | undefined,
    send: (options: UserWriteOptions | undefined) => Effect.Effect<User, E>
  ): Effect.Effect<WithAttributes<User, A>, E | InvalidRequest | AttributesMismatch> => {
    const untyped = encoded(options)
    return untyped instanceof InvalidRequest
      ? Effect.fail(untyped)
      : Effect.flatMap(send(untyped), one(name(operation)))
  }

  return {
    createUser: (s, identity, options) => write("createUser", options, (o) => service.createUser(s, identity, o)),
    updateUser: (s, sid, options) => write("updateUser", options, (o) => service.updateUser(s, sid, o)),
    fetchUser: (s, sid) => Effect.flatMap(service.fetchUser(s, sid), one(name("fetchUser"))),
    deleteUser: (s, sid, options) => service.deleteUser(s, sid, options),
    listUser: (s, options) => Effect.flatMap(service.listUser(s, options), typedPage(name("listUser"))),
    nextPage: (page) =>
      Effect.flatMap(
        service.nextPage(untypedPages.get(page) ?? page as unknown as P),
        Option.match({
          onNone: () => Effect.succeedNone,
          onSome: (next) => Effect.asSome(typedPage(name("nextPage"))(next))
        })
      ),
    streamUsers: (s, options) =>
      Stream.mapChunksEffect(
        service.streamUsers(s, options),
        (chunk) =>
          Either.match(read.users(name("streamUsers"), Chunk.toReadonlyArray(chunk)), {
            onLeft: Effect.fail,
            onRight: (users) => Effect.succeed(Chunk.unsafeFromArray(users))
          })
      )
  }
}

/** The typed operations over the service of `tag`. */
export const fromService = <
  Id,
  User extends { readonly sid: string; readonly attributes: unknown },
  P extends Page<User>,
  S,
  D,
  A,
  I extends JsonObject
>(
  tag: Context.Tag<Id, Untyped<User, P, S, D>>,
  apiName: string,
  schema: Schema.Schema<A, I>
): Effect.Effect<TypedUserApi<User, P, A, S, D>, never, Id> =>
  Effect.map(tag, (service) => make(service, apiName, schema))
