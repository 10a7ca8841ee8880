/**
 * An `HttpClient` for Node built on `undici`: keep-alive connection pools per origin, no redirects followed, and
 * interruption aborts the request (and closes its socket).
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import * as Undici from "undici"

/**
 * The options of `UndiciHttpClient.layerWith`: how the `undici.Agent` behind the client pools its connections.
 *
 * Timeouts of whole requests belong to Effect (`Effect.timeout`, or the timeout option of the client using this
 * layer): undici's own header and body timeouts are off unless set here.
 *
 * @example
 * ```ts
 * import type { UndiciHttpClientOptions } from "@effect-twilio/http-undici"
 *
 * const options: UndiciHttpClientOptions = { connections: 16, keepAliveTimeout: "30 seconds" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface UndiciHttpClientOptions {
  /**
   * The most connections per origin. Default: unlimited (one per request in flight, kept alive and reused).
   * Set it to bound the sockets a burst of concurrent requests may open.
   */
  readonly connections?: number | undefined
  /**
   * How many requests may share one connection at once (HTTP/1.1 pipelining). Default `1`: pipelining is rarely
   * supported well by servers and proxies; raise it only against a server you know handles it.
   */
  readonly pipelining?: number | undefined
  /** How long an idle connection is kept for reuse (the server's `Keep-Alive` hint may shorten it). Default `4 seconds`. */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
  /** How long to wait for a TCP/TLS connection. Default `10 seconds`. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** undici's timeout for the response headers. Default: off (leave timeouts to Effect). */
  readonly headersTimeout?: Duration.DurationInput | undefined
  /** undici's timeout between two chunks of the body. Default: off (leave timeouts to Effect). */
  readonly bodyTimeout?: Duration.DurationInput | undefined
}

const millis = (input: Duration.DurationInput | undefined, fallback: number): number =>
  input === undefined ? fallback : Duration.toMillis(Duration.decode(input))

const requestBody = (
  body: HttpBody.HttpBody
): Effect.Effect<string | Uint8Array | Readable | FormData | null> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(body.body as string | Uint8Array)
    case "FormData":
      return Effect.succeed(body.formData)
    case "Stream":
      return Effect.map(Stream.toReadableStreamEffect(body.stream), (web) => Readable.fromWeb(web as never))
  }
}

const noop = () => {}

/** An `HttpClientResponse` over undici's answer: headers are converted once, the body is read at most once. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  private cachedHeaders: Headers.Headers | undefined
  private cachedCookies: Cookies.Cookies | undefined
  private consumed: Promise<unknown> | undefined
  private consumedAs: "text" | "arrayBuffer" | "formData" | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Undici.Dispatcher.ResponseData
  ) {
    super()
    this.status = source.statusCode
    // An error on a body nobody reads (an abort, a reset) must not crash the process.
    source.body.on("error", noop)
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source.headers["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  /** Reads the body once, as `kind`; a second read of the same kind answers the same value. */
  private consume<A>(kind: "text" | "arrayBuffer" | "formData"): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      if (this.consumed === undefined) {
        this.consumedAs = kind
        const body = this.source.body
        this.consumed = kind === "text" ? body.text() : kind === "arrayBuffer" ? body.arrayBuffer() : body.formData()
      } else if (this.consumedAs !== kind) {
        resume(Effect.fail(this.decodeError(new Error(`The body was already read as ${this.consumedAs}`))))
        return
      }
      this.consumed.then(
        (value) => resume(Effect.succeed(value as A)),
        (cause) => resume(Effect.fail(this.decodeError(cause)))
      )
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.consume<string>("text")
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      try {
        return Effect.succeed(text === "" ? null : JSON.parse(text) as unknown)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.consume<ArrayBuffer>("arrayBuffer")
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.consume<FormData>("formData")
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      try {
        return Effect.succeed(UrlParams.fromInput(new URLSearchParams(text)))
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const body = this.source.body
      return Stream.ensuring(
        Stream.fromAsyncIterable(body as AsyncIterable<Uint8Array>, (cause) => this.decodeError(cause)),
        // Stopping early (take, interruption) must release the connection: destroying the body aborts it.
        Effect.sync(() => {
          if (!body.readableEnded) body.destroy()
        })
      )
    })
  }

  override toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/**
 * Builds an `HttpClient` that sends its requests through `dispatcher` (an `undici.Agent`, `Pool` or `Client`).
 * Redirects are answered as they are, never followed; interruption aborts the request.
 *
 * @example
 * ```ts
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import { Agent } from "undici"
 *
 * const client = UndiciHttpClient.make(new Agent({ connections: 8 }))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (dispatcher: Undici.Dispatcher, options: UndiciHttpClientOptions = {}): HttpClient.HttpClient => {
  const headersTimeout = millis(options.headersTimeout, 0)
  const bodyTimeout = millis(options.bodyTimeout, 0)
  const send = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    signal: AbortSignal,
    body: string | Uint8Array | Readable | FormData | null
  ) =>
    Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
      dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: body as Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>,
        signal,
        headersTimeout,
        bodyTimeout
      }, (cause, response) => {
        if (cause === null) resume(Effect.succeed(new UndiciResponse(request, response)))
        else resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
      })
    })
  return HttpClient.make((request, url, signal) =>
    request.body._tag === "Empty" || request.body._tag === "Raw" || request.body._tag === "Uint8Array"
      ? send(request, url, signal, request.body._tag === "Empty" ? null : request.body.body as string | Uint8Array)
      : Effect.flatMap(requestBody(request.body), (body) => send(request, url, signal, body))
  )
}

/**
 * The `undici.Agent` options that `layerWith` uses for `options`.
 *
 * @example
 * ```ts
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import { Agent } from "undici"
 *
 * const agent = new Agent(UndiciHttpClient.agentOptions({ connections: 4 }))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const agentOptions = (options: UndiciHttpClientOptions = {}): Undici.Agent.Options => {
  const out: Undici.Agent.Options = {
    keepAliveTimeout: millis(options.keepAliveTimeout, 4_000),
    connectTimeout: millis(options.connectTimeout, 10_000),
    pipelining: options.pipelining ?? 1
  }
  if (options.connections !== undefined) out.connections = options.connections
  return out
}

/**
 * A scoped `HttpClient` layer over a fresh `undici.Agent` built from `options`; the agent (and its keep-alive
 * connections) is closed when the layer is released.
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import * as Layer from "effect/Layer"
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(
 *   Layer.provide(UndiciHttpClient.layerWith({ connections: 16 }))
 * )
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: UndiciHttpClientOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new Undici.Agent(agentOptions(options))),
        (agent) => Effect.promise(() => agent.destroy())
      ),
      (agent) => make(agent, options)
    )
  )

/**
 * A scoped `HttpClient` layer over a fresh `undici.Agent` with the default options: keep-alive connections,
 * unlimited per origin, no pipelining, no undici timeouts (leave them to Effect).
 *
 * @example
 * ```ts
 * import { ChatV2UserApi } from "@effect-twilio/chat"
 * import { UndiciHttpClient } from "@effect-twilio/http-undici"
 * import * as Layer from "effect/Layer"
 *
 * const ChatLive = ChatV2UserApi.layerConfig().pipe(Layer.provide(UndiciHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
