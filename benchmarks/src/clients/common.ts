/**
 * What every contender offers, and the pieces the raw contenders share.
 */
import { ACCOUNT_SID, AUTH_TOKEN, FETCH_USERS, PAGE_SIZE, SERVICE_BIG, TWILIO_ORIGIN, userSid } from "../fixtures.js"

export interface Contender {
  readonly name: string
  /** `n` calls of fetchUser, one after the other. */
  readonly sequential: (n: number) => Promise<void>
  /** `n` calls of fetchUser, `concurrency` at a time. */
  readonly concurrent: (n: number, concurrency: number) => Promise<void>
  /** Every user of `service`, page after page; answers how many. */
  readonly streamAll: (service: string) => Promise<number>
  readonly close: () => Promise<void>
}

export const AUTHORIZATION = "Basic " + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")
export const HEADERS = { authorization: AUTHORIZATION, accept: "application/json", "user-agent": "bench" }
export const userPath = (i: number) => `/v2/Services/${SERVICE_BIG}/Users/${userSid(i % FETCH_USERS)}`
export const firstPagePath = (service: string) => `/v2/Services/${service}/Users?PageSize=${PAGE_SIZE}`

/** Runs `n` tasks, `concurrency` at a time. */
export const pool = async (n: number, concurrency: number, task: (i: number) => Promise<unknown>) => {
  let next = 0
  const worker = async () => {
    while (next < n) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
}

export const rawContender = (
  name: string,
  origin: string,
  get: (url: string) => Promise<{ status: number; text: string }>,
  close: () => Promise<void>
): Contender => {
  const fetchOne = async (i: number) => {
    const { status, text } = await get(origin + userPath(i))
    if (status !== 200) throw new Error(`HTTP ${status}`)
    return JSON.parse(text)
  }
  return {
    name,
    sequential: async (n) => {
      for (let i = 0; i < n; i++) await fetchOne(i)
    },
    concurrent: (n, c) => pool(n, c, fetchOne),
    streamAll: async (service) => {
      let count = 0
      let url: string | null = origin + firstPagePath(service)
      while (url !== null) {
        const { status, text } = await get(url)
        if (status !== 200) throw new Error(`HTTP ${status}`)
        const page = JSON.parse(text) as { users: Array<unknown>; meta: { next_page_url: string | null } }
        count += page.users.length
        const next: string | null = page.meta.next_page_url
        url = next === null ? null : origin + next.slice(TWILIO_ORIGIN.length)
      }
      return count
    },
    close
  }
}
