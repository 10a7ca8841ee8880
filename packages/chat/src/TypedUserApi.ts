/**
 * Users with typed `attributes`: what `ChatV2UserApi.withAttributes(schema)` and
 * `ConversationsV1UserApi.withAttributes(schema)` give. Reads decode each user's attributes with the schema (a
 * mismatch is `AttributesMismatch`, naming the user); writes encode them with it before the usual validation.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import type { AttributesMismatch, CreateUserError, ListUserError, UserOperationError } from "./ChatError.js"
import type { ListUserOptions, StreamUsersOptions, UserWriteOptions } from "./UserOptions.js"

/**
 * What a schema given to `withAttributes` encodes to: a JSON object, as Twilio stores attributes (or `null`, which
 * a read may meet and a write is refused with `InvalidRequest`).
 *
 * @example
 * ```ts
 * import type { AttributesJson } from "@effect-twilio/chat"
 *
 * const stored: AttributesJson = { team: "blue", level: 2 }
 * ```
 * @since 0.2.0
 * @category models
 */
export type AttributesJson = Readonly<Record<string, unknown>> | null

/**
 * `User` with `attributes` of type `A`.
 *
 * @example
 * ```ts
 * import type { ChatV2ServiceUser, WithAttributes } from "@effect-twilio/chat"
 *
 * type Member = WithAttributes<ChatV2ServiceUser, { readonly team: string }>
 * const team = (member: Member): string => member.attributes.team
 * ```
 * @since 0.2.0
 * @category models
 */
export type WithAttributes<User, A> = Omit<User, "attributes"> & { readonly attributes: A }

/**
 * A page whose users have `attributes` of type `A`.
 *
 * @example
 * ```ts
 * import type { ChatV2ServiceUser, ListUserResponse, PageWithAttributes } from "@effect-twilio/chat"
 *
 * type Members = PageWithAttributes<ListUserResponse, ChatV2ServiceUser, { readonly team: string }>
 * const teams = (page: Members) => page.users.map((u) => u.attributes.team)
 * ```
 * @since 0.2.0
 * @category models
 */
export type PageWithAttributes<P, User, A> = Omit<P, "users"> & {
  readonly users: ReadonlyArray<WithAttributes<User, A>>
}

/**
 * The options of a typed `createUser` or `updateUser`: `attributes` of the schema's type.
 *
 * @example
 * ```ts
 * import type { TypedUserWriteOptions } from "@effect-twilio/chat"
 *
 * const options: TypedUserWriteOptions<{ readonly team: string }> = { attributes: { team: "blue" } }
 * ```
 * @since 0.2.0
 * @category models
 */
export interface TypedUserWriteOptions<A> extends Omit<UserWriteOptions, "attributes"> {
  /** The attributes, encoded with the schema, then sent as JSON (at most 16 KiB). */
  readonly attributes?: A | undefined
}

/**
 * The operations of a User API with typed attributes. `ServiceSid` is what names a service (`string`, or also
 * `DefaultService` for Conversations), `DeleteOptions` what a delete takes (`DeleteUserOptions` for Conversations,
 * nothing for Chat V2). Everything else (validation, retries, errors, laziness of streams, `limit`) is that of the
 * untyped service, plus `AttributesMismatch` on every read.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import * as Effect from "effect/Effect"
 * import * as Schema from "effect/Schema"
 *
 * const Profile = Schema.Struct({ team: Schema.String })
 *
 * const teamOf = (serviceSid: string, identity: string) =>
 *   Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) => users.fetchUser(serviceSid, identity)).pipe(
 *     Effect.map((user) => user.attributes.team)
 *   )
 * ```
 * @since 0.2.0
 * @category models
 */
export interface TypedUserApi<User, P, A, ServiceSid = string, DeleteOptions = never> {
  /**
   * Creates a user with typed attributes (encoded with the schema; one the schema cannot encode fails with
   * `InvalidRequest` before anything is sent).
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.createUser("IS00000000000000000000000000000000", "alice", { attributes: { team: "blue" } }))
   * ```
   */
  readonly createUser: (
    serviceSid: ServiceSid,
    identity: string,
    options?: TypedUserWriteOptions<A>
  ) => Effect.Effect<WithAttributes<User, A>, CreateUserError | AttributesMismatch>

  /**
   * Updates a user; `attributes`, when given, replace the user's whole attributes.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.updateUser("IS00000000000000000000000000000000", "alice", { attributes: { team: "red" } }))
   * ```
   */
  readonly updateUser: (
    serviceSid: ServiceSid,
    sid: string,
    options?: TypedUserWriteOptions<A>
  ) => Effect.Effect<WithAttributes<User, A>, UserOperationError | AttributesMismatch>

  /**
   * Fetches a user by SID or identity, its attributes decoded with the schema.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.fetchUser("IS00000000000000000000000000000000", "alice"))
   * ```
   */
  readonly fetchUser: (
    serviceSid: ServiceSid,
    sid: string
  ) => Effect.Effect<WithAttributes<User, A>, UserOperationError | AttributesMismatch>

  /**
   * Deletes a user, as the untyped service does.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.deleteUser("IS00000000000000000000000000000000", "alice"))
   * ```
   */
  readonly deleteUser: (
    serviceSid: ServiceSid,
    sid: string,
    options?: DeleteOptions
  ) => Effect.Effect<void, UserOperationError>

  /**
   * Reads one page, every user's attributes decoded with the schema.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.listUser("IS00000000000000000000000000000000", { pageSize: 50 }))
   * ```
   */
  readonly listUser: (
    serviceSid: ServiceSid,
    options?: ListUserOptions
  ) => Effect.Effect<PageWithAttributes<P, User, A>, ListUserError | AttributesMismatch>

  /**
   * The page after a typed page (from `listUser` or `nextPage` of this service), or `None` on the last.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const program = Effect.gen(function*() {
   *   const users = yield* ChatV2UserApi.withAttributes(Profile)
   *   const first = yield* users.listUser("IS00000000000000000000000000000000")
   *   return yield* users.nextPage(first)
   * })
   * ```
   */
  readonly nextPage: (
    page: PageWithAttributes<P, User, A>
  ) => Effect.Effect<Option.Option<PageWithAttributes<P, User, A>>, ListUserError | AttributesMismatch>

  /**
   * Every user, lazily, each decoded as it is pulled; `limit` and paging as for the untyped stream.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import * as Effect from "effect/Effect"
   * import * as Schema from "effect/Schema"
   * import * as Stream from "effect/Stream"
   *
   * const Profile = Schema.Struct({ team: Schema.String })
   * const teams = Effect.flatMap(ChatV2UserApi.withAttributes(Profile), (users) =>
   *   users.streamUsers("IS00000000000000000000000000000000", { limit: 100 }).pipe(
   *     Stream.map((user) => user.attributes.team),
   *     Stream.runCollect
   *   ))
   * ```
   */
  readonly streamUsers: (
    serviceSid: ServiceSid,
    options?: StreamUsersOptions
  ) => Stream.Stream<WithAttributes<User, A>, ListUserError | AttributesMismatch>
}
