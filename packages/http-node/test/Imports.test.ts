/**
 * What loading the package loads: `node:http`, `node:https` and `node:stream` from Node, and only the few modules of
 * `effect` and `@effect/platform` the client needs; of `@effect-twilio/chat`, types only (its transport's key is
 * written out with `Symbol.for`).
 */
import { ChatTransport } from "@effect-twilio/chat"
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"

const SRC = Path.join(Path.dirname(Url.fileURLToPath(import.meta.url)), "..", "src")

const sources = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(Path.join(dir, entry.name)) : [Path.join(dir, entry.name)]
  )

/** The specifiers of the imports and re-exports that remain at run time (not `import type`). */
const runtimeImports = (file: string): Array<string> =>
  [...Fs.readFileSync(file, "utf8").matchAll(/^(?:import|export)(?! type)[^"=()]*?from "([^"]+)"/gm)].map((m) => m[1])

describe("the package's imports", () => {
  it("load no more than Node's http modules and a few modules of effect and @effect/platform", () => {
    const external = new Set(
      sources(SRC).flatMap(runtimeImports).filter((specifier) => !specifier.startsWith("."))
    )
    expect([...external].sort()).toEqual([
      "@effect/platform/HttpClient",
      "@effect/platform/HttpClientError",
      "@effect/platform/HttpClientResponse",
      "@effect/platform/UrlParams",
      "effect/Duration",
      "effect/Effect",
      "effect/Layer",
      "effect/Stream",
      "node:http",
      "node:https",
      "node:stream"
    ])
  })

  it("write @effect-twilio/chat's ChatTransport key as it is", () => {
    const written = Fs.readFileSync(Path.join(SRC, "NodeHttpClient.ts"), "utf8")
    const key = /Symbol\.for\("([^"]+)"\)/.exec(written)?.[1]
    expect(key).toBeDefined()
    expect(Symbol.for(key!)).toBe(ChatTransport.TypeId)
  })
})
