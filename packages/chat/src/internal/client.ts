/**
 * The client's engine: one decorated `HttpClient`, request templates built once, and the attempt / retry loop
 * that every operation runs.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { constTrue } from "effect/Function"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type { YieldWrap } from "effect/Utils"
import type {
  CreateUserError,
  InvalidRequest,
  ListUserError,
  NextPageError,
  TransportError,
  UnexpectedResponse,
  UserOperationError
} from "../ChatError.js"
import type { ChatV2ServiceUser, DecodeResult, ListUserResponse } from "../ChatV2ServiceUser.js"
import { decodeListUserResponse, decodeUser } from "../ChatV2ServiceUser.js"
import type { ResolvedOptions } from "../TwilioConfig.js"
import * as Errors from "./errors.js"
import * as Validate from "./validate.js"
import * as Wire from "./wire.js"

/** The options of create and update. */
export interface UserWriteOptions {
  readonly attributes?: Readonly<Record<string, unknown>> | undefined
  readonly friendlyName?: string | undefined
  readonly roleSid?: string | undefined
  readonly xTwilioWebhookEnabled?: "true" | "false" | undefined
}

/** The options of a list request. */
export interface ListOptions {
  readonly pageSize?: number | undefined
  readonly page?: number | undefined
  readonly pageToken?: string | undefined
}

/** The options of a stream. */
export interface StreamOptions {
  readonly pageSize?: number | undefined
  readonly limit?: number | undefined
}

/** The shape of the service. */
export interface Service {
  readonly createUser: (
    serviceSid: string,
    identity: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ChatV2ServiceUser, CreateUserError>
  readonly fetchUser: (serviceSid: string, sid: string) => Effect.Effect<ChatV2ServiceUser, UserOperationError>
  readonly updateUser: (
    serviceSid: string,
    sid: string,
    options?: UserWriteOptions
  ) => Effect.Effect<ChatV2ServiceUser, UserOperationError>
  readonly deleteUser: (serviceSid: string, sid: string) => Effect.Effect<void, UserOperationError>
  readonly listUser: (serviceSid: string, options?: ListOptions) => Effect.Effect<ListUserResponse, ListUserError>
  readonly streamUsers: (serviceSid: string, options?: StreamOptions) => Stream.Stream<ChatV2ServiceUser, ListUserError>
  readonly nextPage: (page: ListUserResponse) => Effect.Effect<Option.Option<ListUserResponse>, NextPageError>
}

/** How an operation is retried and what its 404 and 409 mean. */
interface Operation extends Errors.ErrorMapping {
  readonly name: string
  /** 5xx and transport failures may be retried: the request is idempotent. */
  readonly idempotent: boolean
  /** A 404 after an attempt that got no answer means an earlier attempt succeeded (delete). */
  readonly notFoundAfterNoAnswerIsSuccess: boolean
}

const CREATE: Operation = {
  name: "ChatV2UserApi.createUser",
  idempotent: false,
  notFoundIsUser: false,
  conflictIsUser: true,
  notFoundAfterNoAnswerIsSuccess: false
}
const FETCH: Operation = {
  name: "ChatV2UserApi.fetchUser",
  idempotent: true,
  notFoundIsUser: true,
  conflictIsUser: false,
  notFoundAfterNoAnswerIsSuccess: false
}
const UPDATE: Operation = { ...FETCH, name: "ChatV2UserApi.updateUser" }
const DELETE: Operation = { ...FETCH, name: "ChatV2UserApi.deleteUser", notFoundAfterNoAnswerIsSuccess: true }
const LIST: Operation = { ...FETCH, name: "ChatV2UserApi.listUser", notFoundIsUser: false }

/** Where a stream is: the URL of the next page, and whether it is the first (built by us, not by the server). */
interface PageState {
  readonly url: string
  readonly first: boolean
}

/** An HTTP answer, read whole within the attempt's timeout. */
interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
}

const FORM = "application/x-www-form-urlencoded"
const RETRYABLE_5XX = new Set([500, 502, 503, 504])
/** The largest body the client reads; Twilio's largest page (100 users with 16 KiB attributes each) fits. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024

const isOk = (status: number) => status >= 200 && status < 300

/** Effect's built-in tracer: the one in force when the application installs none. */
const NativeTracer = Effect.runSync(Effect.tracer)

/** Statuses whose answers have no body (a fetch `Response` has no stream for them). */
const NO_BODY = new Set([204, 205, 304])

/** Reads a body of unknown length, failing as soon as it outgrows `MAX_BODY_BYTES` (and so abandoning the rest). */
const readBounded = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<string, unknown> =>
  Effect.suspend(() => {
    const parts: Array<Uint8Array> = []
    let size = 0
    const read = Stream.runForEach(response.stream, (bytes) => {
      size += bytes.length
      if (size > MAX_BODY_BYTES) {
        return Effect.fail(
          Errors.unexpected(response.status, `The body exceeds ${MAX_BODY_BYTES} bytes; the client reads at most that`)
        )
      }
      parts.push(bytes)
      return Effect.void
    })
    // A response built without a body at all (a status that carries none) has no stream: its text is empty.
    const orEmpty = Effect.catchIf(
      read,
      (e) => e._tag === "ResponseError" && e.reason === "EmptyBody",
      () => Effect.void
    )
    return Effect.map(orEmpty, () => {
      const all = new Uint8Array(size)
      let offset = 0
      for (const part of parts) {
        all.set(part, offset)
        offset += part.length
      }
      return new TextDecoder().decode(all)
    })
  })

/** The class of the live clock (`Clock.make()`): its sleeps are plain `setTimeout`s. */
const LiveClockProto = Object.getPrototypeOf(Clock.make())
/** The longest `setTimeout` delay; longer timeouts take the generic path. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/**
 * `Effect.timeoutFail` for the live clock, at half the cost: `self` runs in one child fiber raced against a plain
 * timer (not two fibers, one of them sleeping). Same outcome: `self`'s exit if it ends first; otherwise `self` is
 * interrupted (which aborts its request), and then the failure. The child's fiber refs are not merged back: it is
 * the attempt's own fiber, and what it sets (below, the tracer predicate and `RequestInit`) stays there.
 */
const raceTimer = <A, E>(self: Effect.Effect<A, E>, millis: number, onTimeout: () => E): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.fork(self), (child) =>
    Effect.async<A, E>((resume) => {
      let settled = false
      const timer = setTimeout(() => {
        if (settled) return
        settled = true
        resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
      }, millis)
      child.addObserver((exit) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(exit)
      })
      return Effect.suspend(() => {
        settled = true
        clearTimeout(timer)
        return Fiber.interrupt(child)
      })
    }))

const parseJson = (answer: Answer): DecodeResult<unknown> => {
  try {
    return { ok: true, value: JSON.parse(answer.text) }
  } catch {
    return { ok: false, error: "The body is not JSON" }
  }
}

/** Builds the service over a resolved configuration and an `HttpClient`. */
export const make = (options: ResolvedOptions, httpClient: HttpClient.HttpClient): Effect.Effect<Service> =>
  Effect.gen(function*() {
    // A fetch-based client must not follow redirects: the credentials would go along. Other clients (undici's
    // request, the in-memory fake) do not follow them anyway; a 3xx becomes an `UnexpectedResponse`.
    const requestInit = Option.getOrElse(yield* Effect.serviceOption(FetchHttpClient.RequestInit), () => ({}))
    const noRedirects = { ...requestInit, redirect: "manual" as const }
    let client = httpClient.pipe(
      // The client's own span would record the URL, whose path holds identities (PII); ours records the service.
      HttpClient.withTracerDisabledWhen(() => true),
      HttpClient.transform((effect) => Effect.provideService(effect, FetchHttpClient.RequestInit, noRedirects))
    )
    if (options.transformClient) client = options.transformClient(client)
    // On the live clock each attempt runs in a fiber of its own (see `raceTimer`): there the two settings above are
    // set once on that fiber rather than scoped around the call, unless a `transformClient` wraps the client.
    const bare = options.transformClient ? undefined : httpClient
    const presetRefs = Effect.zipRight(
      FiberRef.set(HttpClient.currentTracerDisabledWhen, constTrue),
      FiberRef.update(
        FiberRef.currentContext,
        (context) => Context.add(context, FetchHttpClient.RequestInit, noRedirects)
      )
    )

    const headers = Headers.fromInput({
      authorization: Wire.basicAuthorization(options.username, Redacted.value(options.password)),
      accept: "application/json",
      "user-agent": options.userAgent
    })
    const template = (method: "GET" | "POST" | "DELETE") => HttpClientRequest.make(method)("", { headers })
    const GET = template("GET")
    const POST = template("POST")
    const DEL = template("DELETE")
    const base = options.baseUrl
    const timeout = options.timeout
    const timeoutMillis = Duration.toMillis(timeout)
    const retries = options.retries
    const baseMillis = Duration.toMillis(options.retryBase)
    const capMillis = Duration.toMillis(options.retryCap)

    const timedOut = (op: Operation) => () => Errors.transport("Timeout", op.name, undefined)

    /** Sends `request` with `c` and reads the whole body. */
    const exchange = (c: HttpClient.HttpClient, request: HttpClientRequest.HttpClientRequest) =>
      Effect.flatMap(c.execute(request), (response): Effect.Effect<Answer, unknown> => {
        const length = Number(response.headers["content-length"])
        if (length > MAX_BODY_BYTES) {
          return Effect.fail(
            Errors.unexpected(
              response.status,
              `The body is ${length} bytes; the client reads at most ${MAX_BODY_BYTES}`
            )
          )
        }
        // Without a Content-Length (a chunked answer) the size is unknown until the end: count bytes as they come.
        const text = Number.isNaN(length) && !NO_BODY.has(response.status) ? readBounded(response) : response.text
        return Effect.map(text, (text) => ({ status: response.status, headers: response.headers, text }))
      })

    /** One attempt: send, and read the whole body, within the timeout. Interruption aborts the request. */
    const attempt = (op: Operation, request: HttpClientRequest.HttpClientRequest) =>
      Effect.clockWith((clock) =>
        Object.getPrototypeOf(clock) === LiveClockProto && timeoutMillis <= MAX_TIMER_MILLIS
          ? raceTimer(
            bare === undefined ? exchange(client, request) : Effect.zipRight(presetRefs, exchange(bare, request)),
            timeoutMillis,
            timedOut(op)
          )
          : Effect.timeoutFail(exchange(client, request), { duration: timeout, onTimeout: timedOut(op) })
      ).pipe(
        Effect.catchAll((error): Effect.Effect<never, TransportError | UnexpectedResponse> =>
          typeof error === "object" && error !== null && "_tag" in error &&
            (error._tag === "TransportError" || error._tag === "UnexpectedResponse")
            ? Effect.fail(error as TransportError | UnexpectedResponse)
            : Effect.fail(Errors.transport("Connection", op.name, error))
        )
      )

    /** The wait before retry `n` (0-based): exponential from `base`, ±20% jitter, capped. */
    const backoff = (n: number) =>
      Effect.map(
        Random.next,
        (r) => Duration.millis(Math.round(Math.min(capMillis, baseMillis * 2 ** n * (0.8 + 0.4 * r))))
      )

    const capped = (d: Duration.Duration) => Duration.millis(Math.min(capMillis, Duration.toMillis(d)))

    /** Logs the retry at Debug level (operation, cause, attempt and wait: never the request), then waits. */
    const waitToRetry = (op: Operation, n: number, cause: string, wait: Effect.Effect<Duration.Duration>) =>
      Effect.flatMap(wait, (d) =>
        Effect.zipRight(
          Effect.logDebug(`${op.name}: ${cause}, retry ${n + 1} of ${retries} in ${Duration.format(d)}`),
          Effect.sleep(d)
        ))

    /**
     * Runs `request` with the retry policy; `onOk` turns a 2xx answer into the result. Each attempt has its own
     * timeout; retries wait on Effect's `Clock`, so `TestClock` drives them in tests.
     */
    const run = <A>(
      op: Operation,
      request: HttpClientRequest.HttpClientRequest,
      onOk: (answer: Answer) => Effect.Effect<A, UnexpectedResponse>
    ) => {
      const loop = (
        n: number,
        lostAnswer: boolean
      ): Effect.Effect<A, NextPageError | UserOperationError | CreateUserError> =>
        Effect.matchEffect(attempt(op, request), {
          onFailure: (error) =>
            error._tag === "TransportError" && op.idempotent && n < retries
              ? Effect.zipRight(waitToRetry(op, n, error.reason, backoff(n)), loop(n + 1, true))
              : Effect.fail(error),
          onSuccess: (answer) => {
            const status = answer.status
            if (isOk(status)) return onOk(answer)
            if (status === 404 && lostAnswer && op.notFoundAfterNoAnswerIsSuccess) return onOk(answer)
            if (status === 429) {
              return Effect.flatMap(Clock.currentTimeMillis, (now) => {
                const retryAfter = Errors.parseRetryAfter(answer.headers["retry-after"], now)
                if (n >= retries) return Effect.fail(Errors.fromStatus(status, answer.text, op, retryAfter))
                const wait = retryAfter === undefined ? backoff(n) : Effect.succeed(capped(retryAfter))
                return Effect.zipRight(waitToRetry(op, n, "HTTP 429", wait), loop(n + 1, lostAnswer))
              })
            }
            if (RETRYABLE_5XX.has(status) && op.idempotent && n < retries) {
              return Effect.zipRight(waitToRetry(op, n, `HTTP ${status}`, backoff(n)), loop(n + 1, lostAnswer))
            }
            return Effect.fail(Errors.fromStatus(status, answer.text, op, undefined))
          }
        })
      return loop(0, false)
    }

    const decodeWith =
      <A>(decode: (u: unknown) => DecodeResult<A>, what: string) =>
      (answer: Answer): Effect.Effect<A, UnexpectedResponse> => {
        const json = parseJson(answer)
        if (!json.ok) return Effect.fail(Errors.unexpected(answer.status, json.error))
        const result = decode(json.value)
        return result.ok
          ? Effect.succeed(result.value)
          : Effect.fail(Errors.unexpected(answer.status, `The body is not a valid ${what}: ${result.error}`))
      }
    const onUser = decodeWith(decodeUser, "user")
    const onPage = decodeWith(decodeListUserResponse, "page of users")
    // Twilio answers a delete with 204 and no body: a 2xx with a body is some proxy's answer, and the user may remain.
    const onDeleted = (answer: Answer): Effect.Effect<void, UnexpectedResponse> =>
      isOk(answer.status) && answer.text.trim() !== ""
        ? Effect.fail(Errors.unexpected(answer.status, "Expected an empty body: Twilio answers a delete with 204"))
        : Effect.void

    const invalid = (error: InvalidRequest) => Effect.fail(error)
    const annotate = (serviceSid: string) => Effect.annotateCurrentSpan("chat.service_sid", serviceSid)

    /**
     * An operation: `Effect.fn(name)` over `body(true)` when a tracer is installed. With Effect's built-in tracer
     * (none installed) nobody sees the span, and making it costs about a fifth of a call over loopback: `body(false)`
     * then runs without one (and annotates nothing, not even the caller's span).
     */
    const operation = <Eff extends YieldWrap<Effect.Effect<any, any, any>>, A, Args extends Array<any>>(
      name: string,
      body: (traced: boolean) => (...args: Args) => Generator<Eff, A, never>
    ) => {
      const traced = Effect.fn(name)(body(true))
      const untraced = Effect.fnUntraced(body(false))
      return (...args: Args) =>
        Effect.tracerWith((tracer) => tracer === NativeTracer ? untraced(...args) : traced(...args)) as ReturnType<
          typeof traced
        >
    }

    const writeBody = (identity: string | undefined, opts: UserWriteOptions | undefined) => {
      const o = opts ?? {}
      const error = Validate.options(opts) ?? Validate.roleSid(o.roleSid) ??
        Validate.optionalString("options.friendlyName", o.friendlyName) ??
        Validate.webhookEnabled(o.xTwilioWebhookEnabled)
      if (error) return error
      const attributes = Validate.attributesJson(o.attributes)
      if (attributes !== undefined && "_tag" in attributes) return attributes
      return Wire.userForm(identity, {
        attributesJson: attributes?.json,
        friendlyName: o.friendlyName,
        roleSid: o.roleSid
      })
    }

    const postRequest = (url: string, body: string, opts: UserWriteOptions | undefined) => {
      let request = HttpClientRequest.setBody(
        HttpClientRequest.setUrl(POST, url),
        HttpBody.text(body, FORM)
      )
      if (opts?.xTwilioWebhookEnabled !== undefined) {
        request = HttpClientRequest.setHeader(request, "x-twilio-webhook-enabled", opts.xTwilioWebhookEnabled)
      }
      return request
    }

    const createUser = operation("ChatV2UserApi.createUser", (traced) =>
      function*(
        serviceSid: string,
        identity: string,
        opts?: UserWriteOptions
      ) {
        const error = Validate.serviceSid(serviceSid) ?? Validate.identity(identity)
        if (error) return yield* invalid(error)
        const body = writeBody(identity, opts)
        if (typeof body !== "string") return yield* invalid(body)
        if (traced) yield* annotate(serviceSid)
        return yield* run(CREATE, postRequest(base + Wire.usersPath(serviceSid), body, opts), onUser)
      }) as Service["createUser"]

    const userUrl = (serviceSid: string, sid: string) =>
      base + Wire.usersPath(serviceSid) + "/" + Wire.encodeSegment(sid)

    const fetchUser = operation("ChatV2UserApi.fetchUser", (traced) =>
      function*(serviceSid: string, sid: string) {
        const error = Validate.serviceSid(serviceSid) ?? Validate.userSid(sid)
        if (error) return yield* invalid(error)
        if (traced) yield* annotate(serviceSid)
        return yield* run(FETCH, HttpClientRequest.setUrl(GET, userUrl(serviceSid, sid)), onUser)
      }) as Service["fetchUser"]

    const updateUser = operation("ChatV2UserApi.updateUser", (traced) =>
      function*(
        serviceSid: string,
        sid: string,
        opts?: UserWriteOptions
      ) {
        const error = Validate.serviceSid(serviceSid) ?? Validate.userSid(sid)
        if (error) return yield* invalid(error)
        const body = writeBody(undefined, opts)
        if (typeof body !== "string") return yield* invalid(body)
        if (traced) yield* annotate(serviceSid)
        return yield* run(UPDATE, postRequest(userUrl(serviceSid, sid), body, opts), onUser)
      }) as Service["updateUser"]

    const deleteUser = operation("ChatV2UserApi.deleteUser", (traced) =>
      function*(serviceSid: string, sid: string) {
        const error = Validate.serviceSid(serviceSid) ?? Validate.userSid(sid)
        if (error) return yield* invalid(error)
        if (traced) yield* annotate(serviceSid)
        return yield* run(DELETE, HttpClientRequest.setUrl(DEL, userUrl(serviceSid, sid)), onDeleted)
      }) as Service["deleteUser"]

    // `LIST` maps no status to `UserNotFound` or `UserAlreadyExists`: the narrower type is exact.
    const getPage = (url: string) =>
      run(LIST, HttpClientRequest.setUrl(GET, url), onPage) as Effect.Effect<ListUserResponse, NextPageError>

    const listUser = operation("ChatV2UserApi.listUser", (traced) =>
      function*(serviceSid: string, opts?: ListOptions) {
        const o = opts ?? {}
        const error = Validate.serviceSid(serviceSid) ?? Validate.options(opts) ??
          Validate.pageSize("options.pageSize", o.pageSize) ?? Validate.page(o.page) ?? Validate.pageToken(o.pageToken)
        if (error) return yield* invalid(error)
        if (traced) yield* annotate(serviceSid)
        const query = Wire.listQuery(o)
        return yield* getPage(base + Wire.usersPath(serviceSid) + (query === "" ? "" : "?" + query))
      }) as Service["listUser"]

    const followNext = (nextPageUrl: string) => {
      const target = Wire.nextPageTarget(base, nextPageUrl)
      return target.ok
        ? getPage(target.url)
        : Effect.fail(Errors.unexpected(null, `Refused to follow next_page_url: ${target.reason}`))
    }

    const nextPage = operation("ChatV2UserApi.nextPage", () =>
      function*(page: ListUserResponse) {
        const next = page.meta.nextPageUrl
        if (next === null) return Option.none<ListUserResponse>()
        return Option.some(yield* followNext(next))
      }) as Service["nextPage"]

    const streamUsers = (serviceSid: string, opts?: StreamOptions): Stream.Stream<ChatV2ServiceUser, ListUserError> => {
      const o = opts ?? {}
      const error = Validate.serviceSid(serviceSid) ?? Validate.options(opts) ??
        Validate.pageSize("options.pageSize", o.pageSize) ?? Validate.limit(o.limit)
      if (error) return Stream.fail(error)
      const pageSize = Math.min(o.limit ?? 100, o.pageSize ?? 100)
      const first = base + Wire.usersPath(serviceSid) + "?" + Wire.listQuery({ pageSize })
      // The state is the URL of the next page to fetch; `None` ends the stream. Nothing runs until pulled.
      const pages = Stream.paginateChunkEffect(
        { url: first, first: true } as PageState,
        (
          state: PageState
        ): Effect.Effect<readonly [Chunk.Chunk<ChatV2ServiceUser>, Option.Option<PageState>], ListUserError> =>
          Effect.flatMap(
            state.first ? getPage(state.url) : followNext(state.url),
            (page) => {
              const next = page.meta.nextPageUrl
              if (next === state.url) {
                return Effect.fail(
                  Errors.unexpected(200, "next_page_url points at the page just read: refusing to loop")
                )
              }
              return Effect.succeed(
                [
                  Chunk.unsafeFromArray(page.users),
                  next === null ? Option.none() : Option.some({ url: next, first: false })
                ] as const
              )
            }
          ).pipe((effect) =>
            Effect.tracerWith((tracer) =>
              tracer === NativeTracer
                ? effect
                : Effect.withSpan(effect, "ChatV2UserApi.streamUsers.page", {
                  attributes: { "chat.service_sid": serviceSid }
                })
            )
          )
      )
      return o.limit === undefined ? pages : Stream.take(pages, o.limit)
    }

    return { createUser, fetchUser, updateUser, deleteUser, listUser, streamUsers, nextPage } satisfies Service
  })
