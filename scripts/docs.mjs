#!/usr/bin/env node
// Generates the API reference of the published packages into docs/api (run as `pnpm run docs`; plain `pnpm docs`
// is a pnpm built-in):
//  1. @effect/docgen renders each module into packages/*/docs, type-checking and running every example it sees;
//  2. each page is rewritten for GitHub: a title heading instead of the Jekyll front matter (which GitHub shows as
//     text unless it opens the file), a line saying how to import the module, class signatures with what docgen
//     leaves out (the `extends` clause, the fields of `Schema` classes and errors, the static members such as
//     `ChatV2UserApi.layer`, each also in a section of its own, read from the sources with the TypeScript compiler
//     API), a section per method of an interface whose methods carry examples, `{@link X}` as links, and a table of
//     contents;
//  3. the examples of those static members and methods, which docgen does not see, are type-checked and run the
//     same way;
//  4. docs/api/README.md indexes every page, per package.
// docs/api is replaced only once all of this has succeeded.
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { makeSlugger } from "./markdown.mjs"

const root = resolve(import.meta.dirname, "..")
const ts = createRequire(join(root, "package.json"))("typescript")
// The published packages: those with a docgen.json (and not private).
const packages = readdirSync(join(root, "packages")).filter((dir) =>
  existsSync(join(root, "packages", dir, "docgen.json")) &&
  JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")).private !== true
).sort()
const outDir = join(root, "docs", "api")
// docgen runs the examples: keep live Twilio credentials of the caller's environment away from them.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TWILIO_")))
env.PATH = `${join(root, "node_modules", ".bin")}:${process.env.PATH}`

const WIDTH = 110

// ---------------------------------------------------------------------------------------------------------------
// Type text: one-line normalisation and a small line breaker for long signatures

const OPEN = { "(": ")", "[": "]", "{": "}", "<": ">" }

/** The top-level structure of `text`: `[index, char]` of each bracket, strings skipped, `=>` not a bracket. */
const brackets = (text) => {
  const found = []
  const stack = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "\"" || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++
      continue
    }
    if (c === "<" && !/[\w$.)\]>]/.test(text[i - 1] ?? "")) continue
    if (c in OPEN) {
      stack.push(c)
      found.push([i, c, stack.length])
    } else if (c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=" && stack.at(-1) === "<")) {
      found.push([i, c, stack.length])
      stack.pop()
    }
  }
  return found
}

/** `text` split at `separators` outside brackets and strings. */
const splitTop = (text, separators) => {
  const parts = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "\"" || c === "'" || c === "`") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++
      continue
    }
    if (c in OPEN && (c !== "<" || /[\w$.)\]>]/.test(text[i - 1] ?? ""))) depth++
    else if (c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=" && depth > 0)) depth--
    else if (depth === 0 && separators.includes(c)) {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(text.slice(start).trim())
  return parts.filter((p) => p !== "")
}

/** Source or checker type text on one line: whitespace collapsed, no trailing separators, `{ a; }` as `{ a }`. */
const oneLine = (text) =>
  text.replace(/\s+/g, " ")
    .replace(/([([<]) /g, "$1")
    .replace(/ ([)\]>])/g, "$1")
    .replace(/[,;] ?([)\]}>])/g, (_, close) => close === "}" ? " }" : close)
    .replace(/\{(?=\S)(?!\})/g, "{ ")
    .replace(/(\S)\}/g, "$1 }")
    .trim()

/** `text` (one line) broken into lines of at most WIDTH where it can be, prettier-like: outermost group first. */
const breakLines = (text, indent = "") => {
  if ((indent + text).length <= WIDTH) return [indent + text]
  const found = brackets(text)
  const first = found.find(([i, c, depth]) => depth === 1 && c in OPEN && i > 0)
  if (first === undefined) return [indent + text]
  const [open, opener] = first
  const close = found.find(([i, c, depth]) => i > open && depth === 1 && c === OPEN[opener])
  if (close === undefined) return [indent + text]
  const inner = text.slice(open + 1, close[0])
  const items = splitTop(inner, opener === "{" ? ";," : ",")
  const lines = [indent + text.slice(0, open + 1)]
  items.forEach((item, k) => {
    const separator = opener === "{" || k === items.length - 1 ? "" : ","
    lines.push(...breakLines(item + separator, indent + "  "))
  })
  lines.push(...breakLines(text.slice(close[0]), indent))
  return lines
}

// ---------------------------------------------------------------------------------------------------------------
// TSDoc

/** The description and tags of the last TSDoc comment of `node`. */
const tsdocOf = (node) => {
  const doc = (node.jsDoc ?? []).at(-1)
  if (doc === undefined) return { description: "", tags: [] }
  return {
    description: (ts.getTextOfJSDocComment(doc.comment) ?? "").trim(),
    tags: (doc.tags ?? []).map((tag) => ({
      name: tag.tagName.text,
      text: (ts.getTextOfJSDocComment(tag.comment) ?? "").trim()
    }))
  }
}
const tagValues = (doc, name) => doc.tags.filter((t) => t.name === name).map((t) => t.text)

/** The Markdown of an @example: its fenced block as written, or the code fenced as TypeScript. */
const exampleBlock = (text) => /^(`{3,}|~{3,})/.test(text) ? text : "```ts\n" + text + "\n```"
/** The code of an @example. */
const exampleCode = (text) => text.replace(/^(`{3,}|~{3,})[^\n]*\n/, "").replace(/\n?(`{3,}|~{3,})\s*$/, "")

/** The Markdown lines of a member section: description, signature, examples, version. */
const memberBody = (doc, signature, since) => {
  const lines = []
  if (doc.description !== "") lines.push(doc.description, "")
  lines.push("**Signature**", "", "```ts", ...signature, "```", "")
  for (const example of tagValues(doc, "example")) lines.push("**Example**", "", exampleBlock(example), "")
  const version = tagValues(doc, "since")[0] ?? since
  if (version !== undefined) lines.push(`Added in v${version}`)
  return lines
}

// ---------------------------------------------------------------------------------------------------------------
// What the sources say that docgen does not print

const isStatic = (member) => member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false
const isHidden = (member) =>
  (member.name !== undefined && ts.isPrivateIdentifier(member.name)) ||
  (member.modifiers?.some((m) =>
    m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword
  ) ?? false) ||
  tsdocOf(member).tags.some((t) => t.name === "internal")

/** A package's sources as a TypeScript program, with helpers to print what docgen leaves out. */
const analyse = (pkg) => {
  const dir = join(root, "packages", pkg)
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  })
  const srcDir = join(dir, "src")
  const program = ts.createProgram(config.fileNames.filter((f) => f.startsWith(srcDir + "/")), config.options)
  const checker = program.getTypeChecker()
  const isOurs = (node) => /\/packages\/[^/]+\/src\//.test(node.getSourceFile().fileName)

  // Fully qualified checker text, then `import("…/effect/dist/dts/Duration").Duration` as `Duration.Duration` (the
  // way the sources write it) and our own types by name.
  const typeText = (type) =>
    checker.typeToString(
      type,
      undefined,
      ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType |
        ts.TypeFormatFlags.WriteArrayAsGenericType
    ).replace(/import\("([^"]+)"(?:, \{ with: \{[^}]*\} \})?\)\./g, (_, path) => {
      const effect = /\/(?:effect|@effect\/[\w-]+)\/dist\/dts\/(?:[\w/]+\/)?(\w+)$/.exec(path)
      return effect ? `${effect[1]}.` : ""
    })

  const sourceFile = (name) => program.getSourceFile(join(srcDir, name))

  /** The signature of a static member, as written in the sources when they give every type, else the checker's. */
  const staticSignature = (member, source) => {
    const modifiers = (member.modifiers ?? []).filter((m) => m.kind !== ts.SyntaxKind.Decorator).map((m) => m.getText())
      .filter((m) => m !== "public").join(" ")
    const name = member.name.getText()
    const fromFunction = (fn) => {
      if (fn.type === undefined || fn.parameters.some((p) => p.type === undefined)) return undefined
      const typeParameters = fn.typeParameters ? `<${fn.typeParameters.map((t) => t.getText()).join(", ")}>` : ""
      const parameters = fn.parameters.map((p) =>
        `${p.dotDotDotToken ? "..." : ""}${p.name.getText()}${
          p.questionToken || p.initializer ? "?" : ""
        }: ${p.type.getText()}`
      )
      return { typeParameters, parameters: parameters.join(", "), returns: fn.type.getText() }
    }
    if (ts.isMethodDeclaration(member)) {
      const f = fromFunction(member)
      if (f) return `${modifiers} ${name}${f.typeParameters}(${f.parameters}): ${f.returns}`
      const signature = checker.getSignatureFromDeclaration(member)
      return `${modifiers} ${name}${checker.signatureToString(signature, undefined, ts.TypeFormatFlags.NoTruncation)}`
    }
    if (ts.isPropertyDeclaration(member) && member.type !== undefined) {
      return `${modifiers} ${name}: ${member.type.getText()}`
    }
    if (ts.isPropertyDeclaration(member) && member.initializer && ts.isIdentifier(member.initializer)) {
      const local = member.initializer.text
      for (const statement of source.statements) {
        const fn = ts.isFunctionDeclaration(statement) && statement.name?.text === local
          ? statement
          : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.find((d) => d.name.getText() === local)?.initializer
          : undefined
        if (
          fn !== undefined && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn))
        ) {
          const f = fromFunction(fn)
          if (f) return `${modifiers} ${name}: ${f.typeParameters}(${f.parameters}) => ${f.returns}`
        }
        if (ts.isVariableStatement(statement)) {
          const d = statement.declarationList.declarations.find((v) => v.name.getText() === local)
          if (d?.type) return `${modifiers} ${name}: ${d.type.getText()}`
        }
      }
    }
    const symbol = checker.getSymbolAtLocation(member.name)
    return `${modifiers} ${name}: ${typeText(checker.getTypeOfSymbolAtLocation(symbol, member))}`
  }

  const isCallable = (node) => {
    if (ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) return true
    const symbol = node.name && checker.getSymbolAtLocation(node.name)
    return symbol !== undefined && checker.getTypeOfSymbolAtLocation(symbol, node).getCallSignatures().length > 0
  }

  /** The instance fields of a class that come from our sources (e.g. the fields of a `Schema.Class`), `_tag` first. */
  const fieldsOf = (decl) => {
    const symbol = checker.getSymbolAtLocation(decl.name)
    const instance = checker.getDeclaredTypeOfSymbol(symbol)
    const fields = []
    for (const property of checker.getPropertiesOfType(instance)) {
      const ours = (property.declarations ?? []).filter(isOurs)
      const type = checker.getTypeOfSymbolAtLocation(property, decl)
      const isTag = property.name === "_tag" && type.isStringLiteral()
      if (ours.length === 0 && !isTag) continue
      if (ours.some((d) => isStatic(d) || isHidden(d))) continue
      // A field of a `Schema` struct (a property of an object literal) is read-only in the class.
      const readonly = ours.some((d) => ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d)) ||
        ((ts.getCheckFlags?.(property) ?? 0) & (ts.CheckFlags?.Readonly ?? 0)) !== 0 ||
        (property.declarations ?? []).some((d) => (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) !== 0)
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0
      const method = ours.find((d) => ts.isMethodDeclaration(d))
      const text = method
        ? `${property.name}${
          checker.signatureToString(
            checker.getSignatureFromDeclaration(method),
            undefined,
            ts.TypeFormatFlags.NoTruncation
          )
        }`
        : `${readonly ? "readonly " : ""}${property.name}${optional ? "?" : ""}: ${typeText(type)}`
      const at = ours[0]
      fields.push({
        text,
        doc: at ? tsdocOf(at).description : "",
        order: isTag
          ? [-1, ""]
          : [at.getSourceFile().fileName === decl.getSourceFile().fileName ? 0 : 1, at.getSourceFile().fileName, at.pos]
      })
    }
    return fields.sort((a, b) =>
      a.order[0] - b.order[0] || a.order[1].localeCompare(b.order[1]) || (a.order[2] ?? 0) - (b.order[2] ?? 0)
    )
  }

  /**
   * The class's header as the sources format it, up to the `{` of its body, declared, with inline objects (the
   * fields of a `Schema` class, listed in the body instead) as `{ ... }`.
   */
  const headerOf = (decl, collapseObjects) => {
    const text = decl.getSourceFile().text
    const start = decl.getStart()
    const end = text.indexOf("{", (decl.heritageClauses?.at(-1) ?? decl.typeParameters ?? decl.name).end)
    const cuts = []
    const visit = (node) => {
      if (collapseObjects && ts.isObjectLiteralExpression(node)) cuts.push([node.getStart(), node.end])
      else ts.forEachChild(node, visit)
    }
    for (const clause of decl.heritageClauses ?? []) visit(clause)
    let header = ""
    let at = start
    for (const [from, to] of cuts) {
      header += text.slice(at, from) + "{ ... }"
      at = to
    }
    header += text.slice(at, end)
    return header.trimEnd().replace(/^((?:export\s+)?(?:default\s+)?(?:abstract\s+)?)class\b/, "$1declare class")
      .split("\n").map((l) => l.trimEnd())
  }

  const comment = (text, indent) => {
    if (text === "") return []
    const lines = text.split("\n")
    if (lines.length === 1 && indent.length + text.length + 7 <= WIDTH) return [`${indent}/** ${text} */`]
    return [`${indent}/**`, ...lines.map((l) => `${indent} *${l === "" ? "" : " " + l}`), `${indent} */`]
  }

  /** What docgen leaves out of a class: its full signature, and a section per static member. */
  const classInfo = (file, name) => {
    const source = sourceFile(file)
    const decl = source?.statements.find((s) => ts.isClassDeclaration(s) && s.name?.text === name)
    if (decl === undefined) return undefined
    const statics = decl.members.filter((m) => isStatic(m) && !isHidden(m) && m.name !== undefined)
    const fields = fieldsOf(decl)
    const ownMembers = decl.members.filter((m) => !isStatic(m) && !isHidden(m) && !ts.isClassStaticBlockDeclaration(m))
    if (decl.heritageClauses === undefined && statics.length === 0) return undefined
    const body = [
      ...fields.flatMap((f) => [...comment(f.doc, "  "), ...breakLines(oneLine(f.text), "  ")]),
      ...ownMembers.filter((m) => ts.isConstructorDeclaration(m)).map((m) =>
        "  " + oneLine(m.getText().replace(/\{[\s\S]*\}$/, ""))
      )
    ]
    const members = statics.map((member) => {
      const signature = breakLines(oneLine(staticSignature(member, source)))
      return {
        name: `${name}.${member.name.getText()}`,
        kind: isCallable(member) ? "static method" : "static property",
        doc: tsdocOf(member),
        signature
      }
    })
    body.push(...members.flatMap((m) => m.signature.map((l) => "  " + l)))
    const header = headerOf(decl, fields.length > 0)
    const signature = body.length === 0
      ? [...header.slice(0, -1), `${header.at(-1)} {}`]
      : [...header.slice(0, -1), `${header.at(-1)} {`, ...body, "}"]
    return { signature, members }
  }

  /** For an interface whose members carry examples: its signature without their TSDoc, and a section per member. */
  const interfaceInfo = (file, name) => {
    const source = sourceFile(file)
    const decl = source?.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === name)
    if (decl === undefined) return undefined
    if (!decl.members.some((m) => tsdocOf(m).tags.some((t) => t.name === "example"))) return undefined
    const text = source.text
    const withoutDocs = (node, from) => {
      let out = ""
      let at = from
      const visit = (n) => {
        for (const doc of n.jsDoc ?? []) {
          out += text.slice(at, doc.pos)
          at = doc.end
        }
        ts.forEachChild(n, visit)
      }
      ts.forEachChild(node, visit)
      out += text.slice(at, node.end)
      return out.split("\n").filter((l) => l.trim() !== "")
    }
    const signature = withoutDocs(decl, decl.getStart())
    const members = decl.members.filter((m) => !isHidden(m) && m.name !== undefined).map((member) => {
      const lines = withoutDocs(member, member.getStart())
      const indent =
        (text.slice(text.lastIndexOf("\n", member.getStart()) + 1, member.getStart()).match(/^ */) ?? [""])[0].length
      return {
        name: `${name}.${member.name.getText()}`,
        kind:
          isCallable(member) || (ts.isPropertySignature(member) && member.type && ts.isFunctionTypeNode(member.type))
            ? "method"
            : "property",
        doc: tsdocOf(member),
        signature: [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(Math.min(indent, l.match(/^ */)[0].length)))]
      }
    })
    return { signature, members }
  }

  /** How `src/index.ts` exports each module: as a namespace (`export * as X`), or each export by name. */
  const exportsOfIndex = () => {
    const index = sourceFile("index.ts")
    const result = new Map()
    for (const statement of index?.statements ?? []) {
      if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue
      const module = statement.moduleSpecifier.text.replace(/^\.\//, "").replace(/\.js$/, ".ts")
      const entry = result.get(module) ?? { namespace: undefined, star: false }
      if (statement.exportClause && ts.isNamespaceExport(statement.exportClause)) {
        entry.namespace = statement.exportClause.name.text
      } else if (statement.exportClause === undefined) entry.star = true
      result.set(module, entry)
    }
    return result
  }

  return { classInfo, interfaceInfo, exportsOfIndex }
}

// ---------------------------------------------------------------------------------------------------------------
// docgen's pages

const fenceOf = (line) => /^\s*(`{3,}|~{3,})/.exec(line)?.[1]

/** A docgen page as its overview and categories of entries (heading, name, kind, Markdown lines). */
const parseDocgenPage = (markdown, where) => {
  let lines = markdown.replace(/\r\n/g, "\n").split("\n")
  // The front matter: docgen writes `---` … `---`, which its formatter turns into `***` … `---`.
  if (/^(---|\*\*\*)$/.test(lines[0].trim())) {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---")
    if (end < 0) throw new Error(`${where}: unterminated front matter`)
    lines = lines.slice(end + 1)
  }
  const blocks = []
  let current = { level: 0, text: "", lines: [] }
  let fence = null
  for (const line of lines) {
    const f = fenceOf(line)
    if (fence !== null) {
      if (f !== undefined && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null
      current.lines.push(line)
      continue
    }
    if (f !== undefined) fence = f
    const heading = fence === null ? /^(#{1,2}) (.*)$/.exec(line) : null
    if (heading || line.trim() === "<h2 class=\"text-delta\">Table of contents</h2>") {
      blocks.push(current)
      current = heading
        ? { level: heading[1].length, text: heading[2].trim(), lines: [] }
        : { level: 2, text: "", toc: true, lines: [] }
    } else {
      current.lines.push(line)
    }
  }
  blocks.push(current)
  const trim = (ls) => {
    const out = [...ls]
    while (out.length > 0 && (out[0].trim() === "" || out[0].trim() === "---")) out.shift()
    while (out.length > 0 && (out.at(-1).trim() === "" || out.at(-1).trim() === "---")) out.pop()
    return out
  }
  const overview = blocks.find((b) => b.level === 2 && / overview$/.test(b.text))
  if (overview === undefined) throw new Error(`${where}: no "## … overview" section (has docgen's format changed?)`)
  const categories = []
  for (const block of blocks) {
    if (block.level === 1) categories.push({ name: block.text, entries: [] })
    else if (block.level === 2 && block !== overview && !block.toc) {
      if (categories.length === 0) throw new Error(`${where}: entry "${block.text}" outside a category`)
      const m = /^(.*?)(?: \(([a-z ]+)\))?$/.exec(block.text)
      categories.at(-1).entries.push({
        heading: block.text,
        name: m[1],
        kind: m[2] ?? "value",
        lines: trim(block.lines),
        members: []
      })
    }
  }
  return { overview: trim(overview.lines), categories }
}

/** Replaces the code block after `**Signature**` in `lines`. */
const replaceSignature = (lines, signature) => {
  const at = lines.indexOf("**Signature**")
  const open = at < 0 ? -1 : lines.findIndex((l, i) => i > at && fenceOf(l) !== undefined)
  if (open < 0) {
    return [
      "**Signature**",
      "",
      "```ts",
      ...signature,
      "```",
      "",
      ...lines.filter((l) => l !== "**Signature**")
    ]
  }
  const fence = fenceOf(lines[open])
  const close = lines.findIndex((l, i) => i > open && l.trim() === fence)
  return [...lines.slice(0, open), "```ts", ...signature, "```", ...lines.slice(close + 1)]
}

/** `{@link X}` and `{@link X label}` in prose as Markdown links (code blocks and code spans untouched). */
const resolveLinks = (lines, resolveName) => {
  let fence = null
  return lines.map((line) => {
    const f = fenceOf(line)
    if (fence !== null) {
      if (f !== undefined && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = null
      return line
    }
    if (f !== undefined) {
      fence = f
      return line
    }
    return line.split(/(`+[^`]*`+)/).map((part, i) =>
      i % 2 === 1 ?
        part :
        part.replace(/\{@link(?:code|plain)?\s+([^\s|}]+)\s*(?:\|\s*)?([^}]*)\}/g, (_, name, label) => {
          const text = label.trim() !== "" ? label.trim() : `\`${name}\``
          const target = resolveName(name)
          return target ? `[${text}](${target})` : text
        })
    ).join("")
  })
}

const firstSentence = (lines) => {
  const paragraph = []
  for (const l of lines) {
    if (l.trim() === "") break
    paragraph.push(l.trim())
  }
  const text = paragraph.join(" ")
  const m = /^(.*?[.!?])(?:\s+(?=[A-Z`(])|$)/.exec(text)
  return m ? m[1] : text
}

// ---------------------------------------------------------------------------------------------------------------
// Examples docgen does not see

const checkExamples = (pkg, examples) => {
  if (examples.length === 0) return
  const cwd = join(root, "packages", pkg)
  const dir = join(cwd, "docs", "member-examples")
  const projectName = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")).name
  const config = JSON.parse(readFileSync(join(cwd, "docgen.json"), "utf8"))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const escaped = projectName.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  const names = examples.map((example, i) => {
    const name = `${example.id.replace(/[^\w.-]+/g, "-")}-${i}`
    let code = example.code.replace(
      new RegExp(`from (['"])${escaped}(?:/(.*?))?\\1`, "g"),
      (_, __, path) => `from '../../src${path ? `/${path}` : ""}'`
    )
    if (code.includes("assert.")) code = `import * as assert from 'assert'\n${code}`
    writeFileSync(join(dir, `${name}.ts`), code + "\n")
    return name
  })
  writeFileSync(join(dir, "index.ts"), names.map((n) => `import './${n}'`).join("\n") + "\n")
  const tsconfig = join(dir, "tsconfig.json")
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: config.examplesCompilerOptions ?? {} }, null, 2))
  console.log(`--- ${pkg}: type-checking and running ${examples.length} example(s) of static members and methods`)
  try {
    execFileSync("tsc", ["--noEmit", "--project", tsconfig], { cwd, stdio: "inherit", env })
    execFileSync("tsx", ["--tsconfig", tsconfig, join(dir, "index.ts")], { cwd, stdio: "inherit", env })
  } catch {
    console.error(
      `The examples are in packages/${pkg}/docs/member-examples, named after their member:\n` +
        examples.map((e, i) => `  ${names[i]}.ts: the @example of ${e.id} in packages/${pkg}/src/${e.file}`).join("\n")
    )
    process.exit(1)
  }
  rmSync(dir, { recursive: true, force: true })
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

const pages = [] // { pkg, file (e.g. "ChatV2UserApi.ts"), page (e.g. "ChatV2UserApi.ts.md"), parsed, slugs }
const meta = new Map()

for (const pkg of packages) {
  const cwd = join(root, "packages", pkg)
  console.log(`--- docgen ${pkg}`)
  rmSync(join(cwd, "docs"), { recursive: true, force: true })
  try {
    execFileSync("docgen", [], { cwd, stdio: "inherit", env })
  } catch {
    console.error(`docgen failed in packages/${pkg} (see above); docs/api is left as it was.`)
    process.exit(1)
  }
  const info = analyse(pkg)
  const manifest = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8"))
  meta.set(pkg, { name: manifest.name, description: manifest.description ?? "", exports: info.exportsOfIndex() })
  const examples = []
  const modulesDir = join(cwd, "docs", "modules")
  for (const page of readdirSync(modulesDir).filter((f) => f.endsWith(".ts.md")).sort()) {
    const file = page.replace(/\.md$/, "")
    const parsed = parseDocgenPage(readFileSync(join(modulesDir, page), "utf8"), `packages/${pkg}/docs/modules/${page}`)
    const since = /^Added in v(.+)$/m.exec(parsed.overview.join("\n"))?.[1]
    for (const entry of parsed.categories.flatMap((c) => c.entries)) {
      const extra = entry.kind === "class"
        ? info.classInfo(file, entry.name)
        : entry.kind === "interface"
        ? info.interfaceInfo(file, entry.name)
        : undefined
      if (extra === undefined) continue
      entry.lines = replaceSignature(entry.lines, extra.signature)
      const entrySince = /^Added in v(.+)$/m.exec(entry.lines.join("\n"))?.[1] ?? since
      for (const member of extra.members) {
        entry.members.push({
          heading: `${member.name} (${member.kind})`,
          name: member.name,
          kind: member.kind,
          lines: memberBody(member.doc, member.signature, entrySince)
        })
        tagValues(member.doc, "example").forEach((example) =>
          examples.push({ id: member.name, file, code: exampleCode(example) })
        )
      }
    }
    pages.push({ pkg, file, page, parsed })
  }
  checkExamples(pkg, examples)
}

// Headings and their anchors, per page, in the order GitHub meets them.
const moduleName = (file) => file.replace(/\.ts$/, "")
for (const p of pages) {
  const slug = makeSlugger()
  p.titleSlug = slug(p.file)
  slug("Contents")
  for (const category of p.parsed.categories) {
    category.slug = slug(category.name)
    for (const entry of category.entries) {
      entry.slug = slug(entry.heading)
      for (const member of entry.members) member.slug = slug(member.heading)
    }
  }
}
const packageSlug = new Map(packages.map((pkg) => [pkg, makeSlugger()(meta.get(pkg).name)]))

/**
 * Where `{@link name}` in `self` (an entry or member of page `from`) points: the same page first, then the package,
 * then the others; another declaration of that name over `self` (the type of a schema of the same name, say).
 */
const resolverFor = (from, self) => (name) => {
  const candidates = [
    from,
    ...pages.filter((p) => p !== from && p.pkg === from.pkg),
    ...pages.filter((p) => p.pkg !== from.pkg)
  ]
  for (const p of candidates) {
    const hits = p.parsed.categories.flatMap((c) => c.entries).flatMap((entry) => [entry, ...entry.members])
      .filter((item) => item.name === name)
    const hit = hits.find((item) => item !== self) ?? hits[0]
    if (hit) {
      const prefix = p === from ? "" : p.pkg === from.pkg ? p.page : `../${p.pkg}/${p.page}`
      return `${prefix}#${hit.slug}`
    }
  }
  return undefined
}

const importLine = (p) => {
  const { name, exports } = meta.get(p.pkg)
  const how = exports.get(p.file)
  const entries = p.parsed.categories.flatMap((c) => c.entries)
  const values = entries.filter((e) => e.kind === "value" || e.kind === "class")
  if (how?.namespace) {
    const example = values.find((e) => e.name === "layer") ?? values[0] ?? entries[0]
    return `**Import:** \`import { ${how.namespace} } from "${name}"\`, then \`${how.namespace}.${
      example?.name ?? "…"
    }\` and so on.`
  }
  if (how?.star) {
    const namesake = entries.find((e) =>
      e.name === moduleName(p.file) && e.kind !== "type alias" && e.kind !== "interface"
    )
    const example = namesake ?? values[0]
    return example
      ? `**Import:** \`import { ${example.name} } from "${name}"\` (every export of this module is exported by name).`
      : `**Import:** \`import type { ${
        entries[0]?.name ?? "…"
      } } from "${name}"\` (every export of this module is exported by name).`
  }
  return `Not exported from \`${name}\`'s entry point.`
}

const render = (p) => {
  const { name } = meta.get(p.pkg)
  const toc = p.parsed.categories.flatMap((category) => [
    `- [${category.name}](#${category.slug})`,
    ...category.entries.flatMap((entry) => [
      `  - [${entry.heading}](#${entry.slug})`,
      ...entry.members.map((member) => `    - [${member.heading}](#${member.slug})`)
    ])
  ])
  const out = [
    `# ${p.file}`,
    "",
    `[API reference](../README.md) › [${name}](../README.md#${packageSlug.get(p.pkg)}) › ${p.file} ` +
    `([source](../../../packages/${p.pkg}/src/${p.file}))`,
    "",
    ...resolveLinks(p.parsed.overview, resolverFor(p, null)),
    "",
    importLine(p),
    "",
    "## Contents",
    "",
    ...toc,
    ""
  ]
  for (const category of p.parsed.categories) {
    out.push("---", "", `## ${category.name}`, "")
    for (const entry of category.entries) {
      out.push(`### ${entry.heading}`, "", ...resolveLinks(entry.lines, resolverFor(p, entry)), "")
      for (const member of entry.members) {
        out.push(`#### ${member.heading}`, "", ...resolveLinks(member.lines, resolverFor(p, member)), "")
      }
    }
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n"
}

const index = () => {
  const out = [
    "# API reference",
    "",
    "Every export of the published packages, generated from the TSDoc of their sources by `pnpm run docs`",
    "([scripts/docs.mjs](../../scripts/docs.mjs): `@effect/docgen`, which type-checks and runs every example, and the",
    "static members, fields and methods it leaves out). Do not edit these pages: change the TSDoc and regenerate.",
    "",
    ...packages.map((pkg) => `- [${meta.get(pkg).name}](#${packageSlug.get(pkg)}): ${meta.get(pkg).description}`),
    ""
  ]
  for (const pkg of packages) {
    const { name, description } = meta.get(pkg)
    const readme = existsSync(join(root, "packages", pkg, "README.md"))
      ? ` ([README](../../packages/${pkg}/README.md))`
      : ""
    out.push(`## ${name}`, "", `${description}${readme}`, "")
    for (const p of pages.filter((q) => q.pkg === pkg)) {
      const how = meta.get(pkg).exports.get(p.file)
      const as = how?.namespace ? ` (the namespace \`${how.namespace}\`)` : ""
      out.push(`- [${p.file}](${pkg}/${p.page})${as}: ${firstSentence(p.parsed.overview)}`)
      for (const category of p.parsed.categories) {
        const entries = p.parsed.categories.flatMap((c) => c.entries)
        const links = category.entries.flatMap((entry) => [
          entries.filter((e) => e.name === entry.name).length > 1 && entry.kind !== "value"
            ? `[\`${entry.name}\` (${entry.kind})](${pkg}/${p.page}#${entry.slug})`
            : `[\`${entry.name}\`](${pkg}/${p.page}#${entry.slug})`,
          ...entry.members.filter((m) => m.kind.startsWith("static")).map((m) =>
            `[\`${m.name}\`](${pkg}/${p.page}#${m.slug})`
          )
        ])
        out.push(`  - ${category.name}: ${links.join(", ")}`)
      }
    }
    out.push("")
  }
  return resolveLinks(out, () => undefined).join("\n").trimEnd() + "\n"
}

const output = new Map(pages.map((p) => [join(p.pkg, p.page), render(p)]))
output.set("README.md", index())

rmSync(outDir, { recursive: true, force: true })
for (const [path, content] of output) {
  mkdirSync(join(outDir, path, ".."), { recursive: true })
  writeFileSync(join(outDir, path), content)
}
console.log(
  `--- docs/api: ${output.size} pages (${pages.length} modules of ${packages.length} packages, and the index)`
)
