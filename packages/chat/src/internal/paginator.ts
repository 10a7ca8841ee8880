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
import type { ChatV2ServiceUser, ListUserResponse } from "../ChatV2ServiceUser.js"
import type { ChatV2UserApiService, StreamUsersOptions } from "../ChatV2UserApi.js"
import * as Errors from "./errors.js"
import type { Engine } from "./operations.js"
import { spanned } from "./operations.js"
import * as Paging from "./paging.js"
import * as Validate from "./validate.js"
import * as Wire from "./wire.js"

/** Reads the page at a URL (already checked) with the list's rules. */
export type GetPage = (url: string) => Effect.Effect<ListUserResponse, NextPageError>

export interface Paginator {
  /** Reads the first page of a listing, remembering where it came from for `nextPage`. */
  readonly first: (serviceSid: string, url: string) => Effect.Effect<ListUserResponse, NextPageError>
  readonly nextPage: ChatV2UserApiService["nextPage"]
  readonly stream: ChatV2UserApiService["streamUsers"]
}

/** Where a page came from: its collection, and the pages requested before it in its chain. */
interface Origin {
  readonly collectionPath: string
  readonly trail: Paging.Trail
}

/** Where a stream is: the first page's URL (built by us), or the `next_page_url` of the page just read. */
type State = { readonly first: true; readonly url: string } | { readonly first: false; readonly next: string }

const refuse = (operation: string, reason: string) => Effect.fail(Errors.refusedNextPage(operation, reason))
const cycle = "next_page_url leads back to a page already requested (a cycle)"
const STREAM = "ChatV2UserApi.streamUsers"

/** What `nextPage` needs of its argument; anything else (`null`, a page's JSON, …) is refused. */
const isPage = (page: unknown): page is ListUserResponse => {
  const meta = typeof page === "object" && page !== null ? (page as { readonly meta?: unknown }).meta : undefined
  if (typeof meta !== "object" || meta === null) return false
  const { nextPageUrl, url } = meta as { readonly nextPageUrl?: unknown; readonly url?: unknown }
  return typeof url === "string" && (nextPageUrl === null || typeof nextPageUrl === "string")
}

const notAPage = new InvalidRequest({ field: "page", message: "Expected a page of users from listUser or nextPage" })

const SERVICE_USERS_AT_END = /\/v2\/Services\/(IS[0-9a-fA-F]{32})\/Users$/

const streamInvalid = (serviceSid: string, options: StreamUsersOptions | undefined): InvalidRequest | undefined => {
  const o = options ?? {}
  return Validate.serviceSid(serviceSid) ?? Validate.options(options) ??
    Validate.pageSize("options.pageSize", o.pageSize) ?? Validate.limit(o.limit)
}

/**
 * A page's own URL (`meta.url`) as the client would request it, when it is on the collection: a `next_page_url`
 * back to it leads to a page already read, though not by that URL.
 */
const selfUrl = (base: string, collectionPath: string, page: ListUserResponse): string | undefined => {
  const self = Paging.nextPageTarget(base, Wire.TWILIO_CHAT_ORIGIN, collectionPath, page.meta.url)
  return self.ok ? self.url : undefined
}

/** `trail` extended by the URL a page was requested at and by its own URL. */
const extend = (trail: Paging.Trail | undefined, requested: string, self: string | undefined): Paging.Trail => {
  const withRequested = { url: requested, previous: trail }
  return self === undefined || self === requested ? withRequested : { url: self, previous: withRequested }
}

export const make = (engine: Engine, getPage: GetPage): Paginator => {
  const base = engine.baseUrl
  const origins = new WeakMap<ListUserResponse, Origin>()

  /** Notes where `page` came from, for `nextPage`. */
  const remember =
    (collectionPath: string, previous: Paging.Trail | undefined, url: string) => (page: ListUserResponse) => {
      origins.set(page, { collectionPath, trail: extend(previous, url, selfUrl(base, collectionPath, page)) })
      return page
    }

  const first = (serviceSid: string, url: string) =>
    Effect.map(getPage(url), remember(Wire.usersPath(serviceSid), undefined, url))

  /** The origin of a page this client did not list (decoded elsewhere): its own `url`, held to the same rules. */
  const originOf = (page: ListUserResponse): Origin | string => {
    const known = origins.get(page)
    if (known !== undefined) return known
    const match = SERVICE_USERS_AT_END.exec(URL.canParse(page.meta.url) ? new URL(page.meta.url).pathname : "")
    if (match === null) return "the page's url is not a Users collection"
    const collectionPath = Wire.usersPath(match[1])
    const self = Paging.nextPageTarget(base, Wire.TWILIO_CHAT_ORIGIN, collectionPath, page.meta.url)
    return self.ok ? { collectionPath, trail: { url: self.url, previous: undefined } } : self.reason
  }

  const nextPage: Paginator["nextPage"] = (page) => {
    if (!isPage(page)) return Effect.fail(notAPage)
    const next = page.meta.nextPageUrl
    if (next === null) return Effect.succeedNone
    const origin = originOf(page)
    if (typeof origin === "string") return refuse("ChatV2UserApi.nextPage", origin)
    const target = Paging.nextPageTarget(base, Wire.TWILIO_CHAT_ORIGIN, origin.collectionPath, next)
    if (!target.ok) return refuse("ChatV2UserApi.nextPage", target.reason)
    if (Paging.visited(origin.trail, target.url)) return refuse("ChatV2UserApi.nextPage", cycle)
    const noted = remember(origin.collectionPath, origin.trail, target.url)
    return spanned("ChatV2UserApi.nextPage", undefined, Effect.map(getPage(target.url), (p) => Option.some(noted(p))))
  }

  return { first, nextPage, stream: stream(base, getPage) }
}

/** `streamUsers`: one page per pull, following each page's `next_page_url` under the rules of `nextPageTarget`. */
const stream = (base: string, getPage: GetPage): Paginator["stream"] => (serviceSid, options) => {
  const invalid = streamInvalid(serviceSid, options)
  if (invalid) return Stream.fail(invalid)
  const pageSize = Math.min(options?.limit ?? 100, options?.pageSize ?? 100)
  const collectionPath = Wire.usersPath(serviceSid)
  const firstUrl = base + collectionPath + "?" + Wire.listQuery({ pageSize })
  // The URLs requested so far, per run of the stream (a `Stream` value may be run many times).
  const pages = Stream.suspend(() => {
    const requested = new Set<string>()
    const step = (state: State): Effect.Effect<
      readonly [Chunk.Chunk<ChatV2ServiceUser>, Option.Option<State>],
      ListUserError
    > => {
      const target = state.first
        ? { ok: true as const, url: state.url }
        : Paging.nextPageTarget(base, Wire.TWILIO_CHAT_ORIGIN, collectionPath, state.next)
      if (!target.ok) return refuse(STREAM, target.reason)
      if (requested.has(target.url)) return refuse(STREAM, cycle)
      requested.add(target.url)
      return spanned(
        "ChatV2UserApi.streamUsers.page",
        serviceSid,
        Effect.map(getPage(target.url), (page) => {
          const self = selfUrl(base, collectionPath, page)
          if (self !== undefined) requested.add(self)
          const next = page.meta.nextPageUrl
          return [
            Chunk.unsafeFromArray(page.users),
            next === null ? Option.none() : Option.some<State>({ first: false, next })
          ] as const
        })
      )
    }
    return Stream.paginateChunkEffect<State, ChatV2ServiceUser, ListUserError, never>(
      { first: true, url: firstUrl },
      step
    )
  })
  return options?.limit === undefined ? pages : Stream.take(pages, options.limit)
}
