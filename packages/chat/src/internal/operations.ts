/**
 * The operations: for each, its validation, its request and the decoding of its answer, run through the one
 * attempt and the one retry policy.
 *
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { InvalidRequest } from "../ChatError.js"
import type { ChatV2ServiceUser } from "../ChatV2ServiceUser.js"
import type { ChatV2UserApiService, ListUserOptions, UserWriteOptions } from "../ChatV2UserApi.js"
import * as Attempt from "./attempt.js"
import type { ResolvedOptions } from "./config.js"
import type { DecodeResult } from "./decode.js"
import { decodeListUserResponse, decodeUser } from "./decode.js"
import type { Answer } from "./errors.js"
import * as Errors from "./errors.js"
import * as Paginator from "./paginator.js"
import * as Redact from "./redact.js"
import * as Retry from "./retry.js"
import * as Validate from "./validate.js"
import * as Wire from "./wire.js"

export const CREATE: Retry.Rule<ReturnType<typeof Errors.createError>> = {
  name: "ChatV2UserApi.createUser",
  idempotent: false,
  notFoundAfterLostAnswerIsSuccess: false,
  error: Errors.createError
}
export const FETCH: Retry.Rule<ReturnType<typeof Errors.userError>> = {
  name: "ChatV2UserApi.fetchUser",
  idempotent: true,
  notFoundAfterLostAnswerIsSuccess: false,
  error: Errors.userError
}
export const UPDATE: typeof FETCH = { ...FETCH, name: "ChatV2UserApi.updateUser" }
export const DELETE: typeof FETCH = {
  ...FETCH,
  name: "ChatV2UserApi.deleteUser",
  notFoundAfterLostAnswerIsSuccess: true
}
export const LIST: Retry.Rule<ReturnType<typeof Errors.commonError>> = {
  name: "ChatV2UserApi.listUser",
  idempotent: true,
  notFoundAfterLostAnswerIsSuccess: false,
  error: Errors.commonError
}

/** What every operation shares: the attempt, the policy and the request templates, built once per client. */
export interface Engine {
  readonly baseUrl: string
  readonly attempt: Attempt.Attempt
  readonly policy: Retry.Policy
  readonly GET: HttpClientRequest.HttpClientRequest
  readonly POST: HttpClientRequest.HttpClientRequest
  readonly DELETE: HttpClientRequest.HttpClientRequest
}

/** Builds the engine over a resolved configuration, an `HttpClient` and the application's fetch `RequestInit`. */
export const makeEngine = (
  options: ResolvedOptions,
  httpClient: HttpClient.HttpClient,
  requestInit: RequestInit
): Engine => {
  const client = options.transformClient ? options.transformClient(httpClient) : httpClient
  const secret = Redacted.value(options.password)
  const headers = Headers.fromInput({
    authorization: Wire.basicAuthorization(options.username, secret),
    accept: "application/json",
    "user-agent": options.userAgent
  })
  const template = (method: "GET" | "POST" | "DELETE") => HttpClientRequest.make(method)("", { headers })
  const timeoutMillis = Duration.toMillis(options.timeout)
  return {
    baseUrl: options.baseUrl,
    attempt: Attempt.make(client, requestInit, timeoutMillis),
    policy: {
      retries: options.retries,
      baseMillis: Duration.toMillis(options.retryBase),
      capMillis: Duration.toMillis(options.retryCap),
      timeoutMillis,
      redact: Redact.make(options.username, secret)
    },
    GET: template("GET"),
    POST: template("POST"),
    DELETE: template("DELETE")
  }
}

const parseJson = (answer: Answer): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  try {
    return { ok: true, value: JSON.parse(answer.text) }
  } catch {
    return { ok: false }
  }
}

/** Parses and decodes a 2xx answer's body with `decode`. */
const decodeWith = <A>(decode: (u: unknown) => DecodeResult<A>, what: string): Attempt.Decode<A> => (answer) => {
  const json = parseJson(answer)
  if (!json.ok) return { ok: false, detail: "the body is not JSON" }
  const result = decode(json.value)
  return result.ok ? result : { ok: false, detail: `the body is not a valid ${what}: ${result.error}` }
}

export const onUser = decodeWith(decodeUser, "user")
export const onPage = decodeWith(decodeListUserResponse, "page of users")

const DELETED: Attempt.Decoded<void> = { ok: true, value: undefined }

/** Twilio answers a delete with 204 and no body: a 2xx with a body is some proxy's answer, and the user may remain. */
export const onDeleted: Attempt.Decode<void> = (answer) =>
  answer.status !== 404 && answer.text.trim() !== ""
    ? { ok: false, detail: "expected an empty body: Twilio answers a delete with 204" }
    : DELETED

/** The form body of a create or update, or why not. */
export const writeBody = (
  identity: string | undefined,
  options: UserWriteOptions | undefined
): string | InvalidRequest => {
  const o = options ?? {}
  const error = Validate.options(options) ?? Validate.roleSid(o.roleSid) ??
    Validate.optionalString("options.friendlyName", o.friendlyName) ??
    Validate.webhookEnabled(o.xTwilioWebhookEnabled)
  if (error) return error
  const attributes = Validate.attributesJson(o.attributes)
  if (attributes !== undefined && "_tag" in attributes) return attributes
  return Wire.userForm(identity, { attributesJson: attributes?.json, friendlyName: o.friendlyName, roleSid: o.roleSid })
}

const FORM = "application/x-www-form-urlencoded"

/** A POST of `body` to `url`, with the webhook header when asked for. */
export const postRequest = (
  engine: Engine,
  url: string,
  body: string,
  options: UserWriteOptions | undefined
): HttpClientRequest.HttpClientRequest => {
  const request = HttpClientRequest.setBody(HttpClientRequest.setUrl(engine.POST, url), HttpBody.text(body, FORM))
  return options?.xTwilioWebhookEnabled === undefined
    ? request
    : HttpClientRequest.setHeader(request, "x-twilio-webhook-enabled", options.xTwilioWebhookEnabled)
}

/** The URL of the users collection of a service. */
export const usersUrl = (engine: Engine, serviceSid: string) => engine.baseUrl + Wire.usersPath(serviceSid)

/** The URL of one user, by SID or identity. */
export const userUrl = (engine: Engine, serviceSid: string, sid: string) =>
  usersUrl(engine, serviceSid) + "/" + Wire.encodeSegment(sid)

/** Effect's built-in tracer: the one in force when the application installs none. */
const NativeTracer = Effect.runSync(Effect.tracer)

/**
 * `effect` in a span named `name` carrying the service SID (when valid; never an identity or attributes, which are
 * PII), when a tracer is installed. With Effect's built-in tracer nobody sees the span, and making one costs about a
 * fifth of a call over loopback, so none is made: errors name their operation in their message either way.
 */
export const spanned = <A, E>(
  name: string,
  serviceSid: string | undefined,
  effect: Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.tracerWith((tracer) =>
    tracer === NativeTracer
      ? effect
      : Effect.withSpan(
        effect,
        name,
        serviceSid === undefined ? {} : { attributes: { "chat.service_sid": serviceSid } }
      )
  )

/** Runs `request` under `rule` with the engine's attempt and policy. */
export const run = <A, E>(
  engine: Engine,
  rule: Retry.Rule<E>,
  request: HttpClientRequest.HttpClientRequest,
  decode: Attempt.Decode<A>
) => Retry.run(engine.attempt, engine.policy, rule, request, decode)

/** A create or update: `options` as a form, POSTed to `url` under `rule`, unless an argument was invalid. */
const write = <E>(
  engine: Engine,
  rule: Retry.Rule<E>,
  serviceSid: string,
  invalid: InvalidRequest | undefined,
  body: () => readonly [url: string, form: string | InvalidRequest],
  options: UserWriteOptions | undefined
) => {
  const [url, form] = invalid === undefined ? body() : ["", invalid]
  const effect: Effect.Effect<ChatV2ServiceUser, E | Errors.AttemptError | InvalidRequest> = typeof form === "string"
    ? run(engine, rule, postRequest(engine, url, form, options), onUser)
    : Effect.fail(form)
  return spanned(rule.name, invalid ? undefined : serviceSid, effect)
}

/** `createUser`: `POST …/Users` with the identity; never retried once the request may have been processed. */
const createUser = (engine: Engine): ChatV2UserApiService["createUser"] => (serviceSid, identity, options) => {
  const invalid = Validate.serviceSid(serviceSid) ?? Validate.identity(identity)
  const body = () => [usersUrl(engine, serviceSid), writeBody(identity, options)] as const
  return write(engine, CREATE, serviceSid, invalid, body, options)
}

/** `updateUser`: `POST …/Users/{sid}` with the changed fields. */
const updateUser = (engine: Engine): ChatV2UserApiService["updateUser"] => (serviceSid, sid, options) => {
  const invalid = Validate.serviceSid(serviceSid) ?? Validate.userSid(sid)
  const body = () => [userUrl(engine, serviceSid, sid), writeBody(undefined, options)] as const
  return write(engine, UPDATE, serviceSid, invalid, body, options)
}

/** A fetch or delete: `template` sent to the user's URL under `rule`, unless an argument was invalid. */
const atUser = <A, E>(
  engine: Engine,
  rule: Retry.Rule<E>,
  template: HttpClientRequest.HttpClientRequest,
  decode: Attempt.Decode<A>
) =>
(serviceSid: string, sid: string) => {
  const invalid = Validate.serviceSid(serviceSid) ?? Validate.userSid(sid)
  const effect: Effect.Effect<A, E | Errors.AttemptError | InvalidRequest> = invalid
    ? Effect.fail(invalid)
    : run(engine, rule, HttpClientRequest.setUrl(template, userUrl(engine, serviceSid, sid)), decode)
  return spanned(rule.name, invalid ? undefined : serviceSid, effect)
}

/** `fetchUser`: `GET …/Users/{sid}`. */
const fetchUser = (engine: Engine): ChatV2UserApiService["fetchUser"] => atUser(engine, FETCH, engine.GET, onUser)

/** `deleteUser`: `DELETE …/Users/{sid}`, answered 204. */
const deleteUser = (engine: Engine): ChatV2UserApiService["deleteUser"] =>
  atUser(engine, DELETE, engine.DELETE, onDeleted)

/** The validation of `listUser`'s arguments. */
const listInvalid = (serviceSid: string, options: ListUserOptions | undefined): InvalidRequest | undefined => {
  const o = options ?? {}
  return Validate.serviceSid(serviceSid) ?? Validate.options(options) ??
    Validate.pageSize("options.pageSize", o.pageSize) ?? Validate.page(o.page) ?? Validate.pageToken(o.pageToken)
}

/** `listUser`: one page, `GET …/Users?PageSize=&Page=&PageToken=`. */
const listUser =
  (engine: Engine, paginator: Paginator.Paginator): ChatV2UserApiService["listUser"] => (serviceSid, options) => {
    const invalid = listInvalid(serviceSid, options)
    if (invalid) return spanned(LIST.name, undefined, Effect.fail(invalid))
    const query = Wire.listQuery(options ?? {})
    const url = usersUrl(engine, serviceSid) + (query === "" ? "" : "?" + query)
    return spanned(LIST.name, serviceSid, paginator.first(serviceSid, url))
  }

/** The error for arguments that threw while being read (a `Proxy` trap, a getter): never a defect. */
const unreadable = (e: unknown) =>
  new InvalidRequest({
    field: "options",
    message: `An argument could not be read: ${e instanceof Error ? e.name : typeof e}`
  })

/** `f`, with a throw while reading its arguments turned into a failure with `InvalidRequest`. */
const guarded = <Args extends ReadonlyArray<unknown>, A, E>(
  f: (...args: Args) => Effect.Effect<A, E>
) =>
(...args: Args): Effect.Effect<A, E | InvalidRequest> => {
  try {
    return f(...args)
  } catch (e) {
    return Effect.fail(unreadable(e))
  }
}

/** Builds the service's operations over one engine. */
export const make = (engine: Engine): ChatV2UserApiService => {
  const paginator = Paginator.make(
    engine,
    (url) => run(engine, LIST, HttpClientRequest.setUrl(engine.GET, url), onPage)
  )
  return {
    createUser: guarded(createUser(engine)),
    fetchUser: guarded(fetchUser(engine)),
    updateUser: guarded(updateUser(engine)),
    deleteUser: guarded(deleteUser(engine)),
    listUser: guarded(listUser(engine, paginator)),
    nextPage: guarded(paginator.nextPage),
    streamUsers: (serviceSid, options) => {
      try {
        return paginator.stream(serviceSid, options)
      } catch (e) {
        return Stream.fail(unreadable(e))
      }
    }
  }
}
