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
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Http from "node:http"
import { Readable } from "node:stream"
import * as Undici from "undici"
import { cancellable } from "./internal/cancellable.js"
import * as Transport from "./internal/transport.js"

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

/** A request body as `dispatch` sends it: whole, or piped from a stream. */
type Body = string | Uint8Array | Readable | null

/** A request body as `dispatch` sends it, with the headers to send it with. */
interface Encoded {
  readonly body: Body
  readonly headers: Headers.Headers
}

/**
 * A body `dispatch` cannot send as it is: a form, encoded as multipart by a web `Request` (its `content-type`, with
 * the boundary, merged into the request's headers); a stream, as a Node `Readable`.
 */
const encodeBody = (
  request: HttpClientRequest.HttpClientRequest,
  body: HttpBody.FormData | HttpBody.Stream
): Effect.Effect<Encoded, HttpClientError.RequestError> => {
  if (body._tag === "Stream") {
    return Effect.map(
      Stream.toReadableStreamEffect(body.stream),
      (web) => ({ body: Readable.fromWeb(web as never), headers: request.headers })
    )
  }
  return Effect.tryPromise({
    try: async () => {
      const encoded = new Request("http://localhost/", { method: "POST", body: body.formData })
      const bytes = Buffer.from(await encoded.arrayBuffer())
      const contentType = encoded.headers.get("content-type") ?? "multipart/form-data"
      return { body: bytes, headers: Headers.set(request.headers, "content-type", contentType) }
    },
    catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
  })
}

const noop = () => {}

/** How many body bytes a `stream` reader may leave unread before the socket is paused. */
const STREAM_HIGH_WATER_MARK = 64 * 1024
/**
 * How many body bytes are buffered ahead of any reader before the socket is paused. Bodies up to this size are taken
 * whole as they arrive, so their connection goes back to the pool read or not; a larger body nobody reads holds at
 * most this much (plus one chunk), and its connection until it is read, its request is aborted or it is collected.
 */
const UNREAD_HIGH_WATER_MARK = 1024 * 1024
/** A `text` / `json` / `arrayBuffer` reader is waiting for the whole body: never pause. */
const READING_WHOLE = Number.POSITIVE_INFINITY

/**
 * Aborts the exchange of a response that was collected before its body ended (a body larger than
 * `UNREAD_HIGH_WATER_MARK` that nobody read, its socket paused): its connection is closed rather than held forever.
 * Registered only for bodies that may be that large (no `content-length`, or a larger one); the token is the exchange.
 */
const droppedResponses = new FinalizationRegistry<Exchange>((exchange) =>
  exchange.abort(new Error("The response was dropped before its body was read"))
)

/**
 * One request on the wire, as an undici `DispatchHandler`: it answers the response at its headers and buffers the
 * body as it arrives (so the connection goes back to the pool as soon as a body of up to 1 MiB is complete, read or
 * not; a larger one pauses the socket until it is read). A `stream` reader takes the chunks as they come, and pauses
 * the socket when it falls behind.
 */
class Exchange implements Undici.Dispatcher.DispatchHandler {
  controller: Undici.Dispatcher.DispatchController | undefined = undefined
  private abortReason: Error | undefined = undefined
  /** Whether the response was answered: after that, errors concern the body. */
  answered = false
  chunks: Array<Buffer> = []
  bytes = 0
  done = false
  failure: Error | undefined = undefined
  streaming = false
  /** How many unread bytes pause the socket: unread, streaming, or a whole-body reader waiting (never). */
  highWaterMark = UNREAD_HIGH_WATER_MARK
  /** Whether `droppedResponses` holds this exchange, to unregister it when the body ends. */
  private registered = false
  /** Called when the body has news (data, end, error) for a reader waiting on it. */
  wake: (() => void) | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private onHead: (error: Error | undefined, response: UndiciResponse | undefined) => void
  ) {}

  abort(reason: Error) {
    if (this.done || this.failure !== undefined) return
    if (this.controller === undefined) {
      this.abortReason = reason
      return
    }
    this.controller.abort(reason)
    // Nobody will read what was buffered: let it go now, not when the response is collected.
    this.release()
  }

  /** Drops the buffered chunks and the registration: the body was aborted. */
  private release() {
    this.chunks = []
    this.bytes = 0
    this.unregister()
  }

  private unregister() {
    if (this.registered) {
      this.registered = false
      droppedResponses.unregister(this)
    }
  }

  onRequestStart(controller: Undici.Dispatcher.DispatchController) {
    this.controller = controller
    if (this.abortReason !== undefined) controller.abort(this.abortReason)
  }

  onResponseStart(
    _controller: Undici.Dispatcher.DispatchController,
    statusCode: number,
    headers: Http.IncomingHttpHeaders
  ) {
    if (statusCode < 200) return // 1xx: informational, the answer follows
    // The exchange keeps no reference to the response nor to the caller (undici may keep the exchange a while).
    this.answered = true
    const onHead = this.onHead
    this.onHead = noop
    const response = new UndiciResponse(this.request, statusCode, headers, this)
    const length = headers["content-length"]
    if (length === undefined || Number(length) > UNREAD_HIGH_WATER_MARK) {
      this.registered = true
      droppedResponses.register(response, this, this)
    }
    onHead(undefined, response)
  }

  onResponseData(controller: Undici.Dispatcher.DispatchController, chunk: Buffer) {
    this.chunks.push(chunk)
    this.bytes += chunk.length
    if (this.bytes > this.highWaterMark) controller.pause()
    this.notify()
  }

  onResponseEnd() {
    this.done = true
    this.unregister()
    this.notify()
  }

  onResponseError(_controller: Undici.Dispatcher.DispatchController, error: Error) {
    if (!this.answered) {
      const onHead = this.onHead
      this.onHead = noop
      onHead(error, undefined)
    } else {
      // A reader still gets the chunks that came before the failure (an abort, in `abort`, drops them).
      this.failure = error
      this.unregister()
      this.notify()
    }
  }

  /** A reader waits for the whole body: buffer it all, and let a paused socket flow again. */
  readWhole() {
    this.highWaterMark = READING_WHOLE
    if (this.controller?.paused) this.controller.resume()
  }

  /** A `stream` reader takes the chunks as they come: pause when it falls behind. */
  readStream() {
    this.streaming = true
    this.highWaterMark = STREAM_HIGH_WATER_MARK
  }

  private notify() {
    const wake = this.wake
    if (wake !== undefined) {
      this.wake = undefined
      wake()
    }
  }

  /** Takes the chunks buffered so far, and lets the socket flow again. */
  take(): Array<Buffer> {
    const chunks = this.chunks
    this.chunks = []
    this.bytes = 0
    if (this.controller?.paused) this.controller.resume()
    return chunks
  }
}

/** An `HttpClientResponse` over an `Exchange`: headers are converted once, the body is read from memory. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined
  private body: Buffer | undefined = undefined
  private cachedText: string | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: Http.IncomingHttpHeaders,
    private readonly exchange: Exchange
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.rawHeaders as Record<string, string | Array<string>>)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.rawHeaders["set-cookie"]
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

  /** The whole body, once it has arrived. Interruption aborts the request. */
  private readonly whole: Effect.Effect<Buffer, HttpClientError.ResponseError> = Effect.suspend(() => {
    if (this.body !== undefined) return Effect.succeed(this.body)
    if (this.cachedText !== undefined) return Effect.succeed(Buffer.from(this.cachedText, "utf8"))
    const exchange = this.exchange
    const finish = (): Effect.Effect<Buffer, HttpClientError.ResponseError> => {
      if (exchange.failure !== undefined) return Effect.fail(this.decodeError(exchange.failure))
      const chunks = exchange.take()
      this.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
      return Effect.succeed(this.body)
    }
    if (exchange.done || exchange.failure !== undefined) return finish()
    if (exchange.streaming) return Effect.fail(this.decodeError(new Error("The body is being read as a stream")))
    return cancellable<Buffer, HttpClientError.ResponseError>((resume) => {
      exchange.readWhole()
      const wait = () => {
        if (exchange.done || exchange.failure !== undefined) resume(finish())
        else exchange.wake = wait
      }
      exchange.wake = wait
      return {
        cancel: () => {
          exchange.wake = undefined
          exchange.abort(new Error("The body read was interrupted"))
        }
      }
    })
  })

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    if (this.cachedText !== undefined) return Effect.succeed(this.cachedText)
    return Effect.map(this.whole, (body) => {
      if (this.cachedText === undefined) {
        this.cachedText = body.toString("utf8")
        // Keep the text only: the bytes' memory (outside the JS heap) is freed as soon as the Buffer is collected,
        // not when this response is. A later `arrayBuffer` re-encodes the text.
        this.body = undefined
      }
      return this.cachedText
    })
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
    return Effect.map(
      this.whole,
      (body) => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.whole, (body) =>
      Effect.tryPromise({
        try: () => new Response(new Uint8Array(body), { headers: this.headers as Record<string, string> }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
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
      const exchange = this.exchange
      if (this.body !== undefined) return Stream.succeed(this.body as Uint8Array)
      if (this.cachedText !== undefined) return Stream.succeed(Buffer.from(this.cachedText, "utf8") as Uint8Array)
      exchange.readStream()
      const pull: Effect.Effect<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>> = Effect.suspend(
        () => {
          if (exchange.chunks.length > 0) return Effect.succeed(Chunk.unsafeFromArray<Uint8Array>(exchange.take()))
          if (exchange.failure !== undefined) return Effect.fail(Option.some(this.decodeError(exchange.failure)))
          if (exchange.done) return Effect.fail(Option.none())
          return cancellable<Chunk.Chunk<Uint8Array>, Option.Option<HttpClientError.ResponseError>>((resume) => {
            exchange.wake = () => resume(pull)
            return {
              cancel: () => {
                exchange.wake = undefined
              }
            }
          })
        }
      )
      // Stopping early (take, interruption, failure) must release the connection: aborting does.
      return Stream.ensuring(
        Stream.repeatEffectChunkOption(pull),
        Effect.sync(() => exchange.abort(new Error("The body stream was closed before its end")))
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

/** The client over `dispatcher`, without the transport (see `make`). */
const makeClient = (dispatcher: Undici.Dispatcher, options: UndiciHttpClientOptions): HttpClient.HttpClient => {
  const headersTimeout = millis(options.headersTimeout, 0)
  const bodyTimeout = millis(options.bodyTimeout, 0)

  const dispatch = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    body: Body,
    signal: AbortSignal | undefined,
    headers: Headers.Headers = request.headers
  ) =>
    cancellable<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
      const exchange = new Exchange(request, (cause, response) => {
        if (cause === undefined) resume(Effect.succeed(response!))
        else resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
      })
      if (signal !== undefined) {
        signal.addEventListener("abort", () => exchange.abort(signal.reason ?? new Error("Aborted")), { once: true })
      }
      try {
        dispatcher.dispatch({
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method,
          headers,
          body: body as Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>,
          headersTimeout,
          bodyTimeout
        }, exchange)
      } catch (cause) {
        resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
      }
      return { cancel: () => exchange.abort(new Error("The request was interrupted")) }
    })

  const send = (
    request: HttpClientRequest.HttpClientRequest,
    url: URL,
    signal: AbortSignal | undefined
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
    const body = request.body
    switch (body._tag) {
      case "Empty":
        return dispatch(request, url, null, signal)
      case "Raw":
      case "Uint8Array":
        return dispatch(request, url, body.body as string | Uint8Array, signal)
      default:
        return Effect.flatMap(encodeBody(request, body), (out) => dispatch(request, url, out.body, signal, out.headers))
    }
  }

  // The standard path: a span per request when the tracer is on, an AbortSignal, the response registry.
  const traced = HttpClient.make((request, url, signal) => send(request, url, signal))

  // The lean path, when no span is wanted: the exchange aborts itself on interruption and buffers its body, so
  // neither an AbortController nor the response registry is needed.
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(
        effect,
        (request) =>
          Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
            if (
              fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
              !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
            ) {
              return traced.execute(request)
            }
            const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
            if (url._tag === "Left") {
              return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
            }
            return send(request, url.right, undefined)
          })
      ),
    Effect.succeed
  )
}

/**
 * Builds an `HttpClient` that sends its requests through `dispatcher` (an `undici.Agent`, `Pool` or `Client`).
 * Redirects are answered as they are, never followed; interruption aborts the request. When the tracer is on for
 * a request, it goes through `HttpClient.make` and gets the usual `http.client` span; otherwise it takes a leaner
 * path with the same behaviour. It carries a `ChatTransport` of `@effect-twilio/chat`: that client's calls over it
 * are each one exchange, in one step.
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
export const make = (dispatcher: Undici.Dispatcher, options: UndiciHttpClientOptions = {}): HttpClient.HttpClient =>
  // The one-step exchange `@effect-twilio/chat` uses when it finds it (its `ChatTransport.withTransport`, written
  // out here so that this package needs `@effect-twilio/chat` for nothing at run time; a test holds the two equal).
  Object.assign(makeClient(dispatcher, options), {
    [Symbol.for("@effect-twilio/chat/ChatTransport")]: Transport.make(dispatcher)
  })

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
