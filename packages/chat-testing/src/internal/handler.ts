/**
 * The fake Twilio's HTTP behaviour, shared by the in-memory `HttpClient` and the emulator's server: recording,
 * faults, Basic auth, the five User operations and paging for both APIs (Chat V2 and Conversations v1, each by its
 * descriptor in `apis.ts`), and the admin API's requests handed to it (one router, `router.ts`, for all).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Admin from "./admin.js"
import { errorAnswer, internalError, json, notFound, unauthenticated } from "./answers.js"
import { API, type ApiDescriptor, type Origins, type Place } from "./apis.js"
import { applyFault, takeFault } from "./faults.js"
import * as Router from "./router.js"
import * as Store from "./store.js"
import type { Control, FakeRequest, FakeResponse, RecordedRequest } from "./types.js"

/**
 * What the handler needs besides the store: where the fake lives, which credentials it accepts, and the control API
 * the admin routes drive.
 */
export interface HandlerConfig extends Origins {
  readonly store: Store.Store
  readonly accountSid: string
  readonly authToken: string
  readonly apiKeySid: string
  readonly apiKeySecret: string
  readonly control: Control
}

type TwilioRoute = Extract<Router.Route, { _tag: "Twilio" }>

const FORM_TYPE = "application/x-www-form-urlencoded"
const DEFAULT_PAGE_SIZE = 50
const WEBHOOK_VALUES: ReadonlySet<string> = new Set(["true", "false"])

const problemAnswer = (problem: Store.Problem) => errorAnswer(problem.status, problem.code, problem.message)

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

/** The first value of each key, `+` and `%20` as a space. */
const paramsRecord = (text: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    if (!(key in out)) out[key] = value
  }
  return out
}

const bodyText = (body: FakeRequest["body"]): string => typeof body === "string" ? body : new TextDecoder().decode(body)

/** The username of a Basic `Authorization`, and whether the credentials are the fake's. */
const authenticate = (
  config: HandlerConfig,
  header: string | undefined
): { readonly username: string | null; readonly ok: boolean } => {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (match === null) return { username: null, ok: false }
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon < 0) return { username: decoded, ok: false }
  const username = decoded.slice(0, colon)
  const password = decoded.slice(colon + 1)
  const ok = (username === config.accountSid && password === config.authToken) ||
    (username === config.apiKeySid && password === config.apiKeySecret)
  return { username, ok }
}

const REDACTED = "[redacted]"
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"])

const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key in headers) out[key] = SECRET_HEADERS.has(key) ? REDACTED : headers[key]
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------------------------------------------

/** A routed request's context: the API it came by, its service, and where its users are rendered. */
interface At {
  readonly config: HandlerConfig
  readonly descriptor: ApiDescriptor
  readonly service: Store.ServiceRecord
  readonly place: Place
}

const render = (at: At, user: Store.UserRecord, listing: boolean) => at.descriptor.render(at.place, user, listing)

const writeFields = (form: Readonly<Record<string, string>>, creating: boolean): Store.WriteFields => ({
  identity: creating ? form.Identity : undefined,
  roleSid: form.RoleSid,
  attributes: form.Attributes,
  friendlyName: form.FriendlyName
})

const INTEGER = /^\d{1,15}$/

/** What a list asks for: the page size and number, and where its page token points. */
interface PageRequest {
  readonly pageSize: number
  readonly page: number
  readonly token: string | undefined
  readonly position: { readonly direction: Store.Direction; readonly seq: number } | undefined
}

/** The list's query read, or Twilio's 400 for a page size out of the API's range, a bad page or page token. */
const readPageRequest = (at: At, query: Readonly<Record<string, string>>): Either.Either<PageRequest, FakeResponse> => {
  const max = at.descriptor.maxPageSize
  const rawSize = query.PageSize
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : INTEGER.test(rawSize) ? Number(rawSize) : NaN
  if (!(pageSize >= 1 && pageSize <= max)) {
    return Either.left(errorAnswer(400, 20001, `Invalid PageSize: expected an integer from 1 to ${max}`))
  }
  const rawPage = query.Page
  const page = rawPage === undefined ? 0 : INTEGER.test(rawPage) ? Number(rawPage) : NaN
  if (!(page >= 0)) return Either.left(errorAnswer(400, 20001, "Invalid Page: expected an integer >= 0"))
  const token = query.PageToken
  const position = token === undefined ? undefined : Store.readPageToken(at.config.store, at.service.sid, token)
  if (token !== undefined && position === undefined) return Either.left(errorAnswer(400, 21481, "Invalid PageToken"))
  return Either.right({ pageSize, page, token, position })
}

/**
 * `start` and `end` bound the page in `users`: both in [0, users.length], whatever was deleted since the token was
 * issued (a token names a position, "after" or "before" a creation sequence, never a user that must exist).
 */
const pageBounds = (users: ReadonlyArray<Store.UserRecord>, request: PageRequest) => {
  const { pageSize, position } = request
  if (position === undefined) return { start: 0, end: Math.min(users.length, pageSize) }
  if (position.direction === "PA") {
    const start = Store.indexAfter(users, position.seq)
    return { start, end: Math.min(users.length, start + pageSize) }
  }
  const end = Store.indexAfter(users, position.seq - 1)
  return { start: Math.max(0, end - pageSize), end }
}

/** The page's `next_page_url` and `previous_page_url`, each with the token of its position, or `null`. */
const pageLinks = (at: At, request: PageRequest, start: number, end: number, base: string) => {
  const users = at.service.users
  const token = (direction: Store.Direction, seq: number) =>
    Store.pageToken(at.config.store, at.service.sid, direction, seq)
  // Next: after the page's last user; for an empty page with users after it (a "before" page whose users are all
  // gone), just before the first of those.
  const nextAfter = end >= users.length ? undefined : end > start ? users[end - 1].seq : users[end].seq - 1
  // Previous: before the page's first user; for an empty page past the end (its users deleted), just after the last
  // user left before it.
  const previousBefore = start === 0 || request.token === undefined
    ? undefined
    : start < users.length
    ? users[start].seq
    : users[start - 1].seq + 1
  return {
    next: nextAfter === undefined ? null : `${base}${request.page + 1}&PageToken=${token("PA", nextAfter)}`,
    previous: previousBefore === undefined
      ? null
      : `${base}${Math.max(0, request.page - 1)}&PageToken=${token("PB", previousBefore)}`
  }
}

const listUsers = (at: At, query: Readonly<Record<string, string>>): FakeResponse =>
  Either.match(readPageRequest(at, query), {
    onLeft: (refused) => refused,
    onRight: (request) => {
      const { end, start } = pageBounds(at.service.users, request)
      const base = `${at.place.collectionUrl}?PageSize=${request.pageSize}&Page=`
      const { next, previous } = pageLinks(at, request, start, end, base)
      const token = request.token
      return json(200, {
        users: at.service.users.slice(start, end).map((user) => render(at, user, true)),
        meta: {
          page: request.page,
          page_size: request.pageSize,
          first_page_url: `${base}0`,
          previous_page_url: previous,
          url: `${base}${request.page}` + (token === undefined ? "" : `&PageToken=${encodeURIComponent(token)}`),
          next_page_url: next,
          key: "users"
        }
      })
    }
  })

/** The context of a routed request, or `undefined` when its service does not exist. */
const resolve = (config: HandlerConfig, route: TwilioRoute): At | undefined => {
  const serviceSid = route.serviceSid ?? config.control.defaultServiceSid
  const service = Store.SERVICE_SID.test(serviceSid) ? config.store.services.get(serviceSid) : undefined
  if (service === undefined) return undefined
  const descriptor = API[route.api]
  return {
    config,
    descriptor,
    service,
    place: {
      accountSid: config.accountSid,
      serviceSid: service.sid,
      collectionUrl: descriptor.origin(config) + route.collectionPath
    }
  }
}

/** Fetch, update or delete of the user the path names. */
const onUser = (
  at: At,
  route: TwilioRoute,
  path: string,
  form: Readonly<Record<string, string>>,
  now: number
): FakeResponse => {
  const user = Store.findUser(at.service, route.user!)
  if (user === undefined) return notFound(path)
  if (route.operation === "fetchUser") return json(200, render(at, user, false))
  if (route.operation === "deleteUser") {
    Store.removeUser(at.service, user)
    return { _tag: "Answer", status: 204, headers: {}, body: "", truncated: false }
  }
  const fields = writeFields(form, false)
  const problem = Store.validateWrite(at.service, fields, false)
  if (problem !== undefined) return problemAnswer(problem)
  Store.patchUser(user, fields, now)
  return json(200, render(at, user, false))
}

/** Runs a routed, authenticated request against the store, with the time of `Clock`. */
const operate = (
  config: HandlerConfig,
  route: TwilioRoute,
  path: string,
  query: Readonly<Record<string, string>>,
  form: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>
): Effect.Effect<FakeResponse> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const at = resolve(config, route)
    if (at === undefined) return notFound(path)
    const webhook = headers["x-twilio-webhook-enabled"]
    if (webhook !== undefined && !WEBHOOK_VALUES.has(webhook) && at.descriptor.webhookOperations.has(route.operation)) {
      return errorAnswer(400, 20001, "Invalid X-Twilio-Webhook-Enabled: expected true or false")
    }
    switch (route.operation) {
      case "listUser":
        return listUsers(at, query)
      case "createUser": {
        const fields = writeFields(form, true)
        const problem = Store.validateWrite(at.service, fields, true)
        if (problem !== undefined) return problemAnswer(problem)
        return json(201, render(at, Store.insertUser(config.store, at.service, fields, now), false))
      }
      default:
        return onUser(at, route, path, form, now)
    }
  })

// ---------------------------------------------------------------------------------------------------------------
// The handler
// ---------------------------------------------------------------------------------------------------------------

/** `text` with the fake's secrets (credentials, page-token key) blanked out, for a log line. */
const scrub = (config: HandlerConfig, text: string): string => {
  let out = text
  try {
    for (const secret of [config.authToken, config.apiKeySecret, config.store.tokenKey]) {
      if (typeof secret === "string" && secret.length > 0) out = out.split(secret).join(REDACTED)
    }
  } catch {
    return "[unavailable]"
  }
  return out
}

/** What the log says of a defect: an `Error`'s stack (or name and message), never the value itself. */
const describeDefect = (config: HandlerConfig, defect: unknown): string => {
  try {
    return defect instanceof Error
      ? scrub(config, defect.stack ?? `${defect.name}: ${defect.message}`)
      : `a thrown ${defect === null ? "null" : typeof defect}`
  } catch {
    return "[unavailable]"
  }
}

/**
 * A bug of the fake (a thrown exception, a defect) answers Twilio's 500 (20500) instead of failing the caller's
 * fiber, and is logged (the defect only: no request, no credentials). Interruption stays interruption.
 */
const orInternalError = (
  config: HandlerConfig,
  self: Effect.Effect<FakeResponse>
): Effect.Effect<FakeResponse> =>
  Effect.catchAllCause(self, (cause) =>
    Cause.isInterrupted(cause)
      ? Effect.failCause(cause)
      : Effect.as(
        Effect.logError("The fake Twilio failed unexpectedly and answered 500 (20500)").pipe(
          Effect.annotateLogs(
            "defect",
            Option.match(Cause.dieOption(cause), {
              onNone: () => "[no defect]",
              onSome: (defect) => describeDefect(config, defect)
            })
          )
        ),
        internalError()
      ))

/** The request with lower-case header names, its query and (for a form) its fields, as the fake reads them. */
const parse = (request: FakeRequest) => {
  const headers: Record<string, string> = {}
  for (const key in request.headers) headers[key.toLowerCase()] = request.headers[key]
  const contentType = headers["content-type"]
  const form = contentType !== undefined && contentType.toLowerCase().startsWith(FORM_TYPE)
    ? paramsRecord(bodyText(request.body))
    : {}
  return { method: request.method.toUpperCase(), headers, query: paramsRecord(request.query), form }
}

/** An admin request: authenticated like Twilio's, neither recorded nor faulted. */
const answerAdmin = (
  config: HandlerConfig,
  request: FakeRequest,
  route: Admin.AdminRoute,
  authenticated: boolean
): Effect.Effect<FakeResponse> =>
  authenticated ? Admin.answer(config.control, route, bodyText(request.body)) : Effect.succeed(unauthenticated())

/** A request of Twilio's API: recorded, given the next scripted fault of its operation, authenticated, routed. */
const answerTwilio = (config: HandlerConfig, request: FakeRequest, routed: Router.Route, receivedAt: number) => {
  const { form, headers, method, query } = parse(request)
  const operation = routed._tag === "Twilio" ? routed.operation : null
  const api = routed._tag === "Twilio" ? routed.api : Router.apiOf(request.path)
  const auth = authenticate(config, headers["authorization"])
  const record: RecordedRequest = {
    operation,
    api,
    method,
    path: request.path,
    query,
    form,
    headers: redactHeaders(headers),
    username: auth.username,
    receivedAt
  }
  config.store.requests.push(record)

  const normal = Effect.suspend((): Effect.Effect<FakeResponse> => {
    if (!auth.ok) return Effect.succeed(unauthenticated())
    switch (routed._tag) {
      case "Twilio":
        return operate(config, routed, request.path, query, form, headers)
      case "MethodNotAllowed":
        return Effect.succeed(errorAnswer(405, 20004, "Method not allowed"))
      default:
        return Effect.succeed(notFound(request.path))
    }
  })
  const fault = api === null ? undefined : takeFault(config.store, operation, api)
  return fault === undefined ? normal : applyFault(fault, normal)
}

const answer = (config: HandlerConfig, request: FakeRequest): Effect.Effect<FakeResponse> =>
  Effect.flatMap(Clock.currentTimeMillis, (receivedAt): Effect.Effect<FakeResponse> => {
    const routed = Router.route(request.method.toUpperCase(), request.path)
    if (routed._tag === "Admin" || (routed._tag !== "Twilio" && routed.admin)) {
      const authorization = parse(request).headers["authorization"]
      return answerAdmin(config, request, routed, authenticate(config, authorization).ok)
    }
    return answerTwilio(config, request, routed, receivedAt)
  })

/**
 * Answers one HTTP request as Twilio would, after recording it and applying the next scripted fault. The single
 * entry point of the in-memory client and of the emulator; it never dies (see `orInternalError`).
 */
export const handle = (config: HandlerConfig) => (request: FakeRequest): Effect.Effect<FakeResponse> =>
  orInternalError(config, answer(config, request))
