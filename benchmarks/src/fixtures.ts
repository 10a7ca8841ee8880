/**
 * The data every contender sees: one account, two services (a big one and a tenth of it), users rendered exactly as
 * Twilio renders them. The server answers from these bodies; the decode benchmark parses the same page.
 */
export const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
export const AUTH_TOKEN = "bench-auth-token"
export const TWILIO_ORIGIN = "https://chat.twilio.com"
/** The service fetched per call and streamed at full size. */
export const SERVICE_BIG = "IS000000000000000000000000000000b1"
/** The same, a tenth of the size: peak RSS must not grow with the number of users streamed. */
export const SERVICE_SMALL = "IS000000000000000000000000000000a1"
export const PAGE_SIZE = 100
/** How many distinct users the per-call loops rotate through. */
export const FETCH_USERS = 100

const hex = (n: number) => n.toString(16).padStart(32, "0")
export const userSid = (i: number) => `US${hex(i)}`

const usersUrl = (service: string) => `${TWILIO_ORIGIN}/v2/Services/${service}/Users`

/** One user, in Twilio's snake_case JSON. On a list `is_online` and `is_notifiable` are `null`. */
export const userJson = (service: string, i: number, listed: boolean) => {
  const sid = userSid(i)
  const url = `${usersUrl(service)}/${sid}`
  return {
    sid,
    account_sid: ACCOUNT_SID,
    service_sid: service,
    attributes: i % 3 === 0 ? "{}" : `{"team":"team-${i % 17}","level":${i % 5},"tags":["a","b"]}`,
    friendly_name: i % 4 === 0 ? null : `User number ${i}`,
    role_sid: "RL0123456789abcdef0123456789abcdef",
    identity: `user-${i}@example.com`,
    is_online: listed ? null : i % 2 === 0,
    is_notifiable: listed ? null : false,
    date_created: "2016-03-24T21:05:19Z",
    date_updated: "2016-03-24T21:05:50Z",
    joined_channels_count: i % 11,
    links: {
      user_channels: `${url}/Channels`,
      user_bindings: `${url}/Bindings`
    },
    url
  }
}

/** Page `page` (0-based) of a service of `total` users, as Twilio answers it: absolute URLs on Twilio's host. */
export const pageJson = (service: string, total: number, page: number, pageSize: number = PAGE_SIZE) => {
  const first = page * pageSize
  const count = Math.max(0, Math.min(pageSize, total - first))
  const users = new Array(count)
  for (let k = 0; k < count; k++) users[k] = userJson(service, first + k, true)
  const pageUrl = (p: number) =>
    `${usersUrl(service)}?PageSize=${pageSize}&Page=${p}` + (p === 0 ? "" : `&PageToken=PT${p * pageSize}`)
  const last = first + count >= total
  return {
    users,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: pageUrl(0),
      previous_page_url: page === 0 ? null : pageUrl(page - 1),
      url: pageUrl(page),
      next_page_url: last ? null : pageUrl(page + 1),
      key: "users"
    }
  }
}

/** The same user as Conversations v1 renders it: `chat_service_sid`, no `joined_channels_count`, its own links. */
export const conversationsUserJson = (service: string, i: number) => {
  const { joined_channels_count: _count, links: _links, service_sid: _service, url: _url, ...rest } = userJson(
    service,
    i,
    false
  )
  const url = `https://conversations.twilio.com/v1/Services/${service}/Users/${rest.sid}`
  return { ...rest, chat_service_sid: service, links: { user_conversations: `${url}/Conversations` }, url }
}
