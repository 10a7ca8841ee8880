/**
 * Client options over the fake's defaults.
 *
 * @internal
 */
import { ChatV2UserApi, type ChatV2UserApiOptions, ConversationsV1UserApi } from "@effect-twilio/chat"
import type * as Redacted from "effect/Redacted"

/** `overrides` over `defaults`, ignoring the options `overrides` leaves `undefined`. */
export const withOverrides = (
  defaults: ChatV2UserApiOptions,
  overrides: ChatV2UserApiOptions | undefined
): ChatV2UserApiOptions => {
  const merged: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value !== undefined) merged[key] = value
  }
  return merged as ChatV2UserApiOptions
}

/** The real client, pointed at a fake or an emulator with its credentials, `overrides` (a user's options) on top. */
export const clientFor = (
  target: { readonly accountSid: string; readonly authToken: Redacted.Redacted<string>; readonly baseUrl: string },
  overrides: ChatV2UserApiOptions | undefined
) =>
  ChatV2UserApi.make(
    withOverrides({ accountSid: target.accountSid, authToken: target.authToken, baseUrl: target.baseUrl }, overrides)
  )

/**
 * The real Conversations client over a fake or an emulator: its Conversations origin when it has one of its own (the
 * in-memory fake answers `conversations.twilio.com`), else its one origin.
 */
export const conversationsClientFor = (
  target: {
    readonly accountSid: string
    readonly authToken: Redacted.Redacted<string>
    readonly baseUrl: string
    readonly conversationsBaseUrl?: string | undefined
  },
  overrides: ChatV2UserApiOptions | undefined
) =>
  ConversationsV1UserApi.make(
    withOverrides({
      accountSid: target.accountSid,
      authToken: target.authToken,
      baseUrl: target.conversationsBaseUrl ?? target.baseUrl
    }, overrides)
  )
