/**
 * The admin API under `/__emulator/`: JSON in and out, for a test in any language to create and reset services,
 * seed and read users, read the recorded requests and script faults, as `FakeTwilioChat`'s control API does.
 * Admin requests are authenticated like Twilio's, but neither recorded nor faulted.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { json } from "./answers.js"
import * as FaultJson from "./faultJson.js"
import type * as Router from "./router.js"
import type { Control, FakeResponse, StoredUser } from "./types.js"

/** A route of the admin API's path: an endpoint, or a path or method it does not have. */
export type AdminRoute =
  | Extract<Router.Route, { readonly _tag: "Admin" }>
  | Extract<Router.Route, { readonly _tag: "NotFound" | "MethodNotAllowed" }>

const failure = (status: number, message: string): FakeResponse => json(status, { status, message })

const NewService = Schema.Struct({ sid: Schema.optional(Schema.String), friendlyName: Schema.optional(Schema.String) })

const SeedUserJson = Schema.Struct({
  identity: Schema.String,
  friendlyName: Schema.optional(Schema.String),
  roleSid: Schema.optional(Schema.String),
  attributes: Schema.optional(
    Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  ),
  isOnline: Schema.optional(Schema.NullOr(Schema.Boolean)),
  isNotifiable: Schema.optional(Schema.NullOr(Schema.Boolean))
})

/** A list of users, `{ "users": [...] }`, or `{ "count": N }` generated users (`user-001`, ...). */
const Seed = Schema.Union(
  Schema.Array(SeedUserJson),
  Schema.Struct({ users: Schema.Array(SeedUserJson) }),
  Schema.Struct({ count: Schema.NonNegativeInt })
)

const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? "" : `${issue.path.join(".")}: `) + issue.message)
    .join("; ")

/** `body` parsed as JSON (an empty body as `{}`) and decoded by `schema`, or the 400 that says why not. */
const decodeBody = <A, I>(schema: Schema.Schema<A, I>, body: string): Either.Either<A, FakeResponse> => {
  let value: unknown
  try {
    value = body.trim() === "" ? {} : JSON.parse(body)
  } catch (error) {
    return Either.left(failure(400, `The body is not JSON: ${error instanceof Error ? error.message : error}`))
  }
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(value),
    (error) => failure(400, `Invalid body: ${describeIssues(error)}`)
  )
}

const withBody = <A, I>(
  schema: Schema.Schema<A, I>,
  body: string,
  f: (value: A) => Effect.Effect<FakeResponse>
): Effect.Effect<FakeResponse> => Either.match(decodeBody(schema, body), { onLeft: Effect.succeed, onRight: f })

const userJson = (user: StoredUser) => ({
  ...user,
  dateCreated: DateTime.formatIso(user.dateCreated),
  dateUpdated: DateTime.formatIso(user.dateUpdated)
})

/** `f` of the service, or 404 when the fake has no such service. */
const withService = (
  control: Control,
  serviceSid: string | undefined,
  f: (serviceSid: string) => Effect.Effect<FakeResponse>
): Effect.Effect<FakeResponse> =>
  Effect.flatMap(
    control.services,
    (services) =>
      serviceSid !== undefined && services.some((service) => service.sid === serviceSid)
        ? f(serviceSid)
        : Effect.succeed(failure(404, `No service ${serviceSid} in the emulator`))
  )

const refused = (error: { readonly message: string }) => Effect.succeed(failure(400, error.message))

const createService = (control: Control, body: string) =>
  withBody(
    NewService,
    body,
    (options) =>
      Effect.flatMap(control.services, (services) =>
        options.sid !== undefined && services.some((service) =>
            service.sid === options.sid
          )
          ? Effect.succeed(failure(409, `The service ${options.sid} exists already`))
          : control.createService(options).pipe(
            Effect.map((service) => json(201, service)),
            Effect.catchAll(refused)
          ))
  )

const seedUsers = (control: Control, serviceSid: string | undefined, body: string) =>
  withService(
    control,
    serviceSid,
    (sid) =>
      withBody(Seed, body, (seed) =>
        control.seedUsers(sid, "count" in seed ? seed.count : "users" in seed ? seed.users : seed).pipe(
          Effect.map((users) =>
            json(201, { users: users.map(userJson) })
          ),
          Effect.catchAll(refused)
        ))
  )

const injectFaults = (control: Control, body: string) =>
  withBody(FaultJson.FaultScript, body, (script) =>
    Effect.zipRight(
      control.injectFaults(script.operation, script.faults.map(FaultJson.toFault), { api: script.api }),
      Effect.map(control.pendingFaults, (pending) => json(200, { pending }))
    ))

const pending = (control: Control) => Effect.map(control.pendingFaults, (n) => json(200, { pending: n }))

/** The services, and which of them is the account's default Conversations service (`/v1/Users`). */
const services = (control: Control, status: number) =>
  Effect.map(control.services, (list) => json(status, { services: list, defaultServiceSid: control.defaultServiceSid }))

/** Answers an authenticated request of the admin API. */
export const answer = (control: Control, route: AdminRoute, body: string): Effect.Effect<FakeResponse> => {
  if (route._tag === "NotFound") return Effect.succeed(failure(404, "The emulator's admin API has no such path"))
  if (route._tag === "MethodNotAllowed") return Effect.succeed(failure(405, "Method not allowed on this path"))
  switch (route.endpoint) {
    case "listServices":
      return services(control, 200)
    case "createService":
      return createService(control, body)
    case "listUsers":
      return withService(
        control,
        route.serviceSid,
        (sid) => Effect.map(Effect.orDie(control.users(sid)), (users) => json(200, { users: users.map(userJson) }))
      )
    case "seedUsers":
      return seedUsers(control, route.serviceSid, body)
    case "listRequests":
      return Effect.map(control.requests, (requests) => json(200, { requests }))
    case "clearRequests":
      return Effect.as(control.clearRequests, json(200, { requests: [] }))
    case "listFaults":
      return pending(control)
    case "injectFaults":
      return injectFaults(control, body)
    case "clearFaults":
      return Effect.zipRight(control.clearFaults, pending(control))
    case "reset":
      return Effect.zipRight(control.reset, services(control, 200))
  }
}
