/**
 * The minimal app of the start-up and bundle measurements: fetch one user with effect-twilio over
 * `@effect/platform-node`'s `NodeHttpClient.layerUndici`, configured from the environment. With BENCH_LOAD_ONLY=1 it
 * stops before sending anything.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { fetchOneUser } from "./fetchOneUser.js"

fetchOneUser(NodeHttpClient.layerUndici)
