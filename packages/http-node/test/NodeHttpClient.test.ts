/**
 * The generic path of `NodeHttpClient`: `execute`, as any `HttpClient` user (and `@effect-twilio/chat` on a
 * `TestClock` or with a `transformClient`) calls it, against a server on 127.0.0.1: the shared contract, and the
 * options of its agents.
 */
import { NodeHttpClient } from "@effect-twilio/http-node"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Contract from "../../../test-support/http-layer-contract.js"

Contract.httpLayerContract("NodeHttpClient", NodeHttpClient.layer, {
  releasable: NodeHttpClient.layerWith({ connections: 2, keepAliveTimeout: "1 minute" }),
  maxSequentialConnections: 1
})

describe("NodeHttpClient's agents", () => {
  const server = Contract.useContractServer()

  it.live("hold at most `connections` sockets per origin", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make({ connections: 2 })
      const before = server.connectionsOpened
      yield* Effect.forEach(
        Array.from({ length: 8 }, () => client.get(`${server.base}/chunks`)),
        (request) => Effect.flatMap(request, (r) => r.text),
        { concurrency: "unbounded" }
      )
      expect(server.connectionsOpened - before).toBe(2)
    }).pipe(Effect.scoped))

  it.live("close an idle socket after keepAliveTimeout", () =>
    Effect.gen(function*() {
      const client = yield* NodeHttpClient.make({ keepAliveTimeout: "50 millis" })
      yield* Effect.flatMap(client.get(`${server.base}/json`), (r) => r.text)
      for (let i = 0; i < 100 && server.sockets.size > 0; i++) yield* Effect.sleep(Duration.millis(10))
      expect(server.sockets.size).toBe(0)
    }).pipe(Effect.scoped))
})
