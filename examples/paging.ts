/**
 * Paging by hand: read one page with `listUser`, then follow each page's `nextPageUrl` with `nextPage` until it is
 * `None`. (`streamUsers` does the same for you, lazily: see stream-all.ts.)
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

export const program = Effect.gen(function*() {
  const serviceSid = yield* Config.string("TWILIO_CHAT_SERVICE_SID")
  const chat = yield* ChatV2UserApi
  let page = yield* chat.listUser(serviceSid, { pageSize: 20 })
  let pages = 1
  let users = page.users.length
  for (;;) {
    const next = yield* chat.nextPage(page)
    if (Option.isNone(next)) break
    page = next.value
    pages++
    users += page.users.length
  }
  yield* Console.log(`paging: ${users} users in ${pages} pages of up to 20`)
})
