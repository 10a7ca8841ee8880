import { ChatV2UserApi } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { chatLayer, scripted, SERVICE, userJson } from "./utils.js"

describe("smoke", () => {
  it.effect("fetches a user", () => {
    const fake = scripted([{ status: 200, body: userJson() }])
    return Effect.gen(function*() {
      const chat = yield* ChatV2UserApi
      const user = yield* chat.fetchUser(SERVICE, "alice@example.com")
      expect(user.identity).toBe("alice")
      expect(user.attributes).toEqual({ team: "blue" })
      expect(fake.sent[0].url).toBe(`https://chat.twilio.com/v2/Services/${SERVICE}/Users/alice%40example.com`)
      expect(fake.sent[0].headers).toMatchObject({ accept: "application/json" })
    }).pipe(Effect.provide(chatLayer(fake.layer)))
  })
})
