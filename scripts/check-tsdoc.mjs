#!/usr/bin/env node
// Every public export of the published packages has TSDoc with a sentence, an @example, @since and @category.
// (docgen enforces @since and @example on what it documents; this adds @category, and runs in a second.)
import { readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const ts = createRequire(join(root, "package.json"))("typescript")
const problems = []
for (const pkg of ["chat", "chat-testing", "http-undici"]) {
  const dir = join(root, "packages", pkg, "src")
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".ts") || name === "index.ts" || name === "bin.ts") continue
    const file = join(dir, name)
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
    for (const statement of source.statements) {
      const exported = ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export
      if (!exported || ts.isExportDeclaration(statement)) continue
      const names = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.map((d) => d.name.getText())
        : [statement.name?.getText() ?? "(anonymous)"]
      const tags = ts.getJSDocTags(
        ts.isVariableStatement(statement) ? statement.declarationList.declarations[0] : statement
      )
        .map((tag) => tag.tagName.text)
      if (tags.includes("internal")) continue
      const docs = statement.jsDoc ?? []
      const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("")
      const missing = ["example", "since", "category"].filter((t) => !tags.includes(t))
      if (text.trim() === "") missing.unshift("description")
      if (missing.length > 0) {
        problems.push(`packages/${pkg}/src/${name}: ${names.join(", ")} lacks ${missing.join(", ")}`)
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"))
  process.exit(1)
}
console.log("check-tsdoc: every public export has a description, @example, @since and @category")
