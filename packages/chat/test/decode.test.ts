import {
  ChatV2ServiceUser,
  ConversationsV1ListUserResponse,
  ConversationsV1User,
  ListUserResponse
} from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as FastCheck from "effect/FastCheck"
import * as Hash from "effect/Hash"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import { inspect } from "node:util"
import {
  decodeConversationsListUserResponse,
  decodeConversationsUser,
  decodeListUserResponse,
  decodeUser,
  Fallback,
  fastConversationsList,
  fastConversationsUser,
  fastDate,
  fastList,
  fastUser,
  twilioDateMillis,
  UtcProto
} from "../src/internal/decode.js"
import { userJson } from "./utils.js"

const spec = JSON.parse(readFileSync(new URL("./fixtures/chat-v2-users.openapi.json", import.meta.url), "utf8"))
const examples = (path: string, method: string, status: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(
      spec.paths[path][method].responses[status].content["application/json"].examples as Record<
        string,
        { value: unknown }
      >
    ).map(([name, example]) => [name, example.value])
  )

const USER_PATH = "/v2/Services/{ServiceSid}/Users/{Sid}"
const USERS_PATH = "/v2/Services/{ServiceSid}/Users"

const encodeUser = Schema.encodeSync(ChatV2ServiceUser)
const schemaUser = Schema.decodeUnknownEither(ChatV2ServiceUser)
const schemaList = Schema.decodeUnknownEither(ListUserResponse)

describe("decoding Twilio's bodies", () => {
  it("decodes every user example of the official spec into camelCase fields", () => {
    const bodies = [
      ...Object.values(examples(USERS_PATH, "post", "201")),
      ...Object.values(examples(USER_PATH, "get", "200")),
      ...Object.values(examples(USER_PATH, "post", "200"))
    ]
    expect(bodies.length).toBeGreaterThanOrEqual(3)
    for (const body of bodies) {
      const result = decodeUser(body)
      if (!result.ok) throw new Error(result.error)
      const user = result.value
      const raw = body as Record<string, unknown>
      expect(user).toBeInstanceOf(ChatV2ServiceUser)
      expect(user.sid).toBe(raw.sid)
      expect(user.accountSid).toBe(raw.account_sid)
      expect(user.serviceSid).toBe(raw.service_sid)
      expect(user.roleSid).toBe(raw.role_sid)
      expect(user.identity).toBe(raw.identity)
      expect(user.attributes).toEqual(raw.attributes === null ? null : JSON.parse(raw.attributes as string))
      expect(user.isOnline).toBe(raw.is_online)
      expect(user.isNotifiable).toBe(raw.is_notifiable)
      expect(user.friendlyName).toBe(raw.friendly_name)
      expect(DateTime.formatIso(user.dateCreated)).toBe(new Date(raw.date_created as string).toISOString())
      expect(DateTime.isUtc(user.dateUpdated)).toBe(true)
      expect(user.joinedChannelsCount).toBe(raw.joined_channels_count)
      expect(user.links).toEqual(raw.links)
      expect(user.url).toBe(raw.url)
    }
  })

  it("decodes the spec's list examples, full and empty", () => {
    const { readEmpty, readFull } = examples(USERS_PATH, "get", "200")
    const full = decodeListUserResponse(readFull)
    const empty = decodeListUserResponse(readEmpty)
    if (!full.ok || !empty.ok) throw new Error("list examples did not decode")
    expect(full.value.users).toHaveLength(1)
    expect(full.value.users[0].identity).toBe("jing")
    expect(full.value.meta).toMatchObject({
      page: 0,
      pageSize: 50,
      key: "users",
      nextPageUrl: null,
      previousPageUrl: null
    })
    expect(full.value.meta.firstPageUrl).toMatch(/Users\?PageSize=50&Page=0$/)
    expect(empty.value.users).toEqual([])
  })

  it("reads attributes back as the JSON value that was stored", () => {
    const attributes = { nested: { list: [1, "two", null, true] }, emoji: "🙂" }
    const result = decodeUser(userJson({ attributes: JSON.stringify(attributes) }))
    expect(result.ok && result.value.attributes).toEqual(attributes)
  })

  it("decodes every nullable field as null, whether null or absent", () => {
    const nullable = ["attributes", "friendly_name", "role_sid", "is_online", "is_notifiable", "links"]
    const asNull = decodeUser(userJson(Object.fromEntries(nullable.map((k) => [k, null]))))
    const absent = userJson()
    for (const key of nullable) delete (absent as Record<string, unknown>)[key]
    const asAbsent = decodeUser(absent)
    for (const result of [asNull, asAbsent]) {
      if (!result.ok) throw new Error(result.error)
      expect(result.value).toMatchObject({
        attributes: null,
        friendlyName: null,
        roleSid: null,
        isOnline: null,
        isNotifiable: null,
        links: null
      })
    }
  })

  it("rejects a body without a required field, naming it", () => {
    for (
      const key of [
        "sid",
        "account_sid",
        "service_sid",
        "identity",
        "date_created",
        "date_updated",
        "url",
        "joined_channels_count"
      ]
    ) {
      const body = userJson()
      delete (body as Record<string, unknown>)[key]
      const result = decodeUser(body)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error).toContain(key)
    }
  })

  it("rejects wrong types: a non-integer count, a bad date, attributes that are not JSON text", () => {
    for (
      const overrides of [
        { joined_channels_count: 1.5 },
        { joined_channels_count: null },
        { date_created: "yesterday" },
        { attributes: "{not json" },
        { attributes: { team: "blue" } },
        { is_online: "true" },
        { links: ["x"] },
        { sid: 42 }
      ]
    ) {
      expect(decodeUser(userJson(overrides)).ok, JSON.stringify(overrides)).toBe(false)
    }
  })

  it("a hostile body nested 200,000 deep is a decode failure, not a stack overflow", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000)
    expect(decodeUser(JSON.parse(`{"sid": ${deep}}`)).ok).toBe(false)
    expect(decodeListUserResponse(JSON.parse(`{"users": [{"sid": ${deep}}], "meta": ${deep}}`)).ok).toBe(false)
    // Deep attributes are a value like any other: parsed, not walked.
    const result = decodeUser(userJson({ attributes: `{"a":${deep}}` }))
    expect(result.ok).toBe(true)
  })

  it("takes the fast path for every valid body (no fallback to the generic decoder)", () => {
    expect(fastUser(userJson())).not.toBe(Fallback)
    expect(fastList(examples(USERS_PATH, "get", "200").readFull)).not.toBe(Fallback)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// The fast decoder must agree with the Schema: same values for valid input, same rejections for invalid input.
// ---------------------------------------------------------------------------------------------------------------

const jsonValue = FastCheck.jsonValue({ maxDepth: 2 })
const dateString = FastCheck.oneof(
  FastCheck.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) =>
    d.toISOString().replace(/\.\d{3}Z$/, "Z")
  ),
  FastCheck.constantFrom("2016-03-24T21:05:19Z", "2016-03-24T21:05:19", "2016-03-24", "2016-03-24T21:05:19+02:00"),
  FastCheck.string({ maxLength: 12 })
)
const validUser = FastCheck.record({
  sid: FastCheck.string(),
  account_sid: FastCheck.string(),
  service_sid: FastCheck.string(),
  identity: FastCheck.string(),
  url: FastCheck.webUrl(),
  date_created: dateString,
  date_updated: dateString,
  joined_channels_count: FastCheck.oneof(FastCheck.nat(), FastCheck.integer(), FastCheck.double()),
  attributes: FastCheck.oneof(
    FastCheck.constant(null),
    jsonValue.map((v) => JSON.stringify(v)),
    FastCheck.string({ maxLength: 8 })
  ),
  friendly_name: FastCheck.option(FastCheck.string(), { nil: null }),
  role_sid: FastCheck.option(FastCheck.string(), { nil: null }),
  is_online: FastCheck.option(FastCheck.boolean(), { nil: null }),
  is_notifiable: FastCheck.option(FastCheck.boolean(), { nil: null }),
  links: FastCheck.option(FastCheck.dictionary(FastCheck.string(), FastCheck.string()), { nil: null })
}, { requiredKeys: [] })

/** A body, then possibly one field replaced by any JSON value (or removed): covers valid and invalid input. */
const userBody = FastCheck.tuple(validUser, FastCheck.option(FastCheck.tuple(FastCheck.string(), jsonValue))).map(
  ([body, mutation]) => {
    if (mutation === null) return body
    const keys = Object.keys(body)
    const [which, value] = mutation
    const key = keys.length > 0 && which.length % 2 === 0 ? keys[which.length % keys.length] : which
    return { ...body, [key]: value }
  }
)

describe("the fast decoder agrees with the Schema", () => {
  it.prop("users: same acceptance, same values", [userBody], ([body]) => {
    const fast = fastUser(body)
    const slow = schemaUser(body)
    if (fast === Fallback) {
      // The fast path may only decline what the schema also rejects; else a valid user would be decoded slowly.
      expect(Either.isLeft(slow)).toBe(true)
    } else {
      if (Either.isLeft(slow)) throw new Error(`fast accepted what the schema rejects: ${slow.left.message}`)
      expect(fast).toBeInstanceOf(ChatV2ServiceUser)
      expect(encodeUser(fast)).toStrictEqual(encodeUser(slow.right))
      expect(fast.attributes).toStrictEqual(slow.right.attributes)
    }
    const result = decodeUser(body)
    expect(result.ok).toBe(Either.isRight(slow))
  }, { fastCheck: { numRuns: 2000 } })

  it.prop(
    "pages: same acceptance, same values",
    [FastCheck.array(userBody, { maxLength: 5 }), FastCheck.option(jsonValue)],
    ([users, metaOverride]) => {
      const body = {
        users,
        meta: metaOverride ?? {
          page: 0,
          page_size: 50,
          first_page_url: "https://chat.twilio.com/x",
          previous_page_url: null,
          url: "https://chat.twilio.com/x",
          next_page_url: null,
          key: "users"
        }
      }
      const fast = fastList(body)
      const slow = schemaList(body)
      if (fast === Fallback) {
        expect(Either.isLeft(slow)).toBe(true)
      } else {
        if (Either.isLeft(slow)) throw new Error(`fast accepted what the schema rejects: ${slow.left.message}`)
        expect(Schema.encodeSync(ListUserResponse)(fast)).toStrictEqual(Schema.encodeSync(ListUserResponse)(slow.right))
      }
    },
    { fastCheck: { numRuns: 500 } }
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Conversations v1: the same contract for its representation of the same users.
// ---------------------------------------------------------------------------------------------------------------

const conversationsSpec = JSON.parse(
  readFileSync(new URL("./fixtures/conversations-v1-users.openapi.json", import.meta.url), "utf8")
)
const conversationsExamples = (path: string, method: string, status: string): Array<unknown> =>
  Object.values(
    conversationsSpec.paths[path][method].responses[status].content["application/json"].examples ?? {}
  ).map((example) => (example as { value: unknown }).value)

/** A Chat V2 body as Conversations words it: `chat_service_sid`, no `joined_channels_count`. */
const asConversations = (body: Record<string, unknown>) => {
  const { joined_channels_count: _count, service_sid, ...rest } = body
  return service_sid === undefined ? rest : { ...rest, chat_service_sid: service_sid }
}
const conversationsBody = userBody.map((body) => asConversations(body as Record<string, unknown>))
const schemaConversationsUser = Schema.decodeUnknownEither(ConversationsV1User)
const schemaConversationsList = Schema.decodeUnknownEither(ConversationsV1ListUserResponse)
const encodeConversationsUser = Schema.encodeSync(ConversationsV1User)

describe("Conversations v1 bodies", () => {
  it("decodes every user example of the official spec, on both paths, the fast way", () => {
    const bodies = ["/v1/Users/{Sid}", "/v1/Services/{ChatServiceSid}/Users/{Sid}"].flatMap((path) =>
      ["get", "post"].flatMap((method) => conversationsExamples(path, method, "200"))
    ).concat(conversationsExamples("/v1/Users", "post", "201"))
    expect(bodies.length).toBeGreaterThan(2)
    for (const body of bodies) {
      const fast = fastConversationsUser(body)
      if (fast === Fallback) throw new Error(`the fast path declined a spec example: ${JSON.stringify(body)}`)
      expect(fast).toBeInstanceOf(ConversationsV1User)
      expect(fast.chatServiceSid).toMatch(/^IS/)
      expect(fast.links?.user_conversations).toMatch(/\/Conversations$/)
      const result = decodeConversationsUser(body)
      expect(result.ok && encodeConversationsUser(result.value)).toStrictEqual(
        encodeConversationsUser(Either.getOrThrow(schemaConversationsUser(body)))
      )
    }
  })

  it("decodes the spec's list examples, the fast way", () => {
    const pages = ["/v1/Users", "/v1/Services/{ChatServiceSid}/Users"].flatMap((path) =>
      conversationsExamples(path, "get", "200")
    )
    expect(pages.length).toBeGreaterThan(0)
    for (const page of pages) {
      expect(fastConversationsList(page)).toBeInstanceOf(ConversationsV1ListUserResponse)
      expect(decodeConversationsListUserResponse(page).ok).toBe(true)
    }
  })

  it("a Chat V2 body is not a Conversations user: it has no chat_service_sid", () => {
    const result = decodeConversationsUser(userJson())
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toContain("chat_service_sid")
  })

  it.prop("users: the fast decoder agrees with the Schema", [conversationsBody], ([body]) => {
    const fast = fastConversationsUser(body)
    const slow = schemaConversationsUser(body)
    if (fast === Fallback) {
      expect(Either.isLeft(slow)).toBe(true)
    } else {
      if (Either.isLeft(slow)) throw new Error(`fast accepted what the schema rejects: ${slow.left.message}`)
      expect(fast).toBeInstanceOf(ConversationsV1User)
      expect(encodeConversationsUser(fast)).toStrictEqual(encodeConversationsUser(slow.right))
      expect(Object.keys(fast)).toStrictEqual(Object.keys(slow.right))
    }
    expect(decodeConversationsUser(body).ok).toBe(Either.isRight(slow))
  }, { fastCheck: { numRuns: 1000 } })

  it.prop(
    "pages: the fast decoder agrees with the Schema",
    [FastCheck.array(conversationsBody, { maxLength: 4 })],
    ([users]) => {
      const meta = {
        page: 0,
        page_size: 50,
        first_page_url: "https://conversations.twilio.com/v1/Users?PageSize=50&Page=0",
        previous_page_url: null,
        url: "https://conversations.twilio.com/v1/Users?PageSize=50&Page=0",
        next_page_url: null,
        key: "users"
      }
      const fast = fastConversationsList({ users, meta })
      const slow = schemaConversationsList({ users, meta })
      expect(fast === Fallback).toBe(Either.isLeft(slow))
    },
    { fastCheck: { numRuns: 300 } }
  )
})

// ---------------------------------------------------------------------------------------------------------------
// The fast path builds Twilio's dates as Effect's internal `makeUtc` does (effect 3): these tests fail the day
// Effect builds a `DateTime.Utc` differently, so the copy can be updated before it drifts.
// ---------------------------------------------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, "0")
/** Twilio's format of `millis` (whole seconds). */
const twilioFormat = (millis: number) => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")
const twilioString = FastCheck.tuple(
  FastCheck.integer({ min: 100, max: 9999 }),
  FastCheck.integer({ min: 1, max: 12 }),
  FastCheck.integer({ min: 1, max: 28 }),
  FastCheck.integer({ min: 0, max: 23 }),
  FastCheck.integer({ min: 0, max: 59 }),
  FastCheck.integer({ min: 0, max: 59 })
).map(([y, mo, d, h, mi, s]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}Z`)
/** Whole seconds from 0100-01-01 to 9999-12-28, on a day up to the 28th: every instant Twilio's format takes fast. */
const twilioMillis = FastCheck.integer({
  min: Date.UTC(100, 0, 1) / 1000,
  max: Date.UTC(9999, 11, 28, 23, 59, 59) / 1000
}).map((seconds) => seconds * 1000).filter((millis) => new Date(millis).getUTCDate() <= 28)
/** Strings `DateTime.unsafeMake` accepts that are not Twilio's format: they take the fallback. */
const otherDateString = FastCheck.oneof(
  FastCheck.date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }).map((d) =>
    d.toISOString()
  ),
  FastCheck.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) =>
    d.toISOString().replace(/\.\d{3}Z$/, "")
  ),
  FastCheck.constantFrom("2016-03-29T21:05:19Z", "0099-03-24T21:05:19Z", "2016-03-24T21:05:19+02:00", "2016-03-24")
)

/** Own property descriptors, a cached hash (a function on the instance) read as its value. */
const descriptors = (d: object) =>
  Reflect.ownKeys(d).map((key) => {
    const { value, ...flags } = Object.getOwnPropertyDescriptor(d, key)!
    return { key, ...flags, value: key === Hash.symbol ? value() : value }
  })

/**
 * Everything observable of a `DateTime.Utc`: its own properties (in order, with their flags) as built, then its
 * views, then its own properties again once hashing and reading the parts have cached both on the instance.
 */
const observe = (d: DateTime.Utc) => ({
  built: descriptors(d),
  extensible: Object.isExtensible(d),
  isDateTime: DateTime.isDateTime(d),
  isUtc: DateTime.isUtc(d),
  millis: DateTime.toEpochMillis(d),
  iso: DateTime.formatIso(d),
  date: DateTime.toDateUtc(d).getTime(),
  encoded: Schema.encodeSync(Schema.DateTimeUtc)(d),
  json: JSON.stringify(d),
  string: String(d),
  inspect: inspect(d),
  enumerable: Object.keys(d),
  hash: Hash.hash(d),
  parts: DateTime.toPartsUtc(d),
  cached: descriptors(d)
})

const sameAsEffect = (input: string) => {
  const fast = fastDate(input)
  const effect = DateTime.unsafeMake(input)
  if (fast === Fallback) throw new Error(`fast path declined ${input}`)
  expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(effect))
  expect(observe(fast)).toStrictEqual(observe(effect))
  expect(Equal.equals(fast, effect)).toBe(true)
  expect(Equal.equals(effect, fast)).toBe(true)
  expect(Equal.equals(fast, DateTime.unsafeMake(input))).toBe(true)
}

describe("the fast path's dates are Effect's", () => {
  it("uses the prototype of Effect's own DateTime.Utc", () => {
    expect(UtcProto).toBe(Object.getPrototypeOf(DateTime.unsafeMake(0)))
    expect(UtcProto).toBe(Object.getPrototypeOf(DateTime.unsafeMake("2016-03-24T21:05:19Z")))
    expect(Object.getPrototypeOf(fastDate("2016-03-24T21:05:19Z"))).toBe(UtcProto)
    const user = fastUser(userJson())
    if (user === Fallback) throw new Error("the user took the fallback")
    expect(Object.getPrototypeOf(user.dateCreated)).toBe(UtcProto)
    expect(Object.getPrototypeOf(user.dateUpdated)).toBe(UtcProto)
  })

  it("reads every day of a 400-year cycle, and of the first and last ones, as Date.UTC does", () => {
    // Gregorian dates repeat every 400 years and the arithmetic is linear in them: these cycles cover every case.
    const wrong: Array<string> = []
    for (const [from, to] of [[100, 499], [2000, 2399], [9600, 9999]]) {
      for (let y = from; y <= to; y++) {
        for (let m = 1; m <= 12; m++) {
          for (let d = 1; d <= 28; d++) {
            const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T23:59:59Z`
            if (twilioDateMillis(s) !== Date.UTC(y, m - 1, d, 23, 59, 59)) wrong.push(s)
          }
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it("takes the fast path only for Twilio's format, in range", () => {
    expect(twilioDateMillis("2016-03-24T21:05:19Z")).toBe(Date.UTC(2016, 2, 24, 21, 5, 19))
    for (
      const s of [
        "2016-03-29T21:05:19Z",
        "0099-03-24T21:05:19Z",
        "2016-13-24T21:05:19Z",
        "2016-00-24T21:05:19Z",
        "2016-03-00T21:05:19Z",
        "2016-03-24T24:05:19Z",
        "2016-03-24T21:60:19Z",
        "2016-03-24T21:05:60Z",
        "2016-03-24T21:05:19.000Z",
        "2016-03-24 21:05:19Z",
        "+16-03-24T21:05:19Z",
        "2016-03-24T21:05:19z"
      ]
    ) expect(twilioDateMillis(s), s).toBeNaN()
  })

  it.prop("Twilio's date strings: the same DateTime.Utc as DateTime.unsafeMake", [twilioString], ([s]) => {
    expect(twilioDateMillis(s)).toBe(new Date(s).getTime())
    sameAsEffect(s)
  }, { fastCheck: { numRuns: 1000 } })

  it.prop("every instant in Twilio's range: the same DateTime.Utc as DateTime.unsafeMake", [twilioMillis], ([m]) => {
    const s = twilioFormat(m)
    expect(twilioDateMillis(s)).toBe(m)
    sameAsEffect(s)
  }, { fastCheck: { numRuns: 1000 } })

  it.prop("other date strings take DateTime.unsafeMake's result", [otherDateString], ([s]) => {
    expect(twilioDateMillis(s)).toBeNaN()
    sameAsEffect(s)
  }, { fastCheck: { numRuns: 500 } })
})
