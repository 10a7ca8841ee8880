/**
 * An in-memory Twilio Chat V2 and Conversations v1: Chat Services and their users, one store answering both User
 * APIs as Twilio does (a user created through one is the same user through the other), with recorded requests and
 * scripted faults. `ChatTest.layer` puts the real client over it; `Emulator.layer` serves it over HTTP.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { Fault } from "./Fault.js"
import { scriptFaults } from "./internal/faults.js"
import * as Handler from "./internal/handler.js"
import * as Store from "./internal/store.js"
import type * as Types from "./internal/types.js"

/**
 * The two APIs the fake serves over one store: `"chat"` (Chat V2, `/v2/Services/{sid}/Users`) and `"conversations"`
 * (Conversations v1, `/v1/Services/{sid}/Users` and the account's default service at `/v1/Users`). Recorded requests
 * say which one a request came by; a fault can be scripted for one of them.
 *
 * @example
 * ```ts
 * import type { FakeApi, RecordedRequest } from "@effect-twilio/chat-testing"
 *
 * const byApi = (requests: ReadonlyArray<RecordedRequest>, api: FakeApi) => requests.filter((r) => r.api === api)
 * ```
 * @since 0.2.0
 * @category models
 */
export type FakeApi = Types.FakeApi

/**
 * Which API a scripted fault applies to: `{ api: "conversations" }` for Conversations v1 requests only, `{ api:
 * "chat" }` for Chat V2 only; without `api`, both.
 *
 * @example
 * ```ts
 * import type { FaultTarget } from "@effect-twilio/chat-testing"
 *
 * const conversationsOnly: FaultTarget = { api: "conversations" }
 * ```
 * @since 0.2.0
 * @category models
 */
export type FaultTarget = Types.FaultTarget

/**
 * The five operations of the User API, the same names on both APIs, as the fake routes requests (faults are
 * scripted per operation, for one API or both).
 *
 * @example
 * ```ts
 * import type { FakeOperation } from "@effect-twilio/chat-testing"
 *
 * const writes: ReadonlyArray<FakeOperation> = ["createUser", "updateUser", "deleteUser"]
 * ```
 * @since 0.1.0
 * @category models
 */
export type FakeOperation = Types.FakeOperation

/**
 * An HTTP request, as the fake reads it: `path` is raw (percent-encoded, without the query), `query` is the raw
 * query string without `?`, header names are case-insensitive.
 *
 * @example
 * ```ts
 * import type { FakeRequest } from "@effect-twilio/chat-testing"
 *
 * const request: FakeRequest = {
 *   method: "GET",
 *   path: "/v2/Services/IS00000000000000000000000000000000/Users/alice%40example.com",
 *   query: "",
 *   headers: { authorization: "Basic ..." },
 *   body: ""
 * }
 * ```
 * @since 0.1.0
 * @category models
 */
export type FakeRequest = Types.FakeRequest

/**
 * The fake's answer: a status, headers and a body (`truncated`: only half of it reaches the client, then the
 * connection closes; `stalled`: half of it arrives, then nothing until the client gives up; `padding`: that many
 * spaces follow it, an enormous answer), or a reset connection.
 *
 * @example
 * ```ts
 * import type { FakeResponse } from "@effect-twilio/chat-testing"
 *
 * const describe = (response: FakeResponse) => response._tag === "Answer" ? `HTTP ${response.status}` : "reset"
 * ```
 * @since 0.1.0
 * @category models
 */
export type FakeResponse = Types.FakeResponse

/**
 * A request the fake received, credentials redacted: the `Authorization` header reads `"[redacted]"` and only its
 * username (the account or API key SID) is kept. `query` and `form` hold the first value of each key, decoded.
 * `api` says which API it came by (`"chat"` for `/v2/...`, `"conversations"` for `/v1/...`), `operation` what it was
 * routed to (the same names on both).
 *
 * @example
 * ```ts
 * import type { RecordedRequest } from "@effect-twilio/chat-testing"
 *
 * const creates = (requests: ReadonlyArray<RecordedRequest>) => requests.filter((r) => r.operation === "createUser")
 * const conversationsCreates = (requests: ReadonlyArray<RecordedRequest>) =>
 *   creates(requests).filter((r) => r.api === "conversations")
 * ```
 * @since 0.1.0
 * @category models
 */
export type RecordedRequest = Types.RecordedRequest

/**
 * A user as the fake stores it.
 *
 * @example
 * ```ts
 * import type { StoredUser } from "@effect-twilio/chat-testing"
 *
 * const team = (user: StoredUser) => JSON.parse(user.attributes).team
 * ```
 * @since 0.1.0
 * @category models
 */
export type StoredUser = Types.StoredUser

/**
 * A Chat Service of the fake.
 *
 * @example
 * ```ts
 * import { FakeTwilioChat } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * const roleOfNewUsers = Effect.flatMap(FakeTwilioChat, (fake) => fake.createService()).pipe(
 *   Effect.map((service) => service.defaultRoleSid)
 * )
 * ```
 * @since 0.1.0
 * @category models
 */
export type ServiceInfo = Types.ServiceInfo

/**
 * A user to seed: `attributes` as JSON text or as a value to serialize.
 *
 * @example
 * ```ts
 * import type { SeedUser } from "@effect-twilio/chat-testing"
 *
 * const users: ReadonlyArray<SeedUser> = [{ identity: "alice", attributes: { team: "blue" }, isOnline: true }]
 * ```
 * @since 0.1.0
 * @category models
 */
export type SeedUser = Types.SeedUser

/**
 * The options of the fake. Every default derives from `seed`, so two fakes with the same seed and the same
 * history hand out the same SIDs.
 *
 * @example
 * ```ts
 * import type { FakeTwilioChatOptions } from "@effect-twilio/chat-testing"
 *
 * const options: FakeTwilioChatOptions = { seed: "my-suite", seedUsers: 250 }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface FakeTwilioChatOptions {
  /** Derives SIDs, credentials and page-token keys. Default `"effect-twilio"`. */
  readonly seed?: string | number | undefined
  /**
   * The origin of `url`, `links` and paging URLs in Chat V2 answers. Default `https://chat.twilio.com`. A path is
   * ignored.
   */
  readonly baseUrl?: string | undefined
  /**
   * The origin of `url`, `links` and paging URLs in Conversations v1 answers. Default: `baseUrl` when it is given
   * and is not Twilio's Chat origin (an emulator's URL serves both APIs), else `https://conversations.twilio.com`.
   * A path is ignored.
   */
  readonly conversationsBaseUrl?: string | undefined
  /** The account SID accepted with `authToken` and written in users. Default: `AC` + 32 hex from the seed. */
  readonly accountSid?: string | undefined
  /** The auth token accepted with `accountSid`. Default: 32 hex from the seed. */
  readonly authToken?: Redacted.Redacted<string> | string | undefined
  /** An API key SID accepted with `apiKeySecret`. Default: `SK` + 32 hex from the seed. */
  readonly apiKeySid?: string | undefined
  /** The API key's secret. Default: 32 hex from the seed. */
  readonly apiKeySecret?: Redacted.Redacted<string> | string | undefined
  /**
   * The SID of the service the fake starts with: the account's default Conversations service (`/v1/Users`), a Chat
   * Service like any other on `/v2/Services/{sid}/Users`. Default: `IS` + 32 hex from the seed.
   */
  readonly serviceSid?: string | undefined
  /** How many users to seed in that service (`user-001`, `user-002`, ...). Default 0. */
  readonly seedUsers?: number | undefined
}

/**
 * A misuse of the fake's options or control API: an unknown service, a malformed service SID, an invalid seed user.
 *
 * @example
 * ```ts
 * import { FakeTwilioChat } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.flatMap(FakeTwilioChat, (fake) => fake.users("IS00000000000000000000000000000000")).pipe(
 *   Effect.catchTag("FakeTwilioChatError", (e) => Effect.die(e.message))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class FakeTwilioChatError extends Schema.TaggedError<FakeTwilioChatError>(
  "@effect-twilio/chat-testing/FakeTwilioChatError"
)("FakeTwilioChatError", { message: Schema.String }) {}

/**
 * The fake's control API and its HTTP entry point.
 *
 * @example
 * ```ts
 * import { ChatTest, FakeTwilioChat, Fault } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const fake = yield* FakeTwilioChat
 *   yield* fake.seedUsers(fake.defaultServiceSid, [{ identity: "alice" }])
 *   yield* fake.injectFaults("fetchUser", [Fault.status(503)])
 *   return (yield* fake.requests).length
 * }).pipe(Effect.provide(ChatTest.layer()))
 * ```
 * @since 0.1.0
 * @category models
 */
export interface FakeTwilioChatService {
  /** The origin of the URLs in Chat V2 answers. */
  readonly baseUrl: string
  /** The origin of the URLs in Conversations v1 answers (the emulator's public URL, as `baseUrl`). */
  readonly conversationsBaseUrl: string
  /** The account SID the fake accepts and writes in users. */
  readonly accountSid: string
  /** The auth token accepted with `accountSid`. */
  readonly authToken: Redacted.Redacted<string>
  /** The API key SID accepted with `apiKeySecret`. */
  readonly apiKeySid: string
  /** The API key secret. */
  readonly apiKeySecret: Redacted.Redacted<string>
  /**
   * The service the fake starts with (and restarts with after `reset`): the account's default Conversations service,
   * whose users `/v1/Users[/{sid}]` reaches (and `/v1/Services/{sid}/Users`, `/v2/Services/{sid}/Users` too).
   */
  readonly defaultServiceSid: string
  /**
   * Answers one HTTP request as Twilio would: records it, applies the next fault, authenticates, routes. Requests
   * under `/__emulator/` go to the admin API instead (authenticated alike, neither recorded nor faulted).
   */
  readonly handle: (request: FakeRequest) => Effect.Effect<FakeResponse>
  /** Adds a Chat Service; its SID comes from the seed unless given. */
  readonly createService: (options?: {
    readonly sid?: string | undefined
    readonly friendlyName?: string | undefined
  }) => Effect.Effect<ServiceInfo, FakeTwilioChatError>
  /** The services, in creation order. */
  readonly services: Effect.Effect<ReadonlyArray<ServiceInfo>>
  /**
   * Adds users as a create would (same validation, dates from `Clock`), without a request: `count` generated
   * users (`user-001`, ...) or the given ones. Fails on the first user Twilio would refuse, seeding none.
   */
  readonly seedUsers: (
    serviceSid: string,
    users: number | ReadonlyArray<SeedUser>
  ) => Effect.Effect<ReadonlyArray<StoredUser>, FakeTwilioChatError>
  /** The users of a service, in creation order (the order of lists). */
  readonly users: (serviceSid: string) => Effect.Effect<ReadonlyArray<StoredUser>, FakeTwilioChatError>
  /** A user by SID or identity. */
  readonly user: (
    serviceSid: string,
    sidOrIdentity: string
  ) => Effect.Effect<Option.Option<StoredUser>, FakeTwilioChatError>
  /** The requests received so far, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Forgets the recorded requests. */
  readonly clearRequests: Effect.Effect<void>
  /**
   * Appends `faults` to the script of `operation`: each request routed to it takes the next one that applies to its
   * API; when none is left, requests are answered normally. Without `options.api` the faults apply to both APIs
   * (the first request of that operation on either takes each); with it, to that API's requests only.
   */
  readonly injectFaults: (
    operation: FakeOperation,
    faults: ReadonlyArray<Fault>,
    options?: FaultTarget | undefined
  ) => Effect.Effect<void>
  /** How many scripted faults are left, for all operations. */
  readonly pendingFaults: Effect.Effect<number>
  /** Drops every scripted fault. */
  readonly clearFaults: Effect.Effect<void>
  /**
   * Back to the start: only the default service (with `seedUsers` users), no requests, no faults. SIDs start over;
   * page tokens issued before are stale (400 / 21481).
   */
  readonly reset: Effect.Effect<void>
}

const toStored = (accountSid: string, service: Store.ServiceRecord, user: Store.UserRecord): StoredUser => ({
  sid: user.sid,
  accountSid,
  serviceSid: service.sid,
  identity: user.identity,
  friendlyName: user.friendlyName,
  roleSid: user.roleSid,
  attributes: user.attributes,
  isOnline: user.isOnline,
  isNotifiable: user.isNotifiable,
  joinedChannelsCount: 0,
  dateCreated: DateTime.unsafeMake(user.dateCreated),
  dateUpdated: DateTime.unsafeMake(user.dateUpdated)
})

const toInfo = (service: Store.ServiceRecord): ServiceInfo => ({
  sid: service.sid,
  friendlyName: service.friendlyName,
  defaultRoleSid: service.defaultRoleSid
})

const secretText = (value: Redacted.Redacted<string> | string | undefined, fallback: string): string =>
  value === undefined ? fallback : Redacted.isRedacted(value) ? Redacted.value(value) : value

const generatedUsers = (count: number): ReadonlyArray<SeedUser> => {
  const width = Math.max(3, String(count).length)
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(width, "0")
    return { identity: `user-${n}`, friendlyName: `User ${n}` }
  })
}

const invalidOption = (message: string) => Effect.fail(new FakeTwilioChatError({ message }))

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** What the options make of the fake: where it lives, the credentials it accepts, its first service. */
interface Identity {
  readonly seed: string
  readonly baseUrl: string
  readonly conversationsBaseUrl: string
  readonly accountSid: string
  readonly authToken: string
  readonly apiKeySid: string
  readonly apiKeySecret: string
  readonly defaultServiceSid: string
}

const CHAT_ORIGIN = "https://chat.twilio.com"
const CONVERSATIONS_ORIGIN = "https://conversations.twilio.com"

const identityOf = (options: FakeTwilioChatOptions): Effect.Effect<Identity, FakeTwilioChatError> => {
  const seed = String(options.seed ?? "effect-twilio")
  const baseUrl = originOf(options.baseUrl ?? CHAT_ORIGIN)
  if (baseUrl === undefined) return invalidOption(`baseUrl is not an absolute URL: ${options.baseUrl}`)
  const conversationsBaseUrl = originOf(
    options.conversationsBaseUrl ?? (baseUrl === CHAT_ORIGIN ? CONVERSATIONS_ORIGIN : baseUrl)
  )
  if (conversationsBaseUrl === undefined) {
    return invalidOption(`conversationsBaseUrl is not an absolute URL: ${options.conversationsBaseUrl}`)
  }
  return Effect.succeed({
    seed,
    baseUrl,
    conversationsBaseUrl,
    accountSid: options.accountSid ?? Store.sidFor(seed, "AC", 0),
    authToken: secretText(options.authToken, Store.secretFor(seed, "auth-token")),
    apiKeySid: options.apiKeySid ?? Store.sidFor(seed, "SK", 0),
    apiKeySecret: secretText(options.apiKeySecret, Store.secretFor(seed, "api-key-secret")),
    defaultServiceSid: options.serviceSid ?? Store.sidFor(seed, "IS", 0)
  })
}

const serviceIn = (store: Store.Store, serviceSid: string) =>
  Effect.suspend(() => {
    const service = store.services.get(serviceSid)
    return service === undefined
      ? Effect.fail(new FakeTwilioChatError({ message: `No service ${serviceSid} in the fake` }))
      : Effect.succeed(service)
  })

const seedFields = (user: SeedUser): Store.WriteFields => ({
  identity: user.identity,
  friendlyName: user.friendlyName,
  roleSid: user.roleSid,
  attributes: user.attributes === undefined || typeof user.attributes === "string"
    ? user.attributes
    : JSON.stringify(user.attributes)
})

/** Why Twilio would refuse one of `list` (as created in order), or `undefined` when it accepts them all. */
const refusedSeed = (
  service: Store.ServiceRecord,
  list: ReadonlyArray<SeedUser>,
  fields: ReadonlyArray<Store.WriteFields>
): string | undefined => {
  const identities = new Set<string>()
  for (let i = 0; i < list.length; i++) {
    const problem = Store.validateWrite(service, fields[i], true) ??
      (identities.has(list[i].identity) ? { code: 50201, message: "User already exists" } : undefined)
    if (problem !== undefined) return `Twilio would refuse seed user ${i} (${problem.code}): ${problem.message}`
    identities.add(list[i].identity)
  }
  return undefined
}

/** Adds users as a create would, all or none, dated by `Clock`. */
const seedUsersIn = (store: Store.Store, accountSid: string) =>
(
  serviceSid: string,
  users: number | ReadonlyArray<SeedUser>
): Effect.Effect<ReadonlyArray<StoredUser>, FakeTwilioChatError> =>
  Effect.flatMap(serviceIn(store, serviceSid), (service) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      if (typeof users === "number" && !(Number.isSafeInteger(users) && users >= 0)) {
        return invalidOption(`Expected a number of users to seed (a whole number >= 0), got ${users}`)
      }
      const list = typeof users === "number" ? generatedUsers(users) : users
      const fields = list.map(seedFields)
      const refused = refusedSeed(service, list, fields)
      if (refused !== undefined) return invalidOption(refused)
      return Effect.succeed(list.map((user, i) =>
        toStored(
          accountSid,
          service,
          Store.insertUser(store, service, fields[i], now, { isOnline: user.isOnline, isNotifiable: user.isNotifiable })
        )
      ))
    }))

const addService = (store: Store.Store, options?: {
  readonly sid?: string | undefined
  readonly friendlyName?: string | undefined
}) =>
  Effect.suspend(() => {
    const created = Store.addService(store, options?.sid, options?.friendlyName ?? null)
    return typeof created === "string"
      ? Effect.fail(new FakeTwilioChatError({ message: created }))
      : Effect.succeed(toInfo(created))
  })

/** The control API over `store`; `start` puts the default service (and its seeded users) in place. */
const controlOf = (
  store: Store.Store,
  identity: Identity,
  start: Effect.Effect<void, FakeTwilioChatError>
): Omit<
  FakeTwilioChatService,
  "handle" | "baseUrl" | "conversationsBaseUrl" | "authToken" | "apiKeySid" | "apiKeySecret"
> => ({
  accountSid: identity.accountSid,
  defaultServiceSid: identity.defaultServiceSid,
  createService: (options) => addService(store, options),
  services: Effect.sync(() => Array.from(store.services.values(), toInfo)),
  seedUsers: seedUsersIn(store, identity.accountSid),
  users: (serviceSid) =>
    Effect.map(serviceIn(store, serviceSid), (s) => s.users.map((user) => toStored(identity.accountSid, s, user))),
  user: (serviceSid, sidOrIdentity) =>
    Effect.map(serviceIn(store, serviceSid), (s) =>
      Option.map(
        Option.fromNullable(Store.findUser(s, sidOrIdentity)),
        (user) => toStored(identity.accountSid, s, user)
      )),
  requests: Effect.sync(() => store.requests.slice()),
  clearRequests: Effect.sync(() => {
    store.requests.length = 0
  }),
  injectFaults: (operation, faults, options) => Effect.sync(() => scriptFaults(store, operation, faults, options?.api)),
  pendingFaults: Effect.sync(() => {
    let n = 0
    for (const queue of store.faults.values()) n += queue.length
    return n
  }),
  clearFaults: Effect.sync(() => store.faults.clear()),
  // The options were valid at construction, so starting over cannot fail.
  reset: Effect.zipRight(Effect.sync(() => Store.clearStore(store)), Effect.orDie(start))
})

const make = (options: FakeTwilioChatOptions = {}): Effect.Effect<FakeTwilioChatService, FakeTwilioChatError> =>
  Effect.gen(function*() {
    const identity = yield* identityOf(options)
    const store = Store.makeStore(identity.seed)
    const start = Effect.suspend(() => {
      const service = Store.addService(store, identity.defaultServiceSid, null)
      if (typeof service === "string") return invalidOption(service)
      return Effect.asVoid(seedUsersIn(store, identity.accountSid)(service.sid, options.seedUsers ?? 0))
    })
    yield* start
    const control = controlOf(store, identity, start)
    return {
      ...control,
      baseUrl: identity.baseUrl,
      conversationsBaseUrl: identity.conversationsBaseUrl,
      authToken: Redacted.make(identity.authToken),
      apiKeySid: identity.apiKeySid,
      apiKeySecret: Redacted.make(identity.apiKeySecret),
      handle: Handler.handle({ ...identity, store, control })
    }
  })

const layer = (options?: FakeTwilioChatOptions): Layer.Layer<FakeTwilioChat, FakeTwilioChatError> =>
  Layer.effect(FakeTwilioChat, make(options))

/**
 * The in-memory Twilio Chat backend, to control from a test: services, users, recorded requests, faults, reset.
 *
 * `ChatTest.layer()` and `Emulator.layer()` provide it next to the client or the server that use it;
 * `FakeTwilioChat.layer()` provides it alone (feed its `handle` to an HTTP stack of your own).
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { ChatTest, FakeTwilioChat } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const fake = yield* FakeTwilioChat
 *   const chat = yield* ChatV2UserApi
 *   yield* chat.createUser(fake.defaultServiceSid, "alice")
 *   return yield* fake.users(fake.defaultServiceSid)
 * }).pipe(Effect.provide(ChatTest.layer()))
 * ```
 * @since 0.1.0
 * @category services
 */
export class FakeTwilioChat extends Context.Tag("@effect-twilio/chat-testing/FakeTwilioChat")<
  FakeTwilioChat,
  FakeTwilioChatService
>() {
  /**
   * Builds a fake with its default service (and `seedUsers` users in it, dated by `Clock`). Fails with a
   * `FakeTwilioChatError` for invalid options (a malformed `serviceSid` or `baseUrl`, a negative `seedUsers`).
   *
   * @example
   * ```ts
   * import { FakeTwilioChat } from "@effect-twilio/chat-testing"
   * import * as Effect from "effect/Effect"
   *
   * const fake = Effect.runSync(FakeTwilioChat.make({ seed: 42 }))
   * console.log(fake.defaultServiceSid)
   * ```
   * @since 0.1.0
   */
  static readonly make = make
  /**
   * A layer of the fake alone.
   *
   * @example
   * ```ts
   * import { FakeTwilioChat } from "@effect-twilio/chat-testing"
   *
   * const FakeLive = FakeTwilioChat.layer({ seedUsers: 10 })
   * ```
   * @since 0.1.0
   */
  static readonly layer = layer
}
