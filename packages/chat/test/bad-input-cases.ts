/**
 * Every invalid argument of every operation, with the field its `InvalidRequest` must name: one table, run twice,
 * against a scripted `HttpClient` (packages/chat/test/validation.test.ts: nothing is sent) and against the fake
 * Twilio (packages/chat-testing/test/resilience/bad-input.test.ts: the fake receives nothing).
 */
import type { ChatV2UserApiService } from "@effect-twilio/chat"
import type * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

export const SERVICE = "IS0123456789abcdef0123456789abcdef"
const ROLE = "RL0123456789abcdef0123456789abcdef"

export type Call = (chat: ChatV2UserApiService) => Effect.Effect<unknown, { readonly _tag: string }>
export type Case = readonly [what: string, field: string, call: Call]

/** Casts a deliberately wrong value past the types, as a JavaScript caller or a bad cast would pass it. */
const bad = <A>(value: unknown): A => value as A

class Money {
  constructor(readonly cents: number) {}
}
const cyclic: Record<string, unknown> = {}
cyclic.self = cyclic
let deep: Record<string, unknown> = {}
for (let i = 0; i < 100_000; i++) deep = { d: deep }
/** An object nested `levels` deep: `nested(1)` is `{}`. 64 levels are accepted, 65 are not. */
export const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {}
  for (let i = 1; i < levels; i++) value = { d: value }
  return value
}
const innerCycle: Record<string, unknown> = { list: [] }
;(innerCycle.list as Array<unknown>).push({ back: innerCycle })
const trap = (name: string) => () => {
  throw new Error(`the ${name} trap throws`)
}
const sparse = [1, 2, 3]
delete sparse[1]
class Tuple extends Array<unknown> {}
const revoked = Proxy.revocable({}, {})
revoked.revoke()

/** Arguments that throw when read: a `get` trap, a getter, a revoked proxy. */
const throwing = (key: string): ReadonlyArray<readonly [string, unknown]> => [
  ["a Proxy whose get trap throws", new Proxy({}, { get: trap("get") })],
  [`a getter of ${key} that throws`, Object.defineProperty({}, key, { get: trap("getter"), enumerable: true })],
  ["a revoked Proxy", revoked.proxy]
]

const show = (value: unknown): string =>
  typeof value === "string"
    ? JSON.stringify(value).slice(0, 40)
    : typeof value === "bigint" || typeof value === "symbol" || typeof value === "function"
    ? String(value)
    : value instanceof Date
    ? "a Date"
    : Number.isNaN(value)
    ? "NaN"
    : JSON.stringify(value) ?? String(value)

const SERVICE_SIDS: ReadonlyArray<unknown> = [
  "",
  "IS123",
  "is0123456789abcdef0123456789abcdef",
  "US0123456789abcdef0123456789abcdef",
  "IS0123456789abcdef0123456789abcdeg",
  ` ${SERVICE}`,
  `${SERVICE}/Users`,
  undefined,
  null,
  42
]
const SIDS: ReadonlyArray<unknown> = ["", ".", "..", "a\uD800b", "\uDC00", undefined, null, 42, {}]
const IDENTITIES: ReadonlyArray<unknown> = ["", "a\uD800b", "\uDFFFz", undefined, null, 42, ["alice"]]
const ROLES: ReadonlyArray<unknown> = ["", "RL123", SERVICE, ROLE.toUpperCase().replace("RL", "rl"), null, 1]
const FRIENDLY_NAMES: ReadonlyArray<unknown> = [1, null, true, "x\uDC00"]
const WEBHOOKS: ReadonlyArray<unknown> = ["yes", "TRUE", true, 1, null, ""]
const ATTRIBUTES: ReadonlyArray<readonly [string, unknown]> = [
  ["an array", [1, 2]],
  ["JSON text", "{\"a\":1}"],
  ["null", null],
  ["a number", 3],
  ["a Date", new Date(0)],
  ["a class instance", new Money(1)],
  ["a nested class instance", { price: new Money(1) }],
  ["a Map", { m: new Map() }],
  ["a function value", { f: () => 1 }],
  ["a symbol value", { s: Symbol("x") }],
  ["NaN", { n: Number.NaN }],
  ["Infinity", { n: Number.POSITIVE_INFINITY }],
  ["a BigInt", { n: 1n }],
  ["a cycle", cyclic],
  ["undefined inside an array", { list: [1, undefined] }],
  ["a toJSON at the root returning undefined", { toJSON: () => undefined }],
  ["a toJSON at the root returning an array", { a: 1, toJSON: () => [1, 2] }],
  ["a toJSON at the root returning a string", { toJSON: () => "{\"a\":1}" }],
  ["a nested toJSON", { when: { at: 1, toJSON: () => "2020-01-01" } }],
  ["a toJSON inside an array", { list: [{ toJSON: () => 1 }] }],
  ["an inherited toJSON", Object.create({ toJSON: () => ({}) })],
  ["a Proxy whose getPrototypeOf throws", new Proxy({}, { getPrototypeOf: trap("getPrototypeOf") })],
  ["a Proxy whose ownKeys throws", new Proxy({}, { ownKeys: trap("ownKeys") })],
  ["a Proxy whose get throws", new Proxy({ a: 1 }, { get: trap("get") })],
  [
    "a Proxy whose getOwnPropertyDescriptor throws",
    new Proxy({ a: 1 }, { getOwnPropertyDescriptor: trap("getOwnPropertyDescriptor") })
  ],
  ["a nested Proxy whose ownKeys throws", { inner: new Proxy({}, { ownKeys: trap("ownKeys") }) }],
  ["a revoked Proxy", revoked.proxy],
  [
    "a Proxy whose trap throws a hostile value",
    new Proxy({}, {
      ownKeys: () => {
        throw new Proxy({}, { getPrototypeOf: trap("getPrototypeOf"), get: trap("get") })
      }
    })
  ],
  ["a throwing getter", {
    get boom(): never {
      throw new Error("no")
    }
  }],
  ["a getter", {
    get now() {
      return Date.now()
    }
  }],
  ["a setter", Object.defineProperty({}, "x", { set: () => {}, enumerable: true })],
  ["a non-enumerable property", Object.defineProperty({}, "hidden", { value: 1, enumerable: false })],
  ["a symbol key", { [Symbol("k")]: 1 }],
  ["a symbol inside an array", { list: [Symbol("x")] }],
  ["a function at the root", () => 1],
  ["a function inside an array", { list: [() => 1] }],
  ["a nested BigInt", { a: { b: [1n] } }],
  ["a cycle through an array", innerCycle],
  ["-Infinity", { n: Number.NEGATIVE_INFINITY }],
  ["NaN inside an array", { list: [Number.NaN] }],
  ["a nested Date", { at: new Date(0) }],
  ["a Map at the root", new Map([["a", 1]])],
  ["a Set", { s: new Set([1]) }],
  ["a RegExp", { r: /x/ }],
  ["an Error", { e: new Error("x") }],
  ["a boxed string", { s: Object("x") }],
  ["a boxed number at the root", Object(1)],
  ["a typed array", { bytes: new Uint8Array(2) }],
  ["a class instance inside an array", { list: [new Money(1)] }],
  ["a sparse array", { list: sparse }],
  ["an array with an extra property", { list: Object.assign([1], { extra: 2 }) }],
  ["an Array subclass", { list: Tuple.of(1) }],
  ["nesting 65 levels deep", nested(65)],
  ["JSON text over 16 KiB", { blob: "x".repeat(16 * 1024) }],
  ["multi-byte JSON text over 16 KiB", { blob: "ü".repeat(8 * 1024) }],
  ["nested JSON text one byte over 16 KiB", { a: { b: [{ c: "x".repeat(16 * 1024 - 21) }] } }],
  ["an array too long for 16 KiB", { list: new Array(20_000).fill(0) }],
  ["nesting too deep to serialize", deep]
]
const PAGE_SIZES: ReadonlyArray<unknown> = [0, 101, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, "10", null]
const PAGES: ReadonlyArray<unknown> = [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, "1", null]
const PAGE_TOKENS: ReadonlyArray<unknown> = ["", "\uD800", 5, null]
const LIMITS: ReadonlyArray<unknown> = [0, -5, 2.5, Number.NaN, "3", null]
const OPTIONS: ReadonlyArray<unknown> = ["Alice", 42, true, null, ["x"]]

const writeOptions = (op: string, call: (options: unknown) => Call): ReadonlyArray<Case> => [
  ...OPTIONS.map((o): Case => [`${op} options ${show(o)}`, "options", call(o)]),
  ...ROLES.map((v): Case => [`${op} options.roleSid ${show(v)}`, "options.roleSid", call({ roleSid: v })]),
  ...FRIENDLY_NAMES.map((v): Case => [
    `${op} options.friendlyName ${show(v)}`,
    "options.friendlyName",
    call({ friendlyName: v })
  ]),
  ...WEBHOOKS.map((v): Case => [
    `${op} options.xTwilioWebhookEnabled ${show(v)}`,
    "options.xTwilioWebhookEnabled",
    call({ xTwilioWebhookEnabled: v })
  ]),
  ...ATTRIBUTES.map((
    [what, v]
  ): Case => [`${op} options.attributes ${what}`, "options.attributes", call({ attributes: v })])
]

export const BAD_INPUT_CASES: ReadonlyArray<Case> = [
  ...SERVICE_SIDS.flatMap((s): ReadonlyArray<Case> => {
    const sid = bad<string>(s)
    return [
      [`createUser serviceSid ${show(s)}`, "serviceSid", (c) => c.createUser(sid, "alice")],
      [`fetchUser serviceSid ${show(s)}`, "serviceSid", (c) => c.fetchUser(sid, "alice")],
      [`updateUser serviceSid ${show(s)}`, "serviceSid", (c) => c.updateUser(sid, "alice", { friendlyName: "A" })],
      [`deleteUser serviceSid ${show(s)}`, "serviceSid", (c) => c.deleteUser(sid, "alice")],
      [`listUser serviceSid ${show(s)}`, "serviceSid", (c) => c.listUser(sid)],
      [`streamUsers serviceSid ${show(s)}`, "serviceSid", (c) => Stream.runDrain(c.streamUsers(sid))]
    ]
  }),
  ...IDENTITIES.map((v): Case => [`createUser identity ${show(v)}`, "identity", (c) => c.createUser(SERVICE, bad(v))]),
  ...SIDS.flatMap((v): ReadonlyArray<Case> => [
    [`fetchUser sid ${show(v)}`, "sid", (c) => c.fetchUser(SERVICE, bad(v))],
    [`updateUser sid ${show(v)}`, "sid", (c) => c.updateUser(SERVICE, bad(v), { friendlyName: "A" })],
    [`deleteUser sid ${show(v)}`, "sid", (c) => c.deleteUser(SERVICE, bad(v))]
  ]),
  ...writeOptions("createUser", (o) => (c) => c.createUser(SERVICE, "alice", bad(o))),
  ...writeOptions("updateUser", (o) => (c) => c.updateUser(SERVICE, "alice", bad(o))),
  ...OPTIONS.map((o): Case => [`listUser options ${show(o)}`, "options", (c) => c.listUser(SERVICE, bad(o))]),
  ...PAGE_SIZES.map((v): Case => [
    `listUser options.pageSize ${show(v)}`,
    "options.pageSize",
    (c) => c.listUser(SERVICE, { pageSize: bad(v) })
  ]),
  ...PAGES.map((
    v
  ): Case => [`listUser options.page ${show(v)}`, "options.page", (c) => c.listUser(SERVICE, { page: bad(v) })]),
  ...PAGE_TOKENS.map((v): Case => [
    `listUser options.pageToken ${show(v)}`,
    "options.pageToken",
    (c) => c.listUser(SERVICE, { pageToken: bad(v) })
  ]),
  ...OPTIONS.map((o): Case => [
    `streamUsers options ${show(o)}`,
    "options",
    (c) => Stream.runDrain(c.streamUsers(SERVICE, bad(o)))
  ]),
  ...PAGE_SIZES.map((v): Case => [
    `streamUsers options.pageSize ${show(v)}`,
    "options.pageSize",
    (c) => Stream.runDrain(c.streamUsers(SERVICE, { pageSize: bad(v) }))
  ]),
  ...LIMITS.map((v): Case => [
    `streamUsers options.limit ${show(v)}`,
    "options.limit",
    (c) => Stream.runDrain(c.streamUsers(SERVICE, { limit: bad(v) }))
  ]),
  // Arguments that throw when read fail as InvalidRequest, never as a thrown exception or a defect.
  ...throwing("roleSid").flatMap(([what, o]): ReadonlyArray<Case> => [
    [`createUser options: ${what}`, "options", (c) => c.createUser(SERVICE, "alice", bad(o))],
    [`updateUser options: ${what}`, "options", (c) => c.updateUser(SERVICE, "alice", bad(o))]
  ]),
  ...throwing("pageSize").flatMap(([what, o]): ReadonlyArray<Case> => [
    [`listUser options: ${what}`, "options", (c) => c.listUser(SERVICE, bad(o))],
    [`streamUsers options: ${what}`, "options", (c) => Stream.runDrain(c.streamUsers(SERVICE, bad(o)))]
  ]),
  ...throwing("meta").map(([what, p]): Case => [`nextPage of ${what}`, "options", (c) => c.nextPage(bad(p))]),
  ...[null, undefined, 42, {}, { meta: null }, { meta: { url: 1 } }].map((p): Case => [
    `nextPage of ${show(p)}`,
    "page",
    (c) => c.nextPage(bad(p))
  ])
]
