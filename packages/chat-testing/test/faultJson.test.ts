/**
 * The JSON forms of the admin API's faults: each decodes to exactly the fault its constructor makes (defaults
 * included), and malformed forms are refused.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Fault } from "../src/index.js"
import { FaultScript, toFault } from "../src/internal/faultJson.js"

const decode = (fault: unknown) =>
  Either.map(
    Schema.decodeUnknownEither(FaultScript, { onExcessProperty: "error" })({ operation: "listUser", faults: [fault] }),
    (script) => toFault(script.faults[0])
  )

const CASES: ReadonlyArray<readonly [unknown, Fault.Fault]> = [
  [{ type: "pass" }, Fault.pass],
  [{ type: "status", status: 503 }, Fault.status(503)],
  [
    { type: "status", status: 403, code: 50205, message: "User not allowed to set role", retryAfter: 2 },
    Fault.status(403, { code: 50205, message: "User not allowed to set role", retryAfter: 2 })
  ],
  [{ type: "status", status: 500, code: null }, Fault.status(500, { code: null })],
  [{ type: "rateLimited" }, Fault.rateLimited()],
  [
    { type: "rateLimited", retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" },
    Fault.rateLimited({ retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT" })
  ],
  [{ type: "delay", millis: 1500 }, Fault.delay(1500)],
  [{ type: "delay", millis: 10, then: { type: "status", status: 500 } }, Fault.delay(10, Fault.status(500))],
  [{ type: "notJson" }, Fault.notJson()],
  [{ type: "notJson", status: 500, body: "<<binary>>" }, Fault.notJson({ status: 500, body: "<<binary>>" })],
  [{ type: "htmlBadGateway" }, Fault.htmlBadGateway],
  [{ type: "truncated" }, Fault.truncated],
  [{ type: "foreignNextPage" }, Fault.foreignNextPage()],
  [
    { type: "foreignNextPage", origin: "https://attacker.example/x" },
    Fault.foreignNextPage("https://attacker.example")
  ],
  [{ type: "reset" }, Fault.reset()],
  [{ type: "reset", afterProcessing: true }, Fault.reset({ afterProcessing: true })],
  [{ type: "stalledBody" }, Fault.stalledBody],
  [{ type: "enormous" }, Fault.enormous()],
  [{ type: "enormous", bytes: 1024, contentLength: true }, Fault.enormous({ bytes: 1024, contentLength: true })],
  [{ type: "json", body: { sid: "US0" } }, Fault.json({ sid: "US0" })],
  [{ type: "json", body: "[[", status: 500 }, Fault.json("[[", { status: 500 })],
  [{ type: "json", body: null }, Fault.json(null)],
  [{ type: "redirect", location: "https://evil.example.com/v2" }, Fault.redirect("https://evil.example.com/v2")],
  [
    { type: "redirect", location: "https://evil.example.com/v2", status: 307 },
    Fault.redirect("https://evil.example.com/v2", { status: 307 })
  ]
]

const REFUSED: ReadonlyArray<unknown> = [
  { type: "explode" },
  {},
  { type: "status" },
  { type: "status", status: 99 },
  { type: "status", status: 503.5 },
  { type: "delay", millis: -1 },
  { type: "delay", millis: 10, then: { type: "explode" } },
  { type: "foreignNextPage", origin: "not a URL" },
  { type: "enormous", bytes: -1 },
  { type: "json" },
  { type: "redirect", location: "/x", status: 200 },
  { type: "reset", afterProcessing: "yes" },
  { type: "pass", extra: true }
]

describe("the JSON forms of faults", () => {
  for (const [json, fault] of CASES) {
    it(`${JSON.stringify(json)} is the constructor's fault`, () => {
      expect(decode(json)).toEqual(Either.right(fault))
    })
  }
  it("covers every constructor of Fault.ts", () => {
    const constructors = Object.keys(Fault).sort()
    expect(constructors).toEqual([
      "delay",
      "enormous",
      "foreignNextPage",
      "htmlBadGateway",
      "json",
      "notJson",
      "pass",
      "rateLimited",
      "redirect",
      "reset",
      "stalledBody",
      "status",
      "truncated"
    ])
    const types = new Set(CASES.map(([json]) => (json as { readonly type: string }).type))
    expect([...types].sort()).toEqual(constructors)
  })
  for (const json of REFUSED) {
    it(`refuses ${JSON.stringify(json)}`, () => {
      expect(Either.isLeft(decode(json))).toBe(true)
    })
  }
})

describe("the API a script is for", () => {
  const script = (api: unknown) =>
    Schema.decodeUnknownEither(FaultScript, { onExcessProperty: "error" })({
      operation: "createUser",
      faults: [{ type: "pass" }],
      ...(api === undefined ? {} : { api })
    })

  it("is either API, or absent (both)", () => {
    expect(Either.map(script("chat"), (s) => s.api)).toEqual(Either.right("chat"))
    expect(Either.map(script("conversations"), (s) => s.api)).toEqual(Either.right("conversations"))
    expect(Either.map(script(undefined), (s) => s.api)).toEqual(Either.right(undefined))
  })

  it("refuses anything else", () => {
    for (const api of ["voice", "", null, 1, ["chat"]]) expect(Either.isLeft(script(api))).toBe(true)
  })
})
