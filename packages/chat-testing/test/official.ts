/**
 * The official `twilio` package (6.2.0) pointed at an emulator: a `RequestClient` subclass sends every request for
 * `https://chat.twilio.com` to `baseUrl` instead (next pages follow the `next_page_url` the server gives) and keeps
 * the URIs it requested.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import twilio from "twilio"
import type RequestClient from "twilio/lib/base/RequestClient.js"
import { Emulator } from "../src/index.js"

/** Sends every request for `https://chat.twilio.com` to `baseUrl` instead, next pages included. */
export class EmulatorRequestClient extends twilio.RequestClient {
  readonly uris: Array<string> = []
  constructor(private readonly baseUrl: string) {
    super()
  }
  override request<TData>(options: RequestClient.RequestOptions<TData>) {
    const uri = options.uri.replace(/^https:\/\/chat\.twilio\.com(?=\/)/, this.baseUrl)
    this.uris.push(uri)
    return super.request<TData>({ ...options, uri })
  }
}

/** The official client with the emulator's account SID and auth token, sending to `baseUrl` (default its own). */
export const officialClient = (baseUrl?: string) =>
  Effect.map(Emulator, (emulator) => {
    const httpClient = new EmulatorRequestClient(baseUrl ?? emulator.baseUrl)
    const client = twilio(emulator.accountSid, Redacted.value(emulator.authToken), { httpClient })
    return { client, httpClient, users: client.chat.v2.services(emulator.serviceSid).users, emulator }
  })

/** What a promise of the official client rejects with (a `RestException`), or `undefined` when it resolves. */
export const rejection = (promise: () => Promise<unknown>) =>
  Effect.promise(() => promise().then(() => undefined, (error: any) => error))
