/**
 * The fake's answers as values: JSON bodies, Twilio's error body and the errors every route may answer.
 *
 * @internal
 */
import type { FakeResponse } from "./types.js"

export const JSON_TYPE = "application/json; charset=utf-8"

/** Statuses whose answers carry no body (a `Response` refuses one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304])

/** `status` with `body` as JSON. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  _tag: "Answer",
  status,
  headers: { "content-type": JSON_TYPE, ...headers },
  body: JSON.stringify(body),
  truncated: false
})

/** Twilio's error body. A `null` code leaves `code` and `more_info` out. */
export const errorAnswer = (
  status: number,
  code: number | null,
  message: string,
  headers: Record<string, string> = {}
): FakeResponse =>
  json(
    status,
    code === null
      ? { message, status }
      : { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    headers
  )

/** Twilio's 404 for a path it does not have, or a resource that does not exist. */
export const notFound = (path: string): FakeResponse =>
  errorAnswer(404, 20404, `The requested resource ${path} was not found`)

/** Twilio's 401, with the challenge of Basic auth. */
export const unauthenticated = (): FakeResponse =>
  errorAnswer(401, 20003, "Authenticate", { "www-authenticate": "Basic realm=\"Twilio API\"" })

/** Twilio's answer when it fails unexpectedly. */
export const internalError = (): FakeResponse => errorAnswer(500, 20500, "An internal server error has occurred")
