/** `@effect-twilio/http-undici` alone, bundled as a published build would be: its dependencies stay external. */
export * from "@effect-twilio/http-undici"
