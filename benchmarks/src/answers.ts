/**
 * The answers of the loopback server, rendered once before it listens: a user per path, and the pages of both
 * services. The in-memory `HttpClient` of the stages (`src/clients/memory.ts`) answers from the same bodies.
 */
import {
  conversationsUserJson,
  FETCH_USERS,
  PAGE_SIZE,
  pageJson,
  SERVICE_BIG,
  SERVICE_SMALL,
  userJson,
  userSid
} from "./fixtures.js"

export interface Answer {
  readonly status: number
  readonly body: Buffer
}

const render = (value: unknown) => Buffer.from(JSON.stringify(value))

/** Answers a request by its path and query (`?` and all, or ""), as Twilio would. */
export const make = (bigUsers: number, smallUsers: number): (path: string, search: string) => Answer => {
  const users = new Map<string, Answer>()
  for (let i = 0; i < FETCH_USERS; i++) {
    users.set(`/v2/Services/${SERVICE_BIG}/Users/${userSid(i)}`, {
      status: 200,
      body: render(userJson(SERVICE_BIG, i, false))
    })
    users.set(`/v1/Services/${SERVICE_BIG}/Users/${userSid(i)}`, {
      status: 200,
      body: render(conversationsUserJson(SERVICE_BIG, i))
    })
  }
  const pages = new Map<string, Array<Answer>>()
  for (const [service, total] of [[SERVICE_BIG, bigUsers], [SERVICE_SMALL, smallUsers]] as const) {
    const list: Array<Answer> = []
    for (let p = 0; p * PAGE_SIZE < total || p === 0; p++) {
      list.push({ status: 200, body: render(pageJson(service, total, p)) })
    }
    pages.set(`/v2/Services/${service}/Users`, list)
  }
  const notFound: Answer = {
    status: 404,
    body: render({ code: 20404, message: "The requested resource was not found", status: 404 })
  }
  return (path, search) => {
    const user = users.get(path)
    if (user !== undefined) return user
    const list = pages.get(path)
    if (list === undefined) return notFound
    const params = new URLSearchParams(search)
    const pageSize = Number(params.get("PageSize") ?? 50)
    return (pageSize === PAGE_SIZE ? list[Number(params.get("Page") ?? 0)] : undefined) ?? notFound
  }
}
