/**
 * Following `next_page_url`: where a next page may be fetched from (the configured origin or Twilio's own, on the
 * exact collection it was listed from), and a trail of the pages read so that no page is requested twice.
 *
 * @internal
 */
import type { Api, Page } from "./api.js"

/** What paging needs of an API: Twilio's origin for it, and how its collections look. */
export type Paths = Pick<Api<unknown, Page<unknown>>, "twilioOrigin" | "collectionAtEnd">

/** Where a next page is fetched, or exactly why not. */
export type Target = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string }

/** The pages already requested in one walk (a stream, or a chain of `nextPage` calls). */
export interface Trail {
  readonly url: string
  readonly previous: Trail | undefined
}

/** Whether `url` was already requested along `trail`. */
export const visited = (trail: Trail | undefined, url: string): boolean => {
  for (let t = trail; t !== undefined; t = t.previous) if (t.url === url) return true
  return false
}

const defaultPort = (protocol: string) => protocol === "https:" ? "443" : protocol === "http:" ? "80" : ""

/** How `next` differs from `base` in origin: `in scheme and host`, `in port`. */
const originDifference = (next: URL, base: URL): string => {
  const parts: Array<string> = []
  if (next.protocol !== base.protocol) parts.push("scheme")
  if (next.hostname !== base.hostname) parts.push("host")
  if ((next.port || defaultPort(next.protocol)) !== (base.port || defaultPort(base.protocol))) parts.push("port")
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`
  return `is on ${next.origin}, which differs from the configured ${base.origin} in ${list}`
}

/** What the refusal of a path says: another collection of the API, or not one at all. */
const pathRefusal = (api: Paths, path: string | undefined, collectionPath: string): string => {
  const other = path === undefined ? undefined : api.collectionAtEnd(path)
  if (other === undefined || other.path !== path) {
    return `next_page_url's path is not the collection the page was listed from (${collectionPath})`
  }
  return `next_page_url points at the users of ${
    other.service === undefined ? "the default service" : `another service (${other.service})`
  }`
}

/**
 * Where to send the request for `nextPageUrl`, listed from `collectionPath` (`/v2/Services/{sid}/Users`) of the
 * configured `baseUrl`. Twilio answers absolute URLs on its own host (the API's `twilioOrigin`), an emulator or a proxy on
 * the configured one: either is re-issued against the configured base URL. Anything else is refused: another
 * scheme, host or port, credentials in the URL, or any path but exactly the collection's (no prefix, no other
 * service), so the credentials never leave for a place they were not meant for.
 */
export const nextPageTarget = (
  api: Paths,
  baseUrl: string,
  collectionPath: string,
  nextPageUrl: string
): Target => {
  let next: URL
  const base = new URL(baseUrl)
  try {
    next = new URL(nextPageUrl)
  } catch {
    return { ok: false, reason: "next_page_url is not an absolute URL" }
  }
  if (next.username !== "" || next.password !== "") return { ok: false, reason: "next_page_url carries credentials" }
  const onBase = next.origin === base.origin
  if (!onBase && next.origin !== api.twilioOrigin) {
    return { ok: false, reason: `next_page_url ${originDifference(next, base)}` }
  }
  const prefix = onBase ? base.pathname.replace(/\/+$/, "") : ""
  if (next.pathname.toLowerCase() !== (prefix + collectionPath).toLowerCase()) {
    const path = next.pathname.startsWith(prefix) ? next.pathname.slice(prefix.length) : undefined
    return { ok: false, reason: pathRefusal(api, path, collectionPath) }
  }
  return { ok: true, url: baseUrl + collectionPath + next.search }
}
