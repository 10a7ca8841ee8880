/**
 * The minimal app of the start-up and bundle measurements: fetch one user with effect-twilio over `FetchHttpClient`,
 * configured from the environment. With BENCH_LOAD_ONLY=1 it stops before sending anything.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { fetchOneUser } from "./fetchOneUser.js"

fetchOneUser(FetchHttpClient.layer)
