/**
 * The modules of `src/` import one another without a cycle, type-only imports included: the internal modules take
 * their shared types from `internal/types.ts`, never from the public modules that import them.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const SRC = fileURLToPath(new URL("../src", import.meta.url))

const filesIn = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesIn(path) : path.endsWith(".ts") ? [path] : []
  })

/** The files of `src/` each file imports or re-exports from (relative specifiers, `.js` as `.ts`). */
const importGraph = (): ReadonlyMap<string, ReadonlyArray<string>> =>
  new Map(
    filesIn(SRC).map((file) => {
      const text = readFileSync(file, "utf8")
      const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)].map((m) => m[1])
      return [file, specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, ".ts")))]
    })
  )

/** Every cycle of `graph`, as the paths (relative to `src/`) around it. */
const cyclesOf = (graph: ReadonlyMap<string, ReadonlyArray<string>>): ReadonlyArray<string> => {
  const cycles: Array<string> = []
  const state = new Map<string, "open" | "done">()
  const stack: Array<string> = []
  const visit = (file: string) => {
    state.set(file, "open")
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") {
        cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f)).join(" -> "))
      } else if (!state.has(next)) visit(next)
    }
    state.set(file, "done")
    stack.pop()
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
  return cycles
}

describe("the imports of src/", () => {
  it("have no cycle", () => {
    const graph = importGraph()
    expect(graph.get(join(SRC, "internal", "handler.ts"))).toContain(join(SRC, "internal", "types.ts"))
    expect(cyclesOf(graph)).toEqual([])
  })

  it("keep the internal modules off the public ones, but Fault.ts and the bin's helpers' types", () => {
    const graph = importGraph()
    const internal = [...graph.keys()].filter((file) => file.includes(`${join(SRC, "internal")}/`))
    const publicImports = internal.flatMap((file) =>
      (graph.get(file) ?? []).filter((target) => !target.includes(`${join(SRC, "internal")}/`)).map((target) =>
        `${relative(SRC, file)} -> ${relative(SRC, target)}`
      )
    )
    expect(publicImports.filter((edge) => !/-> (Fault|Emulator)\.ts$/.test(edge))).toEqual([])
  })
})
