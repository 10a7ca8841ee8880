import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { BAD_INPUT_CASES } from "./bad-input-cases.js"
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
