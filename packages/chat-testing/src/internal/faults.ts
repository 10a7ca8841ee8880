/**
 * Scripted faults applied to an answer: what each `Fault` makes of the normal answer (or instead of it).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type { Fault } from "../Fault.js"
import { errorAnswer, JSON_TYPE, NULL_BODY_STATUSES } from "./answers.js"
import type * as Store from "./store.js"
import type { FakeApi, FakeOperation, FakeResponse } from "./types.js"

const BAD_GATEWAY_HTML = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
  "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

/** The next fault of `operation`'s script that applies to `api` (scripted for it, or for both), taken off. */
export const takeFault = (store: Store.Store, operation: FakeOperation | null, api: FakeApi): Fault | undefined => {
  if (operation === null) return undefined
  const queue = store.faults.get(operation) ?? []
  const index = queue.findIndex((scripted) => scripted.api === undefined || scripted.api === api)
  return index < 0 ? undefined : queue.splice(index, 1)[0].fault
}

/** Appends `faults` to `operation`'s script, for `api` only or (undefined) for both. */
export const scriptFaults = (
  store: Store.Store,
  operation: FakeOperation,
  faults: ReadonlyArray<Fault>,
  api: FakeApi | undefined
): void => {
  const queue = store.faults.get(operation) ?? []
  for (const fault of faults) queue.push({ fault, api })
  store.faults.set(operation, queue)
}

const foreignNextPage = (response: FakeResponse, origin: string): FakeResponse => {
  if (response._tag !== "Answer" || response.status !== 200) return response
  const body = JSON.parse(response.body) as { meta?: { next_page_url: string | null; url: string } }
  // Not a page (the fault was scripted for another operation): nothing to point elsewhere.
  if (body.meta === undefined) return response
  const url = new URL(body.meta.next_page_url ?? body.meta.url)
  body.meta.next_page_url = origin + url.pathname + url.search
  return { ...response, body: JSON.stringify(body) }
}

/** The answer `fault` makes, `normal` being the request processed and answered as usual. */
export const applyFault = (fault: Fault, normal: Effect.Effect<FakeResponse>): Effect.Effect<FakeResponse> => {
  switch (fault._tag) {
    case "Pass":
      return normal
    case "Delay":
      return Effect.zipRight(Effect.sleep(fault.duration), applyFault(fault.then, normal))
    case "Status":
      return Effect.succeed(
        errorAnswer(
          fault.status,
          fault.code,
          fault.message,
          fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }
        )
      )
    case "NotJson":
      return Effect.succeed({
        _tag: "Answer",
        status: fault.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: fault.body,
        truncated: false
      })
    case "HtmlBadGateway":
      return Effect.succeed({
        _tag: "Answer",
        status: 502,
        headers: { "content-type": "text/html" },
        body: BAD_GATEWAY_HTML,
        truncated: false
      })
    case "Truncated":
      return Effect.map(normal, (response): FakeResponse =>
        response._tag !== "Answer"
          ? response
          : response.body.length === 0
          ? { _tag: "Reset" }
          : { ...response, truncated: true })
    case "ForeignNextPage":
      return Effect.map(normal, (response) => foreignNextPage(response, fault.origin))
    case "Reset":
      return fault.afterProcessing ? Effect.as(normal, { _tag: "Reset" } as const) : Effect.succeed({ _tag: "Reset" })
    case "StalledBody":
      return Effect.flatMap(normal, (response): Effect.Effect<FakeResponse> =>
        response._tag !== "Answer"
          ? Effect.succeed(response)
          : response.body.length === 0 || NULL_BODY_STATUSES.has(response.status)
          ? Effect.never
          : Effect.succeed({ ...response, stalled: true }))
    case "Enormous":
      return Effect.map(
        normal,
        (response): FakeResponse =>
          response._tag !== "Answer" || NULL_BODY_STATUSES.has(response.status)
            ? response
            : { ...response, padding: { bytes: fault.bytes, contentLength: fault.contentLength } }
      )
    case "Json":
      return Effect.succeed({
        _tag: "Answer",
        status: fault.status,
        headers: { "content-type": JSON_TYPE },
        body: fault.body,
        truncated: false
      })
    case "Redirect":
      return Effect.succeed({
        _tag: "Answer",
        status: fault.status,
        headers: { "content-type": "text/html", location: fault.location },
        body: NULL_BODY_STATUSES.has(fault.status) ? "" : `<a href="${fault.location}">Moved</a>`,
        truncated: false
      })
  }
}
