/**
 * The response of `NodeHttpClient`'s `HttpClient`: `HttpClientResponse.fromWeb`, its body read once (as bytes) and
 * every later read (`text`, `json`, `arrayBuffer`, `urlParamsBody`, `formData`, `stream`) served from them.
 *
 * Internal: not exported (the package's `exports` map hides `./internal/*`). Not tagged as internal in TSDoc: with
 * `stripInternal` it would strip the first import from this module's `.d.ts`.
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/**
 * `HttpClientResponse.fromWeb(request, source)`, whose body can be read again: an object over that response (its
 * status, headers, cookies and inspection are the platform's) whose body reads go through one cached `arrayBuffer`.
 * A `stream` taken before any whole read streams the body as it comes; taken after, it gives the cached bytes.
 */
export const fromWeb = (
  request: HttpClientRequest.HttpClientRequest,
  source: Response
): HttpClientResponse.HttpClientResponse => {
  const base = HttpClientResponse.fromWeb(request, source)
  let bytes: ArrayBuffer | undefined
  let text: string | undefined
  const decodeError = (cause: unknown) =>
    new HttpClientError.ResponseError({ request, response, reason: "Decode", cause })
  const arrayBuffer = Effect.tryPromise({ try: () => source.arrayBuffer(), catch: decodeError }).pipe(
    Effect.tap((read) => {
      bytes = read
    }),
    Effect.cached,
    Effect.runSync
  )
  const textBody = Effect.suspend(() =>
    text === undefined
      ? Effect.map(arrayBuffer, (read) => text ??= new TextDecoder().decode(read))
      : Effect.succeed(text)
  )
  const parse = <A>(decode: (body: string) => A) =>
    Effect.flatMap(textBody, (body) => Effect.try({ try: () => decode(body), catch: decodeError }))
  const formData = Effect.flatMap(arrayBuffer, (read) =>
    Effect.tryPromise({
      try: () => new Response(read, { headers: source.headers }).formData(),
      catch: decodeError
    }))
  const stream = Stream.suspend((): Stream.Stream<Uint8Array, HttpClientError.ResponseError> => {
    if (bytes === undefined) return Reflect.get(base, "stream", response)
    return bytes.byteLength === 0 ? Stream.empty : Stream.succeed(new Uint8Array(bytes))
  })
  const response: HttpClientResponse.HttpClientResponse = Object.create(base, {
    arrayBuffer: { get: () => arrayBuffer },
    text: { get: () => textBody },
    json: { get: () => parse((body): unknown => body === "" ? null : JSON.parse(body)) },
    urlParamsBody: { get: () => parse((body) => UrlParams.fromInput(new URLSearchParams(body))) },
    formData: { get: () => formData },
    stream: { get: () => stream }
  })
  return response
}
