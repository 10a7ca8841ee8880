/**
 * CSV as RFC 4180 has it: fields separated by commas, quoted with `"` when they hold a comma, a quote, a line break
 * or surrounding spaces, quotes doubled inside. Records are assembled from physical lines (a quoted field may span
 * several), so a reader keeps at most one record in memory.
 *
 * @internal
 */

/** A field as written: quoted only when it must be. */
export const field = (value: string): string =>
  /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

/** A record as one line of text (line breaks inside quoted fields stay as they are), without its terminator. */
export const row = (values: ReadonlyArray<string>): string => values.map(field).join(",")

/** Whether `text` leaves a quoted field open (an odd number of quotes): the record goes on on the next line. */
export const isOpen = (text: string): boolean => {
  let quotes = 0
  for (let i = text.indexOf("\""); i >= 0; i = text.indexOf("\"", i + 1)) quotes++
  return quotes % 2 === 1
}

/** The fields of one whole record, or the reason it is malformed. */
export const parseRecord = (text: string): ReadonlyArray<string> | { readonly error: string } => {
  const fields: Array<string> = []
  let i = 0
  while (true) {
    if (text[i] === "\"") {
      let value = ""
      let j = i + 1
      while (true) {
        const quote = text.indexOf("\"", j)
        if (quote < 0) return { error: "a quoted field is not closed" }
        value += text.slice(j, quote)
        if (text[quote + 1] === "\"") {
          value += "\""
          j = quote + 2
          continue
        }
        i = quote + 1
        break
      }
      fields.push(value)
      if (i < text.length && text[i] !== ",") {
        return { error: `unexpected ${JSON.stringify(text[i])} after a quoted field` }
      }
    } else {
      const comma = text.indexOf(",", i)
      const value = text.slice(i, comma < 0 ? text.length : comma)
      if (value.includes("\"")) return { error: "a quote inside an unquoted field" }
      fields.push(value)
      i = comma < 0 ? text.length : comma
    }
    if (i >= text.length) return fields
    i++ // the comma
  }
}
