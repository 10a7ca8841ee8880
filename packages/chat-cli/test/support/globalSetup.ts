import { rmSync } from "node:fs"
import { dirname } from "node:path"
import type { TestProject } from "vitest/node"
import { buildCli } from "./build.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled CLI: run it with `node <cli> ...`. */
    readonly cli: string
  }
}

export default async function setup(project: TestProject) {
  const cli = await buildCli()
  project.provide("cli", cli)
  return () => rmSync(dirname(cli), { recursive: true, force: true })
}
