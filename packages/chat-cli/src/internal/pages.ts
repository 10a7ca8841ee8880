/**
 * A service's users as a `Stream` of pages: each page is requested when the consumer pulls, after the previous one
 * was handled, following the server's next-page URLs.
 *
 * @internal
 */
import type { ListUserError } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { PagePosition, UserPage, UsersApi } from "./usersApi.js"

/** The pages of `serviceSid` from `start` (the first page without one) to the last. */
export const pages = (
  users: UsersApi,
  serviceSid: string,
  pageSize: number,
  start?: PagePosition | undefined
): Stream.Stream<UserPage, ListUserError> =>
  Stream.unfoldEffect(
    Effect.map(users.listPage(serviceSid, pageSize, start), Option.some),
    (load) => Effect.map(load, Option.map((page) => [page, page.next] as const))
  )
