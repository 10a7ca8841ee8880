/**
 * The `ChatTransport` of `NodeHttpClient`: one exchange in one step over `http.request`, its deadline a plain timer
 * and its byte limit counted as the chunks arrive, the body decoded inside the I/O callback.
 *
 * Internal: not exported (the package's `exports` map hides `./internal/*`). Not tagged as internal in TSDoc: with
 * `stripInternal` it would strip the first import from this module's `.d.ts`.
 */
import type { ChatTransport } from "@effect-twilio/chat"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import type * as Http from "node:http"
import * as Agents from "./agents.js"
import { cancellable } from "./cancellable.js"

type OnAnswer<A> = (status: number, headers: ChatTransport.AnswerHeaders, text: string) => A
type Resume<A> = (effect: Effect.Effect<A, ChatTransport.Failure>) => void

const DIGITS = /^\d{1,16}$/

/** One request that reads its whole answer and settles exactly once: answer, failure, deadline or interruption. */
class WholeAnswer<A> {
  private settled = false
  private request: Http.ClientRequest | undefined = undefined
  private status = 0
  private chunks: Array<Buffer> = []
  private bytes = 0
  private readonly timer: ReturnType<typeof setTimeout>

  constructor(
    private readonly limits: ChatTransport.Limits,
    private readonly onAnswer: OnAnswer<A>,
    private readonly resume: Resume<A>
  ) {
    this.timer = setTimeout(() => this.fail({ _tag: "Timeout" }), limits.timeoutMillis)
  }

  /** Opens the request and sends it with its whole body. */
  send(
    agents: Agents.Agents,
    url: URL,
    request: HttpClientRequest.HttpClientRequest,
    body: string | Uint8Array | null
  ) {
    try {
      const req = Agents.open(agents, url, request.method, request.headers)
      this.request = req
      req.on("error", (cause) => this.fail({ _tag: "Connection", cause }))
      req.on("response", (res) => this.onResponse(res))
      if (body === null) req.end()
      else req.end(body)
    } catch (cause) {
      this.fail({ _tag: "Connection", cause })
    }
  }

  /** Settles with `failure` and destroys the request (closing its socket), unless already settled. */
  fail(failure: ChatTransport.Failure) {
    if (this.settled) return
    this.settle()
    this.request?.destroy()
    this.resume(Effect.fail(failure))
  }

  /** Ends the exchange from outside (interruption): no resume, just the destruction of the request. */
  cancel() {
    if (this.settled) return
    this.settle()
    this.request?.destroy()
  }

  private settle() {
    this.settled = true
    clearTimeout(this.timer)
    this.chunks = []
  }

  private onResponse(res: Http.IncomingMessage) {
    if (this.settled) return res.destroy()
    this.status = res.statusCode ?? 0
    const length = res.headers["content-length"]
    if (typeof length === "string" && DIGITS.test(length) && Number(length) > this.limits.maxBodyBytes) {
      return this.refuse(
        `the body is announced as ${length} bytes; the client reads at most ${this.limits.maxBodyBytes}`
      )
    }
    res.on("data", (chunk: Buffer) => this.onData(chunk))
    res.on("end", () => this.onEnd(res.headers))
    res.on("error", (cause) => this.fail({ _tag: "Connection", cause }))
    // After `end` this does nothing; before it, the body was cut short.
    res.on("close", () => this.fail({ _tag: "Connection", cause: new Error("The body ended before its last byte") }))
  }

  private onData(chunk: Buffer) {
    if (this.settled) return
    this.bytes += chunk.length
    if (this.bytes > this.limits.maxBodyBytes) {
      return this.refuse(`the body exceeds ${this.limits.maxBodyBytes} bytes; the client reads at most that`)
    }
    this.chunks.push(chunk)
  }

  private onEnd(headers: Http.IncomingHttpHeaders) {
    if (this.settled) return
    const chunks = this.chunks
    this.settle()
    const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")
    // The text goes to the decoder here and nowhere else: only its result outlives this callback.
    let result: A
    try {
      result = this.onAnswer(this.status, headers as ChatTransport.AnswerHeaders, text)
    } catch (defect) {
      return this.resume(Effect.die(defect))
    }
    this.resume(Effect.succeed(result))
  }

  private refuse(reason: string) {
    this.fail({ _tag: "BodyRefused", status: this.status, reason })
  }
}

/** The body of a request as `http.request` takes it whole, when it is one this transport sends. */
const bodyOf = (request: HttpClientRequest.HttpClientRequest): string | Uint8Array | null | undefined => {
  const body = request.body
  if (body._tag === "Empty") return null
  if (body._tag === "Uint8Array") return body.body
  if (body._tag === "Raw" && (typeof body.body === "string" || body.body instanceof Uint8Array)) return body.body
  return undefined
}

/** The transport over `agents`. */
export const make = (agents: Agents.Agents): ChatTransport.ChatTransport => ({
  exchange: <A>(request: HttpClientRequest.HttpClientRequest, limits: ChatTransport.Limits, onAnswer: OnAnswer<A>) =>
    cancellable<A, ChatTransport.Failure>((resume) => {
      const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      const body = bodyOf(request)
      if (url._tag === "Left" || body === undefined) {
        const cause = url._tag === "Left" ? url.left : new Error(`A ${request.body._tag} body is not sent this way`)
        resume(Effect.fail({ _tag: "Connection", cause }))
        return undefined
      }
      const exchange = new WholeAnswer(limits, onAnswer, resume)
      exchange.send(agents, url.right, request, body)
      return exchange
    })
})
