import { FetchHttpClient } from "@effect/platform"
import * as Layer from "effect/Layer"
import { Emulator } from "../src/index.js"
import { conversationsContractSuite } from "./conversations-contract.js"

conversationsContractSuite(
  "ConversationsV1UserApi over Emulator.layer + FetchHttpClient (a real socket on 127.0.0.1)",
  (options) => Emulator.layerClient(options).pipe(Layer.provide(FetchHttpClient.layer)),
  true
)
