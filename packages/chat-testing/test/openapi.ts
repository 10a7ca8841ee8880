/**
 * Validators from Twilio's OpenAPI (`spec/chat-v2-users.openapi.json` and `spec/conversations-v1-users.openapi.json`,
 * OpenAPI 3.0.1) for responses and requests: `validatorsFor(file)`, bound to the Chat V2 spec in the plain exports
 * and to the Conversations v1 spec in `conversations`.
 *
 * OpenAPI 3.0 schemas are not JSON Schema: `nullable: true` becomes a `null` alternative, `$ref`s are inlined,
 * `format: "uri-map"` becomes an object of URI strings. Response schemas are read strictly: every declared field
 * must be present (Twilio always sends them all) and no undeclared field may appear.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"
import { readFileSync } from "node:fs"
import type { RecordedRequest } from "../src/index.js"

type Json = any

const COPIED = ["type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "format", "required"]

const ajv = new Ajv({ allErrors: true, strict: true })
addFormats.default(ajv)

const compiled = new Map<string, ValidateFunction<Json>>()
const validator = (key: string, schema: () => Json): ValidateFunction<Json> => {
  let validate = compiled.get(key)
  if (validate === undefined) {
    validate = ajv.compile(schema())
    compiled.set(key, validate)
  }
  return validate
}

const describeErrors = (errors: ReadonlyArray<ErrorObject> | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ")

/** Twilio's error body, which the spec does not describe: `{code, message, more_info, status}`. */
const ERROR_SCHEMA = {
  type: "object",
  required: ["message", "status"],
  properties: {
    code: { type: "integer" },
    message: { type: "string" },
    more_info: { type: "string", format: "uri" },
    status: { type: "integer" }
  },
  additionalProperties: false
}

export interface Operation {
  readonly operationId: string
  readonly template: string
  readonly method: string
  readonly spec: Json
  readonly params: Readonly<Record<string, string>>
}

const coerce = (schema: Json, value: string): unknown =>
  (schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value

/** The validators of one spec file of `spec/`. */
export const validatorsFor = (file: string) => {
  const spec: Json = JSON.parse(readFileSync(new URL(`../spec/${file}`, import.meta.url), "utf8"))
  const cached = (key: string, schema: () => Json) => validator(`${file} ${key}`, schema)

  const resolveRef = (ref: string): Json => {
    const path = ref.replace(/^#\//, "").split("/")
    let node: Json = spec
    for (const key of path) node = node[key.replace(/~1/g, "/").replace(/~0/g, "~")]
    return node
  }

  /** An OpenAPI 3.0 schema as JSON Schema; `strict` requires every declared property and forbids others. */
  const toJsonSchema = (schema: Json, strict: boolean): Json => {
    if (schema.$ref !== undefined) return toJsonSchema(resolveRef(schema.$ref), strict)
    const out: Json = {}
    for (const key of COPIED) if (key in schema) out[key] = schema[key]
    if (schema.format === "uri-map") {
      delete out.format
      out.additionalProperties = { type: "string", format: "uri" }
    }
    if (schema.properties !== undefined) {
      out.type ??= "object"
      out.properties = {}
      for (const [key, value] of Object.entries(schema.properties)) out.properties[key] = toJsonSchema(value, strict)
      if (strict) {
        out.required = Object.keys(schema.properties)
        out.additionalProperties = false
      }
    }
    if (schema.items !== undefined) out.items = toJsonSchema(schema.items, strict)
    if (schema.nullable === true) {
      out.type = [out.type, "null"]
      if (out.enum !== undefined) out.enum = [...out.enum, null]
    }
    return out
  }

  /** The spec's operation for a method and a raw path, with the decoded path parameters. */
  const findOperation = (method: string, rawPath: string): Operation | undefined => {
    const segments = rawPath.split("/")
    for (const [template, item] of Object.entries<Json>(spec.paths)) {
      const parts = template.split("/")
      if (parts.length !== segments.length) continue
      const params: Record<string, string> = {}
      let matches = true
      for (let i = 0; i < parts.length && matches; i++) {
        const name = /^\{(.+)\}$/.exec(parts[i])
        if (name !== null) params[name[1]] = decodeURIComponent(segments[i])
        else matches = parts[i] === segments[i]
      }
      const operation = item[method.toLowerCase()]
      if (matches && operation !== undefined) {
        return { operationId: operation.operationId, template, method: method.toUpperCase(), spec: operation, params }
      }
    }
    return undefined
  }

  /** Problems of a response, against the spec (success) or Twilio's error body (failure); empty when it conforms. */
  const checkResponse = (method: string, rawPath: string, status: number, body: string): Array<string> => {
    const operation = findOperation(method, rawPath)
    if (operation === undefined) return [`${method} ${rawPath} is not an operation of the spec`]
    const where = `${operation.operationId} ${status}`
    if (status >= 200 && status < 300) {
      const response = operation.spec.responses[String(status)]
      if (response === undefined) return [`${where}: the spec declares no ${status} answer`]
      const content = response.content?.["application/json"]
      if (content === undefined) {
        return body === ""
          ? []
          : [`${where}: the spec declares no body, got ${body.length} bytes`]
      }
      const validate = cached(`response ${where}`, () => toJsonSchema(content.schema, true))
      return validate(JSON.parse(body)) ? [] : [`${where}: ${describeErrors(validate.errors)}`]
    }
    const validate = validator("error", () => ERROR_SCHEMA)
    const parsed: Json = JSON.parse(body)
    if (!validate(parsed)) return [`${where}: ${describeErrors(validate.errors)}`]
    return parsed.status === status ? [] : [`${where}: the body's status is ${parsed.status}`]
  }

  const checkParameter = (where: string, parameter: Json, value: string): Array<string> => {
    const schema = toJsonSchema(parameter.schema, false)
    const validate = cached(`${where} ${parameter.in} ${parameter.name}`, () => schema)
    return validate(coerce(schema, value))
      ? []
      : [`${where}: ${parameter.in} ${parameter.name}: ${describeErrors(validate.errors)}`]
  }

  const parameterValue = (request: RecordedRequest, operation: Operation, parameter: Json): string | undefined =>
    parameter.in === "path"
      ? operation.params[parameter.name]
      : parameter.in === "query"
      ? request.query[parameter.name]
      : parameter.in === "header"
      ? request.headers[parameter.name.toLowerCase()]
      : undefined

  /** Problems of a form body against the operation's request body. */
  const checkForm = (request: RecordedRequest, operation: Operation): Array<string> => {
    const where = operation.operationId
    const body = operation.spec.requestBody?.content?.["application/x-www-form-urlencoded"]
    if (body === undefined) {
      return Object.keys(request.form).length > 0 ? [`${where}: a form body where the spec has none`] : []
    }
    const problems: Array<string> = []
    if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      problems.push(`${where}: content-type ${request.headers["content-type"]}`)
    }
    const validate = cached(
      `request ${where}`,
      () => ({ ...toJsonSchema(body.schema, false), additionalProperties: false })
    )
    if (!validate(request.form)) problems.push(`${where}: form ${describeErrors(validate.errors)}`)
    return problems
  }

  /**
   * Problems of a recorded request, against the spec's parameters and request body; empty when it conforms. Query
   * parameters and form fields the spec does not declare are problems too.
   */
  const checkRequest = (request: RecordedRequest): Array<string> => {
    const operation = findOperation(request.method, request.path)
    if (operation === undefined) return [`${request.method} ${request.path} is not an operation of the spec`]
    const where = operation.operationId
    const problems: Array<string> = []
    const parameters: ReadonlyArray<Json> = operation.spec.parameters ?? []
    for (const parameter of parameters) {
      const value = parameterValue(request, operation, parameter)
      if (value === undefined) {
        if (parameter.required === true) problems.push(`${where}: missing ${parameter.in} ${parameter.name}`)
        continue
      }
      problems.push(...checkParameter(where, parameter, value))
    }
    for (const key of Object.keys(request.query)) {
      if (!parameters.some((p) => p.in === "query" && p.name === key)) problems.push(`${where}: unknown query ${key}`)
    }
    return [...problems, ...checkForm(request, operation)]
  }

  /** Every response example of the spec: `[method, path, status, example]`. */
  const responseExamples = (): Array<readonly [string, string, string, unknown]> => {
    const out: Array<readonly [string, string, string, unknown]> = []
    for (const [template, item] of Object.entries<Json>(spec.paths)) {
      for (const [method, operation] of Object.entries<Json>(item)) {
        for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
          for (const example of Object.values<Json>(response.content?.["application/json"]?.examples ?? {})) {
            out.push([method.toUpperCase(), template.replace(/\{(\w+)\}/g, "$1"), status, example.value])
          }
        }
      }
    }
    return out
  }

  return { spec, toJsonSchema, findOperation, checkResponse, checkRequest, responseExamples }
}

export const { checkRequest, checkResponse, findOperation, responseExamples, spec, toJsonSchema } = validatorsFor(
  "chat-v2-users.openapi.json"
)

/** The validators of Conversations v1 Users. */
export const conversations = validatorsFor("conversations-v1-users.openapi.json")
