/**
 * The official `twilio` package (6.2.0) against the emulator: a `RequestClient` subclass rewrites Twilio's host to
 * the emulator's, and the client gets what Twilio would give it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import twilio from "twilio"
import { Emulator, FakeTwilioChat } from "../src/index.js"
import {
  ALICE,
  EmulatorRequestClient,
  listsAcrossThreePages,
  officialClient,
  rejection,
  updatesAlice
} from "./official.js"
import { checkRequest } from "./openapi.js"

describe("the official twilio package against the emulator", () => {
  it.live("creates, fetches by identity, updates, lists across pages and deletes users", () =>
    Effect.gen(function*() {
      const { emulator, httpClient, users } = yield* officialClient()
      const fake = yield* FakeTwilioChat
      const before = Date.now()
      const created = yield* Effect.promise(() => users.create(ALICE))
      expect(created.sid).toMatch(/^US[0-9a-f]{32}$/)
      expect(created.identity).toBe("alice@example.com")
      expect(created.attributes).toBe("{\"team\":\"blue\"}")
      expect(created.friendlyName).toBe("Alice")
      expect(created.accountSid).toBe(emulator.accountSid)
      expect(created.serviceSid).toBe(emulator.serviceSid)
      expect(created.joinedChannelsCount).toBe(0)
      expect(created.dateCreated).toBeInstanceOf(Date)
      expect(created.dateCreated.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
      expect(created.url).toBe(`${emulator.baseUrl}/v2/Services/${emulator.serviceSid}/Users/${created.sid}`)
      expect(created.links.user_channels).toBe(`${created.url}/Channels`)

      const fetched = yield* Effect.promise(() => users("alice@example.com").fetch())
      expect(fetched.sid).toBe(created.sid)

      yield* updatesAlice((params) => users(created.sid).update(params))
      const stored = yield* listsAcrossThreePages(
        (params) => users.list(params),
        httpClient,
        "chat",
        `${emulator.baseUrl}/`
      )

      const page = yield* Effect.promise(() => users.page({ pageSize: 5 }))
      expect(page.instances).toHaveLength(5)
      const second = yield* Effect.promise(() => page.nextPage()!)
      expect(second.instances.map((u) => u.identity)).toEqual(stored.slice(5).map((u) => u.identity))

      expect(yield* Effect.promise(() => users(created.sid).remove())).toBe(true)
      expect((yield* fake.users(emulator.serviceSid)).map((u) => u.sid)).not.toContain(created.sid)

      expect((yield* fake.requests).flatMap(checkRequest)).toEqual([])
    }).pipe(Effect.provide(Emulator.layer({ seedUsers: 7 }))))

  it.live("gets Twilio's errors as RestExceptions: 404 / 20404, 409 / 50201, 401 / 20003", () =>
    Effect.gen(function*() {
      const { emulator, users } = yield* officialClient()
      const missing = yield* rejection(() => users("nobody").fetch())
      expect(missing).toMatchObject({
        status: 404,
        code: 20404,
        moreInfo: "https://www.twilio.com/docs/errors/20404"
      })
      yield* Effect.promise(() => users.create({ identity: "bob" }))
      expect(yield* rejection(() => users.create({ identity: "bob" }))).toMatchObject({ status: 409, code: 50201 })
      const stranger = twilio(emulator.accountSid, "wrong-token", {
        httpClient: new EmulatorRequestClient(emulator.baseUrl)
      })
      const refused = yield* rejection(() => stranger.chat.v2.services(emulator.serviceSid).users.list())
      expect(refused).toMatchObject({ status: 401, code: 20003 })
    }).pipe(Effect.provide(Emulator.layer())))
})
