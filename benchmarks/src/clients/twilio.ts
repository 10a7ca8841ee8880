/** The official `twilio` client, pointed at the loopback server. */
import * as Http from "node:http"
import twilio from "twilio"
import type RequestClient from "twilio/lib/base/RequestClient.js"
import { ACCOUNT_SID, AUTH_TOKEN, FETCH_USERS, PAGE_SIZE, SERVICE_BIG, TWILIO_ORIGIN, userSid } from "../fixtures.js"
import { type Contender, pool } from "./common.js"

export const make = (origin: string): Contender => {
  // As TWILIO.md describes: a RequestClient that sends Twilio's URLs (first and next pages) to the loopback server.
  // On https the official client uses a keep-alive agent; give its http twin the same.
  const Base: typeof RequestClient = twilio.RequestClient
  class LoopbackRequestClient extends Base {
    constructor() {
      super({ keepAlive: true })
      ;(this as unknown as { axios: { defaults: { httpAgent: unknown } } }).axios.defaults.httpAgent = new Http.Agent({
        keepAlive: true
      })
    }
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      return super.request<TData>({ ...opts, uri: opts.uri.replace(TWILIO_ORIGIN, origin) })
    }
  }
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new LoopbackRequestClient() })
  const service = (sid: string) => client.chat.v2.services(sid)
  const fetchOne = (i: number) => service(SERVICE_BIG).users(userSid(i % FETCH_USERS)).fetch()
  return {
    name: "twilio",
    sequential: async (n) => {
      for (let i = 0; i < n; i++) await fetchOne(i)
    },
    concurrent: (n, c) => pool(n, c, fetchOne),
    streamAll: (sid) =>
      new Promise<number>((resolve, reject) => {
        let count = 0
        service(sid).users.each({
          pageSize: PAGE_SIZE,
          callback: () => {
            count++
          },
          done: (error: unknown) => (error ? reject(error) : resolve(count))
        })
      }),
    close: async () => {}
  }
}
