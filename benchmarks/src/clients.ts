/**
 * The contenders by name. Each is loaded on demand, so a process that runs one of them (the streaming runs, which
 * measure peak RSS) loads only that client's code.
 */
import type { Contender } from "./clients/common.js"

export type { Contender } from "./clients/common.js"

export const CONTENDERS = ["undici", "fetch", "ours-fetch", "ours-undici", "ours-platform-node", "twilio"] as const
/** Streaming also measures the consumer's opt-in read-ahead. */
export const STREAM_CONTENDERS = [...CONTENDERS, "ours-undici-readahead"] as const
/** Per call also measures Conversations v1 on the same engine. */
export const PERCALL_CONTENDERS = [...CONTENDERS, "ours-conversations-undici"] as const
export type ContenderName = typeof STREAM_CONTENDERS[number] | typeof PERCALL_CONTENDERS[number]

export const LABELS: Record<ContenderName, string> = {
  undici: "raw `undici.request` + `JSON.parse` (floor)",
  fetch: "raw `fetch` + `JSON.parse`",
  "ours-fetch": "effect-twilio over `FetchHttpClient`",
  "ours-undici": "effect-twilio over `UndiciHttpClient`",
  "ours-platform-node": "effect-twilio over `NodeHttpClient.layerUndici` (`@effect/platform-node`)",
  twilio: "`twilio` 6.x",
  "ours-undici-readahead": "effect-twilio over `UndiciHttpClient`, read-ahead (`Stream.bufferChunks({ capacity: 1 })`)",
  "ours-conversations-undici": "effect-twilio `ConversationsV1UserApi` over `UndiciHttpClient`"
}

export const makeContender = async (name: ContenderName, origin: string): Promise<Contender> => {
  switch (name) {
    case "undici":
      return (await import("./clients/undici.js")).make(origin)
    case "fetch":
      return (await import("./clients/fetch.js")).make(origin)
    case "ours-fetch": {
      const [{ make }, FetchHttpClient] = await Promise.all([
        import("./clients/effect.js"),
        import("@effect/platform/FetchHttpClient")
      ])
      return make(name, origin, FetchHttpClient.layer)
    }
    case "ours-undici": {
      const [{ make }, { UndiciHttpClient }] = await Promise.all([
        import("./clients/effect.js"),
        import("@effect-twilio/http-undici")
      ])
      return make(name, origin, UndiciHttpClient.layer)
    }
    case "ours-platform-node": {
      const [{ make }, NodeHttpClient] = await Promise.all([
        import("./clients/effect.js"),
        import("@effect/platform-node/NodeHttpClient")
      ])
      return make(name, origin, NodeHttpClient.layerUndici)
    }
    case "ours-undici-readahead": {
      const [{ make }, { UndiciHttpClient }] = await Promise.all([
        import("./clients/effect.js"),
        import("@effect-twilio/http-undici")
      ])
      return make(name, origin, UndiciHttpClient.layer, true)
    }
    case "ours-conversations-undici": {
      const [{ make }, { UndiciHttpClient }] = await Promise.all([
        import("./clients/effect.js"),
        import("@effect-twilio/http-undici")
      ])
      return make(name, origin, UndiciHttpClient.layer, false, "conversations")
    }
    case "twilio":
      return (await import("./clients/twilio.js")).make(origin)
  }
}
