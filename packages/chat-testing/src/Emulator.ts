/**
 * The fake Twilio Chat V2 and Conversations v1 served over real HTTP on `127.0.0.1`, for any client: the official
 * `twilio` package, curl, or `ChatV2UserApi` over a real `HttpClient`. Both APIs answer on the one origin.
 *
 * @since 0.1.0
 */
import { ChatV2UserApi, type ChatV2UserApiOptions, ConversationsV1UserApi } from "@effect-twilio/chat"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import type {
  FakeResponse,
  FakeTwilioChatError,
  FakeTwilioChatOptions,
  FakeTwilioChatService
} from "./FakeTwilioChat.js"
import { FakeTwilioChat } from "./FakeTwilioChat.js"
import { errorAnswer, NULL_BODY_STATUSES } from "./internal/answers.js"
import { clientFor, conversationsClientFor } from "./internal/options.js"

/**
 * The options of `Emulator.layer`: the fake's (its base URL is the public URL), the port and the public URL.
 *
 * @example
 * ```ts
 * import type { EmulatorOptions } from "@effect-twilio/chat-testing"
 *
 * const options: EmulatorOptions = { port: 4010, seedUsers: 300, publicUrl: "http://127.0.0.1:8080" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface EmulatorOptions extends Omit<FakeTwilioChatOptions, "baseUrl" | "conversationsBaseUrl"> {
  /** The port on `127.0.0.1`. Default `0`: a free port, chosen by the system. */
  readonly port?: number | undefined
  /**
   * The origin clients reach the emulator at (a proxy, a tunnel, a container's name), written in every URL the
   * emulator answers: `url`, `links` and `meta.*_page_url`. Default: its own origin, `http://127.0.0.1:{port}`.
   * An `http:` or `https:` origin only: a path, query, fragment or credentials fail the layer with `EmulatorError`.
   */
  readonly publicUrl?: string | undefined
}

/**
 * Where the emulator listens and the credentials it accepts.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 *
 * const url = Effect.map(Emulator, (emulator) => emulator.baseUrl) // "http://127.0.0.1:54321"
 * ```
 * @since 0.1.0
 * @category models
 */
export interface EmulatorInfo {
  /**
   * The public URL: the client's `baseUrl`, and the origin of every URL the emulator answers. `publicUrl` when it
   * was given, else `localUrl`.
   */
  readonly baseUrl: string
  /** `http://127.0.0.1:{port}`: where the server listens. */
  readonly localUrl: string
  readonly port: number
  readonly accountSid: string
  readonly authToken: Redacted.Redacted<string>
  readonly apiKeySid: string
  readonly apiKeySecret: Redacted.Redacted<string>
  /**
   * The service the emulator starts with: the account's default Conversations service (`/v1/Users`), reachable on
   * `/v1/Services/{sid}/Users` and `/v2/Services/{sid}/Users` as well.
   */
  readonly serviceSid: string
  /** How many requests are being answered now: received, the answer not complete, the connection open. */
  readonly inFlight: Effect.Effect<number>
  /**
   * How many answers were cut short because the client closed the connection first (its timeout, an interruption,
   * a body it refused to read on). Resets and truncations the emulator makes itself do not count.
   */
  readonly abandoned: Effect.Effect<number>
}

/**
 * The emulator could not start: a port in use, an invalid port or `publicUrl`.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 *
 * const program = Layer.launch(Emulator.layer({ port: 4010 })).pipe(
 *   Effect.catchTag("EmulatorError", (e) => Effect.logError(e.message))
 * )
 * ```
 * @since 0.1.0
 * @category errors
 */
export class EmulatorError extends Schema.TaggedError<EmulatorError>("@effect-twilio/chat-testing/EmulatorError")(
  "EmulatorError",
  { message: Schema.String }
) {}

const MAX_REQUEST_BYTES = 1024 * 1024
const headersOf = (request: Http.IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const PADDING_CHUNK = Buffer.alloc(64 * 1024, 0x20)

/** Writes `bytes` spaces as fast as the client reads them, then ends the answer; stops if the client goes away. */
const pad = (response: Http.ServerResponse, bytes: number): void => {
  let remaining = bytes
  const pump = () => {
    while (remaining > 0) {
      if (response.destroyed) return
      const n = Math.min(remaining, PADDING_CHUNK.length)
      remaining -= n
      if (!response.write(n === PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.subarray(0, n))) {
        response.once("drain", pump)
        return
      }
    }
    response.end()
  }
  pump()
}

/** Sockets the emulator cut on purpose (resets, truncations): their closing is not the client going away. */
const cutByServer = new WeakSet<Http.ServerResponse>()

/** Writes the fake's answer on the socket; truncation, resets, stalls and enormous bodies happen for real. */
const write = (request: Http.IncomingMessage, response: Http.ServerResponse, answer: FakeResponse): void => {
  if (response.destroyed || response.writableEnded) return
  if (answer._tag === "Reset") {
    cutByServer.add(response)
    request.socket.resetAndDestroy()
    return
  }
  if (NULL_BODY_STATUSES.has(answer.status)) {
    response.writeHead(answer.status, answer.headers)
    response.end()
    return
  }
  const body = Buffer.from(answer.body, "utf8")
  if (answer.padding !== undefined) {
    const { bytes, contentLength } = answer.padding
    response.writeHead(
      answer.status,
      contentLength ? { ...answer.headers, "content-length": String(body.length + bytes) } : answer.headers
    )
    response.write(body)
    pad(response, bytes)
    return
  }
  response.writeHead(answer.status, { ...answer.headers, "content-length": String(body.length) })
  if (answer.stalled) {
    // Half of the body, then nothing: the answer stays open until the client closes the connection.
    response.write(body.subarray(0, Math.floor(body.length / 2)))
    return
  }
  if (!answer.truncated) {
    response.end(body)
    return
  }
  cutByServer.add(response)
  response.write(body.subarray(0, Math.floor(body.length / 2)), () => request.socket.destroy())
}

const writeError = (request: Http.IncomingMessage, response: Http.ServerResponse, status: number, message: string) =>
  write(request, response, errorAnswer(status, null, message))

/** The origin of `url` when it is nothing more than an http: or https: origin (a trailing `/` allowed). */
const publicOrigin = (url: string): string | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const bare = parsed.username === "" && parsed.password === "" && parsed.search === "" && parsed.hash === "" &&
    parsed.pathname === "/" && !url.endsWith("?") && !url.endsWith("#")
  return bare && (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.origin : undefined
}

/** Runs a request's answer as a fiber of the layer's runtime. */
type Run = (effect: Effect.Effect<FakeResponse>) => Fiber.RuntimeFiber<FakeResponse>

/** What the server counts for `inFlight` and `abandoned`. */
interface Counters {
  inFlight: number
  abandoned: number
}

/** Hands a request whose body has arrived to the fake, and writes its answer unless the client went away. */
const dispatch = (
  run: Run,
  fake: FakeTwilioChatService,
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  body: Buffer
): void => {
  const url = request.url ?? "/"
  const q = url.indexOf("?")
  const fiber = run(fake.handle({
    method: request.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    headers: headersOf(request),
    body
  }))
  // The client went away (its timeout, say): stop the request's fiber, as Twilio would stop caring.
  const onClose = () => {
    if (!response.writableEnded) fiber.unsafeInterruptAsFork(FiberId.none)
  }
  response.on("close", onClose)
  fiber.addObserver((exit) => {
    response.off("close", onClose)
    if (Exit.isSuccess(exit)) write(request, response, exit.value)
    else if (!Exit.isInterrupted(exit)) writeError(request, response, 500, "Internal Server Error")
  })
}

/** The server's request listener: counts the request, reads its body (at most 1 MiB), dispatches it. */
const onRequest =
  (run: Run, fake: () => FakeTwilioChatService | undefined, counters: Counters) =>
  (request: Http.IncomingMessage, response: Http.ServerResponse): void => {
    counters.inFlight++
    response.on("close", () => {
      counters.inFlight--
      if (!response.writableFinished && !cutByServer.has(response)) counters.abandoned++
    })
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk)
    })
    request.on("end", () => {
      const service = fake()
      if (service === undefined) return writeError(request, response, 503, "The emulator is starting")
      if (size > MAX_REQUEST_BYTES) return writeError(request, response, 413, "Request body too large")
      dispatch(run, service, request, response, Buffer.concat(chunks))
    })
  }

/** Listens on `127.0.0.1:{port}` for the scope; closing it closes the server and every connection. */
const listen = (server: Http.Server, port: number): Effect.Effect<AddressInfo, EmulatorError, Scope.Scope> => {
  const sockets = new Set<Socket>()
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return Effect.acquireRelease(
    Effect.async<AddressInfo, EmulatorError>((resume) => {
      const onError = (error: Error) =>
        resume(Effect.fail(new EmulatorError({ message: `Cannot listen on 127.0.0.1:${port}: ${error.message}` })))
      server.once("error", onError)
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError)
        resume(Effect.succeed(server.address() as AddressInfo))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
  )
}

const invalid = (message: string) => Effect.fail(new EmulatorError({ message }))

/** The port and the public origin of the options, checked. */
const checked = (options: EmulatorOptions): Effect.Effect<{ port: number; publicUrl?: string }, EmulatorError> => {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) return invalid(`Invalid port ${port}: expected 0..65535`)
  if (options.publicUrl === undefined) return Effect.succeed({ port })
  const publicUrl = publicOrigin(options.publicUrl)
  return publicUrl === undefined
    ? invalid(
      `Invalid publicUrl ${JSON.stringify(options.publicUrl)}: expected an http: or https: origin such as ` +
        "http://127.0.0.1:8080 or https://chat.example.com (no path, query, fragment or credentials)"
    )
    : Effect.succeed({ port, publicUrl })
}

const layer = (
  options: EmulatorOptions = {}
): Layer.Layer<Emulator | FakeTwilioChat, EmulatorError | FakeTwilioChatError> =>
  Layer.scopedContext(Effect.gen(function*() {
    const { port, publicUrl } = yield* checked(options)
    // Requests run as fibers of this runtime (its Clock, its services), interrupted when the layer is released.
    const run: Run = yield* FiberSet.makeRuntime<never, FakeResponse, never>()
    // Assigned once the server listens (below); requests that arrive before are answered 503, hence let.
    // eslint-disable-next-line prefer-const
    let fake: FakeTwilioChatService | undefined
    const counters: Counters = { inFlight: 0, abandoned: 0 }
    const server = Http.createServer(onRequest(run, () => fake, counters))
    const address = yield* listen(server, port)
    const localUrl = `http://127.0.0.1:${address.port}`
    const service = yield* FakeTwilioChat.make({
      ...options,
      baseUrl: publicUrl ?? localUrl,
      conversationsBaseUrl: publicUrl ?? localUrl
    })
    fake = service
    const info: EmulatorInfo = {
      baseUrl: service.baseUrl,
      localUrl,
      port: address.port,
      accountSid: service.accountSid,
      authToken: service.authToken,
      apiKeySid: service.apiKeySid,
      apiKeySecret: service.apiKeySecret,
      serviceSid: service.defaultServiceSid,
      inFlight: Effect.sync(() => counters.inFlight),
      abandoned: Effect.sync(() => counters.abandoned)
    }
    return Context.make(Emulator, info).pipe(Context.add(FakeTwilioChat, service))
  }))

const layerClient = (
  options: EmulatorOptions & { readonly client?: ChatV2UserApiOptions | undefined } = {}
): Layer.Layer<
  ChatV2UserApi | ConversationsV1UserApi | Emulator | FakeTwilioChat,
  EmulatorError | FakeTwilioChatError | ConfigError.ConfigError,
  HttpClient.HttpClient
> =>
  Layer.provideMerge(
    Layer.merge(
      Layer.effect(ChatV2UserApi, Effect.flatMap(Emulator, (emulator) => clientFor(emulator, options.client))),
      Layer.effect(
        ConversationsV1UserApi,
        Effect.flatMap(Emulator, (emulator) => conversationsClientFor(emulator, options.client))
      )
    ),
    layer(options)
  )

/**
 * The emulator: the fake Twilio Chat on `http://127.0.0.1:{port}`, its credentials and default service.
 *
 * @example
 * ```ts
 * import { Emulator } from "@effect-twilio/chat-testing"
 * import * as Effect from "effect/Effect"
 * import * as Redacted from "effect/Redacted"
 *
 * const curl = Effect.map(Emulator, (e) =>
 *   `curl -u ${e.accountSid}:${Redacted.value(e.authToken)} ${e.baseUrl}/v2/Services/${e.serviceSid}/Users`
 * ).pipe(Effect.provide(Emulator.layer()))
 * ```
 * @since 0.1.0
 * @category services
 */
export class Emulator extends Context.Tag("@effect-twilio/chat-testing/Emulator")<Emulator, EmulatorInfo>() {
  /**
   * Serves a fresh fake on `127.0.0.1` for the lifetime of the layer (a free port by default), providing
   * `Emulator` and `FakeTwilioChat`. Releasing the layer closes the server and its connections.
   *
   * @example
   * ```ts
   * import { Emulator, FakeTwilioChat } from "@effect-twilio/chat-testing"
   * import * as Effect from "effect/Effect"
   *
   * const users = Effect.flatMap(FakeTwilioChat, (fake) => fake.users(fake.defaultServiceSid)).pipe(
   *   Effect.provide(Emulator.layer({ seedUsers: 5 }))
   * )
   * ```
   * @since 0.1.0
   */
  static readonly layer = layer
  /**
   * `ChatV2UserApi` and `ConversationsV1UserApi` pointed at a fresh emulator with its credentials, over the
   * `HttpClient` you provide (e.g. `FetchHttpClient.layer`): the whole clients over a real socket. Their base URL
   * is the emulator's public URL (`publicUrl`, a proxy's say, or the emulator's own origin), which serves both APIs.
   * `client` options go over the defaults, for both.
   *
   * @example
   * ```ts
   * import { ChatV2UserApi } from "@effect-twilio/chat"
   * import { Emulator } from "@effect-twilio/chat-testing"
   * import { FetchHttpClient } from "@effect/platform"
   * import * as Layer from "effect/Layer"
   *
   * const ChatOverHttp = Emulator.layerClient({ client: { retry: false } }).pipe(Layer.provide(FetchHttpClient.layer))
   * ```
   * @since 0.1.0
   */
  static readonly layerClient = layerClient
}
