/**
 * Every user of a service as a lazy `Stream`, in constant memory: pages are requested as the fold consumes them, and
 * nothing but the running totals is kept.
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

export const program = Effect.gen(function*() {
  const serviceSid = yield* Config.string("TWILIO_CHAT_SERVICE_SID")
  const chat = yield* ChatV2UserApi
  const totals = yield* chat.streamUsers(serviceSid, { pageSize: 100 }).pipe(
    Stream.runFold({ users: 0, named: 0 }, (acc, user) => ({
      users: acc.users + 1,
      named: acc.named + (user.friendlyName === null ? 0 : 1)
    }))
  )
  yield* Console.log(`stream-all: ${totals.users} users, ${totals.named} with a friendly name`)
})
