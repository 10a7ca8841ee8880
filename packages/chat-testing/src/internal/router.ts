/**
 * The fake's one routing table: Twilio's User APIs (Chat V2 `/v2/Services/{sid}/Users[/{user}]`, Conversations v1
 * `/v1/Services/{sid}/Users[/{user}]` and the default service's `/v1/Users[/{user}]`) and the emulator's admin API
 * (`/__emulator/...`, a path Twilio never uses), matched by path segment and method.
 *
 * @internal
 */
import type { FakeApi, FakeOperation } from "./types.js"

/** What the admin API does, one per route. */
export type AdminEndpoint =
  | "listServices"
  | "createService"
  | "listUsers"
  | "seedUsers"
  | "listRequests"
  | "clearRequests"
  | "listFaults"
  | "injectFaults"
  | "clearFaults"
  | "reset"

/** Where a request goes: a User API operation, an admin endpoint, or nowhere (404 or 405). */
export type Route =
  | {
    readonly _tag: "Twilio"
    readonly api: FakeApi
    readonly operation: FakeOperation
    /** The service of the path; `undefined` on `/v1/Users...`: the account's default service. */
    readonly serviceSid: string | undefined
    /** The collection the request reached, service SID decoded: `/v2/Services/IS.../Users`, `/v1/Users`. */
    readonly collectionPath: string
    readonly user?: string | undefined
  }
  | { readonly _tag: "Admin"; readonly endpoint: AdminEndpoint; readonly serviceSid?: string | undefined }
  | { readonly _tag: "NotFound"; readonly admin: boolean }
  | { readonly _tag: "MethodNotAllowed"; readonly admin: boolean }

/** The path of the admin API: every route under it belongs to the emulator, none to Twilio. */
export const ADMIN_ROOT = "/__emulator"

type Target =
  | {
    readonly _tag: "Twilio"
    readonly api: FakeApi
    readonly operation: FakeOperation
    /** The collection's path, `:service` standing for the service's segment. */
    readonly collection: string
  }
  | { readonly _tag: "Admin"; readonly endpoint: AdminEndpoint }

interface Entry {
  /** Path segments; `:service` and `:user` match one non-empty segment, percent-decoded once. */
  readonly pattern: ReadonlyArray<string>
  readonly methods: Readonly<Record<string, Target>>
}

const admin = (endpoint: AdminEndpoint): Target => ({ _tag: "Admin", endpoint })
const entry = (path: string, methods: Readonly<Record<string, Target>>): Entry => ({
  pattern: path.split("/").slice(1),
  methods
})

/** The five operations of an API on a collection of users and its instances. */
const userRoutes = (api: FakeApi, collection: string): ReadonlyArray<Entry> => {
  const to = (operation: FakeOperation): Target => ({ _tag: "Twilio", api, operation, collection })
  return [
    entry(collection, { GET: to("listUser"), POST: to("createUser") }),
    entry(`${collection}/:user`, { GET: to("fetchUser"), POST: to("updateUser"), DELETE: to("deleteUser") })
  ]
}

const TABLE: ReadonlyArray<Entry> = [
  ...userRoutes("chat", "/v2/Services/:service/Users"),
  ...userRoutes("conversations", "/v1/Services/:service/Users"),
  ...userRoutes("conversations", "/v1/Users"),
  entry(`${ADMIN_ROOT}/services`, { GET: admin("listServices"), POST: admin("createService") }),
  entry(`${ADMIN_ROOT}/services/:service/users`, { GET: admin("listUsers"), POST: admin("seedUsers") }),
  entry(`${ADMIN_ROOT}/requests`, { GET: admin("listRequests"), DELETE: admin("clearRequests") }),
  entry(`${ADMIN_ROOT}/faults`, {
    GET: admin("listFaults"),
    POST: admin("injectFaults"),
    DELETE: admin("clearFaults")
  }),
  entry(`${ADMIN_ROOT}/reset`, { POST: admin("reset") })
]

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/** The parameters of `segments` under `pattern`, or `undefined` when it does not match. */
const match = (
  pattern: ReadonlyArray<string>,
  segments: ReadonlyArray<string>
): Readonly<Record<string, string>> | undefined => {
  if (pattern.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    if (!pattern[i].startsWith(":")) {
      if (pattern[i] !== segments[i]) return undefined
      continue
    }
    const value = decodeSegment(segments[i])
    if (value === undefined || value.length === 0) return undefined
    params[pattern[i].slice(1)] = value
  }
  return params
}

/** The API a path belongs to by its version segment (`/v2/...` Chat V2, `/v1/...` Conversations), if any. */
export const apiOf = (path: string): FakeApi | null =>
  path.startsWith("/v2/") ? "chat" : path.startsWith("/v1/") ? "conversations" : null

const isAdminPath = (path: string): boolean => path === ADMIN_ROOT || path.startsWith(`${ADMIN_ROOT}/`)

/** Routes a request by its method and raw path (without the query). */
export const route = (method: string, path: string): Route => {
  const adminPath = isAdminPath(path)
  if (!path.startsWith("/")) return { _tag: "NotFound", admin: adminPath }
  const segments = path.split("/").slice(1)
  for (const { methods, pattern } of TABLE) {
    const params = match(pattern, segments)
    if (params === undefined) continue
    const target = Object.hasOwn(methods, method) ? methods[method] : undefined
    if (target === undefined) return { _tag: "MethodNotAllowed", admin: adminPath }
    return target._tag === "Twilio"
      ? {
        _tag: "Twilio",
        api: target.api,
        operation: target.operation,
        serviceSid: params.service,
        collectionPath: params.service === undefined
          ? target.collection
          : target.collection.replace(":service", () => params.service),
        user: params.user
      }
      : { _tag: "Admin", endpoint: target.endpoint, serviceSid: params.service }
  }
  return { _tag: "NotFound", admin: adminPath }
}
