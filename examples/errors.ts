/**
 * Catching errors by tag: `UserAlreadyExists` on a second create, `UserNotFound` on a missing user, and
 * `RateLimited` (Twilio's 429 after the client's own retries) around any call. Runs twice in a row: it cleans up.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

export const program = Effect.gen(function*() {
  const serviceSid = yield* Config.string("TWILIO_CHAT_SERVICE_SID")
  const chat = yield* ChatV2UserApi
  const identity = "errors-example@example.com"

  // Create, or take the user that already exists.
  const user = yield* chat.createUser(serviceSid, identity).pipe(
    Effect.catchTag("UserAlreadyExists", () => chat.fetchUser(serviceSid, identity))
  )
  const again = yield* chat.createUser(serviceSid, identity).pipe(
    Effect.as("created twice?"),
    Effect.catchTag("UserAlreadyExists", (e) => Effect.succeed(`UserAlreadyExists (HTTP ${e.status}, code ${e.code})`))
  )

  // A user that does not exist, as an Option.
  const missing = yield* chat.fetchUser(serviceSid, "nobody-here@example.com").pipe(
    Effect.map(Option.some),
    Effect.catchTag("UserNotFound", () => Effect.succeedNone)
  )

  // Rate limits: the client already retried (honouring Retry-After); here the caller decides what to do next.
  yield* chat.deleteUser(serviceSid, user.sid).pipe(
    Effect.catchTag("RateLimited", (e) => Console.log(`still rate limited, retry after ${String(e.retryAfter)}`))
  )
  yield* Console.log(`errors: second create -> ${again}; missing user -> ${Option.isNone(missing) ? "None" : "found"}`)
})
