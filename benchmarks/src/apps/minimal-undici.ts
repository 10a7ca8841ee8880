/**
 * The minimal app of the start-up and bundle measurements: fetch one user with effect-twilio over `UndiciHttpClient`,
 * configured from the environment. With BENCH_LOAD_ONLY=1 it stops before sending anything.
 */
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import { fetchOneUser } from "./fetchOneUser.js"

fetchOneUser(UndiciHttpClient.layer)
