/**
 * The official `twilio` package (6.2.0) against the emulator: a `RequestClient` subclass rewrites Twilio's host to
 * the emulator's, and the client gets what Twilio would give it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import twilio from "twilio"
import { Emulator, FakeTwilioChat } from "../src/index.js"
import { EmulatorRequestClient, officialClient, rejection } from "./official.js"
import { checkRequest } from "./openapi.js"

describe("the official twilio package against the emulator", () => {
  it.live("creates, fetches by identity, updates, lists across pages and deletes users", () =>
    Effect.gen(function*() {
      const { emulator, httpClient, users } = yield* officialClient()
      const fake = yield* FakeTwilioChat
      const before = Date.now()
      const created = yield* Effect.promise(() =>
        users.create({
          identity: "alice@example.com",
          attributes: JSON.stringify({ team: "blue" }),
          friendlyName: "Alice",
          xTwilioWebhookEnabled: "true"
        })
      )
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

      const updated = yield* Effect.promise(() =>
        users(created.sid).update({ attributes: JSON.stringify({ team: "red" }), friendlyName: "Alice R." })
      )
      expect([updated.attributes, updated.friendlyName, updated.identity]).toEqual([
        "{\"team\":\"red\"}",
        "Alice R.",
        "alice@example.com"
      ])

      const listed = yield* Effect.promise(() => users.list({ pageSize: 3 }))
      const stored = yield* fake.users(emulator.serviceSid)
      expect(listed.map((u) => u.sid)).toEqual(stored.map((u) => u.sid))
      expect(listed).toHaveLength(8)
      expect(listed.every((u) => u.isOnline === null && u.isNotifiable === null)).toBe(true)
      const lists = (yield* fake.requests).filter((r) => r.operation === "listUser")
      expect(lists.map((r) => [r.query.PageSize, r.query.Page])).toEqual([["3", undefined], ["3", "1"], ["3", "2"]])
      // The next pages are followed as given: on the emulator's own origin, with the server's page token.
      const nextPages = httpClient.uris.filter((uri) => uri.includes("PageToken="))
      expect(nextPages).toHaveLength(2)
      expect(nextPages.every((uri) => uri.startsWith(`${emulator.baseUrl}/`))).toBe(true)

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
