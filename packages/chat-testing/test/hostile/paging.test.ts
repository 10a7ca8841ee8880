/**
 * Paging is cycle-proof and stays on its collection. A server scripted per URL links pages into cycles, or sends the
 * next page off the Users path, into another service, or to another port: `streamUsers` fails with
 * `UnexpectedResponse` before requesting any URL twice (each user emitted at most once), and a refused next page
 * receives no request, from `streamUsers` or from `nextPage`.
 */
import type { ChatError, ChatV2ServiceUser, ListUserError } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import {
  httpServer,
  LAYERS,
  OTHER_SERVICE,
  pageJson,
  sendJson,
  type Server,
  SERVICE,
  userJson,
  userSid,
  usersPath,
  withChat
} from "./servers.js"

/** The first page's URL as the client builds it for `streamUsers(SERVICE, { pageSize: 1 })`. */
const FIRST = `${usersPath()}?PageSize=1`
const pageUrl = (token: string, page: number) => `${usersPath()}?PageSize=1&Page=${page}&PageToken=${token}`

/** A server answering a page of one user per scripted URL (path and query, as requested), and 404 elsewhere. */
const pager = Effect.gen(function*() {
  const pages = new Map<string, unknown>()
  const server = yield* httpServer((_, response, seen) => {
    const page = pages.get(seen.url)
    if (page === undefined) sendJson(response, 404, { code: 20404, message: "Not found", status: 404 })
    else sendJson(response, 200, page)
  })
  /** Serves at `path` a page whose one user is numbered `n`, whose next page is `next` (absolute). */
  const serve = (path: string, n: number, next: string | null, self = server.origin + path) =>
    pages.set(path, pageJson([userJson(userSid(n), `user-${n}`)], self, next, n))
  return { server, serve }
})

/** Runs the stream (at most 10 users, so a client that loops still ends), recording what it emitted. */
const walk = (stream: Stream.Stream<ChatV2ServiceUser, ListUserError>) =>
  Effect.suspend(() => {
    const emitted: Array<string> = []
    return Stream.runForEach(Stream.take(stream, 10), (user) => Effect.sync(() => emitted.push(user.sid))).pipe(
      Effect.either,
      Effect.map((result) => ({ result, emitted }))
    )
  })

interface Cycle {
  readonly what: string
  /** Scripts the pages: the first page is requested at `FIRST`. */
  readonly script: (
    serve: (path: string, n: number, next: string | null, self?: string) => void,
    origin: string
  ) => void
  /** The requests expected before the refusal: each URL once. */
  readonly requests: ReadonlyArray<string>
}

const CYCLES: ReadonlyArray<Cycle> = [
  {
    what: "1 -> B -> 1, back to the first page's URL as the server wrote it in its meta.url",
    script: (serve, origin) => {
      const firstAsWritten = origin + pageUrl("PA", 0)
      serve(FIRST, 1, origin + pageUrl("PB", 1), firstAsWritten)
      serve(pageUrl("PB", 1), 2, firstAsWritten)
      serve(pageUrl("PA", 0), 1, origin + pageUrl("PB", 1))
    },
    requests: [FIRST, pageUrl("PB", 1)]
  },
  {
    what: "1 -> B -> 1, back to the URL the first page was requested at",
    script: (serve, origin) => {
      serve(FIRST, 1, origin + pageUrl("PB", 1))
      serve(pageUrl("PB", 1), 2, origin + FIRST)
    },
    requests: [FIRST, pageUrl("PB", 1)]
  },
  {
    what: "1 -> A -> B -> A, a cycle of two pages after the first",
    script: (serve, origin) => {
      serve(FIRST, 1, origin + pageUrl("PA", 1))
      serve(pageUrl("PA", 1), 2, origin + pageUrl("PB", 2))
      serve(pageUrl("PB", 2), 3, origin + pageUrl("PA", 1))
    },
    requests: [FIRST, pageUrl("PA", 1), pageUrl("PB", 2)]
  },
  {
    what: "1 -> A -> B -> C -> A, a cycle of three pages",
    script: (serve, origin) => {
      serve(FIRST, 1, origin + pageUrl("PA", 1))
      serve(pageUrl("PA", 1), 2, origin + pageUrl("PB", 2))
      serve(pageUrl("PB", 2), 3, origin + pageUrl("PC", 3))
      serve(pageUrl("PC", 3), 4, origin + pageUrl("PA", 1))
    },
    requests: [FIRST, pageUrl("PA", 1), pageUrl("PB", 2), pageUrl("PC", 3)]
  }
]

/** How a walk or a `nextPage` ended. */
type Outcome = Either.Either<unknown, ChatError>

interface Refusal {
  readonly what: string
  /** The next page the first page links to, given the scripted server and a bystander on another port. */
  readonly next: (server: Server, other: Server) => string
  /** What the refusal's message must say. */
  readonly says: RegExp
  /** What it must not say. */
  readonly never?: RegExp
}

const REFUSALS: ReadonlyArray<Refusal> = [
  {
    what: "a path that merely ends in /v2/Services/{sid}/Users",
    next: (server) => `${server.origin}/2010-04-01/Accounts/AC0/Messages.json${usersPath()}?Page=1`,
    says: /\bpath\b|\/2010-04-01\/Accounts/i
  },
  {
    what: "another service's users on the same origin",
    next: (server) => `${server.origin}${usersPath(OTHER_SERVICE)}?PageSize=1&Page=1&PageToken=PX`,
    says: /\bservice\b/i
  },
  {
    what: "the same host on another port",
    next: (_, other) => `${other.origin}${usersPath()}?PageSize=1&Page=1&PageToken=PB`,
    says: /\bport\b/i,
    never: /uses http:\/\/, not http:\/\//
  }
]

describe.each(LAYERS)("paging over $name", ({ layer }) => {
  for (const cycle of CYCLES) {
    it.scopedLive(
      `streamUsers over ${cycle.what}: UnexpectedResponse after ${cycle.requests.length} requests, no URL twice, each user once`,
      () =>
        Effect.gen(function*() {
          const { serve, server } = yield* pager
          cycle.script(serve, server.origin)
          const { emitted, result } = yield* withChat(
            layer,
            server.origin,
            {},
            (chat) => walk(chat.streamUsers(SERVICE, { pageSize: 1 }))
          )
          expect(Either.isLeft(result) ? result.left : `success after ${emitted.length} users`).toMatchObject({
            _tag: "UnexpectedResponse"
          })
          expect(Either.isLeft(result) && result.left.message).toMatch(/cycle|already/i)
          expect(emitted).toEqual(cycle.requests.map((_, i) => userSid(i + 1)))
          expect(server.requests.map((r) => r.url)).toEqual(cycle.requests)
        }),
      15_000
    )
  }

  for (const refusal of REFUSALS) {
    for (const api of ["streamUsers", "nextPage"] as const) {
      it.scopedLive(
        `${api} refuses a next page on ${refusal.what}: UnexpectedResponse, and it receives nothing`,
        () =>
          Effect.gen(function*() {
            const other = yield* httpServer((_, response) => sendJson(response, 200, pageJson([], "x", null)))
            const { serve, server } = yield* pager
            const next = refusal.next(server, other)
            serve(FIRST, 1, next)
            const result = yield* withChat(layer, server.origin, {}, (chat): Effect.Effect<Outcome> =>
              api === "streamUsers"
                ? Effect.map(walk(chat.streamUsers(SERVICE, { pageSize: 1 })), ({ result }) =>
                  result)
                : Effect.either(Effect.flatMap(chat.listUser(SERVICE, { pageSize: 1 }), chat.nextPage)))
            expect(Either.isLeft(result) ? result.left : "the next page was followed").toMatchObject({
              _tag: "UnexpectedResponse"
            })
            const message = Either.isLeft(result) ? result.left.message : ""
            expect(message).toMatch(refusal.says)
            if (refusal.never) {
              expect(message).not.toMatch(refusal.never)
            }
            expect(server.requests.map((r) =>
              r.url
            )).toEqual([FIRST])
            expect(other.requests).toEqual([])
          }),
        15_000
      )
    }
  }
})
