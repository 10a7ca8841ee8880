/**
 * Scrubbing the credentials out of text that came from a server: a server (or a proxy in front of it) may echo
 * the request's `Authorization` header back in its error page.
 *
 * @internal
 */

/** Replaces every form of the configured secret in a text. */
export type Redactor = (text: string) => string

const REDACTED = "<redacted>"

const base64 = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  let binary = ""
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return btoa(binary)
}

/**
 * A redactor for the secret sent as `username:secret` in HTTP Basic auth: the secret itself, percent-encoded, in
 * base64, and the base64 of the whole pair (which covers the `Basic …` header value). Longer forms go first.
 */
export const make = (username: string, secret: string): Redactor => {
  const forms = [...new Set([base64(`${username}:${secret}`), base64(secret), secret, encodeURIComponent(secret)])]
    .filter((form) => form.length > 0)
    .sort((a, b) => b.length - a.length)
  return (text) => {
    let out = text
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED)
    }
    return out
  }
}
