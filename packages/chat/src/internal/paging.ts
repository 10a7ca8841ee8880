/**
 * Following `next_page_url`: where a next page may be fetched from (the configured origin or Twilio's own, on the
 * exact collection it was listed from), and a trail of the pages read so that no page is requested twice.
 *
 * @internal
 */

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

const SERVICE_USERS = /^\/v2\/Services\/(IS[0-9a-fA-F]{32})\/Users$/

/**
 * Where to send the request for `nextPageUrl`, listed from `collectionPath` (`/v2/Services/{sid}/Users`) of the
 * configured `baseUrl`. Twilio answers absolute URLs on its own host (`twilioOrigin`), an emulator or a proxy on
 * the configured one: either is re-issued against the configured base URL. Anything else is refused: another
 * scheme, host or port, credentials in the URL, or any path but exactly the collection's (no prefix, no other
 * service), so the credentials never leave for a place they were not meant for.
 */
export const nextPageTarget = (
  baseUrl: string,
  twilioOrigin: string,
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
  if (!onBase && next.origin !== twilioOrigin) {
    return { ok: false, reason: `next_page_url ${originDifference(next, base)}` }
  }
  const prefix = onBase ? base.pathname.replace(/\/+$/, "") : ""
  if (next.pathname.toLowerCase() !== (prefix + collectionPath).toLowerCase()) {
    const other = next.pathname.startsWith(prefix) ? SERVICE_USERS.exec(next.pathname.slice(prefix.length)) : null
    return {
      ok: false,
      reason: other !== null
        ? `next_page_url points at the users of another service (${other[1]})`
        : `next_page_url's path is not the collection the page was listed from (${collectionPath})`
    }
  }
  return { ok: true, url: baseUrl + collectionPath + next.search }
}
