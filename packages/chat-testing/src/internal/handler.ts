/**
 * The fake Twilio's HTTP behaviour, shared by the in-memory `HttpClient` and the emulator's server: recording,
 * faults, Basic auth, the five User operations and paging, and the admin API's requests handed to it (one router,
 * `router.ts`, for both).
 *
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Admin from "./admin.js"
import { errorAnswer, internalError, json, notFound, unauthenticated } from "./answers.js"
import { applyFault, takeFault } from "./faults.js"
import * as Router from "./router.js"
import * as Store from "./store.js"
import type { Control, FakeRequest, FakeResponse, RecordedRequest } from "./types.js"

/**
 * What the handler needs besides the store: where the fake lives, which credentials it accepts, and the control API
 * the admin routes drive.
 */
export interface HandlerConfig {
  readonly store: Store.Store
  readonly baseUrl: string
  readonly accountSid: string
  readonly authToken: string
  readonly apiKeySid: string
  readonly apiKeySecret: string
  readonly control: Control
}

const FORM_TYPE = "application/x-www-form-urlencoded"
const DEFAULT_PAGE_SIZE = 50
const MAX_PAGE_SIZE = 100

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

const writeFields = (form: Readonly<Record<string, string>>, creating: boolean): Store.WriteFields => ({
  identity: creating ? form.Identity : undefined,
  roleSid: form.RoleSid,
  attributes: form.Attributes,
  friendlyName: form.FriendlyName
})

const INTEGER = /^\d{1,15}$/

const listUsers = (
  config: HandlerConfig,
  service: Store.ServiceRecord,
  query: Readonly<Record<string, string>>
): FakeResponse => {
  const rawSize = query.PageSize
  const pageSize = rawSize === undefined ? DEFAULT_PAGE_SIZE : INTEGER.test(rawSize) ? Number(rawSize) : NaN
  if (!(pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) {
    return errorAnswer(400, 20001, `Invalid PageSize: expected an integer from 1 to ${MAX_PAGE_SIZE}`)
  }
  const rawPage = query.Page
  const page = rawPage === undefined ? 0 : INTEGER.test(rawPage) ? Number(rawPage) : NaN
  if (!(page >= 0)) return errorAnswer(400, 20001, "Invalid Page: expected an integer >= 0")
  const token = query.PageToken
  const position = token === undefined ? undefined : Store.readPageToken(config.store, service.sid, token)
  if (token !== undefined && position === undefined) return errorAnswer(400, 21481, "Invalid PageToken")

  // `start` and `end` bound the page in `users`: both in [0, users.length], whatever was deleted since the token
  // was issued (a token names a position, "after" or "before" a creation sequence, never a user that must exist).
  const users = service.users
  let start: number
  let end: number
  if (position === undefined) {
    start = 0
    end = Math.min(users.length, pageSize)
  } else if (position.direction === "PA") {
    start = Store.indexAfter(users, position.seq)
    end = Math.min(users.length, start + pageSize)
  } else {
    end = Store.indexAfter(users, position.seq - 1)
    start = Math.max(0, end - pageSize)
  }
  const slice = users.slice(start, end)

  const store = config.store
  const base = `${config.baseUrl}/v2/Services/${service.sid}/Users?PageSize=${pageSize}&Page=`
  // Next: after the page's last user; for an empty page with users after it (a "before" page whose users are all
  // gone), just before the first of those.
  const nextAfter = end >= users.length
    ? undefined
    : slice.length > 0
    ? slice[slice.length - 1].seq
    : users[end].seq - 1
  const next = nextAfter === undefined
    ? null
    : `${base}${page + 1}&PageToken=${Store.pageToken(store, service.sid, "PA", nextAfter)}`
  // Previous: before the page's first user; for an empty page past the end (its users deleted), just after the last
  // user left before it.
  const previousBefore = start === 0 || token === undefined
    ? undefined
    : start < users.length
    ? users[start].seq
    : users[start - 1].seq + 1
  const previous = previousBefore === undefined
    ? null
    : `${base}${Math.max(0, page - 1)}&PageToken=${Store.pageToken(store, service.sid, "PB", previousBefore)}`
  return json(200, {
    users: slice.map((user) => Store.userJson(config.baseUrl, config.accountSid, service, user, true)),
    meta: {
      page,
      page_size: pageSize,
      first_page_url: `${base}0`,
      previous_page_url: previous,
      url: `${base}${page}` + (token === undefined ? "" : `&PageToken=${encodeURIComponent(token)}`),
      next_page_url: next,
      key: "users"
    }
  })
}

/** Runs a routed, authenticated request against the store, with the time of `Clock`. */
const operate = (
  config: HandlerConfig,
  route: Extract<Router.Route, { _tag: "Twilio" }>,
  path: string,
  query: Readonly<Record<string, string>>,
  form: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>
): Effect.Effect<FakeResponse> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const service = Store.SERVICE_SID.test(route.serviceSid) ? config.store.services.get(route.serviceSid) : undefined
    if (service === undefined) return notFound(path)
    const webhook = headers["x-twilio-webhook-enabled"]
    const writing = route.operation === "createUser" || route.operation === "updateUser"
    if (writing && webhook !== undefined && webhook !== "true" && webhook !== "false") {
      return errorAnswer(400, 20001, "Invalid X-Twilio-Webhook-Enabled: expected true or false")
    }
    const render = (user: Store.UserRecord) => Store.userJson(config.baseUrl, config.accountSid, service, user, false)
    switch (route.operation) {
      case "listUser":
        return listUsers(config, service, query)
      case "createUser": {
        const fields = writeFields(form, true)
        const problem = Store.validateWrite(service, fields, true)
        if (problem !== undefined) return problemAnswer(problem)
        return json(201, render(Store.insertUser(config.store, service, fields, now)))
      }
      default: {
        const user = Store.findUser(service, route.user!)
        if (user === undefined) return notFound(path)
        if (route.operation === "fetchUser") return json(200, render(user))
        if (route.operation === "deleteUser") {
          Store.removeUser(service, user)
          return { _tag: "Answer", status: 204, headers: {}, body: "", truncated: false }
        }
        const fields = writeFields(form, false)
        const problem = Store.validateWrite(service, fields, false)
        if (problem !== undefined) return problemAnswer(problem)
        Store.patchUser(user, fields, now)
        return json(200, render(user))
      }
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
  const auth = authenticate(config, headers["authorization"])
  const record: RecordedRequest = {
    operation,
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
  const fault = takeFault(config.store, operation)
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
