/**
 * Client options over the fake's defaults.
 *
 * @internal
 */
import type { ChatV2UserApiOptions } from "@effect-twilio/chat"

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
