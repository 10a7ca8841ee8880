/**
 * An in-memory `HttpClient` for the stages (`src/workers/stages.ts`): no sockets, no bytes to decode. Every request
 * is answered at once from the loopback server's own bodies (`src/answers.ts`), as text decoded once up front, in a
 * response whose `text` is that string: what is left of a call is the client's own machinery (and the decoding).
 *
 * `withTransport` gives the same answers through the one-step exchange `@effect-twilio/chat` takes when an
 * `HttpClient` carries one (its `ChatTransport`, found under a global symbol; a client that does not look for it
 * takes `execute`, and the two stages then measure the same path).
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Answers from "../answers.js"

/** An answer ready to hand out: its status, its headers (both forms) and its body as text. */
interface Ready {
  readonly status: number
  readonly headers: Headers.Headers
  readonly raw: Readonly<Record<string, string>>
  readonly text: string
}

/** Answers a request's URL from `answer`, each distinct body decoded to text once. */
const lookup = (answer: ReturnType<typeof Answers.make>) => {
  const ready = new Map<Answers.Answer, Ready>()
  return (url: URL): Ready => {
    const a = answer(url.pathname, url.search)
    let r = ready.get(a)
    if (r === undefined) {
      const raw = { "content-type": "application/json", "content-length": String(a.body.length) }
      r = { status: a.status, headers: Headers.fromInput(raw), raw, text: a.body.toString("utf8") }
      ready.set(a, r)
    }
    return r
  }
}

class MemoryResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: Headers.Headers
  private readonly body: string

  constructor(readonly request: HttpClientRequest.HttpClientRequest, ready: Ready) {
    super()
    this.status = ready.status
    this.headers = ready.headers
    this.body = ready.text
  }

  get cookies(): Cookies.Cookies {
    return Cookies.empty
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.succeed(this.body)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: () => JSON.parse(this.body) as unknown,
      catch: (cause) =>
        new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => new TextEncoder().encode(this.body).buffer as ArrayBuffer)
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.promise(() => new Response(this.body).formData())
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.sync(() => UrlParams.fromInput(new URLSearchParams(this.body)))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.sync(() => new TextEncoder().encode(this.body))
  }

  override toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, { _id: "@effect/platform/HttpClientResponse", status: this.status })
  }
}

/** An `HttpClient` (`HttpClient.make`, the generic path) answering every request from `answer`. */
export const make = (answer: ReturnType<typeof Answers.make>): HttpClient.HttpClient => {
  const find = lookup(answer)
  return HttpClient.make((request, url) => Effect.succeed(new MemoryResponse(request, find(url))))
}

/**
 * The same over `HttpClient.makeWith`, as `UndiciHttpClient`'s own path with no span is: no `AbortController` and no
 * registry of responses per request (what `HttpClient.make` adds).
 */
export const makeLean = (answer: ReturnType<typeof Answers.make>): HttpClient.HttpClient => {
  const find = lookup(answer)
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) => {
        const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
        return url._tag === "Left"
          ? Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
          : Effect.succeed(new MemoryResponse(request, find(url.right)))
      }),
    Effect.succeed
  )
}

/** The key under which `@effect-twilio/chat` looks for a one-step exchange on an `HttpClient`. */
const TRANSPORT = Symbol.for("@effect-twilio/chat/ChatTransport")

/** {@link make}, carrying a one-step exchange that answers inside the call, as a transport does in its I/O callback. */
export const withTransport = (answer: ReturnType<typeof Answers.make>): HttpClient.HttpClient => {
  const find = lookup(answer)
  const transport = {
    exchange: <A>(
      request: HttpClientRequest.HttpClientRequest,
      _limits: unknown,
      onAnswer: (status: number, headers: Readonly<Record<string, string>>, text: string) => A
    ): Effect.Effect<A> =>
      Effect.sync(() => {
        const ready = find(new URL(request.url))
        return onAnswer(ready.status, ready.raw, ready.text)
      })
  }
  return Object.assign(make(answer), { [TRANSPORT]: transport })
}
