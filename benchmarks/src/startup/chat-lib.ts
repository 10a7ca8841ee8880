/** Our package alone, bundled as a published build would be: `effect` and `@effect/platform` stay external. */
export * from "@effect-twilio/chat"
