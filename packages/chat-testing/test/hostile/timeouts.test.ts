/**
 * The timeout always holds. With `timeout: "300 millis"` and no retry, a server that accepts and never answers, or
 * answers headers and stalls mid-body, fails the call with `TransportError` ("Timeout") within 2 s, wherever the
 * call runs: plainly, in the acquire or the release of `acquireRelease`, under `Effect.uninterruptible`, in a
 * finalizer. The servers give up on their sockets after 3 s, so a client that waits for them shows up as a slow
 * test, not a hung one. And the caller's interruption still stops everything at once.
 */
import type { ChatError, ChatV2UserApiService } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"
import {
  eventually,
  failureOf,
  LAYERS,
  type Server,
  SERVICE,
  silentServer,
  stalledServer,
  timed,
  USER,
  withChat
} from "./servers.js"

/** Where the call runs: each returns the call's own exit, once everything around it (scopes, finalizers) is done. */
const PLACES: ReadonlyArray<
  readonly [string, (chat: ChatV2UserApiService) => Effect.Effect<Exit.Exit<unknown, ChatError>>]
> = [
  ["fetchUser, plainly", (chat) => Effect.exit(chat.fetchUser(SERVICE, USER))],
  [
    "createUser in the acquire of Effect.acquireRelease",
    (chat) => Effect.scoped(Effect.acquireRelease(Effect.exit(chat.createUser(SERVICE, "alice")), () => Effect.void))
  ],
  [
    "deleteUser in the release of Effect.acquireRelease",
    (chat) =>
      Effect.suspend(() => {
        let recorded: Exit.Exit<unknown, ChatError> = Exit.die("the release did not run")
        return Effect.scoped(
          Effect.acquireRelease(
            Effect.void,
            () => Effect.map(Effect.exit(chat.deleteUser(SERVICE, USER)), (exit) => void (recorded = exit))
          )
        ).pipe(Effect.map(() => recorded))
      })
  ],
  [
    "fetchUser under Effect.uninterruptible",
    (chat) => Effect.exit(Effect.uninterruptible(chat.fetchUser(SERVICE, USER)))
  ],
  [
    "updateUser in an Effect.addFinalizer",
    (chat) =>
      Effect.suspend(() => {
        let recorded: Exit.Exit<unknown, ChatError> = Exit.die("the finalizer did not run")
        return Effect.scoped(
          Effect.addFinalizer(() =>
            Effect.map(
              Effect.exit(chat.updateUser(SERVICE, USER, { friendlyName: "Alice" })),
              (exit) => void (recorded = exit)
            )
          )
        ).pipe(Effect.map(() => recorded))
      })
  ],
  [
    "listUser in Effect.ensuring",
    (chat) =>
      Effect.suspend(() => {
        let recorded: Exit.Exit<unknown, ChatError> = Exit.die("the finalizer did not run")
        return Effect.void.pipe(
          Effect.ensuring(Effect.map(Effect.exit(chat.listUser(SERVICE)), (exit) => void (recorded = exit))),
          Effect.map(() => recorded)
        )
      })
  ]
]

const SERVERS: ReadonlyArray<readonly [string, Effect.Effect<Server, never, Scope.Scope>]> = [
  ["a server that accepts and never answers", silentServer()],
  ["a server that sends headers for 1000 bytes, then 10, then nothing", stalledServer()]
]

describe.each(LAYERS)("the 300 ms timeout over $name", ({ layer }) => {
  for (const [against, makeServer] of SERVERS) {
    for (const [place, run] of PLACES) {
      it.scopedLive(`${place}: TransportError "Timeout" within 2 s, against ${against}`, () =>
        Effect.gen(function*() {
          const server = yield* makeServer
          const [exit, elapsed] = yield* timed(
            withChat(layer, server.origin, { timeout: "300 millis", retry: false }, run)
          )
          expect(failureOf(exit)).toMatchObject({ _tag: "TransportError", reason: "Timeout" })
          expect(elapsed).toBeGreaterThanOrEqual(250)
          expect(elapsed).toBeLessThan(2_000)
          expect(server.requests.length).toBeLessThanOrEqual(1) // never retried; on a loaded machine it may not have arrived yet
        }), 15_000)
    }
  }

  it.scopedLive(
    "interrupting a call stops it within a second, and the server sees its socket closed",
    () =>
      Effect.gen(function*() {
        const server = yield* silentServer({ lifetime: 5_000 })
        yield* withChat(layer, server.origin, { timeout: "30 seconds", retry: false }, (chat) =>
          Effect.gen(function*() {
            const fiber = yield* Effect.fork(chat.fetchUser(SERVICE, USER))
            yield* eventually(() => server.requests.length, (n) => n === 1)
            yield* Effect.sleep("100 millis")
            const [exit, elapsed] = yield* timed(Fiber.interrupt(fiber))
            expect(Exit.isInterrupted(exit)).toBe(true)
            expect(elapsed).toBeLessThan(1_000)
            // Still inside the client's scope: the pool is alive, so a closed socket is the interruption's doing.
            expect(yield* eventually(server.open, (n) => n === 0, 1_000)).toBe(0)
          }))
      }),
    15_000
  )
})
