/**
 * The official `twilio` package's Conversations v1 Users (`client.conversations.v1.users` for the account's default
 * service, `client.conversations.v1.services(sid).users` for a given one) against the emulator: its requests for
 * `https://conversations.twilio.com` go to the emulator, and it gets what Twilio would give it. Users it creates are
 * the same users Chat V2 serves.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Emulator, FakeTwilioChat } from "../src/index.js"
import { ALICE, listsAcrossThreePages, officialClient, rejection, updatesAlice } from "./official.js"
import { conversations } from "./openapi.js"

type Client = Effect.Effect.Success<ReturnType<typeof officialClient>>["client"]
/** What the test uses of a twilio-node user: the default service's and a service's users both have it. */
interface User {
  readonly sid: string
  readonly accountSid: string
  readonly chatServiceSid: string
  readonly identity: string
  readonly attributes: string
  readonly friendlyName: string
  readonly isOnline: boolean
  readonly isNotifiable: boolean
  readonly dateCreated: Date
  readonly url: string
  readonly links: Record<string, string>
}

type Webhook = "true" | "false"

/** What the test uses of twilio-node's users of a service (the default one's, or a given one's). */
interface Users {
  (sid: string): {
    fetch(): Promise<User>
    update(params: { readonly attributes?: string; readonly friendlyName?: string }): Promise<User>
    remove(params: { readonly xTwilioWebhookEnabled?: Webhook }): Promise<boolean>
  }
  create(params: {
    readonly identity: string
    readonly attributes?: string
    readonly friendlyName?: string
    readonly xTwilioWebhookEnabled?: Webhook
  }): Promise<User>
  list(params: { readonly pageSize: number }): Promise<Array<User>>
}

const paths: ReadonlyArray<
  readonly [string, (client: Client, sid: string) => Users, (sid: string) => string]
> = [
  ["client.conversations.v1.users", (client) => client.conversations.v1.users, () => "/v1/Users"],
  [
    "client.conversations.v1.services(sid).users",
    (client, sid) => client.conversations.v1.services(sid).users,
    (sid) => `/v1/Services/${sid}/Users`
  ]
]

describe("the official twilio package's Conversations v1 Users against the emulator", () => {
  for (const [name, usersOf, collectionOf] of paths) {
    it.live(`${name}: creates, fetches by identity, updates, lists across three pages and deletes`, () =>
      Effect.gen(function*() {
        const { client, emulator, httpClient, users: chat } = yield* officialClient()
        const fake = yield* FakeTwilioChat
        const users = usersOf(client, emulator.serviceSid)
        const collection = `${emulator.baseUrl}${collectionOf(emulator.serviceSid)}`
        const created = yield* Effect.promise(() => users.create(ALICE))
        expect(created.sid).toMatch(/^US[0-9a-f]{32}$/)
        expect([created.identity, created.attributes, created.friendlyName]).toEqual([
          "alice@example.com",
          "{\"team\":\"blue\"}",
          "Alice"
        ])
        expect([created.accountSid, created.chatServiceSid]).toEqual([emulator.accountSid, emulator.serviceSid])
        expect(created.dateCreated).toBeInstanceOf(Date)
        expect(created.url).toBe(`${collection}/${created.sid}`)
        expect(created.links).toEqual({ user_conversations: `${collection}/${created.sid}/Conversations` })

        const fetched = yield* Effect.promise(() => users("alice@example.com").fetch())
        expect(fetched.sid).toBe(created.sid)
        // The same user through Chat V2.
        const throughChat = yield* Effect.promise(() => chat(created.sid).fetch())
        expect([throughChat.identity, throughChat.serviceSid]).toEqual(["alice@example.com", emulator.serviceSid])

        yield* updatesAlice((params) => users(created.sid).update(params))
        yield* listsAcrossThreePages((params) => users.list(params), httpClient, "conversations", `${collection}?`)

        expect(yield* Effect.promise(() => users(created.sid).remove({ xTwilioWebhookEnabled: "false" }))).toBe(true)
        expect((yield* fake.users(emulator.serviceSid)).map((u) => u.sid)).not.toContain(created.sid)
        expect(httpClient.uris.every((uri) => uri.startsWith(`${emulator.baseUrl}/`))).toBe(true)

        const conversationsRequests = (yield* fake.requests).filter((r) => r.api === "conversations")
        expect(conversationsRequests.length).toBeGreaterThanOrEqual(7)
        expect(conversationsRequests.flatMap(conversations.checkRequest)).toEqual([])
      }).pipe(Effect.provide(Emulator.layer({ seedUsers: 7 }))))
  }

  it.live("gets Twilio's errors as RestExceptions: 404 / 20404, 409 / 50201 across the APIs", () =>
    Effect.gen(function*() {
      const { client, users: chat } = yield* officialClient()
      const users = client.conversations.v1.users
      expect(yield* rejection(() => users("nobody").fetch())).toMatchObject({
        status: 404,
        code: 20404,
        moreInfo: "https://www.twilio.com/docs/errors/20404"
      })
      yield* Effect.promise(() => chat.create({ identity: "bob" }))
      expect(yield* rejection(() => users.create({ identity: "bob" }))).toMatchObject({ status: 409, code: 50201 })
    }).pipe(Effect.provide(Emulator.layer())))
})
