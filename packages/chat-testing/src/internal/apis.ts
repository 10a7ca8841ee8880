/**
 * The two APIs the fake serves over one store, as data: Chat V2 Users and Conversations v1 Users. A descriptor says
 * which origin its URLs are on, how it renders a stored (API-neutral) user, its page-size limit and which operations
 * take `X-Twilio-Webhook-Enabled`; the router and the handler are written once against it.
 *
 * @internal
 */
import type * as Store from "./store.js"
import type { FakeApi, FakeOperation } from "./types.js"

/** The origins the fake writes in its answers' URLs, one per API (the emulator gives both its public URL). */
export interface Origins {
  readonly baseUrl: string
  readonly conversationsBaseUrl: string
}

/** Where a user is rendered: its account, its service, and the absolute URL of the collection it was reached by. */
export interface Place {
  readonly accountSid: string
  readonly serviceSid: string
  /** `{origin}{collection path}`, e.g. `https://conversations.twilio.com/v1/Users`. */
  readonly collectionUrl: string
}

export interface ApiDescriptor {
  readonly api: FakeApi
  /** The origin of the URLs this API answers. */
  readonly origin: (origins: Origins) => string
  /** `PageSize` is 1 to this (the spec's maximum). */
  readonly maxPageSize: number
  /** The operations that read `X-Twilio-Webhook-Enabled` (and refuse a value other than `true` or `false`). */
  readonly webhookOperations: ReadonlySet<FakeOperation>
  /** The user JSON, fields in Twilio's order; `listing` nulls the reachability fields, as a list does. */
  readonly render: (place: Place, user: Store.UserRecord, listing: boolean) => Record<string, unknown>
}

/** `2016-03-24T21:05:19Z`: ISO 8601 in UTC, to the second, as Twilio writes dates. */
export const isoSeconds = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

// Each representation is one object literal: a user is rendered per user of every page, and spreading shared parts
// in (tried) made rendering a user 4 to 5 times slower.

/** Chat V2: `service_sid`, `joined_channels_count`, links to the user's channels and bindings. */
const chat: ApiDescriptor = {
  api: "chat",
  origin: (origins) => origins.baseUrl,
  maxPageSize: 100,
  webhookOperations: new Set<FakeOperation>(["createUser", "updateUser"]),
  render: (place, user, listing) => {
    const url = `${place.collectionUrl}/${user.sid}`
    return {
      sid: user.sid,
      account_sid: place.accountSid,
      service_sid: place.serviceSid,
      role_sid: user.roleSid,
      identity: user.identity,
      attributes: user.attributes,
      is_online: listing ? null : user.isOnline,
      is_notifiable: listing ? null : user.isNotifiable,
      friendly_name: user.friendlyName,
      joined_channels_count: 0,
      date_created: isoSeconds(user.dateCreated),
      date_updated: isoSeconds(user.dateUpdated),
      links: { user_channels: `${url}/Channels`, user_bindings: `${url}/Bindings` },
      url
    }
  }
}

/**
 * Conversations v1: `chat_service_sid`, no `joined_channels_count`, a link to the user's conversations; the webhook
 * header on delete too; at most 50 users a page (the spec: "The default is 50, and the maximum is 50").
 */
const conversations: ApiDescriptor = {
  api: "conversations",
  origin: (origins) => origins.conversationsBaseUrl,
  maxPageSize: 50,
  webhookOperations: new Set<FakeOperation>(["createUser", "updateUser", "deleteUser"]),
  render: (place, user, listing) => {
    const url = `${place.collectionUrl}/${user.sid}`
    return {
      sid: user.sid,
      account_sid: place.accountSid,
      chat_service_sid: place.serviceSid,
      role_sid: user.roleSid,
      identity: user.identity,
      friendly_name: user.friendlyName,
      attributes: user.attributes,
      is_online: listing ? null : user.isOnline,
      is_notifiable: listing ? null : user.isNotifiable,
      date_created: isoSeconds(user.dateCreated),
      date_updated: isoSeconds(user.dateUpdated),
      url,
      links: { user_conversations: `${url}/Conversations` }
    }
  }
}

/** The descriptor of each API. */
export const API: Readonly<Record<FakeApi, ApiDescriptor>> = { chat, conversations }
