/**
 * The shapes the fake's modules share: requests and answers, recorded requests, stored users and services, and the
 * control API the admin routes drive. `FakeTwilioChat` re-exports them under their public names; the handler, the
 * store and the admin routes import them from here, so no internal module imports the public one. (Not marked
 * internal for the declaration build: the public declarations refer to these, so their `.d.ts` keeps its imports.)
 */
import type * as DateTime from "effect/DateTime"
import type * as Effect from "effect/Effect"
import type { Fault } from "../Fault.js"

/**
 * The two APIs the fake serves over one store: Twilio Chat V2 Users (`/v2/Services/{sid}/Users`) and Conversations
 * v1 Users (`/v1/Services/{sid}/Users`, and the account's default service at `/v1/Users`).
 */
export type FakeApi = "chat" | "conversations"

/** Both APIs. */
export const APIS: readonly ["chat", "conversations"] = ["chat", "conversations"]

/**
 * The five operations of the User API, the same on both APIs, as the fake routes requests (faults are scripted per
 * operation, on one API or both).
 */
export type FakeOperation = "createUser" | "fetchUser" | "updateUser" | "deleteUser" | "listUser"

/** Every operation, in the order the API documents them. */
export const OPERATIONS: ReadonlyArray<FakeOperation> = [
  "createUser",
  "fetchUser",
  "updateUser",
  "deleteUser",
  "listUser"
]

/** An HTTP request: `path` raw (percent-encoded, without the query), `query` raw without `?`. */
export interface FakeRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** The fake's answer: a status, headers and a body (possibly cut, stalled or padded), or a reset connection. */
export type FakeResponse =
  | {
    readonly _tag: "Answer"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
    readonly truncated: boolean
    /** Half of the body is sent, then nothing more: the connection stays open until the client closes it. */
    readonly stalled?: boolean | undefined
    /**
     * `bytes` spaces follow the body (still valid JSON), streamed in chunks; without a `Content-Length` unless
     * `contentLength`, in which case it announces the whole size.
     */
    readonly padding?: { readonly bytes: number; readonly contentLength: boolean } | undefined
  }
  | { readonly _tag: "Reset" }

/** A request the fake received, credentials redacted. */
export interface RecordedRequest {
  /** The operation the request was routed to, or `null` for a path the API does not have. */
  readonly operation: FakeOperation | null
  /** The API of the path (`/v2/...` Chat V2, `/v1/...` Conversations), or `null` for a path of neither. */
  readonly api: FakeApi | null
  readonly method: string
  /** The raw, percent-encoded path. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  /** The fields of an `application/x-www-form-urlencoded` body; empty otherwise. */
  readonly form: Readonly<Record<string, string>>
  /** Lower-case names; `authorization`, `proxy-authorization` and `cookie` are `"[redacted]"`. */
  readonly headers: Readonly<Record<string, string>>
  /** The username of the Basic credentials, or `null` when there were none. */
  readonly username: string | null
  /** When the request arrived, in epoch milliseconds of Effect's `Clock` (so `TestClock` in tests). */
  readonly receivedAt: number
}

/** A user as the fake stores it. */
export interface StoredUser {
  readonly sid: string
  readonly accountSid: string
  readonly serviceSid: string
  readonly identity: string
  readonly friendlyName: string | null
  readonly roleSid: string
  /** The JSON text, `"{}"` when never set. */
  readonly attributes: string
  readonly isOnline: boolean | null
  readonly isNotifiable: boolean | null
  readonly joinedChannelsCount: number
  readonly dateCreated: DateTime.Utc
  readonly dateUpdated: DateTime.Utc
}

/** A Chat Service of the fake. */
export interface ServiceInfo {
  readonly sid: string
  readonly friendlyName: string | null
  /** The role new users get when created without `RoleSid`. */
  readonly defaultRoleSid: string
}

/** A user to seed: `attributes` as JSON text or as a value to serialize. */
export interface SeedUser {
  readonly identity: string
  readonly friendlyName?: string | undefined
  readonly roleSid?: string | undefined
  readonly attributes?: string | Readonly<Record<string, unknown>> | undefined
  /** Returned by fetch, create and update (never by list). Default `null`, as with reachability off. */
  readonly isOnline?: boolean | null | undefined
  /** Returned by fetch, create and update (never by list). Default `null`. */
  readonly isNotifiable?: boolean | null | undefined
}

/** Which API a scripted fault applies to: `api` alone, or (without it) both. */
export interface FaultTarget {
  readonly api?: FakeApi | undefined
}

/** A misuse of the control API, as the admin routes report it. */
export interface ControlError {
  readonly message: string
}

/** The fake's control API, as the admin routes (`/__emulator/...`) drive it. */
export interface Control {
  readonly defaultServiceSid: string
  readonly createService: (options?: {
    readonly sid?: string | undefined
    readonly friendlyName?: string | undefined
  }) => Effect.Effect<ServiceInfo, ControlError>
  readonly services: Effect.Effect<ReadonlyArray<ServiceInfo>>
  readonly seedUsers: (
    serviceSid: string,
    users: number | ReadonlyArray<SeedUser>
  ) => Effect.Effect<ReadonlyArray<StoredUser>, ControlError>
  readonly users: (serviceSid: string) => Effect.Effect<ReadonlyArray<StoredUser>, ControlError>
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly clearRequests: Effect.Effect<void>
  readonly injectFaults: (
    operation: FakeOperation,
    faults: ReadonlyArray<Fault>,
    options?: FaultTarget | undefined
  ) => Effect.Effect<void>
  readonly pendingFaults: Effect.Effect<number>
  readonly clearFaults: Effect.Effect<void>
  readonly reset: Effect.Effect<void>
}
