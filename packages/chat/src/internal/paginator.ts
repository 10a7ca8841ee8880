/**
 * The paginator: `listUser`'s first page, `nextPage`, and `streamUsers`, a lazy `Stream` of every user that follows
 * `next_page_url` only onto the collection it started from and never requests a page twice.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { InvalidRequest } from "../ChatError.js"
import type { ListUserError, NextPageError } from "../ChatError.js"
import type { ListUserOptions, StreamUsersOptions } from "../UserOptions.js"
import type { Api, Page, Scope } from "./api.js"
import * as Errors from "./errors.js"
import { spanned } from "./operations.js"
import * as Paging from "./paging.js"
import * as Validate from "./validate.js"
import * as Wire from "./wire.js"

/** Reads the page at a URL (already checked) with the list's rules. */
export type GetPage<P> = (url: string) => Effect.Effect<P, NextPageError>

export interface Paginator<User, P extends Page<User>> {
  /** Reads the first page of a listing at `url` of the collection of `scope`, remembering it for `nextPage`. */
  readonly first: (scope: Scope, url: string) => Effect.Effect<P, NextPageError>
  /** The page after `page`, or `None` on the last. */
  readonly nextPage: (page: P) => Effect.Effect<Option.Option<P>, ListUserError>
  /** Every user of the collection of `scope` (already validated), lazily. */
  readonly stream: (scope: Scope, options: StreamUsersOptions | undefined) => Stream.Stream<User, ListUserError>
}

/** The options both a list and a stream take, checked: an object (or nothing) and its page size. */
const pagingInvalid = (
  options: { readonly pageSize?: number | undefined } | undefined,
  maxPageSize: number
): InvalidRequest | undefined =>
  Validate.options(options) ?? Validate.pageSize("options.pageSize", options?.pageSize, maxPageSize)

/** The options of a list, checked: the scope is validated by the operation. */
export const listOptionsInvalid = (
  options: ListUserOptions | undefined,
  maxPageSize: number
): InvalidRequest | undefined =>
  pagingInvalid(options, maxPageSize) ?? Validate.page(options?.page) ?? Validate.pageToken(options?.pageToken)

/** Where a page came from: its collection, and the pages requested before it in its chain. */
interface Origin {
  readonly collectionPath: string
  readonly trail: Paging.Trail
}

/** Where a stream is: the first page's URL (built by us), or the `next_page_url` of the page just read. */
type State = { readonly first: true; readonly url: string } | { readonly first: false; readonly next: string }

const refuse = (operation: string, reason: string) => Effect.fail(Errors.refusedNextPage(operation, reason))
const cycle = "next_page_url leads back to a page already requested (a cycle)"

/** What `nextPage` needs of its argument; anything else (`null`, a page's JSON, …) is refused. */
const isPage = (page: unknown): page is Page<unknown> => {
  const meta = typeof page === "object" && page !== null ? (page as { readonly meta?: unknown }).meta : undefined
  if (typeof meta !== "object" || meta === null) return false
  const { nextPageUrl, url } = meta as { readonly nextPageUrl?: unknown; readonly url?: unknown }
  return typeof url === "string" && (nextPageUrl === null || typeof nextPageUrl === "string")
}

const notAPage = new InvalidRequest({ field: "page", message: "Expected a page of users from listUser or nextPage" })

/** The options of a stream, checked: the scope is validated by the operation. */
export const streamOptionsInvalid = (
  options: StreamUsersOptions | undefined,
  maxPageSize: number
): InvalidRequest | undefined => pagingInvalid(options, maxPageSize) ?? Validate.limit(options?.limit)

/**
 * A page's own URL (`meta.url`) as the client would request it, when it is on the collection: a `next_page_url`
 * back to it leads to a page already read, though not by that URL.
 */
const selfUrl = (
  paths: Paging.Paths,
  base: string,
  collectionPath: string,
  page: Page<unknown>
): string | undefined => {
  const self = Paging.nextPageTarget(paths, base, collectionPath, page.meta.url)
  return self.ok ? self.url : undefined
}

/** `trail` extended by the URL a page was requested at and by its own URL. */
const extend = (trail: Paging.Trail | undefined, requested: string, self: string | undefined): Paging.Trail => {
  const withRequested = { url: requested, previous: trail }
  return self === undefined || self === requested ? withRequested : { url: self, previous: withRequested }
}

export const make = <User, P extends Page<User>>(
  api: Api<User, P>,
  base: string,
  getPage: GetPage<P>
): Paginator<User, P> => {
  const origins = new WeakMap<Page<unknown>, Origin>()
  const NEXT = api.name + ".nextPage"

  /** Notes where `page` came from, for `nextPage`. */
  const remember = (collectionPath: string, previous: Paging.Trail | undefined, url: string) => (page: P) => {
    origins.set(page, { collectionPath, trail: extend(previous, url, selfUrl(api, base, collectionPath, page)) })
    return page
  }

  const first = (scope: Scope, url: string) =>
    Effect.map(getPage(url), remember(api.collectionPath(scope), undefined, url))

  /** The origin of a page this client did not list (decoded elsewhere): its own `url`, held to the same rules. */
  const originOf = (page: Page<unknown>): Origin | string => {
    const known = origins.get(page)
    if (known !== undefined) return known
    const match = api.collectionAtEnd(URL.canParse(page.meta.url) ? new URL(page.meta.url).pathname : "")
    if (match === undefined) return "the page's url is not a Users collection"
    const collectionPath = match.path
    const self = Paging.nextPageTarget(api, base, collectionPath, page.meta.url)
    return self.ok ? { collectionPath, trail: { url: self.url, previous: undefined } } : self.reason
  }

  const nextPage: Paginator<User, P>["nextPage"] = (page) => {
    if (!isPage(page)) return Effect.fail(notAPage)
    const next = page.meta.nextPageUrl
    if (next === null) return Effect.succeedNone
    const origin = originOf(page)
    if (typeof origin === "string") return refuse(NEXT, origin)
    const target = Paging.nextPageTarget(api, base, origin.collectionPath, next)
    if (!target.ok) return refuse(NEXT, target.reason)
    if (Paging.visited(origin.trail, target.url)) return refuse(NEXT, cycle)
    const noted = remember(origin.collectionPath, origin.trail, target.url)
    return spanned(NEXT, undefined, Effect.map(getPage(target.url), (p) => Option.some(noted(p))))
  }

  return { first, nextPage, stream: stream(api, base, getPage) }
}

/** `streamUsers`: one page per pull, following each page's `next_page_url` under the rules of `nextPageTarget`. */
const stream = <User, P extends Page<User>>(
  api: Api<User, P>,
  base: string,
  getPage: GetPage<P>
): Paginator<User, P>["stream"] =>
(scope, options) => {
  const STREAM = api.name + ".streamUsers"
  const PAGE = STREAM + ".page"
  const serviceSid = typeof scope === "string" ? scope : undefined
  const pageSize = Math.min(options?.limit ?? api.maxPageSize, options?.pageSize ?? api.maxPageSize)
  const collectionPath = api.collectionPath(scope)
  const firstUrl = base + collectionPath + "?" + Wire.listQuery({ pageSize })
  // The URLs requested so far, per run of the stream (a `Stream` value may be run many times).
  const pages = Stream.suspend(() => {
    const requested = new Set<string>()
    const step = (state: State): Effect.Effect<readonly [Chunk.Chunk<User>, Option.Option<State>], ListUserError> => {
      const target = state.first
        ? { ok: true as const, url: state.url }
        : Paging.nextPageTarget(api, base, collectionPath, state.next)
      if (!target.ok) return refuse(STREAM, target.reason)
      if (requested.has(target.url)) return refuse(STREAM, cycle)
      requested.add(target.url)
      return spanned(
        PAGE,
        serviceSid,
        Effect.map(getPage(target.url), (page) => {
          const self = selfUrl(api, base, collectionPath, page)
          if (self !== undefined) requested.add(self)
          const next = page.meta.nextPageUrl
          return [
            Chunk.unsafeFromArray(page.users as Array<User>),
            next === null ? Option.none() : Option.some<State>({ first: false, next })
          ] as const
        })
      )
    }
    return Stream.paginateChunkEffect<State, User, ListUserError, never>({ first: true, url: firstUrl }, step)
  })
  return options?.limit === undefined ? pages : Stream.take(pages, options.limit)
}
