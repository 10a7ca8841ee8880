/**
 * The `HttpClient` of `NodeHttpClient`, for every caller that does not use its `ChatTransport`: `HttpClient.make`
 * over `http.request`, answering with a web `Response` over the body as it streams (`HttpClientResponse.fromWeb`,
 * its body read once and kept, so that it can be read again: see `./response.js`).
 * The global `Response` is touched on this path only, at its first answer.
 *
 * Internal: not exported (the package's `exports` map hides `./internal/*`). Not tagged as internal in TSDoc: with
 * `stripInternal` it would strip the first import from this module's `.d.ts`.
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"
import { pipeline, Readable } from "node:stream"
import * as Agents from "./agents.js"
import { cancellable } from "./cancellable.js"
import * as CachedResponse from "./response.js"

/** A request body as this client writes it: whole, or piped from a stream. */
type Body = string | Uint8Array | Readable | null

/** Statuses whose answers carry no body (a web `Response` refuses one for them). */
const NULL_BODY = new Set([204, 205, 304])

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause })

/** Node's raw headers (`[name, value, name, value, …]`) as pairs: a repeated header (`set-cookie`) stays apart. */
const headerPairs = (raw: ReadonlyArray<string>): Array<[string, string]> => {
  const pairs: Array<[string, string]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]])
  return pairs
}

/** The answer as an `HttpClientResponse`, its body read from `res` as it is consumed. */
const respond = (
  request: HttpClientRequest.HttpClientRequest,
  res: Http.IncomingMessage
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const status = res.statusCode ?? 0
  const empty = NULL_BODY.has(status) || request.method === "HEAD"
  try {
    // An `IncomingMessage` is an async iterable of its chunks, which Node's `Response` takes as a body.
    const body = empty ? null : res as unknown as ReadableStream<Uint8Array>
    const response = new Response(body, { status, headers: headerPairs(res.rawHeaders) })
    if (empty) res.resume()
    return Effect.succeed(CachedResponse.fromWeb(request, response))
  } catch (cause) {
    // A status a `Response` cannot have (outside 200-599), or a header it refuses.
    res.destroy()
    return Effect.fail(transportError(request, cause))
  }
}

/** Writes `body` and ends the request; a stream that fails destroys it. */
const writeBody = (req: Http.ClientRequest, body: Body) => {
  if (body === null) req.end()
  else if (body instanceof Readable) pipeline(body, req, () => {})
  else req.end(body)
}

/** Destroys `req` when `signal` aborts (until `req` closes). */
const destroyOnAbort = (req: Http.ClientRequest, signal: AbortSignal) => {
  const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error("Aborted"))
  if (signal.aborted) return onAbort()
  signal.addEventListener("abort", onAbort, { once: true })
  req.once("close", () => signal.removeEventListener("abort", onAbort))
}

/** Sends `request` with `body` on `agents`; the abort signal and interruption both destroy it. */
const dispatch = (
  agents: Agents.Agents,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  body: Body,
  headers: Http.OutgoingHttpHeaders = request.headers
) =>
  cancellable<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    let answered = false
    const fail = (cause: unknown) => {
      if (answered) return
      answered = true
      resume(Effect.fail(transportError(request, cause)))
    }
    let req: Http.ClientRequest
    try {
      req = Agents.open(agents, url, request.method, headers)
    } catch (cause) {
      fail(cause)
      return undefined
    }
    req.on("error", fail)
    req.on("response", (res) => {
      if (answered) return res.destroy()
      answered = true
      resume(respond(request, res))
    })
    destroyOnAbort(req, signal)
    try {
      writeBody(req, body)
    } catch (cause) {
      req.destroy()
      fail(cause)
    }
    return { cancel: () => req.destroy() }
  })

/** The body of `request` as `dispatch` writes it; a form is encoded by a web `Response`, with its boundary. */
const send = (
  agents: Agents.Agents,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
  const body: HttpBody.HttpBody = request.body
  switch (body._tag) {
    case "Empty":
      return dispatch(agents, request, url, signal, null)
    case "Uint8Array":
      return dispatch(agents, request, url, signal, body.body)
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? dispatch(agents, request, url, signal, body.body)
        : Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            cause: new TypeError("A Raw body must be a string or a Uint8Array")
          })
        )
    case "FormData": {
      const form = new Response(body.formData)
      return Effect.flatMap(
        Effect.tryPromise({
          try: () => form.arrayBuffer(),
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
        }),
        (bytes) =>
          dispatch(agents, request, url, signal, new Uint8Array(bytes), {
            ...request.headers,
            "content-type": form.headers.get("content-type") ?? "multipart/form-data"
          })
      )
    }
    case "Stream":
      return Effect.flatMap(
        Stream.toReadableStreamEffect(body.stream),
        (web) => dispatch(agents, request, url, signal, Readable.fromWeb(web as never))
      )
  }
}

/** The `HttpClient` over `agents`. */
export const make = (agents: Agents.Agents): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) => send(agents, request, url, signal))
