/**
 * `UsersApi` over the library: `ChatV2UserApi` or `ConversationsV1UserApi` of `@effect-twilio/chat`, which have the
 * same operations on the same users (a Conversations service is a Chat service), so one adapter serves both.
 *
 * @internal
 */
import {
  ChatV2UserApi,
  type ChatV2UserApiOptions,
  ConversationsV1UserApi,
  type CreateUserError,
  type ListUserError,
  type ListUserMeta,
  type ListUserOptions,
  type RetryOptions,
  type UserOperationError,
  type UserWriteOptions
} from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ApiName, CliUser, PagePosition, UserFields, UserPage, UsersApi } from "./usersApi.js"

/** Appended to the library's own user agent. */
const USER_AGENT = "chat-users/0.1.0"

/** What the CLI reads of a user of either API. */
interface LibraryUser {
  readonly sid: string
  readonly identity: string
  readonly friendlyName: string | null
  readonly roleSid: string | null
  readonly attributes: unknown
  readonly dateCreated: DateTime.Utc
  readonly dateUpdated: DateTime.Utc
}

/** What the CLI reads of a page of either API. */
interface LibraryPage {
  readonly users: ReadonlyArray<LibraryUser>
  readonly meta: ListUserMeta
}

/** The operations the CLI uses, as both services have them. */
interface LibraryService<P extends LibraryPage> {
  readonly createUser: (
    serviceSid: string,
    identity: string,
    options?: UserWriteOptions
  ) => Effect.Effect<LibraryUser, CreateUserError>
  readonly fetchUser: (serviceSid: string, sid: string) => Effect.Effect<LibraryUser, UserOperationError>
  readonly updateUser: (
    serviceSid: string,
    sid: string,
    options?: UserWriteOptions
  ) => Effect.Effect<LibraryUser, UserOperationError>
  readonly deleteUser: (serviceSid: string, sid: string) => Effect.Effect<void, UserOperationError>
  readonly listUser: (serviceSid: string, options?: ListUserOptions) => Effect.Effect<P, ListUserError>
  readonly nextPage: (page: P) => Effect.Effect<Option.Option<P>, ListUserError>
}

/** `2016-03-24T21:05:19Z`, as Twilio writes dates. */
const isoSeconds = (date: DateTime.Utc): string => DateTime.formatIso(date).replace(/\.\d{3}Z$/, "Z")

const toCliUser = (user: LibraryUser): CliUser => ({
  sid: user.sid,
  identity: user.identity,
  friendlyName: user.friendlyName,
  roleSid: user.roleSid,
  attributes: user.attributes,
  dateCreated: isoSeconds(user.dateCreated),
  dateUpdated: isoSeconds(user.dateUpdated)
})

/** The `Page` and `PageToken` of a page, read from its own URL. */
const positionOf = (page: LibraryPage): PagePosition => {
  const token = new URL(page.meta.url).searchParams.get("PageToken")
  return { page: page.meta.page, pageToken: token === null || token === "" ? null : token }
}

const toPage = <P extends LibraryPage>(service: LibraryService<P>, page: P): UserPage => ({
  users: page.users.map(toCliUser),
  position: positionOf(page),
  next: Effect.map(service.nextPage(page), Option.map((next) => toPage(service, next)))
})

const writeOptions = (fields: UserFields) => ({
  friendlyName: fields.friendlyName,
  roleSid: fields.roleSid,
  attributes: fields.attributes
})

const fromService = <P extends LibraryPage>(api: ApiName, service: LibraryService<P>): UsersApi => ({
  api,
  maxPageSize: api === "chat" ? 100 : 50,
  create: (serviceSid, identity, fields) =>
    Effect.map(service.createUser(serviceSid, identity, writeOptions(fields)), toCliUser),
  fetch: (serviceSid, sid) => Effect.map(service.fetchUser(serviceSid, sid), toCliUser),
  update: (serviceSid, sid, fields) => Effect.map(service.updateUser(serviceSid, sid, writeOptions(fields)), toCliUser),
  remove: (serviceSid, sid) => service.deleteUser(serviceSid, sid),
  listPage: (serviceSid, pageSize, position) =>
    Effect.map(
      service.listUser(serviceSid, { pageSize, page: position?.page, pageToken: position?.pageToken ?? undefined }),
      (page) => toPage(service, page)
    )
})

/**
 * `api` with the given options, or from the `TWILIO_*` variables when `options` is undefined (Conversations reads
 * `TWILIO_CONVERSATIONS_BASE_URL` for its host, Chat V2 `TWILIO_CHAT_BASE_URL`).
 */
export const make = (
  api: ApiName,
  options: ChatV2UserApiOptions | undefined,
  retry: RetryOptions
): Effect.Effect<UsersApi, ConfigError.ConfigError, HttpClient.HttpClient> => {
  const client = { retry, userAgent: USER_AGENT }
  const given = options === undefined ? undefined : { ...options, ...client }
  return api === "chat"
    ? Effect.map(
      given === undefined
        ? Effect.provide(ChatV2UserApi, ChatV2UserApi.layerConfig(client))
        : ChatV2UserApi.make(given),
      (service) => fromService(api, service)
    )
    : Effect.map(
      given === undefined
        ? Effect.provide(ConversationsV1UserApi, ConversationsV1UserApi.layerConfig(client))
        : ConversationsV1UserApi.make(given),
      (service) => fromService(api, service)
    )
}
