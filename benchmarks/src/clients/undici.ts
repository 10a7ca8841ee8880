/** The floor: `undici.request` on a keep-alive agent, and `JSON.parse`. */
import * as Undici from "undici"
import { type Contender, HEADERS, rawContender } from "./common.js"

export const make = (origin: string): Contender => {
  const agent = new Undici.Agent()
  return rawContender("undici", origin, async (url) => {
    const { statusCode, body } = await Undici.request(url, { dispatcher: agent, headers: HEADERS })
    return { status: statusCode, text: await body.text() }
  }, () => agent.close())
}
