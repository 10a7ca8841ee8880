/**
 * The fake's one routing table: Twilio's User API (`/v2/Services/{sid}/Users[/{user}]`) and the emulator's admin API
 * (`/__emulator/...`, a path Twilio never uses), matched by path segment and method.
 *
 * @internal
 */
import type { FakeOperation } from "./types.js"

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
    readonly operation: FakeOperation
    readonly serviceSid: string
    readonly user?: string | undefined
  }
  | { readonly _tag: "Admin"; readonly endpoint: AdminEndpoint; readonly serviceSid?: string | undefined }
  | { readonly _tag: "NotFound"; readonly admin: boolean }
  | { readonly _tag: "MethodNotAllowed"; readonly admin: boolean }

/** The path of the admin API: every route under it belongs to the emulator, none to Twilio. */
export const ADMIN_ROOT = "/__emulator"

type Target =
  | { readonly _tag: "Twilio"; readonly operation: FakeOperation }
  | { readonly _tag: "Admin"; readonly endpoint: AdminEndpoint }

interface Entry {
  /** Path segments; `:service` and `:user` match one non-empty segment, percent-decoded once. */
  readonly pattern: ReadonlyArray<string>
  readonly methods: Readonly<Record<string, Target>>
}

const twilio = (operation: FakeOperation): Target => ({ _tag: "Twilio", operation })
const admin = (endpoint: AdminEndpoint): Target => ({ _tag: "Admin", endpoint })
const entry = (path: string, methods: Readonly<Record<string, Target>>): Entry => ({
  pattern: path.split("/").slice(1),
  methods
})

const TABLE: ReadonlyArray<Entry> = [
  entry("/v2/Services/:service/Users", { GET: twilio("listUser"), POST: twilio("createUser") }),
  entry("/v2/Services/:service/Users/:user", {
    GET: twilio("fetchUser"),
    POST: twilio("updateUser"),
    DELETE: twilio("deleteUser")
  }),
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
      ? { _tag: "Twilio", operation: target.operation, serviceSid: params.service, user: params.user }
      : { _tag: "Admin", endpoint: target.endpoint, serviceSid: params.service }
  }
  return { _tag: "NotFound", admin: adminPath }
}
