/**
 * The official `twilio` package (6.2.0) pointed at an emulator: a `RequestClient` subclass sends every request for
 * `https://chat.twilio.com` or `https://conversations.twilio.com` to `baseUrl` instead (next pages follow the
 * `next_page_url` the server gives) and keeps the URIs it requested.
 */
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import twilio from "twilio"
import type RequestClient from "twilio/lib/base/RequestClient.js"
import { Emulator, type FakeApi, FakeTwilioChat } from "../src/index.js"

/** Sends every request for Twilio's Chat or Conversations host to `baseUrl` instead, next pages included. */
export class EmulatorRequestClient extends twilio.RequestClient {
  readonly uris: Array<string> = []
  constructor(private readonly baseUrl: string) {
    super()
  }
  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const uri = options.uri.replace(/^https:\/\/(?:chat|conversations)\.twilio\.com(?=\/)/, this.baseUrl)
    this.uris.push(uri)
    return super.request<TData>({ ...options, uri })
  }
}

/** The official client with the emulator's account SID and auth token, sending to `baseUrl` (default its own). */
export const officialClient = (baseUrl?: string) =>
  Effect.map(Emulator, (emulator) => {
    const httpClient = new EmulatorRequestClient(baseUrl ?? emulator.baseUrl)
    const client = twilio(emulator.accountSid, Redacted.value(emulator.authToken), { httpClient })
    return { client, httpClient, users: client.chat.v2.services(emulator.serviceSid).users, emulator }
  })

/** What a promise of the official client rejects with (a `RestException`), or `undefined` when it resolves. */
export const rejection = (promise: () => Promise<unknown>) =>
  Effect.promise(() => promise().then(() => undefined, (error: any) => error))

/** The user both official-client tests create, with every field and the webhook header. */
export const ALICE = {
  identity: "alice@example.com",
  attributes: JSON.stringify({ team: "blue" }),
  friendlyName: "Alice",
  xTwilioWebhookEnabled: "true"
} as const

/** What the shared checks read of a user of the official client, on either API. */
interface OfficialUser {
  readonly sid: string
  readonly identity: string
  readonly attributes: string
  readonly friendlyName: string
  readonly isOnline: boolean
  readonly isNotifiable: boolean
}

/** Updates a user's attributes and friendly name with the official client; the answer keeps the identity. */
export const updatesAlice = (
  update: (params: {
    readonly attributes: string
    readonly friendlyName: string
  }) => Promise<OfficialUser>
) =>
  Effect.map(
    Effect.promise(() => update({ attributes: JSON.stringify({ team: "red" }), friendlyName: "Alice R." })),
    (updated) =>
      expect([updated.attributes, updated.friendlyName, updated.identity]).toEqual([
        "{\"team\":\"red\"}",
        "Alice R.",
        "alice@example.com"
      ])
  )

/**
 * Lists the emulator's 8 users 3 a page with the official client (`list`): the stored users in order, reachability
 * `null`, three list requests (of `api`), and the two next pages followed as given, under `nextPagePrefix`.
 */
export const listsAcrossThreePages = (
  list: (params: { readonly pageSize: number }) => Promise<Array<OfficialUser>>,
  httpClient: EmulatorRequestClient,
  api: FakeApi,
  nextPagePrefix: string
) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const fake = yield* FakeTwilioChat
    const listed = yield* Effect.promise(() => list({ pageSize: 3 }))
    const stored = yield* fake.users(emulator.serviceSid)
    expect(listed.map((u) => u.sid)).toEqual(stored.map((u) => u.sid))
    expect(listed).toHaveLength(8)
    expect(listed.every((u) => u.isOnline === null && u.isNotifiable === null)).toBe(true)
    const lists = (yield* fake.requests).filter((r) => r.operation === "listUser")
    expect(lists.map((r) => [r.api, r.query.PageSize, r.query.Page])).toEqual([
      [api, "3", undefined],
      [api, "3", "1"],
      [api, "3", "2"]
    ])
    // The next pages are followed as given: on the emulator's own origin, with the server's page token.
    const nextPages = httpClient.uris.filter((uri) => uri.includes("PageToken="))
    expect(nextPages).toHaveLength(2)
    expect(nextPages.every((uri) => uri.startsWith(nextPagePrefix))).toBe(true)
    return stored
  })
