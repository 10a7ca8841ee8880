/**
 * The minimal app of the start-up and bundle measurements: fetch one user with effect-twilio over `NodeHttpClient`
 * (`node:http` / `node:https`), configured from the environment. With BENCH_LOAD_ONLY=1 it stops before sending
 * anything. (The benchmarks do not depend on `@effect-twilio/http-node` by name: its source is bundled from the
 * workspace, as its `exports` would resolve it.)
 */
import { NodeHttpClient } from "../../../packages/http-node/src/index.js"
import { fetchOneUser } from "./fetchOneUser.js"

fetchOneUser(NodeHttpClient.layer)
