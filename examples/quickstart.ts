/**
 * Quickstart: create a user, fetch it by identity, update its attributes, stream the service's users and delete
 * the user, printing each step.
 *
 * With Twilio credentials (`TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET`)
 * and `TWILIO_CHAT_SERVICE_SID` set, it talks to Twilio (or to `TWILIO_CHAT_BASE_URL`, e.g. a `pnpm emulator`).
 * With none of them set, it starts the local emulator in-process and runs against it.
 *
 *     pnpm demo
 */
import { ChatV2UserApi } from "@effect-twilio/chat"
import { Emulator } from "@effect-twilio/chat-testing"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** The Chat Service the quickstart works in. */
class ServiceSid extends Context.Tag("quickstart/ServiceSid")<ServiceSid, string>() {}

const program = Effect.gen(function*() {
  const chat = yield* ChatV2UserApi
  const serviceSid = yield* ServiceSid
  const identity = `quickstart-${Date.now().toString(36)}@example.com`

  const created = yield* chat.createUser(serviceSid, identity, {
    attributes: { source: "quickstart" },
    friendlyName: "Quickstart User"
  })
  yield* Console.log(`1. Created ${created.sid} "${created.identity}" (role ${created.roleSid})`)

  const fetched = yield* chat.fetchUser(serviceSid, identity)
  yield* Console.log(`2. Fetched by identity: ${fetched.sid}, attributes ${JSON.stringify(fetched.attributes)}`)

  const updated = yield* chat.updateUser(serviceSid, identity, { attributes: { source: "quickstart", step: 3 } })
  yield* Console.log(`3. Updated attributes: ${JSON.stringify(updated.attributes)}`)

  const users = yield* Stream.runCollect(chat.streamUsers(serviceSid))
  const some = Chunk.toReadonlyArray(Chunk.take(users, 3)).map((user) => user.identity).join(", ")
  yield* Console.log(`4. Streamed ${Chunk.size(users)} users of ${serviceSid} (first: ${some})`)

  yield* chat.deleteUser(serviceSid, created.sid)
  yield* Console.log(`5. Deleted ${created.sid}`)
})

const optional = (name: string) => Config.option(Config.nonEmptyString(name))

/** Twilio from the environment when it is configured; otherwise the emulator, in-process. */
const Environment = Layer.unwrapEffect(Effect.gen(function*() {
  const serviceSid = yield* optional("TWILIO_CHAT_SERVICE_SID")
  const accountSid = yield* optional("TWILIO_ACCOUNT_SID")
  const apiKey = yield* optional("TWILIO_API_KEY")
  const hasCredentials = Option.isSome(accountSid) || Option.isSome(apiKey)

  if (Option.isSome(serviceSid) && hasCredentials) {
    yield* Console.log(`Using the Twilio credentials of the environment, service ${serviceSid.value}\n`)
    return Layer.merge(ChatV2UserApi.layerConfig(), Layer.succeed(ServiceSid, serviceSid.value))
  }
  if (Option.isSome(serviceSid) || hasCredentials) {
    return yield* Effect.fail(
      "Set both Twilio credentials (TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET) " +
        "and TWILIO_CHAT_SERVICE_SID, or none of them to run against the local emulator."
    )
  }

  yield* Console.log(
    "No Twilio credentials set: starting the local Twilio Chat emulator (a fake, not Twilio) with 300 users.\n"
  )
  const againstEmulator = Layer.unwrapEffect(Effect.map(Emulator, (emulator) =>
    Layer.merge(
      ChatV2UserApi.layerConfig({
        baseUrl: emulator.baseUrl,
        accountSid: emulator.accountSid,
        authToken: emulator.authToken
      }),
      Layer.succeed(ServiceSid, emulator.serviceSid)
    )))
  return Layer.provide(againstEmulator, Emulator.layer({ seedUsers: 300 }))
})).pipe(Layer.provide(UndiciHttpClient.layer))

Effect.runPromiseExit(Effect.provide(program, Environment)).then((exit) => {
  if (exit._tag === "Failure") {
    const failure = Cause.failureOption(exit.cause)
    const reason = Option.isSome(failure) ? String(failure.value) : Cause.pretty(exit.cause)
    console.error(`The quickstart failed: ${reason}`)
    process.exitCode = 1
  }
})
