#!/usr/bin/env node
// Every public export of the published packages has TSDoc with a sentence, an @example, @since and @category, and
// every public static member of an exported class (`ChatV2UserApi.layer`, ...) a sentence, an @example and @since.
// (docgen enforces @since and @example on what it documents, but not on static properties, which scripts/docs.mjs
// adds to the reference; this adds @category, and runs in a second.)
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const ts = createRequire(join(root, "package.json"))("typescript")
const problems = []
// The published packages: those with a docgen.json (and not private), as in scripts/docs.mjs.
const packages = readdirSync(join(root, "packages")).filter((dir) =>
  existsSync(join(root, "packages", dir, "docgen.json")) &&
  JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")).private !== true
).sort()
for (const pkg of packages) {
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
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          const modifiers = member.modifiers ?? []
          if (!modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue
          if (
            modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
          ) continue
          if (member.name === undefined || ts.isPrivateIdentifier(member.name)) continue
          const memberTags = ts.getJSDocTags(member).map((tag) => tag.tagName.text)
          if (memberTags.includes("internal")) continue
          const memberText = (member.jsDoc ?? []).map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("")
          const lacks = ["example", "since"].filter((t) => !memberTags.includes(t))
          if (memberText.trim() === "") lacks.unshift("description")
          if (lacks.length > 0) {
            problems.push(`packages/${pkg}/src/${name}: ${names[0]}.${member.name.getText()} lacks ${lacks.join(", ")}`)
          }
        }
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"))
  process.exit(1)
}
console.log(
  `check-tsdoc (${packages.join(", ")}): every public export has a description, @example, @since and @category, ` +
    "every public static member a description, @example and @since"
)
