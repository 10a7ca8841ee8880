import { ChatV2UserApi, type ChatV2UserApiService } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { chatLayer, ROLE, scripted, SERVICE, userJson } from "./utils.js"

type Call = (chat: ChatV2UserApiService) => Effect.Effect<unknown, { readonly _tag: string }>

class Money {
  constructor(readonly cents: number) {}
}
const cyclic: Record<string, unknown> = {}
cyclic.self = cyclic
let deep: Record<string, unknown> = {}
for (let i = 0; i < 100_000; i++) deep = { d: deep }

const BAD_SIDS = [
  "",
  "IS123",
  "is0123456789abcdef0123456789abcdef",
  "US0123456789abcdef0123456789abcdef",
  "IS0123456789abcdef0123456789abcdeg"
]

const cases: ReadonlyArray<readonly [string, string, Call]> = [
  ...BAD_SIDS.flatMap((sid): ReadonlyArray<readonly [string, string, Call]> => [
    [`createUser serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => c.createUser(sid, "alice")],
    [`fetchUser serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => c.fetchUser(sid, "alice")],
    [`updateUser serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => c.updateUser(sid, "alice")],
    [`deleteUser serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => c.deleteUser(sid, "alice")],
    [`listUser serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => c.listUser(sid)],
    [`streamUsers serviceSid ${JSON.stringify(sid)}`, "serviceSid", (c) => Stream.runDrain(c.streamUsers(sid))]
  ]),
  ["createUser empty identity", "identity", (c) => c.createUser(SERVICE, "")],
  ["createUser identity not a string", "identity", (c) => c.createUser(SERVICE, 42 as unknown as string)],
  ["fetchUser empty sid", "sid", (c) => c.fetchUser(SERVICE, "")],
  ["updateUser empty sid", "sid", (c) => c.updateUser(SERVICE, "")],
  ["deleteUser empty sid", "sid", (c) => c.deleteUser(SERVICE, "")],
  ["fetchUser sid '..' (not addressable by path)", "sid", (c) => c.fetchUser(SERVICE, "..")],
  ["deleteUser sid '.' (not addressable by path)", "sid", (c) => c.deleteUser(SERVICE, ".")],
  ["createUser identity with a lone surrogate", "identity", (c) => c.createUser(SERVICE, "a\uD800b")],
  ["fetchUser sid with a lone surrogate", "sid", (c) => c.fetchUser(SERVICE, "a\uD800b")],
  ["deleteUser sid with a lone low surrogate", "sid", (c) => c.deleteUser(SERVICE, "\uDC00")],
  [
    "createUser friendlyName with a lone surrogate",
    "options.friendlyName",
    (c) => c.createUser(SERVICE, "ok", { friendlyName: "x\uDC00" })
  ],
  [
    "listUser pageToken with a lone surrogate",
    "options.pageToken",
    (c) => c.listUser(SERVICE, { pageToken: "\uD800" })
  ],
  ["createUser options not an object", "options", (c) => c.createUser(SERVICE, "a", "Alice" as never)],
  ["updateUser options null", "options", (c) => c.updateUser(SERVICE, "a", null as never)],
  ["listUser options a number", "options", (c) => c.listUser(SERVICE, 42 as never)],
  ["streamUsers options an array", "options", (c) => Stream.runDrain(c.streamUsers(SERVICE, [] as never))],
  ["createUser malformed roleSid", "options.roleSid", (c) => c.createUser(SERVICE, "a", { roleSid: "RL123" })],
  ["updateUser malformed roleSid", "options.roleSid", (c) => c.updateUser(SERVICE, "a", { roleSid: SERVICE })],
  [
    "createUser friendlyName not a string",
    "options.friendlyName",
    (c) => c.createUser(SERVICE, "a", { friendlyName: 1 as unknown as string })
  ],
  [
    "createUser webhook flag not true/false",
    "options.xTwilioWebhookEnabled",
    (c) => c.createUser(SERVICE, "a", { xTwilioWebhookEnabled: "yes" as "true" })
  ],
  ...([
    ["an array", [1, 2]],
    ["a string", "{\"a\":1}"],
    ["null", null],
    ["a number", 3],
    ["a Date", new Date(0)],
    ["a class instance", new Money(1)],
    ["a nested class instance", { price: new Money(1) }],
    ["a function value", { f: () => 1 }],
    ["a symbol value", { s: Symbol("x") }],
    ["NaN", { n: Number.NaN }],
    ["Infinity", { n: Number.POSITIVE_INFINITY }],
    ["a BigInt", { n: 1n }],
    ["a cycle", cyclic],
    ["undefined inside an array", { list: [1, undefined] }],
    ["JSON text over 16 KiB", { blob: "x".repeat(16 * 1024) }],
    ["multi-byte JSON text over 16 KiB", { blob: "ü".repeat(8 * 1024) }],
    ["nesting too deep to serialize", deep]
  ] as const).flatMap(([what, attributes]): ReadonlyArray<readonly [string, string, Call]> => [
    [
      `createUser attributes ${what}`,
      "options.attributes",
      (c) => c.createUser(SERVICE, "a", { attributes: attributes as never })
    ],
    [
      `updateUser attributes ${what}`,
      "options.attributes",
      (c) => c.updateUser(SERVICE, "a", { attributes: attributes as never })
    ]
  ]),
  ...[0, 101, 1.5, -1, Number.NaN, "10"].flatMap((size): ReadonlyArray<readonly [string, string, Call]> => [
    [`listUser pageSize ${String(size)}`, "options.pageSize", (c) => c.listUser(SERVICE, { pageSize: size as number })],
    [
      `streamUsers pageSize ${String(size)}`,
      "options.pageSize",
      (c) => Stream.runDrain(c.streamUsers(SERVICE, { pageSize: size as number }))
    ]
  ]),
  ["listUser page -1", "options.page", (c) => c.listUser(SERVICE, { page: -1 })],
  ["listUser page 0.5", "options.page", (c) => c.listUser(SERVICE, { page: 0.5 })],
  ["listUser empty pageToken", "options.pageToken", (c) => c.listUser(SERVICE, { pageToken: "" })],
  ...[0, -5, 2.5].map((limit): readonly [string, string, Call] => [
    `streamUsers limit ${limit}`,
    "options.limit",
    (c) => Stream.runDrain(c.streamUsers(SERVICE, { limit }))
  ])
]

describe("bad input is InvalidRequest naming the field, and nothing is sent", () => {
  for (const [name, field, call] of cases) {
    it.effect(name, () => {
      const fake = scripted([{ status: 200, body: userJson() }])
      return Effect.gen(function*() {
        const chat = yield* ChatV2UserApi
        const error = yield* Effect.flip(call(chat))
        expect(error).toMatchObject({ _tag: "InvalidRequest", field })
        expect(fake.sent).toHaveLength(0)
      }).pipe(Effect.provide(chatLayer(fake.layer)))
    })
  }

  it.effect("valid edge values are accepted: attributes at exactly 16 KiB, page size 1 and 100, undefined properties", () => {
    const fake = scripted([{ status: 201, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const blob = "x".repeat(16 * 1024 - "{\"b\":\"\"}".length)
      yield* chat.createUser(SERVICE, "a", { attributes: { b: blob }, roleSid: ROLE })
      yield* chat.updateUser(SERVICE, "a", { attributes: { kept: 1, dropped: undefined } })
      expect(new URLSearchParams(fake.sent[1].body).get("Attributes")).toBe("{\"kept\":1}")
      expect(fake.sent).toHaveLength(2)
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})
