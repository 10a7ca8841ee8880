/**
 * The one door to the library: every call the CLI makes to a Twilio Users API goes through `UsersApi`, whose
 * records are plain CLI-side values. This module and its implementation over the library (`library.ts`, for Chat V2
 * and Conversations v1 alike) are the only places that know which API is used.
 *
 * @internal
 */
import type { ChatV2UserApiOptions, CreateUserError, ListUserError, UserOperationError } from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { UsageError } from "./errors.js"
import * as Library from "./library.js"

/** The APIs `--api` names. */
export const API_NAMES = ["chat", "conversations"] as const

/** `chat` (Chat V2) or `conversations` (Conversations V1). */
export type ApiName = typeof API_NAMES[number]

/** A user as the CLI prints, exports and compares it. */
export interface CliUser {
  readonly sid: string
  readonly identity: string
  readonly friendlyName: string | null
  readonly roleSid: string | null
  /** The decoded attributes (a JSON value, normally an object), `null` when unset. */
  readonly attributes: unknown
  /** ISO 8601 UTC, to the second as Twilio writes it. */
  readonly dateCreated: string
  readonly dateUpdated: string
}

/** What create and update send; unset fields are not sent. */
export interface UserFields {
  readonly friendlyName?: string | undefined
  readonly roleSid?: string | undefined
  readonly attributes?: Readonly<Record<string, unknown>> | undefined
}

/** Where a page is: enough to ask for the very same page again (a resume token holds it). */
export interface PagePosition {
  /** The page index (`Page`): client state, echoed by the server. */
  readonly page: number
  /** The server's opaque `PageToken` of this page; `null` for the first page. */
  readonly pageToken: string | null
}

/** One page of users, its position and the way to the next one. */
export interface UserPage {
  readonly users: ReadonlyArray<CliUser>
  readonly position: PagePosition
  /** The page after this one (`None` on the last page), following the server's next-page URL. */
  readonly next: Effect.Effect<Option.Option<UserPage>, ListUserError>
}

/** The operations the CLI needs, over one API. */
export interface UsersApi {
  readonly api: ApiName
  /** The largest page the API takes: 100 on Chat V2, 50 on Conversations. */
  readonly maxPageSize: number
  readonly create: (serviceSid: string, identity: string, fields: UserFields) => Effect.Effect<CliUser, CreateUserError>
  readonly fetch: (serviceSid: string, sid: string) => Effect.Effect<CliUser, UserOperationError>
  readonly update: (serviceSid: string, sid: string, fields: UserFields) => Effect.Effect<CliUser, UserOperationError>
  readonly remove: (serviceSid: string, sid: string) => Effect.Effect<void, UserOperationError>
  /** The page of `pageSize` users at `position` (the first page without one). */
  readonly listPage: (
    serviceSid: string,
    pageSize: number,
    position?: PagePosition | undefined
  ) => Effect.Effect<UserPage, ListUserError>
}

/** How to reach the API: from the `TWILIO_*` variables (as the library reads them), or given (an emulator). */
export type Connection =
  | { readonly _tag: "Environment" }
  | { readonly _tag: "Given"; readonly options: ChatV2UserApiOptions }

/** The client's retries: a 429 was not processed, so the CLI insists more than the library's default of 3. */
const RETRY = { times: 8, base: "250 millis", cap: "10 seconds" } as const

/** The `UsersApi` of `api` over `connection`. */
export const make = (
  api: ApiName,
  connection: Connection
): Effect.Effect<UsersApi, UsageError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Library.make(api, connection._tag === "Given" ? connection.options : undefined, RETRY)
