/**
 * The JSON form of every `Fault` (`{ "type": "status", "status": 503 }`, ...), as the admin API reads scripts: one
 * schema per constructor, with the constructor's options as fields, decoded into the fault the constructor makes.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Fault from "../Fault.js"
import { APIS, type FakeOperation, OPERATIONS } from "./types.js"

const Status = Schema.Int.pipe(Schema.between(200, 599))
const RetryAfter = Schema.Union(Schema.NonNegativeInt, Schema.String)
const AbsoluteUrl = Schema.String.pipe(
  Schema.filter((text) => URL.canParse(text), { message: () => "Expected an absolute URL" })
)

const kind = <const T extends string>(type: T) => Schema.Literal(type)

const StatusJson = Schema.Struct({
  type: kind("status"),
  status: Status,
  code: Schema.optional(Schema.NullOr(Schema.Int)),
  message: Schema.optional(Schema.String),
  retryAfter: Schema.optional(RetryAfter)
})
const RateLimitedJson = Schema.Struct({ type: kind("rateLimited"), retryAfter: Schema.optional(RetryAfter) })
const NotJsonJson = Schema.Struct({
  type: kind("notJson"),
  status: Schema.optional(Status),
  body: Schema.optional(Schema.String)
})
const ForeignNextPageJson = Schema.Struct({ type: kind("foreignNextPage"), origin: Schema.optional(AbsoluteUrl) })
const ResetJson = Schema.Struct({ type: kind("reset"), afterProcessing: Schema.optional(Schema.Boolean) })
const EnormousJson = Schema.Struct({
  type: kind("enormous"),
  bytes: Schema.optional(Schema.NonNegativeInt),
  contentLength: Schema.optional(Schema.Boolean)
})
const JsonJson = Schema.Struct({
  type: kind("json"),
  body: Schema.Unknown.pipe(
    Schema.filter((body: unknown): boolean => body !== undefined, { message: () => "Expected a JSON value" })
  ),
  status: Schema.optional(Status)
})
const RedirectJson = Schema.Struct({
  type: kind("redirect"),
  location: Schema.String,
  status: Schema.optional(Schema.Int.pipe(Schema.between(300, 399)))
})
const PassJson = Schema.Struct({ type: kind("pass") })
const HtmlBadGatewayJson = Schema.Struct({ type: kind("htmlBadGateway") })
const TruncatedJson = Schema.Struct({ type: kind("truncated") })
const StalledBodyJson = Schema.Struct({ type: kind("stalledBody") })

/** A delay wraps another fault (`then`, default `pass`), hence the recursion. */
interface DelayJson {
  readonly type: "delay"
  readonly millis: number
  readonly then?: FaultJson | undefined
}

/** A fault as JSON. */
export type FaultJson =
  | typeof StatusJson.Type
  | typeof RateLimitedJson.Type
  | typeof NotJsonJson.Type
  | typeof ForeignNextPageJson.Type
  | typeof ResetJson.Type
  | typeof EnormousJson.Type
  | typeof JsonJson.Type
  | typeof RedirectJson.Type
  | typeof PassJson.Type
  | typeof HtmlBadGatewayJson.Type
  | typeof TruncatedJson.Type
  | typeof StalledBodyJson.Type
  | DelayJson

const DelaySchema: Schema.Schema<DelayJson> = Schema.Struct({
  type: kind("delay"),
  millis: Schema.NonNegativeInt,
  then: Schema.optional(Schema.suspend((): Schema.Schema<FaultJson> => FaultSchema))
})

const FaultSchema: Schema.Schema<FaultJson> = Schema.Union(
  PassJson,
  StatusJson,
  RateLimitedJson,
  DelaySchema,
  NotJsonJson,
  ForeignNextPageJson,
  ResetJson,
  EnormousJson,
  JsonJson,
  RedirectJson,
  HtmlBadGatewayJson,
  TruncatedJson,
  StalledBodyJson
)

/** The body of `POST /__emulator/faults`: the operation, its script, and the API it is for (absent: both). */
export const FaultScript = Schema.Struct({
  operation: Schema.String.pipe(
    Schema.filter((name): name is FakeOperation => (OPERATIONS as ReadonlyArray<string>).includes(name), {
      message: (issue) => `Expected an operation: ${OPERATIONS.join(", ")}; got ${JSON.stringify(issue.actual)}`
    })
  ),
  faults: Schema.Array(FaultSchema),
  api: Schema.optional(Schema.Literal(...APIS))
})

/** The fault the constructor of `json` makes. */
export const toFault = (json: FaultJson): Fault.Fault => {
  switch (json.type) {
    case "pass":
      return Fault.pass
    case "htmlBadGateway":
      return Fault.htmlBadGateway
    case "truncated":
      return Fault.truncated
    case "stalledBody":
      return Fault.stalledBody
    case "status":
      return Fault.status(json.status, { code: json.code, message: json.message, retryAfter: json.retryAfter })
    case "rateLimited":
      return Fault.rateLimited({ retryAfter: json.retryAfter })
    case "delay":
      return Fault.delay(json.millis, json.then === undefined ? Fault.pass : toFault(json.then))
    case "notJson":
      return Fault.notJson({ status: json.status, body: json.body })
    case "foreignNextPage":
      return json.origin === undefined ? Fault.foreignNextPage() : Fault.foreignNextPage(json.origin)
    case "reset":
      return Fault.reset({ afterProcessing: json.afterProcessing })
    case "enormous":
      return Fault.enormous({ bytes: json.bytes, contentLength: json.contentLength })
    case "json":
      return Fault.json(json.body, { status: json.status })
    case "redirect":
      return Fault.redirect(json.location, { status: json.status })
  }
}
