#!/usr/bin/env node
// Builds a package (the current directory) for publishing: ESM and .d.ts with tsc into dist/esm, then the same
// modules as CommonJS into dist/cjs (esbuild, file by file, no bundling) with the .d.ts copied beside them and a
// package.json that marks the folder as CommonJS. The published exports map (publishConfig) points at both.
import { execFileSync } from "node:child_process"
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"

const require = createRequire(import.meta.url)
const esbuild = require("esbuild")
const tsc = require.resolve("typescript/bin/tsc")

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]
  )

rmSync("dist", { recursive: true, force: true })
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" })

const esm = "dist/esm"
const cjs = "dist/cjs"
const files = walk(esm)
for (const file of files) {
  const target = join(cjs, relative(esm, file))
  mkdirSync(dirname(target), { recursive: true })
  if (file.endsWith(".d.ts")) {
    copyFileSync(file, target)
  } else if (file.endsWith(".js")) {
    esbuild.buildSync({
      entryPoints: [file],
      outfile: target,
      format: "cjs",
      platform: "node",
      target: "node18",
      bundle: false,
      sourcemap: false,
      logLevel: "warning"
    })
  }
}
writeFileSync(join(esm, "package.json"), JSON.stringify({ type: "module" }) + "\n")
writeFileSync(join(cjs, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n")
console.log(`built ${process.cwd()}: ${files.filter((f) => f.endsWith(".js")).length} modules, ESM and CommonJS`)
