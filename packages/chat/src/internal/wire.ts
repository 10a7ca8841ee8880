/**
 * The wire encoding of every request, for both APIs: path segments, query strings, form bodies and headers (the
 * paths of each API are in `api.ts`).
 *
 * @internal
 */

/**
 * Encodes a user SID or identity as exactly one path segment. `encodeURIComponent` leaves `.` alone, and URL
 * parsers resolve `.` and `..` segments (even as `%2E`), so those two identities cannot be addressed by path:
 * validation rejects them before this runs.
 */
export const encodeSegment = (sid: string): string => encodeURIComponent(sid)

/** The one query parameter encoder: what `encodeURIComponent` gives (space as `%20`, as the official client). */
export const encodeForm = (fields: ReadonlyArray<readonly [string, string | undefined]>): string => {
  let out = ""
  for (const [key, value] of fields) {
    if (value === undefined) continue
    if (out !== "") out += "&"
    out += key + "=" + encodeURIComponent(value)
  }
  return out
}

/** The form fields of create and update, in Twilio's PascalCase; unset options are left out. */
export const userForm = (
  identity: string | undefined,
  options: {
    readonly attributesJson?: string | undefined
    readonly friendlyName?: string | undefined
    readonly roleSid?: string | undefined
  }
): string =>
  encodeForm([
    ["Identity", identity],
    ["RoleSid", options.roleSid],
    ["Attributes", options.attributesJson],
    ["FriendlyName", options.friendlyName]
  ])

/** The query of a list request. */
export const listQuery = (options: {
  readonly pageSize?: number | undefined
  readonly page?: number | undefined
  readonly pageToken?: string | undefined
}): string =>
  encodeForm([
    ["PageSize", options.pageSize === undefined ? undefined : String(options.pageSize)],
    ["Page", options.page === undefined ? undefined : String(options.page)],
    ["PageToken", options.pageToken]
  ])

/** The `Authorization` value of HTTP Basic auth, computed once per client. */
export const basicAuthorization = (username: string, password: string): string => {
  const bytes = new TextEncoder().encode(`${username}:${password}`)
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return `Basic ${btoa(binary)}`
}
