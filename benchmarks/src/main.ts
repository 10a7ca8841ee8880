/**
 * `pnpm bench`: effect-twilio against the official `twilio` client and a bare `undici` loop, in one run.
 *
 * It bundles the workers with esbuild (so every measured process is plain `node`, no loader), starts the loopback
 * server in a child process, then measures per-call cost, streaming, decoding, start-up and bundle size, and writes
 * `benchmarks/RESULTS.md`. `pnpm bench --quick` (or BENCH_QUICK=1) runs every contender on small N in a few seconds
 * and writes to `benchmarks/.out/RESULTS.quick.md` instead. `--out=FILE` writes the report to FILE instead of either.
 */
import * as esbuild from "esbuild"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Url from "node:url"
import * as Zlib from "node:zlib"
import { type ContenderName, CONTENDERS, LABELS, STREAM_CONTENDERS } from "./clients.js"
import { ACCOUNT_SID, AUTH_TOKEN, SERVICE_BIG, SERVICE_SMALL, userSid } from "./fixtures.js"

const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1"
const outArg = process.argv.find((a) => a.startsWith("--out="))?.slice("--out=".length)
const CONFIG = quick
  ? {
    perCallN: 100,
    perCallRounds: 2,
    concurrency: 16,
    streamBig: 2_000,
    streamSmall: 200,
    streamRounds: 1,
    decodeIterations: 10,
    decodeRounds: 2,
    startupRuns: 2
  }
  : {
    perCallN: 3_000,
    perCallRounds: 9,
    concurrency: 16,
    streamBig: 100_000,
    streamSmall: 10_000,
    streamRounds: 3,
    decodeIterations: 200,
    decodeRounds: 9,
    startupRuns: 25
  }

const ROOT = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "..")
const OUT = Path.join(ROOT, ".out")
const NODE = process.execPath
/** No measured child may run longer than this: loops are bounded. */
const CHILD_TIMEOUT_MS = 10 * 60 * 1000

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`)

// ---------------------------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------------------------

const EXTERNAL = ["effect", "@effect/platform", "@effect/platform-node", "twilio", "undici", "esbuild"]
/** undici is CommonJS: its `require`s of Node's modules need a `require` in an ES module that bundles it. */
const REQUIRE_BANNER = {
  js:
    "import { createRequire as __createRequire } from \"node:module\";const require = __createRequire(import.meta.url);"
}

const build = async () => {
  Fs.rmSync(OUT, { recursive: true, force: true })
  Fs.mkdirSync(Path.join(OUT, "startup"), { recursive: true })
  const common = { bundle: true, platform: "node", target: "node20", logLevel: "error" } as const
  await esbuild.build({
    ...common,
    entryPoints: {
      server: Path.join(ROOT, "src/server.ts"),
      percall: Path.join(ROOT, "src/workers/percall.ts"),
      stream: Path.join(ROOT, "src/workers/stream.ts"),
      decode: Path.join(ROOT, "src/workers/decode.ts")
    },
    outdir: Path.join(OUT, "workers"),
    outExtension: { ".js": ".mjs" },
    format: "esm",
    splitting: true,
    external: EXTERNAL
  })
  // Start-up (a): our package as a published build would be (its own code only), after `effect` and `@effect/platform`.
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/startup/chat-lib.ts")],
    outfile: Path.join(OUT, "startup/chat-lib.mjs"),
    format: "esm",
    external: EXTERNAL
  })
  // Module load time of each HttpClient layer, the same way: ours as a published build would be (undici external).
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/startup/http-undici-lib.ts")],
    outfile: Path.join(OUT, "startup/http-undici-lib.mjs"),
    format: "esm",
    external: EXTERNAL
  })
  for (
    const [file, specifier] of [
      ["import-layer-undici.mjs", "undici"],
      ["import-layer-ours.mjs", "./http-undici-lib.mjs"],
      ["import-layer-platform-node.mjs", "@effect/platform-node/NodeHttpClient"]
    ]
  ) {
    Fs.writeFileSync(
      Path.join(OUT, "startup", file),
      [
        "await import(\"effect\")",
        "await import(\"@effect/platform\")",
        "const t0 = performance.now()",
        `await import(${JSON.stringify(specifier)})`,
        "process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }) + \"\\n\")",
        ""
      ].join("\n")
    )
  }
  Fs.writeFileSync(Path.join(OUT, "startup/bare.mjs"), "\n")
  // Prints how long importing our package takes in a process that has already imported `effect` and
  // `@effect/platform` (their whole index modules, as an Effect app that uses them pays for them anyway).
  Fs.writeFileSync(
    Path.join(OUT, "startup/import-chat.mjs"),
    [
      "await import(\"effect\")",
      "await import(\"@effect/platform\")",
      "const t0 = performance.now()",
      "await import(\"./chat-lib.mjs\")",
      "process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }) + \"\\n\")",
      ""
    ].join("\n")
  )
  // Reports the process's CPU time at exit, for every start-up process alike.
  Fs.writeFileSync(
    Path.join(OUT, "startup/cpu.cjs"),
    "process.on(\"exit\", () => { const c = process.cpuUsage(); require(\"node:fs\").writeSync(2, " +
      "\"\\n@@cpu \" + (c.user + c.system) / 1000 + \"\\n\") })\n"
  )
  // Start-up (b) and bundle: the minimal app, bundled whole and minified.
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal.ts")],
    outfile: Path.join(OUT, "startup/app-ours.mjs"),
    format: "esm",
    minify: true
  })
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal-undici.ts")],
    outfile: Path.join(OUT, "startup/app-ours-undici.mjs"),
    format: "esm",
    minify: true,
    banner: REQUIRE_BANNER
  })
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal-platform-node.ts")],
    outfile: Path.join(OUT, "startup/app-ours-platform-node.mjs"),
    format: "esm",
    minify: true,
    banner: REQUIRE_BANNER
  })
  Fs.copyFileSync(Path.join(ROOT, "src/apps/minimal-twilio.cjs"), Path.join(OUT, "startup/app-twilio.cjs"))
  Fs.writeFileSync(Path.join(OUT, "startup/require-twilio.cjs"), "require(\"twilio\")\n")
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal-twilio.cjs")],
    outfile: Path.join(OUT, "bundle/app-twilio.cjs"),
    format: "cjs",
    minify: true,
    logLevel: "silent"
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------------

const run = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.spawn(NODE, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CHILD_TIMEOUT_MS
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => (err += d))
    child.on(
      "close",
      (code) =>
        code === 0
          ? resolve(out)
          : reject(new Error(`node ${args.join(" ")} exited with ${code}:\n${err.slice(-2000)}`))
    )
  })

const lastJson = <A>(out: string): A => JSON.parse(out.trim().split("\n").pop()!) as A

const startServer = () =>
  new Promise<{ origin: string; stop: () => void }>((resolve, reject) => {
    const child = ChildProcess.spawn(
      NODE,
      [Path.join(OUT, "workers/server.mjs"), String(CONFIG.streamBig), String(CONFIG.streamSmall)],
      { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] }
    )
    let buffered = ""
    child.stdout.on("data", (d) => {
      buffered += d
      const line = buffered.split("\n")[0]
      if (buffered.includes("\n")) {
        const { port } = JSON.parse(line) as { port: number }
        resolve({
          origin: `http://127.0.0.1:${port}`,
          stop: () => {
            child.stdin.end()
            child.kill()
          }
        })
      }
    })
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}`)))
  })

// ---------------------------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------------------------

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x: number, digits = 1) => x.toFixed(digits)
const ratio = (x: number) => `${x.toFixed(2)}x`

// ---------------------------------------------------------------------------------------------------------------
// The measurements
// ---------------------------------------------------------------------------------------------------------------

type PerCallSamples = Record<
  ContenderName,
  Record<"sequential" | "concurrent", { wall: Array<number>; cpu: Array<number> }>
>

const perCall = async (origin: string) => {
  log(`per call: N=${CONFIG.perCallN}, ${CONFIG.perCallRounds} rounds, concurrency ${CONFIG.concurrency}`)
  const out = await run([
    "--expose-gc",
    Path.join(OUT, "workers/percall.mjs"),
    origin,
    String(CONFIG.perCallN),
    String(CONFIG.perCallRounds),
    String(CONFIG.concurrency)
  ])
  return lastJson<PerCallSamples>(out)
}

interface StreamSample {
  readonly users: number
  readonly ms: number
  readonly cpuMs: number
  readonly maxRssKiB: number
}

const streaming = async (origin: string) => {
  log(`streaming: ${CONFIG.streamBig} and ${CONFIG.streamSmall} users, ${CONFIG.streamRounds} rounds`)
  const samples = {} as Record<ContenderName, { big: Array<StreamSample>; small: Array<StreamSample> }>
  for (const name of STREAM_CONTENDERS) samples[name] = { big: [], small: [] }
  for (let r = 0; r < CONFIG.streamRounds; r++) {
    for (let k = 0; k < STREAM_CONTENDERS.length; k++) {
      const name = STREAM_CONTENDERS[(k + r) % STREAM_CONTENDERS.length]
      for (
        const [size, service, users] of [["big", SERVICE_BIG, CONFIG.streamBig], [
          "small",
          SERVICE_SMALL,
          CONFIG.streamSmall
        ]] as const
      ) {
        const out = await run([Path.join(OUT, "workers/stream.mjs"), origin, name, service, String(users)])
        samples[name][size].push(lastJson<StreamSample>(out))
      }
    }
  }
  return samples
}

const decoding = async () => {
  log(`decoding: ${CONFIG.decodeIterations} pages per round, ${CONFIG.decodeRounds} rounds`)
  const out = await run([
    Path.join(OUT, "workers/decode.mjs"),
    String(CONFIG.decodeIterations),
    String(CONFIG.decodeRounds)
  ])
  return lastJson<{ bytes: number; samples: Record<string, Array<number>> }>(out)
}

const STARTUP = {
  bare: { file: "bare.mjs", label: "bare `node`", loadOnly: false },
  appOurs: { file: "app-ours.mjs", label: "minimal app (FetchHttpClient), bundled, fetches one user", loadOnly: false },
  appOursLoad: { file: "app-ours.mjs", label: "minimal app (FetchHttpClient), bundled, load only", loadOnly: true },
  appOursUndici: {
    file: "app-ours-undici.mjs",
    label: "minimal app (UndiciHttpClient), bundled, fetches one user",
    loadOnly: false
  },
  appOursPlatformNode: {
    file: "app-ours-platform-node.mjs",
    label: "minimal app (NodeHttpClient.layerUndici), bundled, fetches one user",
    loadOnly: false
  },
  requireTwilio: { file: "require-twilio.cjs", label: "`require(\"twilio\")`", loadOnly: false },
  appTwilio: { file: "app-twilio.cjs", label: "`twilio` minimal app, fetches one user", loadOnly: false }
} as const
type StartupName = keyof typeof STARTUP

interface StartupSamples {
  readonly wall: Record<StartupName, Array<number>>
  readonly cpu: Record<StartupName, Array<number>>
  /** In-process: how long importing our package takes after `effect` and `@effect/platform`. */
  readonly importChat: Array<number>
  /** In-process, the same way: importing `undici` alone, our HttpClient layer, and `NodeHttpClient`. */
  readonly importLayer: Record<LayerImport, Array<number>>
}

const LAYER_IMPORTS = {
  undici: { file: "import-layer-undici.mjs", label: "`undici` alone" },
  ours: { file: "import-layer-ours.mjs", label: "`@effect-twilio/http-undici` (with `undici`)" },
  platformNode: {
    file: "import-layer-platform-node.mjs",
    label: "`@effect/platform-node/NodeHttpClient` (with `undici`)"
  }
} as const
type LayerImport = keyof typeof LAYER_IMPORTS

const startup = (origin: string): StartupSamples => {
  log(`start-up: ${CONFIG.startupRuns} processes each`)
  const env = {
    ...process.env,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_CHAT_BASE_URL: origin,
    BENCH_SERVICE: SERVICE_BIG,
    BENCH_USER: userSid(1)
  }
  const names = Object.keys(STARTUP) as Array<StartupName>
  const wall = {} as Record<StartupName, Array<number>>
  const cpu = {} as Record<StartupName, Array<number>>
  const importChat: Array<number> = []
  const importLayer = {} as Record<LayerImport, Array<number>>
  const layerNames = Object.keys(LAYER_IMPORTS) as Array<LayerImport>
  for (const name of layerNames) importLayer[name] = []
  for (const name of names) {
    wall[name] = []
    cpu[name] = []
  }
  const spawn = (file: string, extraEnv: Record<string, string>) => {
    const t0 = performance.now()
    const result = ChildProcess.spawnSync(NODE, [
      "--require",
      Path.join(OUT, "startup/cpu.cjs"),
      Path.join(OUT, "startup", file)
    ], {
      cwd: ROOT,
      env: { ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000
    })
    const ms = performance.now() - t0
    if (result.status !== 0) throw new Error(`${file} failed: ${String(result.stderr).slice(-2000)}`)
    const cpuMs = Number(/@@cpu ([\d.]+)/.exec(String(result.stderr))?.[1])
    return { ms, cpuMs, stdout: String(result.stdout) }
  }
  // The first pass warms the file system cache and is not counted.
  for (let r = -1; r < CONFIG.startupRuns; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + Math.max(r, 0)) % names.length]
      const entry = STARTUP[name]
      const { cpuMs, ms } = spawn(entry.file, entry.loadOnly ? { BENCH_LOAD_ONLY: "1" } : {})
      if (r >= 0) {
        wall[name].push(ms)
        cpu[name].push(cpuMs)
      }
    }
    const { stdout } = spawn("import-chat.mjs", {})
    if (r >= 0) importChat.push(lastJson<{ ms: number }>(stdout).ms)
    for (let k = 0; k < layerNames.length; k++) {
      const name = layerNames[(k + Math.max(r, 0)) % layerNames.length]
      const { stdout } = spawn(LAYER_IMPORTS[name].file, {})
      if (r >= 0) importLayer[name].push(lastJson<{ ms: number }>(stdout).ms)
    }
  }
  return { wall, cpu, importChat, importLayer }
}

const bundleSizes = () => {
  const size = (file: string) => {
    const bytes = Fs.readFileSync(Path.join(OUT, file))
    return { bytes: bytes.length, gzip: Zlib.gzipSync(bytes, { level: 9 }).length }
  }
  return {
    ours: size("startup/app-ours.mjs"),
    oursUndici: size("startup/app-ours-undici.mjs"),
    oursPlatformNode: size("startup/app-ours-platform-node.mjs"),
    twilio: size("bundle/app-twilio.cjs")
  }
}

/** Packages an app that uses either layer has already: not counted in a layer's footprint. */
const ALREADY_THERE = new Set(["effect", "@effect/platform"])

interface Footprint {
  readonly packages: ReadonlyArray<{ readonly name: string; readonly version: string; readonly bytes: number }>
  readonly files: number
  readonly bytes: number
}

/**
 * What installing a layer brings into `node_modules` beyond `effect` and `@effect/platform`: the package, its
 * dependencies, its optional dependencies that are installed here and the peers a package manager installs for it
 * (required peers; optional ones are left out), transitively, each counted once (its files, without nested
 * `node_modules`). `skip` names folders of the first package that are not published (its tests).
 */
const footprint = (entry: string, skip: ReadonlyArray<string> = []): Footprint => {
  const seen = new Map<string, { name: string; version: string; bytes: number; files: number }>()
  const sizeOf = (dir: string, skipHere: ReadonlyArray<string>): { bytes: number; files: number } => {
    let bytes = 0
    let files = 0
    for (const e of Fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || skipHere.includes(e.name)) continue
      const full = Path.join(dir, e.name)
      if (e.isDirectory()) {
        const sub = sizeOf(full, [])
        bytes += sub.bytes
        files += sub.files
      } else if (e.isFile()) {
        bytes += Fs.statSync(full).size
        files++
      }
    }
    return { bytes, files }
  }
  const resolveFrom = (dir: string, name: string): string | undefined => {
    for (let d = dir;; d = Path.dirname(d)) {
      const candidate = Path.join(d, "node_modules", name)
      if (Fs.existsSync(Path.join(candidate, "package.json"))) return Fs.realpathSync(candidate)
      if (Path.dirname(d) === d) return undefined
    }
  }
  const visit = (dir: string, skipHere: ReadonlyArray<string>) => {
    if (seen.has(dir)) return
    const pkg = JSON.parse(Fs.readFileSync(Path.join(dir, "package.json"), "utf8")) as {
      name: string
      version: string
      dependencies?: Record<string, string>
      optionalDependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
      peerDependenciesMeta?: Record<string, { optional?: boolean }>
    }
    if (ALREADY_THERE.has(pkg.name)) return
    seen.set(dir, { name: pkg.name, version: pkg.version, ...sizeOf(dir, skipHere) })
    const peers = Object.keys(pkg.peerDependencies ?? {}).filter((n) => !pkg.peerDependenciesMeta?.[n]?.optional)
    const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...peers]
    for (const name of names) {
      if (ALREADY_THERE.has(name)) continue
      const found = resolveFrom(dir, name)
      if (found !== undefined) visit(found, [])
    }
  }
  visit(Fs.realpathSync(entry), skip)
  const packages = [...seen.values()].sort((a, b) => b.bytes - a.bytes)
  return {
    packages: packages.map(({ bytes, name, version }) => ({ name, version, bytes })),
    files: packages.reduce((n, p) => n + p.files, 0),
    bytes: packages.reduce((n, p) => n + p.bytes, 0)
  }
}

const footprints = () => ({
  ours: footprint(Path.join(ROOT, "..", "packages", "http-undici"), ["test"]),
  platformNode: footprint(Path.join(ROOT, "node_modules", "@effect", "platform-node"))
})

// ---------------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------------

const verdict = (ok: boolean) => (ok ? "met" : "**missed**")

const report = (
  pc: PerCallSamples,
  st: Awaited<ReturnType<typeof streaming>>,
  dec: Awaited<ReturnType<typeof decoding>>,
  su: StartupSamples,
  bundles: ReturnType<typeof bundleSizes>,
  feet: ReturnType<typeof footprints>,
  elapsedS: number
) => {
  const lines: Array<string> = []
  const cpus = Os.cpus()
  lines.push(`# Benchmarks${quick ? " (quick mode: small N, figures not meaningful)" : ""}`)
  lines.push("")
  lines.push(`- Date: ${new Date().toISOString()}`)
  lines.push(
    `- Machine: ${cpus.length} x ${cpus[0]?.model ?? "unknown CPU"}, ${
      Math.round(Os.totalmem() / 2 ** 30)
    } GiB, ${Os.type()} ${Os.release()}`
  )
  lines.push(`- Node ${process.version}; run time ${fmt(elapsedS, 0)} s`)
  lines.push(
    `- N: per call ${CONFIG.perCallN} calls per round x ${CONFIG.perCallRounds} rounds (concurrency ${CONFIG.concurrency}); ` +
      `streaming ${CONFIG.streamBig} and ${CONFIG.streamSmall} users at page size 100, ${CONFIG.streamRounds} rounds; ` +
      `decoding ${CONFIG.decodeIterations} pages x ${CONFIG.decodeRounds} rounds; start-up ${CONFIG.startupRuns} processes each`
  )
  lines.push(
    "- Figures are medians over rounds; contenders alternate round by round; the server is a separate process."
  )
  lines.push("- Command: `pnpm bench` (`pnpm bench --quick` for the smoke run of `.ci/run`).")
  lines.push("")

  const floor = pc.undici
  const seqWall = (n: ContenderName) => median(pc[n].sequential.wall)
  const seqCpu = (n: ContenderName) => median(pc[n].sequential.cpu)
  const conWall = (n: ContenderName) => median(pc[n].concurrent.wall)
  const conCpu = (n: ContenderName) => median(pc[n].concurrent.cpu)
  lines.push("## 1. Per call: `fetchUser`")
  lines.push("")
  lines.push(
    "| client | sequential us/call | ratio | CPU us/call | ratio | concurrency 16 us/call | ratio | CPU us/call | ratio |"
  )
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
  for (const n of CONTENDERS) {
    lines.push(
      `| ${LABELS[n]} | ${fmt(seqWall(n))} | ${ratio(seqWall(n) / median(floor.sequential.wall))} | ${
        fmt(seqCpu(n))
      } | ${ratio(seqCpu(n) / median(floor.sequential.cpu))} | ${fmt(conWall(n))} | ${
        ratio(conWall(n) / median(floor.concurrent.wall))
      } | ${fmt(conCpu(n))} | ${ratio(conCpu(n) / median(floor.concurrent.cpu))} |`
    )
  }
  lines.push("")
  lines.push("Ratios are to the floor (raw undici). Wall time per call; CPU is the client process's (user + system).")
  const vs = (f: (n: ContenderName) => number) => ratio(f("ours-platform-node") / f("ours-undici"))
  lines.push(
    `NodeHttpClient.layerUndici over UndiciHttpClient, under our client: sequential ${vs(seqWall)} wall, ${
      vs(seqCpu)
    } CPU; concurrency ${CONFIG.concurrency} ${vs(conWall)} wall, ${vs(conCpu)} CPU.`
  )
  lines.push("")

  const rate = (n: ContenderName, size: "big" | "small") => median(st[n][size].map((s) => s.users / (s.ms / 1000)))
  const rss = (n: ContenderName, size: "big" | "small") => median(st[n][size].map((s) => s.maxRssKiB / 1024))
  lines.push(`## 2. Streaming: every user of a service, page size 100`)
  lines.push("")
  lines.push(
    `| client | users/s (${CONFIG.streamBig}) | ratio | CPU ms | peak RSS MiB (${CONFIG.streamBig}) | peak RSS MiB (${CONFIG.streamSmall}) | growth |`
  )
  lines.push("|---|---:|---:|---:|---:|---:|---:|")
  for (const n of STREAM_CONTENDERS) {
    lines.push(
      `| ${LABELS[n]} | ${fmt(rate(n, "big"), 0)} | ${ratio(rate(n, "big") / rate("undici", "big"))} | ${
        fmt(median(st[n].big.map((s) => s.cpuMs)), 0)
      } | ${fmt(rss(n, "big"))} | ${fmt(rss(n, "small"))} | ${fmt((rss(n, "big") / rss(n, "small") - 1) * 100, 0)}% |`
    )
  }
  lines.push("")
  lines.push("One process per client and run, so peak RSS (`maxRSS`) is that client's own, start-up included.")
  lines.push(
    `UndiciHttpClient over NodeHttpClient.layerUndici, under our client: ${
      ratio(rate("ours-undici", "big") / rate("ours-platform-node", "big"))
    } the users/s, ${
      ratio(rss("ours-undici", "big") / rss("ours-platform-node", "big"))
    } the peak RSS at ${CONFIG.streamBig} users.`
  )
  lines.push("")

  const d = (name: string) => median(dec.samples[name])
  lines.push(`## 3. Decoding one 100-user page (${fmt(dec.bytes / 1024)} KiB)`)
  lines.push("")
  lines.push("| decoder | us/page | us/user | ratio to `JSON.parse` |")
  lines.push("|---|---:|---:|---:|")
  for (const name of ["JSON.parse", "decodeListUserResponse", "Schema.decodeUnknownSync"]) {
    const label = name === "JSON.parse"
      ? "`JSON.parse(text)`"
      : name === "decodeListUserResponse"
      ? "`decodeListUserResponse(JSON.parse(text))` (the client's)"
      : "`Schema.decodeUnknownSync(ListUserResponse)(JSON.parse(text))`"
    lines.push(`| ${label} | ${fmt(d(name))} | ${fmt(d(name) / 100, 2)} | ${ratio(d(name) / d("JSON.parse"))} |`)
  }
  lines.push("")
  lines.push(
    `A span per call with no tracer installed: \`Effect.fn\` ${fmt(d("Effect.fn (span)") * 1000, 0)} ns/call, ` +
      `\`Effect.fnUntraced\` ${fmt(d("Effect.fnUntraced") * 1000, 0)} ns/call.`
  )
  lines.push("")

  const s = (n: StartupName) => median(su.wall[n])
  const c = (n: StartupName) => median(su.cpu[n])
  const bare = s("bare")
  const bareCpu = c("bare")
  lines.push("## 4. Start-up (whole processes, median)")
  lines.push("")
  lines.push("| process | wall ms | minus bare `node` | CPU ms | minus bare `node` |")
  lines.push("|---|---:|---:|---:|---:|")
  for (const n of Object.keys(STARTUP) as Array<StartupName>) {
    lines.push(
      `| ${STARTUP[n].label} | ${fmt(s(n))} | ${n === "bare" ? "-" : fmt(s(n) - bare)} | ${fmt(c(n))} | ${
        n === "bare" ? "-" : fmt(c(n) - bareCpu)
      } |`
    )
  }
  lines.push("")
  const addsToEffect = median(su.importChat)
  lines.push(
    `Our package adds ${fmt(addsToEffect)} ms to a process that has already imported \`effect\` and ` +
      "`@effect/platform` (measured in the process: the time of `import(\"@effect-twilio/chat\")`, its code " +
      "bundled as a published build would be, `effect` and `@effect/platform` left external)."
  )
  lines.push("")
  lines.push(
    "Importing an `HttpClient` layer, the same way (in a process that has imported `effect` and `@effect/platform`):"
  )
  lines.push("")
  lines.push("| module | import ms |")
  lines.push("|---|---:|")
  for (const n of Object.keys(LAYER_IMPORTS) as Array<LayerImport>) {
    lines.push(`| ${LAYER_IMPORTS[n].label} | ${fmt(median(su.importLayer[n]))} |`)
  }
  lines.push("")

  lines.push("## 5. Bundle: the minimal app, bundled and minified with esbuild")
  lines.push("")
  lines.push("| app | bytes | gzip |")
  lines.push("|---|---:|---:|")
  lines.push(
    `| effect-twilio over FetchHttpClient (with \`effect\`, \`@effect/platform\`) | ${bundles.ours.bytes} | ${bundles.ours.gzip} |`
  )
  lines.push(
    `| effect-twilio over UndiciHttpClient (with \`undici\` too) | ${bundles.oursUndici.bytes} | ${bundles.oursUndici.gzip} |`
  )
  lines.push(
    `| effect-twilio over \`NodeHttpClient.layerUndici\` (with \`undici\` too) | ${bundles.oursPlatformNode.bytes} | ${bundles.oursPlatformNode.gzip} |`
  )
  lines.push(`| \`twilio\` | ${bundles.twilio.bytes} | ${bundles.twilio.gzip} |`)
  lines.push("")
  lines.push(
    `The layer's share (minus the FetchHttpClient app): UndiciHttpClient ${
      bundles.oursUndici.bytes - bundles.ours.bytes
    } bytes (${bundles.oursUndici.gzip - bundles.ours.gzip} gzip), NodeHttpClient.layerUndici ${
      bundles.oursPlatformNode.bytes - bundles.ours.bytes
    } bytes (${bundles.oursPlatformNode.gzip - bundles.ours.gzip} gzip).`
  )
  lines.push("")

  const kib = (bytes: number) => fmt(bytes / 1024, 0)
  lines.push("## 6. Installed footprint of each HttpClient layer (beyond `effect` and `@effect/platform`)")
  lines.push("")
  lines.push("| layer | packages | files | KiB on disk | the packages (KiB) |")
  lines.push("|---|---:|---:|---:|---|")
  for (
    const [label, f] of [
      ["`@effect-twilio/http-undici` (its source, unbuilt)", feet.ours],
      ["`@effect/platform-node` (with the peers it requires)", feet.platformNode]
    ] as const
  ) {
    lines.push(
      `| ${label} | ${f.packages.length} | ${f.files} | ${kib(f.bytes)} | ${
        f.packages.map((p) => `${p.name}@${p.version} ${kib(p.bytes)}`).join(", ")
      } |`
    )
  }
  lines.push("")

  const oursSeq = seqWall("ours-undici")
  const targets: Array<[string, string, boolean]> = [
    [
      "per call, sequential: at most 1.3x raw undici (ours over UndiciHttpClient)",
      `${ratio(oursSeq / seqWall("undici"))} (CPU ${ratio(seqCpu("ours-undici") / seqCpu("undici"))})`,
      oursSeq / seqWall("undici") <= 1.3
    ],
    [
      "per call, sequential: at least 1.5x faster than twilio",
      `${ratio(seqWall("twilio") / oursSeq)} (CPU ${ratio(seqCpu("twilio") / seqCpu("ours-undici"))})`,
      seqWall("twilio") / oursSeq >= 1.5
    ],
    [
      "streaming: at least 80% of raw undici + JSON.parse (ours over UndiciHttpClient; lazy, and with opt-in read-ahead)",
      `${fmt(rate("ours-undici", "big") / rate("undici", "big") * 100, 0)}% / ${
        fmt(rate("ours-undici-readahead", "big") / rate("undici", "big") * 100, 0)
      }%`,
      Math.max(rate("ours-undici", "big"), rate("ours-undici-readahead", "big")) / rate("undici", "big") >= 0.8
    ],
    [
      `streaming: peak RSS at ${CONFIG.streamBig} users within 15% of ${CONFIG.streamSmall} (ours, both layers)`,
      `${fmt((rss("ours-undici", "big") / rss("ours-undici", "small") - 1) * 100, 0)}% / ${
        fmt((rss("ours-fetch", "big") / rss("ours-fetch", "small") - 1) * 100, 0)
      }%`,
      rss("ours-undici", "big") / rss("ours-undici", "small") <= 1.15 &&
      rss("ours-fetch", "big") / rss("ours-fetch", "small") <= 1.15
    ],
    [
      "decoding: at most 2x JSON.parse alone",
      ratio(d("decodeListUserResponse") / d("JSON.parse")),
      d("decodeListUserResponse") / d("JSON.parse") <= 2
    ],
    ["start-up: our package adds at most 30 ms to an Effect app", `${fmt(addsToEffect)} ms`, addsToEffect <= 30],
    [
      "start-up: the bundled minimal app (fetching one user) adds at most half of what require(\"twilio\") adds",
      `${fmt(s("appOurs") - bare)} ms vs ${fmt(s("requireTwilio") - bare)} ms (${
        ratio((s("appOurs") - bare) / (s("requireTwilio") - bare))
      }); load only ${fmt(s("appOursLoad") - bare)} ms (${
        ratio((s("appOursLoad") - bare) / (s("requireTwilio") - bare))
      })`,
      s("appOurs") - bare <= (s("requireTwilio") - bare) / 2
    ],
    [
      "bundle: at most an eighth of twilio's",
      `${bundles.ours.bytes} vs ${bundles.twilio.bytes} bytes (${ratio(bundles.ours.bytes / bundles.twilio.bytes)})`,
      bundles.ours.bytes <= bundles.twilio.bytes / 8
    ]
  ]
  lines.push("## Targets")
  lines.push("")
  lines.push("| target | measured | |")
  lines.push("|---|---:|---|")
  for (const [target, measured, ok] of targets) lines.push(`| ${target} | ${measured} | ${verdict(ok)} |`)
  lines.push("")
  return lines.join("\n")
}

const main = async () => {
  const started = performance.now()
  log(quick ? "quick mode" : "full run")
  log("building the workers with esbuild")
  await build()
  const server = await startServer()
  try {
    log(`server on ${server.origin}`)
    const pc = await perCall(server.origin)
    const st = await streaming(server.origin)
    const dec = await decoding()
    const su = startup(server.origin)
    const bundles = bundleSizes()
    const text = report(pc, st, dec, su, bundles, footprints(), (performance.now() - started) / 1000)
    const file = outArg !== undefined
      ? Path.resolve(outArg)
      : quick
      ? Path.join(OUT, "RESULTS.quick.md")
      : Path.join(ROOT, "RESULTS.md")
    Fs.writeFileSync(file, text)
    process.stdout.write(text + "\n")
    log(`written to ${Path.relative(process.cwd(), file)}`)
  } finally {
    server.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
