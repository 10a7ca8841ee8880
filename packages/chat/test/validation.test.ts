import { ChatV2UserApi, InvalidRequest } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import { attributesJson, MAX_ATTRIBUTES_BYTES } from "../src/internal/validate.js"
import { BAD_INPUT_CASES, nested } from "./bad-input-cases.js"
import { chatLayer, ROLE, scripted, SERVICE, userJson } from "./utils.js"

describe("bad input is InvalidRequest naming the field, and nothing is sent", () => {
  for (const [name, field, call] of BAD_INPUT_CASES) {
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

  it.effect("valid edge values are accepted: attributes of exactly 16 KiB, a well-formed roleSid, undefined properties left out", () => {
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

const utf8 = new TextEncoder()

/** Whether `parsed` (read back from the JSON text) is `value`: the same JSON data, `undefined` properties aside. */
const sameJson = (value: unknown, parsed: unknown): boolean => {
  if (typeof value !== "object" || value === null) return value === parsed
  if (typeof parsed !== "object" || parsed === null || Array.isArray(value) !== Array.isArray(parsed)) return false
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined)
  const parsedKeys = Object.keys(parsed)
  return keys.length === parsedKeys.length &&
    keys.every((k, i) =>
      parsedKeys[i] === k && sameJson((value as Record<string, unknown>)[k], (parsed as Record<string, unknown>)[k])
    )
}

/** Any UTF-16 code unit, lone surrogates included, or any code point. */
const anyUnit = FastCheck.oneof(
  FastCheck.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  FastCheck.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
)

describe("attributes: exactly a JSON object", () => {
  it.effect("valid values are sent as their JSON text: unicode, nesting, nulls, numbers, shared values", () => {
    const fake = scripted([{ status: 201, body: userJson() }])
    const shared = { tag: "x" }
    const nullPrototype = Object.assign(Object.create(null), { a: 1 })
    const values: ReadonlyArray<Record<string, unknown>> = [
      { name: "Zoë 日本 😀", "": "empty key", "a b": "\u0000\u007f\r\n", lone: "\uD800" },
      { list: [[1, [2, [3]]], { a: { b: { c: [] } } }, []], empty: {} },
      { none: null, list: [null, null] },
      { big: 1e21, negative: -1.5, tiny: 5e-324, max: Number.MAX_VALUE, zero: 0, negativeZero: -0 },
      { first: shared, second: shared, again: [shared, shared] },
      nullPrototype,
      { toJSON: 1, "__proto__x": true, 10: "index-like keys come first", 2: "in order" },
      nested(64),
      // Exactly 16 KiB, nested: each character is counted once, however deep.
      { a: { b: [{ c: "x".repeat(16 * 1024 - 22) }] } },
      { blob: "ü".repeat(8 * 1024 - 6) + "x" }
    ]
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      for (const attributes of values) {
        yield* chat.createUser(SERVICE, "a", { attributes })
        yield* chat.updateUser(SERVICE, "a", { attributes })
      }
      expect(fake.sent).toHaveLength(values.length * 2)
      fake.sent.forEach((sent, i) => {
        expect(new URLSearchParams(sent.body).get("Attributes")).toBe(JSON.stringify(values[Math.floor(i / 2)]))
      })
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })

  it("the text equals JSON.stringify byte for byte for any JSON object (fast-check)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.dictionary(
          FastCheck.string({ unit: anyUnit }),
          FastCheck.jsonValue({ maxDepth: 8, stringUnit: anyUnit })
        ),
        (value) => {
          const expected = JSON.stringify(value)
          const result = attributesJson(value)
          if (utf8.encode(expected).length <= MAX_ATTRIBUTES_BYTES) expect(result).toEqual({ json: expected })
          else expect(result).toBeInstanceOf(InvalidRequest)
        }
      ),
      { numRuns: 500 }
    )
  })

  it("anything at all is either refused as InvalidRequest or sent as exactly itself, and never throws (fast-check)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.anything({
          maxDepth: 4,
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withNullPrototype: true,
          withObjectString: true,
          withSet: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true
        }),
        (inner) => {
          const value = { inner }
          const result = attributesJson(value)
          if (result instanceof InvalidRequest) {
            expect(result.field).toBe("options.attributes")
            return
          }
          expect(result?.json).toBe(JSON.stringify(value))
          expect(sameJson(value, JSON.parse(result!.json))).toBe(true)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("a refusal names the path to the value", () => {
    expect(attributesJson({ a: { list: [1, { when: new Date(0) }] } })).toMatchObject({
      field: "options.attributes",
      message: expect.stringContaining("options.attributes.a.list[1].when")
    })
    expect(attributesJson({ "a b": [1, Number.NaN] })).toMatchObject({
      message: expect.stringContaining("options.attributes[\"a b\"][1]")
    })
    expect(attributesJson({ toJSON: () => ({}) })).toMatchObject({ message: expect.stringContaining("toJSON") })
    expect(attributesJson(nested(65))).toMatchObject({ message: expect.stringContaining("64 levels") })
  })
})
