#!/usr/bin/env node
// Type-checks every ```ts block of every README the repository tracks, as a module of its own inside the examples
// workspace (so its imports resolve as a user's would), with the repository's strict compiler options. The root
// README's Quick start is also run, against the packed emulator, by scripts/readme-install-check.mjs; its "Testing
// your code" example is examples/test/team-directory.test.ts, run by `pnpm test`.
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const require = createRequire(import.meta.url)
const tsc = require.resolve("typescript/bin/tsc", { paths: [join(root, "packages/chat")] })

const readmes = execFileSync("git", ["ls-files", "README.md", "*/README.md", "*/*/README.md"], { cwd: root })
  .toString()
  .split("\n")
  .filter((f) => f !== "" && !f.includes("node_modules"))

/** The ```ts blocks of a Markdown text, with the line each starts on. */
const blocks = (text) => {
  const out = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```ts") continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end].trim() !== "```") end++
    out.push({ line: start, code: lines.slice(start, end).join("\n") })
    i = end
  }
  return out
}

const dir = join(root, "examples", ".readme-snippets")
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
const files = []
for (const readme of readmes) {
  for (const { code, line } of blocks(readFileSync(join(root, readme), "utf8"))) {
    const name = `${readme.replace(/[/.]/g, "_")}_L${line}.ts`
    // Each snippet is a module of its own: its top-level names never clash with another's.
    writeFileSync(join(dir, name), `// ${readme}:${line}\n${code}\nexport {}\n`)
    files.push({ name, where: `${readme}:${line}` })
  }
}
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    extends: "../../tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noUnusedLocals: false,
      // The typings of `twilio` (shown in chat-testing's README) default-import `export =` modules.
      allowSyntheticDefaultImports: true
    },
    include: ["*.ts"]
  })
)
try {
  execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir, stdio: "pipe" })
  console.log(`check-readme-snippets: ${files.length} TypeScript snippets of ${readmes.length} READMEs type-check`)
} catch (error) {
  const output = `${error.stdout ?? ""}${error.stderr ?? ""}`
  console.error(output.replace(/^(\S+?\.ts)\((\d+),/gm, (_, file, l) => {
    const snippet = files.find((f) => file.endsWith(f.name))
    return snippet ? `${snippet.where} (+${Number(l) - 1}),` : `${relative(root, file)}(${l},`
  }))
  console.error("check-readme-snippets: a README snippet does not type-check (see above)")
  process.exitCode = 1
} finally {
  rmSync(dir, { recursive: true, force: true })
}
