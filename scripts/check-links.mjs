#!/usr/bin/env node
// Every relative link in the repository's Markdown resolves: the README.md files, docs/ (the generated API
// reference included) and every other Markdown file git tracks or would add (not the ignored ones).
//  - a path must name a file or directory that git tracks or would add (not dist/, node_modules/, ...);
//  - `#anchor` (alone, or after a Markdown file) must be a heading of the target, by GitHub's rules (lower case,
//    punctuation dropped, spaces as `-`, `-1`, `-2` for repeats), or an HTML `id`/`name`;
//  - `#L12` / `#L12-L20` after another file must be within its lines.
// Links with a scheme (https:, mailto:, ...) are not fetched. Fails with `file:line` for each broken link.
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync, statSync } from "node:fs"
import { dirname, extname, join, relative, resolve } from "node:path"
import { anchorsOf, proseLines } from "./markdown.mjs"

const root = resolve(import.meta.dirname, "..")
const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
  cwd: root,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024
}).split("\0").filter((f) => f !== "" && existsSync(join(root, f)))
const files = new Set(listed)
const directories = new Set([""])
for (const f of listed) {
  for (let d = dirname(f); d !== "." && !directories.has(d); d = dirname(d)) directories.add(d)
}
const markdown = listed.filter((f) => /\.(md|markdown)$/i.test(f)).sort()

const texts = new Map()
const textOf = (file) => {
  if (!texts.has(file)) texts.set(file, readFileSync(join(root, file), "utf8"))
  return texts.get(file)
}
const anchorCache = new Map()
const anchorsOfFile = (file) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(textOf(file)))
  return anchorCache.get(file)
}

/** The link destinations on a line of prose (code spans blanked), with their column. */
const destinations = (line) => {
  const text = line.replace(/(`+)(.+?)\1/g, (m) => " ".repeat(m.length))
  const found = []
  // inline links and images: [text](dest "title"), ![alt](<dest>)
  const inline = /\]\(\s*(<[^>]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g
  for (const m of text.matchAll(inline)) found.push(m[1].replace(/^<(.*)>$/, "$1"))
  // reference definitions: [id]: dest
  const definition = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(text)
  if (definition) found.push(definition[1].replace(/^<(.*)>$/, "$1"))
  // HTML: <a href="...">, <img src="...">
  for (const m of text.matchAll(/<[a-z][^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) found.push(m[1] ?? m[2])
  return found
}

const lineCount = (file) => textOf(file).split("\n").length

const check = (from, destination) => {
  if (/^[a-z][a-z0-9+.-]*:/i.test(destination) || destination.startsWith("//")) return null
  if (destination === "") return "empty link"
  const hash = destination.indexOf("#")
  const rawPath = (hash < 0 ? destination : destination.slice(0, hash)).replace(/\?.*$/, "")
  const anchor = hash < 0 ? null : destination.slice(hash + 1)
  let path
  try {
    path = decodeURIComponent(rawPath)
  } catch {
    return "malformed percent-encoding"
  }
  const target = path === ""
    ? from
    : relative(root, path.startsWith("/") ? join(root, path) : resolve(root, dirname(from), path))
  if (target.startsWith("..")) return `points outside the repository (${target})`
  const isFile = files.has(target)
  const isDirectory = directories.has(target.replace(/\/$/, "")) && existsSync(join(root, target)) &&
    statSync(join(root, target)).isDirectory()
  if (!isFile && !isDirectory) {
    return existsSync(join(root, target))
      ? `${target} is ignored by git (not in the repository)`
      : `${target} does not exist`
  }
  if (anchor === null || anchor === "" || isDirectory) return null
  let fragment
  try {
    fragment = decodeURIComponent(anchor)
  } catch {
    return "malformed percent-encoding in the anchor"
  }
  if (/\.(md|markdown)$/i.test(extname(target))) {
    const anchors = anchorsOfFile(target)
    if (anchors.has(fragment)) return null
    const near = [...anchors].find((a) => a.toLowerCase() === fragment.toLowerCase())
    return near !== undefined
      ? `no heading #${fragment} in ${target} (did you mean #${near}?)`
      : `no heading #${fragment} in ${target}`
  }
  const lines = /^L(\d+)(?:C\d+)?(?:-L(\d+)(?:C\d+)?)?$/.exec(fragment)
  if (lines) {
    const last = Math.max(Number(lines[1]), Number(lines[2] ?? 0))
    const count = lineCount(target)
    if (last > count) return `${target} has ${count} lines, not ${last}`
  }
  return null
}

const broken = []
let links = 0
for (const file of markdown) {
  for (const [line, index] of proseLines(textOf(file))) {
    for (const destination of destinations(line)) {
      links++
      const problem = check(file, destination)
      if (problem !== null) broken.push(`${file}:${index + 1}: ${destination}: ${problem}`)
    }
  }
}

if (broken.length > 0) {
  console.error(broken.join("\n"))
  console.error(`check-links: ${broken.length} broken link(s) of ${links} in ${markdown.length} Markdown files`)
  process.exit(1)
}
console.log(`check-links: all ${links} links in ${markdown.length} Markdown files resolve`)
