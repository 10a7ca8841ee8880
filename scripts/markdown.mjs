// Markdown helpers shared by scripts/docs.mjs and scripts/check-links.mjs: the anchors GitHub gives headings
// (github-slugger's rules), and a scan of the lines outside fenced code blocks.

/** The anchor GitHub gives a heading whose rendered text is `text`, before de-duplication. */
export const slug = (text) => text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-")

/** A slugger that de-duplicates as GitHub does within one file: `name`, `name-1`, `name-2`, ... */
export const makeSlugger = () => {
  const seen = new Map()
  return (text) => {
    const base = slug(text)
    let result = base
    while (seen.has(result)) {
      const n = seen.get(base) + 1
      seen.set(base, n)
      result = `${base}-${n}`
    }
    seen.set(result, 0)
    return result
  }
}

/** The text GitHub renders for a heading's Markdown: code spans verbatim, links as their text, no emphasis or HTML. */
export const headingText = (markdown) => {
  const codes = []
  let text = markdown.replace(/(`+)(.+?)\1/g, (_, __, code) => {
    codes.push(code.length > 2 && code.startsWith(" ") && code.endsWith(" ") ? code.slice(1, -1) : code)
    return `\uE000${codes.length - 1}\uE000`
  })
  text = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/\*\*|\*|~~/g, "")
    .replace(/(^|[^\p{L}\p{N}_])_+(?=\S)/gu, "$1")
    .replace(/(?<=\S)_+(?=[^\p{L}\p{N}_]|$)/gu, "")
    .replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'")
  return text.replace(/\uE000(\d+)\uE000/g, (_, i) => codes[Number(i)]).trim()
}

/**
 * The lines of `text` outside fenced code blocks (and outside a YAML front matter block at the very top), as
 * `[line, index]` pairs (index from 0).
 */
export const proseLines = (text) => {
  const lines = text.split(/\r?\n/)
  const result = []
  let fence = null
  let start = 0
  if (lines[0] === "---") {
    const end = lines.indexOf("---", 1)
    if (end > 0) start = end + 1
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]
    const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(line)
    if (fence !== null) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && m[2].trim() === "") fence = null
      continue
    }
    if (m && !(m[1][0] === "`" && m[2].includes("`"))) {
      fence = m[1]
      continue
    }
    result.push([line, i])
  }
  return result
}

/** The headings of `text` (ATX and setext), in order, as `{ text, level, line }` (line from 1). */
export const headingsOf = (text) => {
  const lines = proseLines(text)
  const headings = []
  for (let k = 0; k < lines.length; k++) {
    const [line, i] = lines[k]
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line)
    if (atx) {
      headings.push({ text: headingText(atx[2] ?? ""), level: atx[1].length, line: i + 1 })
      continue
    }
    const next = lines[k + 1]
    if (
      next !== undefined && next[1] === i + 1 && /^ {0,3}(=+|-+)[ \t]*$/.test(next[0]) && line.trim() !== "" &&
      !/^ {0,3}([-*+>|]|\d+[.)]\s|<)/.test(line) && !/^ {4}/.test(line)
    ) {
      headings.push({ text: headingText(line.trim()), level: next[0].trim()[0] === "=" ? 1 : 2, line: i + 1 })
      k++
    }
  }
  return headings
}

/** Every anchor a link can point to in `text`: the headings' slugs, and `id`s and `name`s of HTML elements. */
export const anchorsOf = (text) => {
  const slugger = makeSlugger()
  const anchors = new Set(headingsOf(text).map((h) => slugger(h.text)))
  for (const [line] of proseLines(text)) {
    for (const m of line.matchAll(/<[a-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      anchors.add(m[1] ?? m[2])
    }
  }
  return anchors
}
