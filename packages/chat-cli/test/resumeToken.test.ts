import * as Either from "effect/Either"
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import * as ResumeToken from "../src/internal/resumeToken.js"

const point = new ResumeToken.ResumePoint({
  api: "chat",
  service: "IS" + "a".repeat(32),
  format: "csv",
  pageSize: 50,
  page: 12,
  pageToken: "PA1z_0123456789abcdef0123",
  skip: 50,
  last: "US" + "b".repeat(32),
  written: 650
})

/** A token with a valid checksum over any payload: what a forger would write. */
const forged = (payload: unknown): string => {
  const text = Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload)).toString("base64url")
  return `cu1.${text}.${createHash("sha256").update(text).digest("hex").slice(0, 8)}`
}

const refusal = (token: string): string => {
  const decoded = ResumeToken.decode(token)
  if (Either.isRight(decoded)) throw new Error(`accepted ${token}`)
  return decoded.left.message
}

describe("resume tokens", () => {
  it("round-trip: the decoded point is the encoded one, from shell-safe text", () => {
    const token = ResumeToken.encode(point)
    expect(token).toMatch(/^cu1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/)
    expect(ResumeToken.decode(token)).toEqual(Either.right(point))
    expect(ResumeToken.decode(` ${token}\n`)).toEqual(Either.right(point))
  })

  it("a first-page point (no page token, nothing written) round-trips too", () => {
    const first = new ResumeToken.ResumePoint({ ...point, page: 0, pageToken: null, skip: 0, last: null, written: 0 })
    expect(ResumeToken.decode(ResumeToken.encode(first))).toEqual(Either.right(first))
  })

  it("refuses a token cut short, edited or of another program, saying so", () => {
    const token = ResumeToken.encode(point)
    expect(refusal(token.slice(0, -3))).toContain("checksum does not match")
    expect(refusal(token.replace(/\.(.)/, ".x"))).toContain("checksum does not match")
    expect(refusal("eyJhIjoxfQ")).toContain("does not start with cu1.")
    expect(refusal("cu1.a.b.c")).toContain("malformed")
    expect(refusal("cu1." + "A".repeat(5000))).toContain("over 4096 characters")
  })

  it("refuses a well-formed token whose point is invalid, naming the field", () => {
    expect(refusal(forged("not json"))).toContain("holds no valid resume point")
    expect(refusal(forged({ ...ResumeToken.ResumePoint.make(point), pageSize: 1000 }))).toContain("pageSize")
    expect(refusal(forged({ ...ResumeToken.ResumePoint.make(point), service: "../../x" }))).toContain("service")
    expect(refusal(forged({ ...ResumeToken.ResumePoint.make(point), pageToken: "a b\nc" }))).toContain("pageToken")
    expect(refusal(forged({ ...ResumeToken.ResumePoint.make(point), skip: -1 }))).toContain("skip")
    expect(refusal(forged({ ...ResumeToken.ResumePoint.make(point), extra: 1 }))).toContain("extra")
    expect(refusal(forged({ __proto__: { api: "chat" } }))).toContain("holds no valid resume point")
  })
})
