/** Node's global `fetch`, and `JSON.parse`. */
import { type Contender, HEADERS, rawContender } from "./common.js"

export const make = (origin: string): Contender =>
  rawContender("fetch", origin, async (url) => {
    const response = await fetch(url, { headers: HEADERS, redirect: "manual" })
    return { status: response.status, text: await response.text() }
  }, async () => {})
