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
import type { DeleteUserOptions, UserWriteOptions } from "../UserOptions.js"
import type { Api, Page, Scope } from "./api.js"
import { DEFAULT_SERVICE } from "./api.js"
import * as Attempt from "./attempt.js"
import type { ResolvedOptions } from "./config.js"
import type { DecodeResult } from "./decode.js"
import type { Answer } from "./errors.js"
import * as Errors from "./errors.js"
import * as Paginator from "./paginator.js"
import * as Redact from "./redact.js"
import * as Retry from "./retry.js"
import { REDACTOR, type Untyped } from "./typed.js"
import * as Validate from "./validate.js"
import * as Wire from "./wire.js"

/** The retry rules of one API's operations, named after it (`ChatV2UserApi.createUser`). */
export const rulesOf = (apiName: string) => {
  const FETCH: Retry.Rule<ReturnType<typeof Errors.userError>> = {
    name: `${apiName}.fetchUser`,
    idempotent: true,
    notFoundAfterLostAnswerIsSuccess: false,
    error: Errors.userError
  }
  const CREATE: Retry.Rule<ReturnType<typeof Errors.createError>> = {
    name: `${apiName}.createUser`,
    idempotent: false,
    notFoundAfterLostAnswerIsSuccess: false,
    error: Errors.createError
  }
  const LIST: Retry.Rule<ReturnType<typeof Errors.commonError>> = {
    name: `${apiName}.listUser`,
    idempotent: true,
    notFoundAfterLostAnswerIsSuccess: false,
    error: Errors.commonError
  }
  return {
    CREATE,
    FETCH,
    UPDATE: { ...FETCH, name: `${apiName}.updateUser` },
    DELETE: { ...FETCH, name: `${apiName}.deleteUser`, notFoundAfterLostAnswerIsSuccess: true },
    LIST
  }
}

/** The rules of one API. */
export type Rules = ReturnType<typeof rulesOf>

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

/** A POST of the form `body` to `url`. */
const postRequest = (engine: Engine, url: string, body: string): HttpClientRequest.HttpClientRequest =>
  HttpClientRequest.setBody(HttpClientRequest.setUrl(engine.POST, url), HttpBody.text(body, FORM))

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

/**
 * The operations of one API, over one engine: every method takes the scope (a service SID, or the default one);
 * the client's redactor rides along for the typed layer's messages.
 */
export type Operations<User, P extends Page<User>> = Untyped<User, P, Scope, DeleteUserOptions> & {
  readonly [REDACTOR]: Redact.Redactor
}

/** What one API's operations are built from: the engine, the API, its rules, its decoders and its paginator. */
interface Context<User, P extends Page<User>> {
  readonly engine: Engine
  readonly api: Api<User, P>
  readonly rules: Rules
  readonly onUser: Attempt.Decode<User>
  readonly paginator: Paginator.Paginator<User, P>
}

/** The scope's error: a service SID, or the default service where the API has one. */
const scopeInvalid = (api: Api<unknown, Page<unknown>>, scope: Scope): InvalidRequest | undefined => {
  if (!api.hasDefaultService) return Validate.serviceSid(scope)
  if (scope === DEFAULT_SERVICE) return undefined
  return Validate.serviceSid(scope) && defaultServiceAllowed()
}

/** The refusal of a scope where the default service is allowed: it says so. */
const defaultServiceAllowed = () =>
  new InvalidRequest({
    field: "serviceSid",
    message:
      "Expected a service SID (IS followed by 32 hex digits), or DefaultService for the account's default service"
  })

/** The service SID a span may carry: a valid one (never an identity or attributes, which are PII). */
const spanSid = (scope: Scope, invalid: InvalidRequest | undefined) =>
  invalid !== undefined || typeof scope !== "string" ? undefined : scope

/** What a URL is built from: the engine's base URL and the API's paths. */
interface Where {
  readonly engine: Engine
  readonly api: { readonly collectionPath: (scope: Scope) => string }
}

/** The URL of the users collection of a scope. */
const usersUrl = (c: Where, scope: Scope) => c.engine.baseUrl + c.api.collectionPath(scope)

/** The URL of one user, by SID or identity. */
const userUrl = (c: Where, scope: Scope, sid: string) => usersUrl(c, scope) + "/" + Wire.encodeSegment(sid)

/** `request` with the webhook header when asked for. */
const withWebhook = (
  request: HttpClientRequest.HttpClientRequest,
  enabled: "true" | "false" | undefined
): HttpClientRequest.HttpClientRequest =>
  enabled === undefined ? request : HttpClientRequest.setHeader(request, "x-twilio-webhook-enabled", enabled)

/** A create or update: `options` as a form, POSTed to `url` under `rule`, unless an argument was invalid. */
const write = <User, P extends Page<User>, E>(
  c: Context<User, P>,
  rule: Retry.Rule<E>,
  scope: Scope,
  invalid: InvalidRequest | undefined,
  body: () => readonly [url: string, form: string | InvalidRequest],
  options: UserWriteOptions | undefined
) => {
  const [url, form] = invalid === undefined ? body() : ["", invalid]
  const effect: Effect.Effect<User, E | Errors.AttemptError | InvalidRequest> = typeof form === "string"
    ? run(c.engine, rule, withWebhook(postRequest(c.engine, url, form), options?.xTwilioWebhookEnabled), c.onUser)
    : Effect.fail(form)
  return spanned(rule.name, spanSid(scope, invalid), effect)
}

/** `createUser`: `POST …/Users` with the identity; never retried once the request may have been processed. */
const createUser = <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["createUser"] =>
(
  scope,
  identity,
  options
) => {
  const invalid = scopeInvalid(c.api, scope) ?? Validate.identity(identity)
  const body = () => [usersUrl(c, scope), writeBody(identity, options)] as const
  return write(c, c.rules.CREATE, scope, invalid, body, options)
}

/** `updateUser`: `POST …/Users/{sid}` with the changed fields. */
const updateUser =
  <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["updateUser"] => (scope, sid, options) => {
    const invalid = scopeInvalid(c.api, scope) ?? Validate.userSid(sid)
    const body = () => [userUrl(c, scope, sid), writeBody(undefined, options)] as const
    return write(c, c.rules.UPDATE, scope, invalid, body, options)
  }

/** A fetch or delete: `request()` sent under `rule`, unless an argument was invalid. */
const atUser = <A, E>(
  engine: Engine,
  rule: Retry.Rule<E>,
  scope: Scope,
  invalid: InvalidRequest | undefined,
  request: () => HttpClientRequest.HttpClientRequest,
  decode: Attempt.Decode<A>
) => {
  const effect: Effect.Effect<A, E | Errors.AttemptError | InvalidRequest> = invalid
    ? Effect.fail(invalid)
    : run(engine, rule, request(), decode)
  return spanned(rule.name, spanSid(scope, invalid), effect)
}

/** `fetchUser`: `GET …/Users/{sid}`. */
const fetchUser = <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["fetchUser"] => (scope, sid) =>
  atUser(
    c.engine,
    c.rules.FETCH,
    scope,
    scopeInvalid(c.api, scope) ?? Validate.userSid(sid),
    () => HttpClientRequest.setUrl(c.engine.GET, userUrl(c, scope, sid)),
    c.onUser
  )

/** The validation of `deleteUser`'s options: Chat V2 takes none, Conversations the webhook header. */
const deleteOptionsInvalid = (
  api: Api<unknown, Page<unknown>>,
  options: DeleteUserOptions | undefined
): InvalidRequest | undefined =>
  api.deleteTakesWebhook
    ? Validate.options(options) ?? Validate.webhookEnabled(options?.xTwilioWebhookEnabled)
    : undefined

/** `deleteUser`: `DELETE …/Users/{sid}`, answered 204; the webhook header where the API takes it. */
const deleteUser =
  <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["deleteUser"] => (scope, sid, options) =>
    atUser(
      c.engine,
      c.rules.DELETE,
      scope,
      scopeInvalid(c.api, scope) ?? Validate.userSid(sid) ?? deleteOptionsInvalid(c.api, options),
      () =>
        withWebhook(
          HttpClientRequest.setUrl(c.engine.DELETE, userUrl(c, scope, sid)),
          c.api.deleteTakesWebhook ? options?.xTwilioWebhookEnabled : undefined
        ),
      onDeleted
    )

/** `listUser`: one page, `GET …/Users?PageSize=&Page=&PageToken=`. */
const listUser =
  <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["listUser"] => (scope, options) => {
    const invalid = scopeInvalid(c.api, scope) ?? Paginator.listOptionsInvalid(options, c.api.maxPageSize)
    if (invalid) return spanned(c.rules.LIST.name, undefined, Effect.fail(invalid))
    const query = Wire.listQuery(options ?? {})
    const url = usersUrl(c, scope) + (query === "" ? "" : "?" + query)
    return spanned(c.rules.LIST.name, spanSid(scope, undefined), c.paginator.first(scope, url))
  }

/** `streamUsers`: every user, lazily, once the arguments are valid. */
const streamUsers =
  <User, P extends Page<User>>(c: Context<User, P>): Operations<User, P>["streamUsers"] => (scope, options) => {
    try {
      const invalid = scopeInvalid(c.api, scope) ?? Paginator.streamOptionsInvalid(options, c.api.maxPageSize)
      return invalid ? Stream.fail(invalid) : c.paginator.stream(scope, options)
    } catch (e) {
      return Stream.fail(unreadable(e))
    }
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

/** Builds one API's operations over one engine. */
export const make = <User, P extends Page<User>>(engine: Engine, api: Api<User, P>): Operations<User, P> => {
  const rules = rulesOf(api.name)
  const onPage = decodeWith(api.decodePage, "page of users")
  const paginator = Paginator.make(
    api,
    engine.baseUrl,
    (url) => run(engine, rules.LIST, HttpClientRequest.setUrl(engine.GET, url), onPage)
  )
  const c: Context<User, P> = { engine, api, rules, onUser: decodeWith(api.decodeUser, "user"), paginator }
  return {
    createUser: guarded(createUser(c)),
    fetchUser: guarded(fetchUser(c)),
    updateUser: guarded(updateUser(c)),
    deleteUser: guarded(deleteUser(c)),
    listUser: guarded(listUser(c)),
    nextPage: guarded(paginator.nextPage),
    streamUsers: streamUsers(c),
    [REDACTOR]: engine.policy.redact
  }
}
