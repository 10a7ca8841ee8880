/**
 * What tells the two User APIs apart, and nothing else: Chat V2 (`chat.twilio.com/v2/Services/{IS}/Users`) and
 * Conversations v1 (`conversations.twilio.com/v1/Services/{IS}/Users`, and `/v1/Users` for the account's default
 * service) share the engine (the attempt, the retry policy, the error mapping, the paginator); each is described
 * here by its name, its host, its paths and its decoders.
 *
 * @internal
 */
import type { ChatV2ServiceUser, ListUserMeta, ListUserResponse } from "../ChatV2ServiceUser.js"
import type { ConversationsV1ListUserResponse, ConversationsV1User } from "../ConversationsV1User.js"
import { DefaultService } from "../ConversationsV1User.js"
import type { DecodeResult } from "./decode.js"
import * as Decode from "./decode.js"

/**
 * The account's default service, addressed by Conversations' `/v1/Users` paths: the public `DefaultService`, a
 * registered symbol, so that two copies of the package agree on it.
 */
export const DEFAULT_SERVICE: typeof DefaultService = DefaultService

/** Which service's users an operation addresses: a service SID (validated by the operation) or the default one. */
export type Scope = string | typeof DEFAULT_SERVICE

/** What the paginator needs of a page. */
export interface Page<User> {
  readonly users: ReadonlyArray<User>
  readonly meta: ListUserMeta
}

/** One User API. */
export interface Api<User, P extends Page<User>> {
  /** The service's name, which prefixes every operation's name: `ChatV2UserApi.fetchUser`. */
  readonly name: string
  /** The first label of Twilio's host: `chat` (`chat.twilio.com`), `conversations`. */
  readonly hostLabel: string
  /** Twilio's origin for the API: a next page on it is followed, re-issued against the configured base URL. */
  readonly twilioOrigin: string
  /** The variable that overrides the base URL in `layerConfig`. */
  readonly baseUrlVariable: string
  /** Whether the API has the account's default service (`DEFAULT_SERVICE` is a valid scope). */
  readonly hasDefaultService: boolean
  /** The largest `PageSize` the API takes (its spec's maximum), and the stream's default. */
  readonly maxPageSize: number
  /** Whether a delete takes `X-Twilio-Webhook-Enabled`. */
  readonly deleteTakesWebhook: boolean
  /** The users collection's path for a scope. */
  readonly collectionPath: (scope: Scope) => string
  /**
   * The collection a path ends with (`/v2/Services/{IS}/Users`), and the service it names (`undefined` for the
   * default service), or `undefined` when the path is not a users collection of this API.
   */
  readonly collectionAtEnd: (
    path: string
  ) => { readonly path: string; readonly service: string | undefined } | undefined
  readonly decodeUser: (u: unknown) => DecodeResult<User>
  readonly decodePage: (u: unknown) => DecodeResult<P>
}

/** `collectionAtEnd` for a pattern whose first group, when matched, is the service SID. */
const matcher = (pattern: RegExp): Api<unknown, Page<unknown>>["collectionAtEnd"] => (path) => {
  const match = pattern.exec(path)
  return match === null ? undefined : { path: match[0], service: match[1] }
}

/** Chat V2 Users. */
export const CHAT_V2: Api<ChatV2ServiceUser, ListUserResponse> = {
  name: "ChatV2UserApi",
  hostLabel: "chat",
  twilioOrigin: "https://chat.twilio.com",
  baseUrlVariable: "TWILIO_CHAT_BASE_URL",
  hasDefaultService: false,
  maxPageSize: 100,
  deleteTakesWebhook: false,
  // `scope` is a validated SID here: Chat V2 has no default service, and validation refuses it before this runs.
  collectionPath: (scope) => `/v2/Services/${String(scope)}/Users`,
  collectionAtEnd: matcher(/\/v2\/Services\/(IS[0-9a-fA-F]{32})\/Users$/),
  decodeUser: Decode.decodeUser,
  decodePage: Decode.decodeListUserResponse
}

/** Conversations v1 Users, on a given service or the account's default one. */
export const CONVERSATIONS_V1: Api<ConversationsV1User, ConversationsV1ListUserResponse> = {
  name: "ConversationsV1UserApi",
  hostLabel: "conversations",
  twilioOrigin: "https://conversations.twilio.com",
  baseUrlVariable: "TWILIO_CONVERSATIONS_BASE_URL",
  hasDefaultService: true,
  maxPageSize: 50,
  deleteTakesWebhook: true,
  collectionPath: (scope) => scope === DEFAULT_SERVICE ? "/v1/Users" : `/v1/Services/${scope}/Users`,
  collectionAtEnd: matcher(/\/v1\/(?:Services\/(IS[0-9a-fA-F]{32})\/)?Users$/),
  decodeUser: Decode.decodeConversationsUser,
  decodePage: Decode.decodeConversationsListUserResponse
}
