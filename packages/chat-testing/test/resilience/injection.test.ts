/**
 * Path and parameter injection: identities that look like paths, queries, fragments, escapes, dot segments, very
 * long or right-to-left text round-trip through create, fetch, update and delete as themselves, each request reaching
 * exactly the one user it names and no other resource; in memory and over a real socket (whose URL handling is
 * the one that matters).
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { ChatTest, Emulator, FakeTwilioChat, type StoredUser } from "../../src/index.js"

/** 256 characters (code points, as Twilio counts them), mixing separators, escapes and non-ASCII. */
const PIECES = Array.from("a/?#%.é🙂")
const LONG = Array.from({ length: 256 }, (_, i) => PIECES[i % PIECES.length]).join("")

const IDENTITIES: ReadonlyArray<string> = [
  "../Services",
  "../../../v2/Services",
  "a/b",
  "a?PageSize=1",
  "#x",
  "%2F",
  "%252F",
  "%",
  "a%zzb",
  "./a",
  "a/..",
  "...",
  "\\..\\Services",
  "a b+c&d=e",
  "?",
  "#",
  "/",
  LONG,
  "🙂👩‍👩‍👧 emoji",
  "مرحبا بالعالم",
  "\u202Eevil\u202C.exe",
  "tab\tnew\nline\u0000nul"
]

/** Users that a wrong encoding of the identities above would reach instead. */
const BYSTANDERS = ["a", "b", "x", "Services", "a b", "evil", "US", "%2"]

const roundTrip = (identity: string) =>
  Effect.gen(function*() {
    const fake = yield* FakeTwilioChat
    const chat = yield* ChatV2UserApi
    const service = fake.defaultServiceSid
    const bystanders = yield* fake.seedUsers(
      service,
      BYSTANDERS.map((identity) => ({ identity, friendlyName: "bystander" }))
    )
    const users = `/v2/Services/${service}/Users`

    const created = yield* chat.createUser(service, identity, { attributes: { identity } })
    expect(created.identity).toBe(identity)
    const fetched = yield* chat.fetchUser(service, identity)
    expect([fetched.sid, fetched.identity, fetched.attributes]).toEqual([created.sid, identity, { identity }])
    const updated = yield* chat.updateUser(service, identity, { friendlyName: identity })
    expect([updated.sid, updated.identity, updated.friendlyName]).toEqual([created.sid, identity, identity])
    yield* chat.deleteUser(service, identity)

    // Each request went to the operation meant, with the identity as one path segment, and nothing else.
    const requests = yield* fake.requests
    expect(requests.map((r) => r.operation)).toEqual(["createUser", "fetchUser", "updateUser", "deleteUser"])
    expect(requests[0]).toMatchObject({ path: users, form: { Identity: identity } })
    expect(Object.keys(requests[0].query)).toEqual([])
    for (const request of requests.slice(1)) {
      const segment = request.path.slice(users.length + 1)
      expect(request.path.startsWith(`${users}/`)).toBe(true)
      expect(segment).not.toContain("/")
      expect(decodeURIComponent(segment)).toBe(identity)
      expect(request.query).toEqual({})
    }
    // The bystanders are untouched, and the user is gone.
    const left: ReadonlyArray<StoredUser> = yield* fake.users(service)
    expect(left).toEqual(bystanders)
  })

/** "." and ".." cannot be addressed by a URL path: they are created by identity and addressed by SID. */
const dotIdentities = Effect.gen(function*() {
  const fake = yield* FakeTwilioChat
  const chat = yield* ChatV2UserApi
  const service = fake.defaultServiceSid
  const bystanders = yield* fake.seedUsers(service, BYSTANDERS.map((identity) => ({ identity })))
  for (const identity of [".", ".."]) {
    yield* fake.clearRequests
    for (const refused of [chat.fetchUser(service, identity), chat.deleteUser(service, identity)]) {
      expect(yield* Effect.flip(refused)).toMatchObject({ _tag: "InvalidRequest", field: "sid" })
    }
    expect(yield* Effect.flip(chat.updateUser(service, identity, { friendlyName: "x" }))).toMatchObject({
      _tag: "InvalidRequest",
      field: "sid"
    })
    expect(yield* fake.requests).toEqual([])
    const created = yield* chat.createUser(service, identity)
    expect(created.identity).toBe(identity)
    expect((yield* chat.fetchUser(service, created.sid)).identity).toBe(identity)
    expect((yield* chat.updateUser(service, created.sid, { friendlyName: "dot" })).friendlyName).toBe("dot")
    yield* chat.deleteUser(service, created.sid)
    expect(yield* fake.users(service)).toEqual(bystanders)
  }
})

const layers = [
  ["in memory", ChatTest.layer()],
  ["over a socket", Emulator.layerClient().pipe(Layer.provide(FetchHttpClient.layer))]
] as const

describe("identities round-trip as themselves and touch no other resource", () => {
  for (const [where, layer] of layers) {
    for (const identity of IDENTITIES) {
      const shown = identity.length > 40
        ? `a ${Array.from(identity).length}-character identity`
        : JSON.stringify(identity)
      it.effect(`${where}: ${shown} is created, fetched, updated and deleted as itself, touching no other user`, () =>
        Effect.provide(roundTrip(identity), layer))
    }

    it.effect(`${where}: "." and ".." are refused by path before sending, and work by SID`, () =>
      Effect.provide(dotIdentities, layer))
  }
})
