#!/usr/bin/env node
// Checks the README's install lines as a user runs them: takes the exact `npm install …` and `npm install -D …`
// lines of the root README's "## Installation" code blocks, points their `@effect-twilio/*` names at the packed
// tarballs, runs them in a fresh empty folder (after `npm init -y`, `"type": "module"`), proves that npm installed
// Effect 3 (`npm ls effect @effect/platform`, every copy within the packages' peer ranges), then runs the README's
// Quick start (its first ```ts block) against the `chat-emulator` bin of the packed testing package, which must
// exit 0. Every command has a timeout and the whole check a deadline; the folder and the emulator are cleaned up.
//
// Called by scripts/pack-check.mjs with its tarballs. Standalone (`node scripts/readme-install-check.mjs`, after
// `pnpm build`) it packs the packages itself.
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"

const DEADLINE_MS = 150_000
const NPM_TIMEOUT_MS = 90_000
const QUICKSTART_TIMEOUT_MS = 30_000
const EMULATOR_TIMEOUT_MS = 20_000

const fail = (message) => {
  throw new Error(`readme-install-check: ${message}`)
}

/** The text of a `## ` section of a Markdown document, up to the next `## ` heading. */
const section = (markdown, heading) => {
  const lines = markdown.split("\n")
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`)
  if (start === -1) fail(`the README has no "## ${heading}" section`)
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  return lines.slice(start + 1, end === -1 ? undefined : end).join("\n")
}

/** The fenced code blocks of a Markdown text, with their info string. */
const codeBlocks = (markdown) =>
  [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].map(([, info, body]) => ({
    lang: info.trim(),
    body
  }))

/** `version` satisfies a caret range `^X.Y` or `^X.Y.Z` (all this check needs; prereleases do not). */
const satisfiesCaret = (version, range) => {
  const r = /^\^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(range)
  const v = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)
  if (!r) fail(`cannot read the range ${range}`)
  if (!v) return false
  const [major, minor, patch] = [1, 2, 3].map((i) => Number(r[i] ?? 0))
  const [vMajor, vMinor, vPatch] = [1, 2, 3].map((i) => Number(v[i]))
  if (vMajor !== major) return false
  if (major === 0) return vMinor === minor && vPatch >= patch
  return vMinor > minor || (vMinor === minor && vPatch >= patch)
}

const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/** What to stop if the check is interrupted: the commands running now, and the folders to remove. */
const cleanups = new Set()
const onSignal = (signal) => {
  for (const cleanup of cleanups) cleanup()
  process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal])
}
const signals = ["SIGINT", "SIGTERM", "SIGHUP"]

/**
 * Runs a command in its own process group, echoing its output; kills the whole group on timeout. Resolves with its
 * stdout and its whole output.
 */
const run = (command, args, { cwd, env = process.env, timeout, echo = true }) =>
  new Promise((resolvePromise, reject) => {
    console.log(`$ ${[command, ...args].join(" ")}`)
    const started = Date.now()
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    let stdout = ""
    let timedOut = false
    child.stdout.on("data", (chunk) => {
      output += chunk
      stdout += chunk
      if (echo) process.stdout.write(chunk)
    })
    child.stderr.on("data", (chunk) => {
      output += chunk
      process.stderr.write(chunk)
    })
    const stop = () => killGroup(child, "SIGKILL")
    cleanups.add(stop)
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, timeout)
    child.on("error", (error) => {
      clearTimeout(timer)
      cleanups.delete(stop)
      reject(error)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      cleanups.delete(stop)
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`
      if (timedOut) reject(new Error(`readme-install-check: \`${command} ${args.join(" ")}\` timed out after ${took}`))
      else if (code !== 0) {
        reject(
          new Error(`readme-install-check: \`${command} ${args.join(" ")}\` failed (${code ?? signal}) after ${took}`)
        )
      } else resolvePromise({ output, stdout })
    })
  })

/**
 * @param {{ root: string, tarballs: Record<string, string> }} options `tarballs`: package name to packed tarball
 */
export const readmeInstallCheck = async ({ root, tarballs }) => {
  const began = Date.now()
  const remaining = (cap) => {
    const left = DEADLINE_MS - (Date.now() - began)
    if (left <= 0) fail(`over its ${DEADLINE_MS / 1000} s deadline`)
    return Math.min(cap, left)
  }
  const readme = readFileSync(join(root, "README.md"), "utf8")

  // 1. The README's npm lines, exactly as written.
  const npmLines = codeBlocks(section(readme, "Installation"))
    .flatMap((block) => block.body.split("\n"))
    .map((line) => line.trim())
    .filter((line) => /^npm install(\s|$)/.test(line))
  const mainLines = npmLines.filter((line) => !/\s-D(\s|$)/.test(line))
  const devLines = npmLines.filter((line) => /\s-D(\s|$)/.test(line))
  if (mainLines.length !== 1 || devLines.length !== 1) {
    fail(
      `expected one \`npm install …\` and one \`npm install -D …\` line in the code blocks of the README's ` +
        `"## Installation", found:\n${npmLines.join("\n") || "(none)"}`
    )
  }
  const lines = [mainLines[0], devLines[0]]
  console.log(`readme-install-check: the README's npm lines:\n  ${lines.join("\n  ")}`)

  // The versions the README names must be the packages' peer ranges.
  const argsOf = (line) => line.split(/\s+/).slice(1)
  for (const [line, dir] of [[mainLines[0], "chat"], [devLines[0], "chat-testing"]]) {
    const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"))
    if (!argsOf(line).includes(manifest.name)) fail(`\`${line}\` does not install ${manifest.name}`)
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      const named = argsOf(lines.join(" ")).find((arg) => arg === peer || arg.startsWith(`${peer}@`))
      if (named !== undefined && named !== `${peer}@${range}`) {
        fail(`the README installs ${named}, but ${manifest.name} asks for ${peer}@${range}`)
      }
      if (named === undefined) fail(`the README's npm lines do not install ${manifest.name}'s peer ${peer}@${range}`)
    }
  }

  const work = mkdtempSync(join(tmpdir(), "effect-twilio-readme-"))
  const removeWork = () => rmSync(work, { recursive: true, force: true })
  cleanups.add(removeWork)
  for (const signal of signals) process.on(signal, onSignal)
  const app = join(work, "app")
  mkdirSync(app)
  // npm as in the user's shell: without the `npm_*` variables `pnpm run` adds (its own config, such as
  // `overrides`), keeping the ones that say where and how to reach a registry.
  const npmEnv = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) =>
        !/^npm_/i.test(name) ||
        /^npm_config_(registry|cache|userconfig|(https_)?proxy|noproxy|strict_ssl|cafile|ca)$/i.test(name)
      )
    ),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false"
  }
  let emulator
  try {
    // 2. A fresh folder, then exactly the README's commands with the tarballs in place of the package names.
    await run("npm", ["init", "-y"], { cwd: app, env: npmEnv, timeout: remaining(30_000) })
    const manifestPath = join(app, "package.json")
    writeFileSync(
      manifestPath,
      JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, "utf8")), type: "module" }, null, 2) + "\n"
    )
    for (const line of lines) {
      const args = argsOf(line).map((arg) => {
        if (!arg.startsWith("@effect-twilio/")) return arg
        if (!(arg in tarballs)) fail(`no packed tarball for ${arg} (in \`${line}\`)`)
        return tarballs[arg]
      })
      const { output } = await run("npm", args, { cwd: app, env: npmEnv, timeout: remaining(NPM_TIMEOUT_MS) })
      if (/ERESOLVE|peer dep/i.test(output)) fail(`\`${line}\` reported a peer dependency conflict`)
    }

    // 3. Effect 3 is what npm installed: every copy of each package within the packages' peer ranges.
    await run("npm", ["ls", "effect", "@effect/platform"], { cwd: app, env: npmEnv, timeout: remaining(30_000) })
    const tree = JSON.parse(
      (await run("npm", ["ls", "effect", "@effect/platform", "@effect/vitest", "vitest", "--json"], {
        cwd: app,
        env: npmEnv,
        timeout: remaining(30_000),
        echo: false
      })).stdout
    )
    const found = {}
    const walk = (deps = {}) => {
      for (const [name, node] of Object.entries(deps)) {
        ;(found[name] ??= new Set()).add(node.version)
        walk(node.dependencies)
      }
    }
    walk(tree.dependencies)
    const chatPeers = JSON.parse(readFileSync(join(root, "packages", "chat", "package.json"), "utf8")).peerDependencies
    const expected = {
      ...chatPeers,
      ...Object.fromEntries(
        argsOf(devLines[0])
          .filter((arg) => /^(@effect\/vitest|vitest)@\^/.test(arg))
          .map((arg) => [arg.slice(0, arg.lastIndexOf("@")), arg.slice(arg.lastIndexOf("@") + 1)])
      )
    }
    for (const [name, range] of Object.entries(expected)) {
      const versions = [...(found[name] ?? [])]
      if (versions.length === 0) fail(`npm installed no ${name}`)
      const wrong = versions.filter((version) => !satisfiesCaret(version, range))
      if (wrong.length > 0) fail(`npm installed ${name}@${wrong.join(", ")}, outside ${range}`)
      console.log(`readme-install-check: ${name} ${versions.join(", ")} (${range})`)
    }
    if (![...found.effect].every((version) => version.startsWith("3."))) fail("npm installed an effect other than 3.x")

    // 4. The emulator of the packed testing package, from its bin.
    emulator = spawn(join(app, "node_modules", ".bin", "chat-emulator"), ["--seed-users", "3"], {
      cwd: app,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const stopEmulator = () => emulator.kill("SIGKILL")
    cleanups.add(stopEmulator)
    emulator.once("exit", () => cleanups.delete(stopEmulator))
    const variables = await new Promise((resolvePromise, reject) => {
      let out = ""
      const timer = setTimeout(
        () => reject(new Error(`readme-install-check: chat-emulator printed no URL:\n${out}`)),
        remaining(EMULATOR_TIMEOUT_MS)
      )
      const read = (chunk) => {
        out += chunk
        if (!/^(?:export )?TWILIO_CHAT_SERVICE_SID=\S+$/m.test(out)) return
        clearTimeout(timer)
        resolvePromise(
          Object.fromEntries([...out.matchAll(/^(?:export )?(TWILIO_[A-Z_]+)=(\S+)$/gm)].map(([, k, v]) => [k, v]))
        )
      }
      emulator.stdout.on("data", read)
      emulator.stderr.on("data", (chunk) => (out += chunk))
      emulator.on("exit", (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`readme-install-check: chat-emulator exited (${code ?? signal}):\n${out}`))
      })
    })
    console.log(`readme-install-check: chat-emulator at ${variables.TWILIO_CHAT_BASE_URL}`)

    // 5. The README's Quick start, with the emulator's variables (and nothing else of TWILIO_*) in its environment.
    const quickStart = codeBlocks(section(readme, "Quick start")).find((block) => block.lang === "ts")
    if (!quickStart) fail(`the README's "## Quick start" has no \`\`\`ts block`)
    let code = quickStart.body
    const placeholder = /(["'])ISx{32}\1/g
    if (placeholder.test(code)) {
      code = code.replace(placeholder, JSON.stringify(variables.TWILIO_CHAT_SERVICE_SID))
      console.log(
        `readme-install-check: NOTE the Quick start's placeholder service SID "ISxxxx…" cannot run anywhere; ` +
          `replaced by the emulator's ${variables.TWILIO_CHAT_SERVICE_SID}`
      )
    }
    writeFileSync(join(app, "quickstart.ts"), code)
    // Node 20 has no type stripping: esbuild of the workspace strips the types (no bundling: Node resolves every
    // import from the folder's node_modules, as in the user's project).
    await run(
      join(root, "node_modules", ".bin", "esbuild"),
      [
        "quickstart.ts",
        "--format=esm",
        "--platform=node",
        "--target=node20",
        "--outfile=quickstart.mjs",
        "--log-level=warning"
      ],
      { cwd: app, timeout: remaining(20_000) }
    )
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TWILIO_")))
    await run("node", ["quickstart.mjs"], {
      cwd: app,
      env: { ...env, ...variables },
      timeout: remaining(QUICKSTART_TIMEOUT_MS)
    })
    console.log(
      `readme-install-check: the README's npm lines install Effect 3 and its Quick start exits 0 against the ` +
        `emulator (${((Date.now() - began) / 1000).toFixed(1)} s)`
    )
  } finally {
    if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
      const exited = new Promise((resolvePromise) => emulator.once("exit", resolvePromise))
      emulator.kill("SIGINT")
      const timer = setTimeout(() => emulator.kill("SIGKILL"), 5_000)
      await exited
      clearTimeout(timer)
    }
    removeWork()
    cleanups.delete(removeWork)
    for (const signal of signals) process.off(signal, onSignal)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = resolve(import.meta.dirname, "..")
  const dest = mkdtempSync(join(tmpdir(), "effect-twilio-readme-tarballs-"))
  cleanups.add(() => rmSync(dest, { recursive: true, force: true }))
  for (const signal of signals) process.on(signal, onSignal)
  try {
    const tarballs = {}
    for (const dir of ["chat", "chat-testing"]) {
      const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"))
      await run("pnpm", ["pack", "--pack-destination", dest], { cwd: join(root, "packages", dir), timeout: 60_000 })
      tarballs[manifest.name] = join(
        dest,
        `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`
      )
    }
    await readmeInstallCheck({ root, tarballs })
  } finally {
    rmSync(dest, { recursive: true, force: true })
  }
}
