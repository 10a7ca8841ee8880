/**
 * The one-step `ChatTransport` that `UndiciHttpClient` carries: found by `@effect-twilio/chat` under its own key,
 * and an exchange that reads, limits and times out by itself, against servers on 127.0.0.1 (the shared contract).
 */
import { ChatTransport } from "@effect-twilio/chat"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as Effect from "effect/Effect"
import { Agent } from "undici"
import * as Contract from "../../../test-support/http-layer-contract.js"

/** The transport of an `UndiciHttpClient` over a fresh agent, the agent destroyed with the scope. */
const transport = Effect.map(
  Effect.acquireRelease(Effect.sync(() => new Agent()), (a) => Effect.promise(() => a.destroy())),
  (agent) => {
    const found = ChatTransport.fromHttpClient(UndiciHttpClient.make(agent))
    if (found === undefined) throw new Error("UndiciHttpClient carries no ChatTransport")
    return found
  }
)

Contract.transportContract("UndiciHttpClient", transport)
