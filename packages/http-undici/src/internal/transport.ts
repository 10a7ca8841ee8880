/**
 * The `ChatTransport` of `UndiciHttpClient`: one exchange in one step over `dispatcher.dispatch`, its deadline a
 * plain timer and its byte limit counted as the chunks arrive, the body decoded inside the I/O callback.
 *
 * @internal
 */
import type { ChatTransport } from "@effect-twilio/chat"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import type * as Http from "node:http"
import type * as Undici from "undici"
import { cancellable } from "./cancellable.js"

type Resume<A> = (effect: Effect.Effect<A, ChatTransport.Failure>) => void

const DIGITS = /^\d{1,16}$/

/** A dispatch handler that reads one whole answer and settles exactly once: answer, failure, deadline or abort. */
class WholeAnswer<A> implements Undici.Dispatcher.DispatchHandler {
  private controller: Undici.Dispatcher.DispatchController | undefined = undefined
  private settled = false
  private status = 0
  private headers: Http.IncomingHttpHeaders = {}
  private chunks: Array<Buffer> = []
  private bytes = 0
  private readonly timer: ReturnType<typeof setTimeout>

  constructor(
    private readonly limits: ChatTransport.Limits,
    private readonly onAnswer: (status: number, headers: ChatTransport.AnswerHeaders, text: string) => A,
    private readonly resume: Resume<A>
  ) {
    this.timer = setTimeout(() => this.fail({ _tag: "Timeout" }), limits.timeoutMillis)
  }

  /** Settles with `failure` and aborts the request (closing its socket), unless already settled. */
  fail(failure: ChatTransport.Failure) {
    if (this.settled) return
    this.settle()
    this.controller?.abort(new Error(failure._tag === "Timeout" ? "The attempt timed out" : "The exchange ended"))
    this.resume(Effect.fail(failure))
  }

  /** Ends the exchange from outside (interruption): no resume, just the abort. */
  cancel() {
    if (this.settled) return
    this.settle()
    this.controller?.abort(new Error("The request was interrupted"))
  }

  private settle() {
    this.settled = true
    clearTimeout(this.timer)
    this.chunks = []
  }

  onRequestStart(controller: Undici.Dispatcher.DispatchController) {
    this.controller = controller
    if (this.settled) controller.abort(new Error("The exchange ended"))
  }

  onResponseStart(_c: Undici.Dispatcher.DispatchController, status: number, headers: Http.IncomingHttpHeaders) {
    if (status < 200) return // 1xx: informational, the answer follows
    this.status = status
    this.headers = headers
    const length = headers["content-length"]
    if (typeof length === "string" && DIGITS.test(length) && Number(length) > this.limits.maxBodyBytes) {
      this.refuse(`the body is announced as ${length} bytes; the client reads at most ${this.limits.maxBodyBytes}`)
    }
  }

  onResponseData(_c: Undici.Dispatcher.DispatchController, chunk: Buffer) {
    if (this.settled) return
    this.bytes += chunk.length
    if (this.bytes > this.limits.maxBodyBytes) {
      return this.refuse(`the body exceeds ${this.limits.maxBodyBytes} bytes; the client reads at most that`)
    }
    this.chunks.push(chunk)
  }

  onResponseEnd() {
    if (this.settled) return
    const chunks = this.chunks
    this.settle()
    const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")
    this.resume(this.answer(text))
  }

  /**
   * The decoder's result, computed here, inside the I/O callback (`ChatTransport`'s contract, as the `node:http`
   * transport does it): the text is unreachable once the callback returns, and only the result waits for the fiber.
   * A decoder that throws is a defect.
   */
  private answer(text: string): Effect.Effect<A> {
    try {
      return Effect.succeed(this.onAnswer(this.status, this.headers as ChatTransport.AnswerHeaders, text))
    } catch (defect) {
      return Effect.die(defect)
    }
  }

  onResponseError(_c: Undici.Dispatcher.DispatchController, error: Error) {
    this.fail({ _tag: "Connection", cause: error })
  }

  private refuse(reason: string) {
    this.fail({ _tag: "BodyRefused", status: this.status, reason })
  }
}

/** The body of a request as `dispatch` takes it, when it is one this transport sends as it is. */
const bodyOf = (request: HttpClientRequest.HttpClientRequest): string | Uint8Array | null | undefined => {
  const body = request.body
  if (body._tag === "Empty") return null
  if (body._tag === "Uint8Array") return body.body
  if (body._tag === "Raw" && typeof body.body === "string") return body.body
  return undefined
}

/** The transport over `dispatcher`. */
export const make = (dispatcher: Undici.Dispatcher): ChatTransport.ChatTransport => ({
  exchange: <A>(
    request: HttpClientRequest.HttpClientRequest,
    limits: ChatTransport.Limits,
    onAnswer: (status: number, headers: ChatTransport.AnswerHeaders, text: string) => A
  ) =>
    cancellable<A, ChatTransport.Failure>((resume) => {
      const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      const body = bodyOf(request)
      if (url._tag === "Left" || body === undefined) {
        const cause = url._tag === "Left" ? url.left : new Error(`A ${request.body._tag} body is not sent this way`)
        resume(Effect.fail({ _tag: "Connection", cause }))
        return undefined
      }
      const handler = new WholeAnswer(limits, onAnswer, resume)
      try {
        dispatcher.dispatch({
          origin: url.right.origin,
          path: url.right.pathname + url.right.search,
          method: request.method,
          headers: request.headers,
          body,
          headersTimeout: 0,
          bodyTimeout: 0
        }, handler)
      } catch (cause) {
        handler.fail({ _tag: "Connection", cause })
      }
      return handler
    })
})
