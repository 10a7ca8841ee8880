/**
 * Raw hostile servers for the hostile suite, and the client over both HTTP layers.
 *
 * Every server is a plain `node:http` or `node:net` server on 127.0.0.1 (port 0) for the lifetime of a scope. It
 * records the requests it sees and counts the sockets it accepted and still holds open; each socket is destroyed
 * after `lifetime` milliseconds at the latest, so a server that streams forever or never answers stays bounded
 * in time, and closing the scope destroys them all.
 */
import { ChatV2UserApi, type ChatV2UserApiOptions, type ChatV2UserApiService } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import { FetchHttpClient } from "@effect/platform"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Net from "node:net"
import * as Util from "node:util"

export const ACCOUNT = "AC0123456789abcdef0123456789abcdef"
export const SERVICE = "IS0123456789abcdef0123456789abcdef"
export const OTHER_SERVICE = "ISfedcba9876543210fedcba9876543210"
export const USER = "US0123456789abcdef0123456789abcdef"
export const OTHER_USER = "USfedcba9876543210fedcba9876543210"
/** The auth token of most tests: shares no 16 characters with any SID above. */
export const TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
/** The decoded-body limit the client promises. */
export const LIMIT = 8 * 1024 * 1024
export const MiB = 1024 * 1024

/** The collection path of `service`. */
export const usersPath = (service: string = SERVICE) => `/v2/Services/${service}/Users`

// --- the client over both HTTP layers ---------------------------------------------------------------------------

/** An HTTP layer to run a scenario over. */
export interface HttpLayer {
  readonly name: string
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  /** The same client with a bounded pool (2 connections per origin) where the layer has pools of its own. */
  readonly pooled: Layer.Layer<HttpClient.HttpClient>
  /** Whether the layer decodes `Content-Encoding` (fetch does, undici's `dispatch` does not). */
  readonly decodes: boolean
}

export const LAYERS: ReadonlyArray<HttpLayer> = [
  { name: "fetch", layer: FetchHttpClient.layer, pooled: FetchHttpClient.layer, decodes: true },
  {
    name: "undici",
    layer: UndiciHttpClient.layer,
    pooled: UndiciHttpClient.layerWith({ connections: 2 }),
    decodes: false
  }
]

/** The client against `origin`: a single attempt of at most 5 s unless `options` say otherwise. */
export const clientLayer = (
  http: Layer.Layer<HttpClient.HttpClient>,
  origin: string,
  options: Partial<ChatV2UserApiOptions> = {}
) =>
  ChatV2UserApi.layer({
    ...(options.apiKeySid === undefined ? { accountSid: ACCOUNT, authToken: TOKEN } : {}),
    baseUrl: origin,
    timeout: "5 seconds",
    retry: false,
    ...options
  }).pipe(Layer.provide(http), Layer.orDie)

/** Runs `f` with a client against `origin`, built for this call (a fresh undici pool each time) and closed after. */
export const withChat = <A, E>(
  http: Layer.Layer<HttpClient.HttpClient>,
  origin: string,
  options: Partial<ChatV2UserApiOptions>,
  f: (chat: ChatV2UserApiService) => Effect.Effect<A, E>
): Effect.Effect<A, E> => Effect.provide(Effect.flatMap(ChatV2UserApi, f), clientLayer(http, origin, options))

// --- servers ----------------------------------------------------------------------------------------------------

/** What a server saw of one request. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  /** The request's headers (an HTTP server's; a TCP server's are `{}`). */
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string
}

/** A server for the lifetime of a scope. */
export interface Server {
  readonly port: number
  /** `http://127.0.0.1:{port}` */
  readonly origin: string
  /** The requests it received (an HTTP server: whole; a TCP server: the first bytes of each socket). */
  readonly requests: Array<Seen>
  /** How many sockets it accepted. */
  readonly accepted: () => number
  /** How many of them are still open. */
  readonly open: () => number
}

interface Options {
  /** Each socket is destroyed this long after it was accepted. Default 3 s. */
  readonly lifetime?: number
}

const listen = <S extends Net.Server>(
  server: S,
  requests: Array<Seen>,
  options: Options
): Effect.Effect<Server, never, Scope.Scope> => {
  const sockets = new Set<Net.Socket>()
  let accepted = 0
  server.on("connection", (socket: Net.Socket) => {
    accepted++
    sockets.add(socket)
    const timer = setTimeout(() => socket.destroy(), options.lifetime ?? 3_000)
    socket.on("close", () => {
      clearTimeout(timer)
      sockets.delete(socket)
    })
    socket.on("error", () => {})
  })
  return Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as Net.AddressInfo).port
        resume(Effect.succeed({
          port,
          origin: `http://127.0.0.1:${port}`,
          requests,
          accepted: () => accepted,
          open: () => sockets.size
        }))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        for (const socket of sockets) socket.destroy()
      })
  )
}

/** What an HTTP server does with a request, once its whole body has arrived. */
export type Handler = (request: Http.IncomingMessage, response: Http.ServerResponse, seen: Seen) => void

/** An HTTP server: each request is recorded with its body, then handed to `handler`. */
export const httpServer = (handler: Handler, options: Options = {}): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.suspend(() => {
    const requests: Array<Seen> = []
    const server = Http.createServer((request, response) => {
      const parts: Array<Buffer> = []
      request.on("data", (part: Buffer) => parts.push(part))
      request.on("end", () => {
        const seen: Seen = {
          method: request.method ?? "",
          url: request.url ?? "",
          authorization: request.headers.authorization,
          headers: request.headers,
          body: Buffer.concat(parts).toString("utf8")
        }
        requests.push(seen)
        handler(request, response, seen)
      })
      response.on("error", () => {})
    })
    return listen(server, requests, options)
  })

/** A TCP server: `onSocket` gets every accepted socket; the first bytes of each are recorded as its request. */
export const tcpServer = (
  onSocket: (socket: Net.Socket) => void,
  options: Options = {}
): Effect.Effect<Server, never, Scope.Scope> =>
  Effect.suspend(() => {
    const requests: Array<Seen> = []
    const server = Net.createServer((socket) => {
      socket.once("data", (bytes: Buffer) => {
        const text = bytes.toString("latin1")
        const [line = ""] = text.split("\r\n")
        const [method = "", url = ""] = line.split(" ")
        const authorization = /\r\nauthorization: ([^\r]*)/i.exec(text)?.[1]
        requests.push({ method, url, authorization, headers: {}, body: "" })
      })
      onSocket(socket)
    })
    return listen(server, requests, options)
  })

/** Accepts, reads everything, never writes a byte. */
export const silentServer = (options: Options = {}) => tcpServer((socket) => socket.resume(), options)

/** Answers headers announcing 1000 bytes, then 10 of them, then nothing. */
export const stalledServer = (options: Options = {}) =>
  tcpServer((socket) => {
    socket.resume()
    socket.once("data", () => {
      socket.write(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sid\":\"US"
      )
    })
  }, options)

/** A port on 127.0.0.1 where nothing listens (it did a moment ago). */
export const closedPort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

// --- answers ----------------------------------------------------------------------------------------------------

/** Answers `body` (JSON text as given, or JSON of a value) with a Content-Length. */
export const sendJson = (
  response: Http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers
  })
  response.end(text)
}

/** Writes `piece` every `everyMillis` for as long as the socket lives (the server's lifetime bounds it). */
export const writeForever = (
  response: Http.ServerResponse,
  piece: Buffer = Buffer.alloc(16 * 1024, 0x20),
  everyMillis = 10
) => {
  const timer = setInterval(() => {
    if (response.destroyed || response.writableEnded) clearInterval(timer)
    else if (!response.writableNeedDrain) response.write(piece)
  }, everyMillis)
  response.on("close", () => clearInterval(timer))
}

/** Writes `body` in pieces of `pieceBytes`, one every `everyMillis`, then ends the response. */
export const writePaced = (response: Http.ServerResponse, body: Buffer, pieceBytes: number, everyMillis: number) => {
  let offset = 0
  const timer = setInterval(() => {
    if (response.destroyed) return clearInterval(timer)
    if (response.writableNeedDrain) return
    const end = Math.min(body.length, offset + pieceBytes)
    response.write(body.subarray(offset, end))
    offset = end
    if (offset >= body.length) {
      clearInterval(timer)
      response.end()
    }
  }, everyMillis)
  response.on("close", () => clearInterval(timer))
}

/** Writes `total` bytes as fast as the client reads them, chunked (no Content-Length), then ends. */
export const writeChunked = (response: Http.ServerResponse, total: number, piece = Buffer.alloc(64 * 1024, 0x20)) => {
  let sent = 0
  const pump = () => {
    while (sent < total && !response.destroyed) {
      sent += piece.length
      if (!response.write(piece)) return void response.once("drain", pump)
    }
    if (!response.destroyed) response.end()
  }
  pump()
}

/** A valid Chat V2 user. */
export const userJson = (sid: string = USER, identity = "alice", service: string = SERVICE) => ({
  sid,
  account_sid: ACCOUNT,
  service_sid: service,
  role_sid: "RL0123456789abcdef0123456789abcdef",
  identity,
  attributes: "{\"team\":\"blue\"}",
  is_online: true,
  is_notifiable: null,
  friendly_name: "Alice",
  date_created: "2016-03-24T21:05:19Z",
  date_updated: "2016-03-24T21:05:20Z",
  joined_channels_count: 0,
  links: {
    user_channels: `https://chat.twilio.com/v2/Services/${service}/Users/${sid}/Channels`,
    user_bindings: `https://chat.twilio.com/v2/Services/${service}/Users/${sid}/Bindings`
  },
  url: `https://chat.twilio.com/v2/Services/${service}/Users/${sid}`
})

/** A user SID numbered `n`. */
export const userSid = (n: number) => "US" + n.toString(16).padStart(32, "0")

/** A page of `users` whose own URL is `url` and whose next page is `next`. */
export const pageJson = (users: ReadonlyArray<unknown>, url: string, next: string | null, page = 0) => ({
  users,
  meta: {
    page,
    page_size: Math.max(1, users.length),
    first_page_url: url,
    previous_page_url: null,
    url,
    next_page_url: next,
    key: "users"
  }
})

// --- observing --------------------------------------------------------------------------------------------------

/** `self` and the milliseconds it took on the wall clock. */
export const timed = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<readonly [A, number], E, R> =>
  Effect.suspend(() => {
    const start = Date.now()
    return Effect.map(self, (a) => [a, Date.now() - start] as const)
  })

/** Polls `read` on the wall clock until `check` holds (up to `millis`); the last value either way. */
export const eventually = <A>(read: () => A, check: (a: A) => boolean, millis = 1_500): Effect.Effect<A> =>
  Effect.promise(async () => {
    const deadline = Date.now() + millis
    let value = read()
    while (!check(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      value = read()
    }
    return value
  })

/** Waits `millis` on the wall clock. */
export const wallWait = (millis: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, millis)))

/** The typed failure of `exit`; throws (failing the test, with the cause) on a success, a defect or an interruption. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`Expected a typed failure, got a success: ${Util.inspect(exit.value)}`)
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) throw new Error(`Expected a typed failure, got:\n${Cause.pretty(exit.cause)}`)
  return failure.value
}

/** `error`, checked to be the `tag` variant of its union, and narrowed to it. */
export const expectTag = <E extends { readonly _tag: string }, T extends E["_tag"]>(
  error: E,
  tag: T
): Extract<E, { readonly _tag: T }> => {
  if (error._tag !== tag) throw new Error(`Expected a ${tag}, got: ${Util.inspect(error)}`)
  return error as Extract<E, { readonly _tag: T }>
}

/** `self`'s exit and how far the process's resident memory rose above where it was, at its peak, in MiB. */
export const withPeakRss = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<readonly [Exit.Exit<A, E>, number], never, R> =>
  Effect.suspend(() => {
    const before = process.memoryUsage().rss
    let peak = before
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }
    const timer = setInterval(sample, 5)
    return Effect.exit(self).pipe(
      Effect.ensuring(Effect.sync(() => {
        clearInterval(timer)
        sample()
      })),
      Effect.map((exit) => [exit, (peak - before) / MiB] as const)
    )
  })

/** The typed failure of `exit` in every form a program might print or ship it, and the `Cause.pretty` of its cause. */
export const renderings = (exit: Exit.Exit<unknown, unknown>): string => {
  const error = failureOf(exit)
  const e = error as { message?: unknown; moreInfo?: unknown; stack?: unknown; cause?: unknown }
  return [
    String(e.message),
    String(e.moreInfo),
    String(error),
    JSON.stringify(error),
    String(e.stack),
    Util.inspect(error, { depth: 10 }),
    String(e.cause),
    Util.inspect(e.cause, { depth: 10 }),
    Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
  ].join("\n")
}
