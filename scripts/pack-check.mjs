#!/usr/bin/env node
// Checks the packages as a user gets them: packs each built package with pnpm (publishConfig applied), lints the
// tarball with publint and arethetypeswrong, then installs the tarballs with npm into a fresh folder outside the
// workspace and runs there an ESM script, a CommonJS script, `tsc --noEmit` with skipLibCheck off, and the
// `chat-emulator` bin, all against the emulator of the packed testing package. Last, scripts/readme-install-check.mjs
// runs the README's own `npm install` lines with these tarballs in another fresh folder, checks that they install
// Effect 3, and runs the README's Quick start against the emulator. Run `pnpm build` first.
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { readmeInstallCheck } from "./readme-install-check.mjs"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(join(root, "package.json"))
const packages = ["chat", "chat-testing", "http-undici", "http-node", "chat-cli"]
const work = mkdtempSync(join(tmpdir(), "effect-twilio-pack-"))
const tarballs = join(work, "tarballs")
mkdirSync(tarballs)

const run = (command, args, cwd) => {
  console.log(`$ ${command} ${args.join(" ")}`)
  execFileSync(command, args, { cwd, stdio: "inherit" })
}
const bin = (name) => join(root, "node_modules", ".bin", name)
const versionOf = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version

try {
  const files = packages.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"))
    run("pnpm", ["pack", "--pack-destination", tarballs], join(root, "packages", dir))
    return join(tarballs, `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`)
  })
  for (const file of files) {
    run(bin("publint"), ["run", file, "--strict"], root)
    run(bin("attw"), [file], root)
  }

  const consumer = join(work, "consumer")
  mkdirSync(consumer)
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }, null, 2))
  run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...files,
    `effect@${versionOf("effect")}`,
    `@effect/platform@${versionOf("@effect/platform")}`,
    `typescript@${versionOf("typescript")}`,
    `@types/node@${versionOf("@types/node")}`
  ], consumer)

  const program = (imports) =>
    `${imports}

const program = Effect.gen(function*() {
  const chat = yield* ChatV2UserApi
  const emulator = yield* Emulator
  const created = yield* chat.createUser(emulator.serviceSid, "ada@example.com", { attributes: { lang: "en" } })
  const fetched = yield* chat.fetchUser(emulator.serviceSid, "ada@example.com")
  const count = yield* Stream.runCount(chat.streamUsers(emulator.serviceSid, { pageSize: 7 }))
  yield* chat.deleteUser(emulator.serviceSid, created.sid)
  const missing = yield* Effect.flip(chat.fetchUser(emulator.serviceSid, created.sid))
  if (fetched.sid !== created.sid || fetched.attributes.lang !== "en" || count !== 26 || missing._tag !== "UserNotFound") {
    throw new Error("unexpected results: " + JSON.stringify({ count, missing: missing._tag }))
  }
  return count
})

const http = process.argv[2] === "undici" ? UndiciHttpClient.layer : FetchHttpClient.layer
Effect.runPromise(Effect.provide(program, Emulator.layerClient({ seedUsers: 25 }).pipe(Layer.provide(http)))).then(
  (count) => console.log(\`\${process.argv[1].split("/").pop()} (\${process.argv[2] ?? "fetch"}): \${count} users, ok\`),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
`
  writeFileSync(
    join(consumer, "esm.mjs"),
    program(`import { ChatV2UserApi } from "@effect-twilio/chat"
import { Emulator } from "@effect-twilio/chat-testing"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Stream } from "effect"`)
  )
  writeFileSync(
    join(consumer, "cjs.cjs"),
    program(`const { ChatV2UserApi } = require("@effect-twilio/chat")
const { Emulator } = require("@effect-twilio/chat-testing")
const { UndiciHttpClient } = require("@effect-twilio/http-undici")
const { FetchHttpClient } = require("@effect/platform")
const { Effect, Layer, Stream } = require("effect")`)
  )
  writeFileSync(
    join(consumer, "check.ts"),
    `import { ChatV2UserApi, type ChatError, type ChatV2ServiceUser, type ListUserError } from "@effect-twilio/chat"
import { ChatTest, Emulator, FakeTwilioChat, Fault } from "@effect-twilio/chat-testing"
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Stream } from "effect"

export const list: Stream.Stream<ChatV2ServiceUser, ListUserError, ChatV2UserApi> = Stream.unwrap(
  Effect.map(ChatV2UserApi, (chat) => chat.streamUsers("IS00000000000000000000000000000000", { limit: 10 }))
)
export const describe = (error: ChatError): string => error._tag + ": " + error.message
export const inMemory = Effect.gen(function*() {
  const fake = yield* FakeTwilioChat
  yield* fake.injectFaults("fetchUser", [Fault.rateLimited({ retryAfter: 1 })])
  const chat = yield* ChatV2UserApi
  return yield* chat.fetchUser(fake.defaultServiceSid, "nobody").pipe(
    Effect.catchTag("UserNotFound", () => Effect.succeed(null))
  )
}).pipe(Effect.provide(ChatTest.layer()))
export const overHttp = Emulator.layerClient().pipe(Layer.provide(Layer.merge(FetchHttpClient.layer, UndiciHttpClient.layer)))
`
  )
  writeFileSync(
    join(consumer, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"]
        },
        files: ["check.ts"]
      },
      null,
      2
    )
  )
  run("node", ["esm.mjs"], consumer)
  run("node", ["esm.mjs", "undici"], consumer)
  run("node", ["cjs.cjs"], consumer)
  run("node", ["cjs.cjs", "undici"], consumer)
  run(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], consumer)

  // The bin of the packed testing package: it must print where it listens, answer, and stop on SIGINT.
  await new Promise((resolvePromise, reject) => {
    const child = spawn(join(consumer, "node_modules", ".bin", "chat-emulator"), ["--seed-users", "3"], {
      cwd: consumer
    })
    let out = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`chat-emulator printed no URL in 20 s:\n${out}`))
    }, 20_000)
    child.stdout.on("data", async (chunk) => {
      out += chunk
      const url = /TWILIO_CHAT_BASE_URL=(\S+)/.exec(out)?.[1]
      const sid = /TWILIO_CHAT_SERVICE_SID=(\S+)/.exec(out)?.[1]
      const account = /TWILIO_ACCOUNT_SID=(\S+)/.exec(out)?.[1]
      const token = /TWILIO_AUTH_TOKEN=(\S+)/.exec(out)?.[1]
      if (!url || !sid || !account || !token || child.answered) return
      child.answered = true
      const response = await fetch(`${url}/v2/Services/${sid}/Users`, {
        headers: { authorization: `Basic ${Buffer.from(`${account}:${token}`).toString("base64")}` }
      })
      const body = await response.json()
      console.log(`chat-emulator bin: HTTP ${response.status}, ${body.users?.length} users`)
      clearTimeout(timer)
      child.kill("SIGINT")
      if (response.status !== 200 || body.users?.length !== 3) reject(new Error("chat-emulator answered wrongly"))
    })
    child.on("exit", (code, signal) => {
      if (child.answered) resolvePromise()
      else reject(new Error(`chat-emulator exited (${code ?? signal}) before answering:\n${out}`))
    })
  })

  // The bin of the packed CLI, over both APIs, against its own in-process emulator.
  for (const api of ["chat", "conversations"]) {
    const cli = join(consumer, "node_modules", ".bin", "chat-users")
    const listed = execFileSync(cli, ["list", "--emulator", "--seed-users", "2", "--json", "--api", api], {
      cwd: consumer,
      encoding: "utf8"
    })
    const identities = JSON.parse(listed).map((user) => user.identity)
    if (identities.join(",") !== "user-001,user-002") throw new Error(`chat-users --api ${api} listed ${listed}`)
    console.log(`chat-users bin (--api ${api}): ${identities.length} users`)
  }

  // The README's install lines and Quick start, as a user runs them.
  await readmeInstallCheck({
    root,
    tarballs: Object.fromEntries(packages.map((dir, i) => [
      JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")).name,
      files[i]
    ]))
  })
  console.log(
    "pack-check: every package packs, lints, installs and runs from ESM, CommonJS and TypeScript; " +
      "the README's npm lines install Effect 3 and its Quick start runs"
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
