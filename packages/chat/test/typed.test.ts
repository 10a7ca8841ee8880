/**
 * Typed attributes (`withAttributes(schema)`) on both APIs: reads decode with the schema, a mismatch is
 * `AttributesMismatch` naming the user, writes encode with it (and a wrongly typed write does not compile), streams
 * keep their laziness and `limit`, and the schema's complaint never carries the credentials.
 */
import { ChatV2UserApi, ConversationsV1UserApi, DefaultService } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import {
  ACCOUNT,
  chatLayer,
  conversationsUserJson,
  type Script,
  scripted,
  type Sent,
  SERVICE,
  TOKEN,
  userJson
} from "./utils.js"

/** Attributes with a transformation: `since` is stored as ISO text and read as a `Date`. */
const Profile = Schema.Struct({
  team: Schema.Literal("blue", "red"),
  since: Schema.optional(Schema.DateFromString)
})

const attributesOf = (sent: Sent) => JSON.parse(new URLSearchParams(sent.body).get("Attributes") ?? "null")

/** Users `user-0..total-1`, pages of `PageSize`; the user at `bad` has attributes the schema refuses. */
const pagesWith = (total: number, bad?: number) => (sent: Sent): Script => {
  const url = new URL(sent.url)
  const size = Number(url.searchParams.get("PageSize") ?? "50")
  const offset = Number(url.searchParams.get("PageToken") ?? "0")
  const collection = `https://chat.twilio.com/v2/Services/${SERVICE}/Users`
  return {
    status: 200,
    body: {
      users: Array.from({ length: Math.max(0, Math.min(size, total - offset)) }, (_, i) =>
        userJson({
          identity: `user-${offset + i}`,
          sid: `US${(offset + i).toString(16).padStart(32, "0")}`,
          attributes: JSON.stringify(offset + i === bad ? { team: "green" } : { team: "blue" })
        })),
      meta: {
        page: offset / size,
        page_size: size,
        first_page_url: `${collection}?PageSize=${size}&Page=0`,
        previous_page_url: null,
        url: `${collection}?PageSize=${size}&Page=${offset / size}`,
        next_page_url: offset + size < total
          ? `${collection}?PageSize=${size}&Page=${offset / size + 1}&PageToken=${offset + size}`
          : null,
        key: "users"
      }
    }
  }
}

describe("withAttributes: reads", () => {
  it.effect("fetchUser decodes the attributes with the schema, transformations included", () => {
    const fake = scripted([{
      status: 200,
      body: userJson({ attributes: JSON.stringify({ team: "red", since: "2024-05-01T00:00:00.000Z", extra: 1 }) })
    }])
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const alice = yield* users.fetchUser(SERVICE, "alice")
      expect(alice.attributes.team).toBe("red")
      expect(alice.attributes.since).toEqual(new Date("2024-05-01T00:00:00.000Z"))
      expect(alice.identity).toBe("alice")
      expect(alice.dateCreated).toBeDefined()
      // The untyped service is untouched: the same user, its attributes as JSON.
      const untyped = yield* Effect.flatMap(ChatV2UserApi, (chat) => chat.fetchUser(SERVICE, "alice"))
      expect(untyped.attributes).toEqual({ team: "red", since: "2024-05-01T00:00:00.000Z", extra: 1 })
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("attributes that do not match are AttributesMismatch naming the user and the schema's complaint", () => {
    const fake = scripted([{ status: 200, body: userJson({ attributes: JSON.stringify({ team: "green" }) }) }])
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const error = yield* Effect.flip(users.fetchUser(SERVICE, "alice"))
      expect(error._tag).toBe("AttributesMismatch")
      if (error._tag !== "AttributesMismatch") return
      expect(error.sid).toBe(userJson().sid)
      expect(error.operation).toBe("ChatV2UserApi.fetchUser")
      expect(error.issue).toContain("\"blue\" | \"red\"")
      expect(error.message).toContain(`ChatV2UserApi.fetchUser: the attributes of user ${userJson().sid}`)
      // Caught by tag like every other error.
      const caught = yield* users.fetchUser(SERVICE, "alice").pipe(
        Effect.catchTag("AttributesMismatch", (e) => Effect.succeed(e.sid))
      )
      expect(caught).toBe(userJson().sid)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("null attributes are a mismatch unless the schema takes null", () => {
    const fake = scripted([{ status: 200, body: userJson({ attributes: null }) }])
    return Effect.gen(function*() {
      const strict = yield* ChatV2UserApi.withAttributes(Profile)
      expect((yield* Effect.flip(strict.fetchUser(SERVICE, "alice")))._tag).toBe("AttributesMismatch")
      const lenient = yield* ChatV2UserApi.withAttributes(Schema.NullOr(Profile))
      expect((yield* lenient.fetchUser(SERVICE, "alice")).attributes).toBeNull()
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a mismatch never echoes the credentials, even when the server puts them in the attributes", () => {
    const fake = scripted([{ status: 200, body: userJson({ attributes: JSON.stringify({ team: TOKEN }) }) }])
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const error = yield* Effect.flip(users.fetchUser(SERVICE, "alice"))
      expect(error._tag).toBe("AttributesMismatch")
      expect(JSON.stringify(error)).not.toContain(TOKEN)
      expect(error.message).not.toContain(TOKEN)
      expect(error.message).toContain("<redacted>")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})

describe("withAttributes: writes", () => {
  it.effect("createUser and updateUser encode the attributes with the schema before sending", () => {
    // A server that keeps the attributes last written.
    let stored = "{}"
    const fake = scripted((sent) => {
      stored = new URLSearchParams(sent.body).get("Attributes") ?? stored
      return { status: sent.url.endsWith("/Users") ? 201 : 200, body: userJson({ attributes: stored }) }
    })
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const since = new Date("2020-01-02T03:04:05.000Z")
      const created = yield* users.createUser(SERVICE, "alice", { attributes: { team: "blue", since } })
      expect(attributesOf(fake.sent[0])).toEqual({ team: "blue", since: "2020-01-02T03:04:05.000Z" })
      expect(created.attributes.since).toEqual(since)
      const renamed = yield* users.updateUser(SERVICE, "alice", { friendlyName: "Al" })
      expect(new URLSearchParams(fake.sent[1].body).get("Attributes")).toBeNull()
      expect(renamed.attributes.team).toBe("blue")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a wrongly typed write does not compile; forced through, it is InvalidRequest and nothing is sent", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const wrong = users.updateUser(SERVICE, "alice", {
        // @ts-expect-error: "green" is not a team of the schema
        attributes: { team: "green" }
      })
      const error = yield* Effect.flip(wrong)
      expect(error).toMatchObject({ _tag: "InvalidRequest", field: "options.attributes" })
      expect(error.message).toContain("The attributes do not match the schema")
      const missing = yield* Effect.flip(
        // @ts-expect-error: team is required
        users.createUser(SERVICE, "bob", { attributes: {} })
      )
      expect(missing._tag).toBe("InvalidRequest")
      expect(fake.sent).toHaveLength(0)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("hostile options (a throwing getter, a non-object) are InvalidRequest, never a defect", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const hostile = Object.defineProperty({}, "attributes", {
        get() {
          throw new Error("boom")
        }
      })
      const e1 = yield* Effect.flip(users.updateUser(SERVICE, "alice", hostile))
      expect(e1).toMatchObject({ _tag: "InvalidRequest", field: "options" })
      const e2 = yield* Effect.flip(users.updateUser(SERVICE, "alice", "team=blue" as never))
      expect(e2).toMatchObject({ _tag: "InvalidRequest", field: "options" })
      // A schema whose encoded side is not a JSON object is refused by the usual validation.
      const Text = Schema.String as unknown as Schema.Schema<string, Record<string, unknown>>
      const text = yield* ChatV2UserApi.withAttributes(Text)
      const e3 = yield* Effect.flip(text.updateUser(SERVICE, "alice", { attributes: "blue" }))
      expect(e3).toMatchObject({ _tag: "InvalidRequest", field: "options.attributes" })
      expect(fake.sent).toHaveLength(0)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})

describe("withAttributes: pages and streams", () => {
  it.effect("listUser and nextPage give typed pages; nextPage follows the typed page's chain", () => {
    const fake = scripted(pagesWith(5))
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const first = yield* users.listUser(SERVICE, { pageSize: 2 })
      expect(first.users.map((u) => u.attributes.team)).toEqual(["blue", "blue"])
      const second = yield* users.nextPage(first)
      const third = yield* users.nextPage(Option.getOrThrow(second))
      expect(Option.getOrThrow(third).users.map((u) => u.identity)).toEqual(["user-4"])
      expect(yield* users.nextPage(Option.getOrThrow(third))).toEqual(Option.none())
      expect(fake.sent).toHaveLength(3)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("streamUsers is lazy and keeps limit: take 3 over pages of 2 sends 2 requests", () => {
    const fake = scripted(pagesWith(100))
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const stream = users.streamUsers(SERVICE, { pageSize: 2 })
      expect(fake.sent).toHaveLength(0)
      const three = yield* Stream.runCollect(Stream.take(stream, 3))
      expect([...three].map((u) => u.attributes.team)).toEqual(["blue", "blue", "blue"])
      expect(fake.sent).toHaveLength(2)
      const limited = yield* Stream.runCollect(users.streamUsers(SERVICE, { limit: 5 }))
      expect(limited.length).toBe(5)
      expect(fake.sent[2].url).toContain("PageSize=5")
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it.effect("a mismatch mid-stream ends it with AttributesMismatch after the users before it", () => {
    const fake = scripted(pagesWith(10, 5))
    return Effect.gen(function*() {
      const users = yield* ChatV2UserApi.withAttributes(Profile)
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(users.streamUsers(SERVICE, { pageSize: 2 }), (u) => Effect.sync(() => seen.push(u.identity)))
      )
      expect(error).toMatchObject({ _tag: "AttributesMismatch", sid: `US${(5).toString(16).padStart(32, "0")}` })
      expect(seen).toEqual(["user-0", "user-1", "user-2", "user-3"])
      expect(fake.sent).toHaveLength(3)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})

describe("withAttributes: Conversations", () => {
  it.effect("typed users of the default service, read and written", () => {
    const fake = scripted((sent) => ({
      status: sent.method === "POST" && sent.url.endsWith("/Users") ? 201 : 200,
      body: conversationsUserJson({
        attributes: new URLSearchParams(sent.body).get("Attributes") ?? "{\"team\":\"red\"}"
      })
    }))
    const layer = ConversationsV1UserApi.layer({ accountSid: ACCOUNT, authToken: TOKEN }).pipe(
      Layer.provide(fake.layer),
      Layer.orDie
    )
    return Effect.gen(function*() {
      const users = yield* ConversationsV1UserApi.withAttributes(Profile)
      const created = yield* users.createUser(DefaultService, "carol", { attributes: { team: "blue" } })
      expect(created.attributes.team).toBe("blue")
      expect(created.chatServiceSid).toBe(SERVICE)
      const fetched = yield* users.fetchUser(DefaultService, "carol")
      expect(fetched.attributes.team).toBe("red")
      yield* Effect.flip(users.deleteUser(DefaultService, "carol", { xTwilioWebhookEnabled: "false" }))
      expect(fake.sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
        "POST /v1/Users",
        "GET /v1/Users/carol",
        "DELETE /v1/Users/carol"
      ])
      expect(fake.sent[2].headers["x-twilio-webhook-enabled"]).toBe("false")
    }).pipe(Effect.provide(layer))
  })
})
