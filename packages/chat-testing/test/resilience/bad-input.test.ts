/**
 * Bad input, table-driven: every invalid argument of every operation fails with `InvalidRequest` naming the field,
 * and the fake receives no request at all. The table (packages/chat/test/bad-input-cases.ts) is shared with the core
 * package's run against a scripted `HttpClient`; this run asserts on what the fake Twilio saw.
 */
import { ChatV2UserApi, InvalidRequest } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { BAD_INPUT_CASES, SERVICE } from "../../../chat/test/bad-input-cases.js"
import { ChatTest, FakeTwilioChat } from "../../src/index.js"

describe("bad input: InvalidRequest naming the field, and not one request", () => {
  for (const [what, field, call] of BAD_INPUT_CASES) {
    it.effect(`${what} → InvalidRequest(${field})`, () =>
      Effect.gen(function*() {
        const fake = yield* FakeTwilioChat
        const chat = yield* ChatV2UserApi
        const error = yield* Effect.flip(call(chat))
        expect(error).toBeInstanceOf(InvalidRequest)
        expect(error).toMatchObject({ _tag: "InvalidRequest", field })
        expect((error as InvalidRequest).message.length).toBeGreaterThan(10)
        expect(yield* fake.requests).toEqual([])
      }).pipe(Effect.provide(ChatTest.layer({ serviceSid: SERVICE }))))
  }
})
