/**
 * `pnpm bench`: effect-twilio against the official `twilio` client and a bare `undici` loop, in one run.
 *
 * It bundles the workers with esbuild (so every measured process is plain `node`, no loader), starts the loopback
 * server in a child process, then measures per-call cost, streaming (with what the garbage collector does),
 * decoding, start-up and bundle size, and writes `benchmarks/RESULTS.md`. `pnpm bench --quick` (or BENCH_QUICK=1)
 * runs every contender on small N in a few seconds and writes to `benchmarks/.out/RESULTS.quick.md` instead.
 * `pnpm bench --stages` measures the stages of our client's streaming and per-call paths, one by one, in one
 * process, and writes `benchmarks/.out/STAGES.md`. `--out=FILE` writes the report to FILE instead of any of these.
 */
import * as esbuild from "esbuild"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Url from "node:url"
import * as Zlib from "node:zlib"
import { type ContenderName, LABELS, PERCALL_CONTENDERS, STREAM_CONTENDERS } from "./clients.js"
import { ACCOUNT_SID, AUTH_TOKEN, PAGE_SIZE, SERVICE_BIG, SERVICE_SMALL, userSid } from "./fixtures.js"
import * as Gc from "./gc.js"
import { diffSpread, fmt, median, paired, perRound, ratio, ratioSpread, spread } from "./stats.js"

const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1"
const stagesOnly = process.argv.includes("--stages")
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
    startupRuns: 1,
    // The stages, as a smoke test: every stage once, on the small service.
    stagesUsers: 200,
    stagesRounds: 1,
    stagesCalls: 50,
    stagesPasses: 1
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
    startupRuns: 25,
    stagesUsers: 10_000,
    stagesRounds: 9,
    stagesCalls: 1_000,
    stagesPasses: 5
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

const build = async (workersOnly = false) => {
  Fs.rmSync(OUT, { recursive: true, force: true })
  Fs.mkdirSync(Path.join(OUT, "startup"), { recursive: true })
  const common = { bundle: true, platform: "node", target: "node20", logLevel: "error" } as const
  await esbuild.build({
    ...common,
    entryPoints: {
      server: Path.join(ROOT, "src/server.ts"),
      percall: Path.join(ROOT, "src/workers/percall.ts"),
      stream: Path.join(ROOT, "src/workers/stream.ts"),
      decode: Path.join(ROOT, "src/workers/decode.ts"),
      stages: Path.join(ROOT, "src/workers/stages.ts")
    },
    outdir: Path.join(OUT, "workers"),
    outExtension: { ".js": ".mjs" },
    format: "esm",
    splitting: true,
    external: EXTERNAL
  })
  if (workersOnly) return
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
  // The same over `@effect-twilio/http-node` (node:http / node:https, nothing to `require`: no banner).
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal-node.ts")],
    outfile: Path.join(OUT, "startup/app-ours-node.mjs"),
    format: "esm",
    minify: true
  })
  // What closes the rest of the start-up gap: the same app as one CommonJS bundle, run with V8's code cache; and,
  // for fairness, twilio's minimal app bundled and run the same way.
  await esbuild.build({
    ...common,
    entryPoints: [Path.join(ROOT, "src/apps/minimal-node.ts")],
    outfile: Path.join(OUT, "startup/app-ours-node.cjs"),
    format: "cjs",
    minify: true
  })
  Fs.copyFileSync(Path.join(ROOT, "src/startup/code-cache.cjs"), Path.join(OUT, "startup/code-cache.cjs"))
  for (
    const [entry, bundle] of [["app-ours-node-cached.cjs", "app-ours-node.cjs"], [
      "app-twilio-cached.cjs",
      "app-twilio-bundled.cjs"
    ]]
  ) {
    Fs.writeFileSync(Path.join(OUT, "startup", entry), `require("./code-cache.cjs")(${JSON.stringify(bundle)})\n`)
  }
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
  Fs.copyFileSync(Path.join(OUT, "bundle/app-twilio.cjs"), Path.join(OUT, "startup/app-twilio-bundled.cjs"))
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

/** The last JSON line of a worker's stdout (which may also hold V8's GC trace, `src/gc.ts`). */
const lastJson = <A>(out: string): A => JSON.parse(out.trim().split("\n").filter((l) => l.startsWith("{")).pop()!) as A

const startServer = (bigUsers: number, smallUsers: number) =>
  new Promise<{ origin: string; stop: () => void }>((resolve, reject) => {
    const child = ChildProcess.spawn(
      NODE,
      [Path.join(OUT, "workers/server.mjs"), String(bigUsers), String(smallUsers)],
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
  /** What the collector did while the stream ran (`src/gc.ts`). */
  readonly gc: Gc.GcWindow
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
        const out = await run([
          ...Gc.WORKER_FLAGS,
          Path.join(OUT, "workers/stream.mjs"),
          origin,
          name,
          service,
          String(users)
        ])
        const gc = Gc.parseTrace(out).get("stream")
        if (gc === undefined) throw new Error(`${name}: no GC window in the stream worker's output`)
        samples[name][size].push({ ...lastJson<Omit<StreamSample, "gc">>(out), gc })
      }
    }
  }
  return samples
}

const decoding = async () => {
  log(`decoding: ${CONFIG.decodeIterations} pages per round, ${CONFIG.decodeRounds} rounds`)
  const out = await run([
    "--expose-gc",
    Path.join(OUT, "workers/decode.mjs"),
    String(CONFIG.decodeIterations),
    String(CONFIG.decodeRounds)
  ])
  return lastJson<
    {
      bytes: number
      samples: Record<string, Array<number>>
      allocated: Record<"JSON.parse" | "decodeListUserResponse", Array<number>>
    }
  >(out)
}

interface StagesSamples {
  readonly users: number
  readonly calls: number
  /** How many distinct pages the pure stages (parse, decode, stream) cycle through. */
  readonly distinctPages: number
  /** Whether `UndiciHttpClient` carries a one-step exchange (`ChatTransport`), measured as stages of its own. */
  readonly transport: boolean
  readonly stages: Record<
    string,
    {
      readonly unit: "user" | "call"
      readonly count: number
      readonly ms: Array<number>
      readonly cpuMs: Array<number>
    }
  >
  /** Per stage, the GC window of each round. */
  readonly gc: Record<string, Array<Gc.GcWindow>>
}

const stages = async (origin: string): Promise<StagesSamples> => {
  log(
    `stages: ${CONFIG.stagesUsers} users, ${CONFIG.stagesCalls} calls, ${CONFIG.stagesRounds} rounds, in one process`
  )
  const out = await run([
    ...Gc.WORKER_FLAGS,
    Path.join(OUT, "workers/stages.mjs"),
    origin,
    String(CONFIG.stagesUsers),
    String(CONFIG.stagesRounds),
    String(CONFIG.stagesCalls),
    String(CONFIG.stagesPasses)
  ])
  const result = lastJson<Omit<StagesSamples, "gc">>(out)
  const windows = Gc.parseTrace(out)
  const gc: Record<string, Array<Gc.GcWindow>> = {}
  for (const id of Object.keys(result.stages)) {
    gc[id] = []
    for (let r = 0; r < result.stages[id].ms.length; r++) {
      const w = windows.get(`${id}.${r}`)
      if (w === undefined) throw new Error(`stage ${id}: no GC window for round ${r}`)
      gc[id].push(w)
    }
  }
  return { ...result, gc }
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
  appOursNode: {
    file: "app-ours-node.mjs",
    label: "minimal app (`@effect-twilio/http-node`'s NodeHttpClient), bundled, fetches one user",
    loadOnly: false
  },
  requireTwilio: { file: "require-twilio.cjs", label: "`require(\"twilio\")`", loadOnly: false },
  appTwilio: { file: "app-twilio.cjs", label: "`twilio` minimal app, fetches one user", loadOnly: false },
  appOursNodeCached: {
    file: "app-ours-node-cached.cjs",
    label: "minimal app (`@effect-twilio/http-node`'s NodeHttpClient), bundled, fetches one user, with V8's code cache",
    loadOnly: false
  },
  appTwilioCached: {
    file: "app-twilio-cached.cjs",
    label: "`twilio` minimal app, bundled, fetches one user, with V8's code cache",
    loadOnly: false
  }
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
  // The first pass warms the file system cache and is not counted (in quick mode there is none).
  for (let r = quick ? 0 : -1; r < CONFIG.startupRuns; r++) {
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

const machineLines = (elapsedS: number) => {
  const cpus = Os.cpus()
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus.length} x ${cpus[0]?.model ?? "unknown CPU"}, ${
      Math.round(Os.totalmem() / 2 ** 30)
    } GiB, ${Os.type()} ${Os.release()}; load average ${Os.loadavg().map((l) => fmt(l, 2)).join(", ")} at the end`,
    `- Node ${process.version}; run time ${fmt(elapsedS, 0)} s`
  ]
}

/** A figure per unit (microseconds per user or call) of each round. */
const perUnit = (ms: ReadonlyArray<number>, count: number) => ms.map((m) => m * 1000 / count)
/** A figure per 100,000 units. */
const per100k = (xs: ReadonlyArray<number>, count: number) => xs.map((x) => x * 100_000 / count)
const MB = 1e6

const STREAM_STAGES: ReadonlyArray<readonly [string, string]> = [
  ["floor", "(a) raw `undici.request` + `body.text()` + `JSON.parse` (the floor)"],
  ["layer", "(b) `UndiciHttpClient`: `execute` + `text` + `JSON.parse`, no chat client"],
  ["layer-transport", "(b') `UndiciHttpClient`'s one-step exchange (`ChatTransport`) + `JSON.parse`, no chat client"],
  ["parse", "(c) `JSON.parse` alone, on the page's text"],
  ["decode", "(d) the client's decoder alone (`decodeListUserResponse` on parsed pages)"],
  ["dates", "(e) dates alone: `date_created` and `date_updated` as the decoder reads them (reproduced)"],
  ["stream", "(f) `Stream.paginateChunkEffect` over decoded pages, `Stream.runCount`"],
  ["ours", "(g) `ChatV2UserApi.streamUsers` over `UndiciHttpClient`, whole"],
  ["ours-memory", "(g') `streamUsers` over an in-memory `HttpClient` (`HttpClient.make`, no sockets)"],
  [
    "ours-memory-lean",
    "(g'') `streamUsers` over an in-memory `HttpClient.makeWith` (no `AbortController`, no response registry)"
  ],
  ["ours-memory-transport", "(g''') `streamUsers` over an in-memory `ChatTransport` (no sockets)"]
]
const CALL_STAGES: ReadonlyArray<readonly [string, string]> = [
  ["call-floor", "(i) raw `undici.request` + `body.text()` + `JSON.parse` (the floor)"],
  ["call-layer", "(i') `UndiciHttpClient`: `execute` + `text` + `JSON.parse`, no chat client"],
  ["call-layer-transport", "(i'') `UndiciHttpClient`'s one-step exchange + `JSON.parse`, no chat client"],
  ["call-decode", "(l) `JSON.parse` + `decodeUser` alone"],
  ["call-ours", "(j) `fetchUser` over `UndiciHttpClient`, end to end"],
  ["call-ours-memory", "(k) `fetchUser` over an in-memory `HttpClient` (`HttpClient.make`, no sockets)"],
  [
    "call-ours-memory-lean",
    "(k') `fetchUser` over an in-memory `HttpClient.makeWith` (no `AbortController`, no response registry)"
  ],
  ["call-ours-memory-transport", "(k'') `fetchUser` over an in-memory `ChatTransport` (no sockets)"]
]

/** The stages' tables: microseconds per user (or call), and what the collector did per 100k of them. */
const stagesTables = (sg: StagesSamples): Array<string> => {
  const lines: Array<string> = []
  const has = (id: string) => sg.stages[id] !== undefined
  const wall = (id: string) => perUnit(sg.stages[id].ms, sg.stages[id].count)
  const cpu = (id: string) => perUnit(sg.stages[id].cpuMs, sg.stages[id].count)
  const gcMs = (id: string) => per100k(sg.gc[id].map((w) => w.pauseMs), sg.stages[id].count)
  const promotedMB = (id: string) => per100k(sg.gc[id].map((w) => w.promotedBytes / MB), sg.stages[id].count)
  const row = (label: string, id: string) =>
    `| ${label} | ${spread(wall(id), 2)} | ${spread(cpu(id), 2)} | ${spread(gcMs(id))} | ${spread(promotedMB(id), 2)} |`
  /** A derived row: `f` of the stages' per-round figures (the rounds pair up: every stage runs in every round). */
  const derived = (label: string, ids: ReadonlyArray<string>, f: (...xs: Array<number>) => number) =>
    ids.every(has)
      ? [`| ${label} | ${spread(perRound(ids.map(wall), f), 2)} | ${spread(perRound(ids.map(cpu), f), 2)} | | |`]
      : []
  const header = (unit: string) => [
    `| stage | wall us/${unit} | CPU us/${unit} | GC main-thread ms per 100k | ` +
    "promoted to old generation, MB per 100k |",
    "|---|---:|---:|---:|---:|"
  ]
  const minus = (x: number, ...ys: Array<number>) => ys.reduce((a, y) => a - y, x)
  lines.push(
    `### Streaming: per user, pages of ${PAGE_SIZE} (${sg.users} users per walk; the pure stages read ` +
      `${sg.stages.parse.count / PAGE_SIZE} pages per run, cycling through ${sg.distinctPages} distinct ones)`
  )
  lines.push("")
  lines.push(...header("user"))
  for (const [id, label] of STREAM_STAGES) {
    if (!has(id)) continue
    lines.push(row(label, id))
    if (id === "dates") {
      lines.push(
        ...derived("(e) attributes alone: (d) minus (d) on pages whose `attributes` are `null`", [
          "decode",
          "decode-without-attributes"
        ], minus)
      )
      lines.push(
        ...derived("(e) links alone: (d) minus (d) on pages whose `links` are `null`", [
          "decode",
          "decode-without-links"
        ], minus)
      )
    }
  }
  lines.push(...derived("(g) minus (a): our cost over the floor", ["ours", "floor"], minus))
  lines.push(
    ...derived("(g) minus (b): what the client adds to `execute` + `text` + `JSON.parse`", ["ours", "layer"], minus)
  )
  lines.push(
    ...derived("(g) minus (b'): what the client adds to the one-step exchange", ["ours", "layer-transport"], minus)
  )
  lines.push(
    ...derived(
      "(g') minus (c), (d), (f): the client's own per-page work beyond parsing, decoding and the stream",
      ["ours-memory", "parse", "decode", "stream"],
      minus
    )
  )
  lines.push(
    ...derived(
      "(g''') minus (c), (d), (f): the same over the one-step exchange",
      ["ours-memory-transport", "parse", "decode", "stream"],
      minus
    )
  )
  lines.push("")
  lines.push(`### Per call: \`fetchUser\`, ${sg.calls} sequential calls per round (${sg.calls * 5} without sockets)`)
  lines.push("")
  lines.push(...header("call"))
  for (const [id, label] of CALL_STAGES) if (has(id)) lines.push(row(label, id))
  lines.push(...derived("(j) minus (i): our cost over the floor", ["call-ours", "call-floor"], minus))
  lines.push(
    ...derived(
      "(j) minus (i'): what the client adds to `execute` + `text` + `JSON.parse`",
      ["call-ours", "call-layer"],
      minus
    )
  )
  lines.push(
    ...derived(
      "(j) minus (i''): what the client adds to the one-step exchange",
      ["call-ours", "call-layer-transport"],
      minus
    )
  )
  lines.push(
    ...derived("(k) minus (l): the client's own machinery per call, without I/O or decoding", [
      "call-ours-memory",
      "call-decode"
    ], minus)
  )
  lines.push(
    ...derived(
      "(k'') minus (l): the same over the one-step exchange",
      ["call-ours-memory-transport", "call-decode"],
      minus
    )
  )
  lines.push("")
  const all = Object.values(sg.gc).flat()
  lines.push(
    `(h) GC per 100k users: the floor ${spread(gcMs("floor"))} ms of main-thread GC, ${
      spread(promotedMB("floor"), 2)
    } MB promoted; ` +
      `ours over \`UndiciHttpClient\` ${spread(gcMs("ours"))} ms, ${spread(promotedMB("ours"), 2)} MB. ` +
      `Trace and profiler agreed in ${all.filter((w) => w.agreed).length} of ${all.length} windows.`
  )
  lines.push(
    `Medians over ${sg.stages.floor.ms.length} rounds, [min..max] over rounds; derived rows are per-round ` +
      "differences. Every stage runs once per round in one process, the order rotating; a full `gc()` precedes " +
      "each run."
  )
  return lines
}

const stagesReport = (sg: StagesSamples, elapsedS: number) => {
  const lines: Array<string> = []
  lines.push(`# Stages of our client${quick ? " (quick mode: small N, figures not meaningful)" : ""}`)
  lines.push("")
  lines.push(...machineLines(elapsedS))
  lines.push(
    `- N: ${sg.users} users per walk, ${sg.calls} calls, ${CONFIG.stagesRounds} rounds; ` +
      `\`UndiciHttpClient\` ${sg.transport ? "carries" : "does not carry"} a one-step exchange (\`ChatTransport\`)`
  )
  lines.push("- Command: `pnpm bench --stages`.")
  lines.push("")
  lines.push(...stagesTables(sg))
  lines.push("")
  return lines.join("\n")
}

const report = (
  pc: PerCallSamples,
  st: Awaited<ReturnType<typeof streaming>>,
  dec: Awaited<ReturnType<typeof decoding>>,
  su: StartupSamples,
  bundles: ReturnType<typeof bundleSizes>,
  feet: ReturnType<typeof footprints>,
  sg: StagesSamples | undefined,
  elapsedS: number
) => {
  const lines: Array<string> = []
  lines.push(`# Benchmarks${quick ? " (quick mode: small N, figures not meaningful)" : ""}`)
  lines.push("")
  lines.push(...machineLines(elapsedS))
  lines.push(
    `- N: per call ${CONFIG.perCallN} calls per round x ${CONFIG.perCallRounds} rounds (concurrency ${CONFIG.concurrency}); ` +
      `streaming ${CONFIG.streamBig} and ${CONFIG.streamSmall} users at page size 100, ${CONFIG.streamRounds} rounds; ` +
      `decoding ${CONFIG.decodeIterations} pages x ${CONFIG.decodeRounds} rounds; start-up ${CONFIG.startupRuns} processes each`
  )
  lines.push(
    "- Figures are medians over rounds, with their range over rounds: `median [min..max]`. Ratios are ratios of the " +
      "medians, with the range of the per-round ratios (rounds pair up: contenders alternate round by round). " +
      "The server is a separate process."
  )
  lines.push("- Command: `pnpm bench` (`pnpm bench --quick` for the smoke run of `.ci/run`).")
  lines.push("")

  const seqWall = (n: ContenderName) => pc[n].sequential.wall
  const seqCpu = (n: ContenderName) => pc[n].sequential.cpu
  const conWall = (n: ContenderName) => pc[n].concurrent.wall
  const conCpu = (n: ContenderName) => pc[n].concurrent.cpu
  lines.push("## 1. Per call: `fetchUser`")
  lines.push("")
  lines.push(
    "| client | sequential us/call | ratio | CPU us/call | ratio | concurrency 16 us/call | ratio | CPU us/call | ratio |"
  )
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
  for (const n of PERCALL_CONTENDERS) {
    lines.push(
      `| ${LABELS[n]} | ${spread(seqWall(n))} | ${ratioSpread(seqWall(n), seqWall("undici"))} | ${
        spread(seqCpu(n))
      } | ${ratioSpread(seqCpu(n), seqCpu("undici"))} | ${spread(conWall(n))} | ${
        ratioSpread(conWall(n), conWall("undici"))
      } | ${spread(conCpu(n))} | ${ratioSpread(conCpu(n), conCpu("undici"))} |`
    )
  }
  lines.push("")
  lines.push("Ratios are to the floor (raw undici). Wall time per call; CPU is the client process's (user + system).")
  const vs = (f: (n: ContenderName) => ReadonlyArray<number>) => ratioSpread(f("ours-platform-node"), f("ours-undici"))
  lines.push(
    `NodeHttpClient.layerUndici over UndiciHttpClient, under our client: sequential ${vs(seqWall)} wall, ${
      vs(seqCpu)
    } CPU; concurrency ${CONFIG.concurrency} ${vs(conWall)} wall, ${vs(conCpu)} CPU.`
  )
  lines.push("")

  const rate = (n: ContenderName, size: "big" | "small" = "big") => st[n][size].map((s) => s.users / (s.ms / 1000))
  const rss = (n: ContenderName, size: "big" | "small") => st[n][size].map((s) => s.maxRssKiB / 1024)
  /** Peak RSS growth from the small service to the big one, percent, per round (each round runs both). */
  const growth = (n: ContenderName) => paired(rss(n, "big"), rss(n, "small"), (b, s) => (b / s - 1) * 100)
  const promotedMB = (n: ContenderName) => st[n].big.map((s) => s.gc.promotedBytes / MB * 100_000 / s.users)
  const gcPause = (n: ContenderName) => st[n].big.map((s) => s.gc.pauseMs * 100_000 / s.users)
  lines.push(`## 2. Streaming: every user of a service, page size 100`)
  lines.push("")
  lines.push(`| client | users/s (${CONFIG.streamBig}) | ratio | CPU ms |`)
  lines.push("|---|---:|---:|---:|")
  for (const n of STREAM_CONTENDERS) {
    lines.push(
      `| ${LABELS[n]} | ${spread(rate(n), 0)} | ${ratioSpread(rate(n), rate("undici"))} | ${
        spread(st[n].big.map((s) => s.cpuMs), 0)
      } |`
    )
  }
  lines.push("")
  lines.push(
    `UndiciHttpClient over NodeHttpClient.layerUndici, under our client: ${
      ratioSpread(rate("ours-undici"), rate("ours-platform-node"))
    } the users/s, ${
      ratioSpread(rss("ours-undici", "big"), rss("ours-platform-node", "big"))
    } the peak RSS at ${CONFIG.streamBig} users.`
  )
  lines.push("")

  lines.push(`## 3. Memory while streaming`)
  lines.push("")
  lines.push(
    "| client | old-generation promotion per 100k users (MB) | GC main-thread ms per 100k users | " +
      `mark-compacts (${CONFIG.streamBig}) | peak RSS MiB (${CONFIG.streamBig}) | ` +
      `peak RSS MiB (${CONFIG.streamSmall}) | growth % | growth minus the floor's (points) |`
  )
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|")
  for (const n of STREAM_CONTENDERS) {
    lines.push(
      `| ${LABELS[n]} | ${spread(promotedMB(n))} | ${spread(gcPause(n))} | ${
        spread(st[n].big.map((s) => s.gc.major), 0)
      } | ${spread(rss(n, "big"))} | ${spread(rss(n, "small"))} | ${spread(growth(n), 0)} | ${
        n === "undici" ? "-" : diffSpread(growth(n), growth("undici"), 0)
      } |`
    )
  }
  lines.push("")
  const windows = STREAM_CONTENDERS.flatMap((n) => [...st[n].big, ...st[n].small].map((s) => s.gc))
  lines.push(
    "Promotion: the bytes V8 moved from the young generation to the old one while the stream ran (its own " +
      "`promoted=` counter, `--trace-gc-nvp`, summed over every collection after a full `gc()`), scaled to 100k " +
      "users; GC time: the main thread's GC pauses and incremental marking steps in the same window. Peak RSS " +
      "(`maxRSS`) is the process's own, start-up included (one process per client and run); growth is per round, from the small service to the big " +
      `one. Trace and \`v8.GCProfiler\` agreed in ${
        windows.filter((w) => w.agreed).length
      } of ${windows.length} windows.`
  )
  lines.push("")

  const d = (name: string) => dec.samples[name]
  lines.push(`## 4. Decoding one 100-user page (${fmt(dec.bytes / 1024)} KiB)`)
  lines.push("")
  lines.push("| decoder | us/page | us/user | ratio to `JSON.parse` |")
  lines.push("|---|---:|---:|---:|")
  for (const name of ["JSON.parse", "decodeListUserResponse", "Schema.decodeUnknownSync"]) {
    const label = name === "JSON.parse"
      ? "`JSON.parse(text)`"
      : name === "decodeListUserResponse"
      ? "`decodeListUserResponse(JSON.parse(text))` (the client's)"
      : "`Schema.decodeUnknownSync(ListUserResponse)(JSON.parse(text))`"
    lines.push(
      `| ${label} | ${spread(d(name))} | ${spread(d(name).map((x) => x / 100), 2)} | ${
        ratioSpread(d(name), d("JSON.parse"))
      } |`
    )
  }
  lines.push("")
  lines.push(
    `Bytes allocated per user (the heap in use before and after one page, after a full \`gc()\`): \`JSON.parse\` ${
      spread(dec.allocated["JSON.parse"], 0)
    }, the client's decoder on the parsed page ${spread(dec.allocated.decodeListUserResponse, 0)}.`
  )
  lines.push("")
  lines.push(
    `A span per call with no tracer installed: \`Effect.fn\` ${
      spread(d("Effect.fn (span)").map((x) => x * 1000), 0)
    } ns/call, \`Effect.fnUntraced\` ${spread(d("Effect.fnUntraced").map((x) => x * 1000), 0)} ns/call.`
  )
  lines.push("")

  const s = (n: StartupName) => median(su.wall[n])
  const bare = s("bare")
  lines.push("## 5. Start-up (whole processes)")
  lines.push("")
  lines.push("| process | wall ms | minus bare `node` | CPU ms | minus bare `node` |")
  lines.push("|---|---:|---:|---:|---:|")
  for (const n of Object.keys(STARTUP) as Array<StartupName>) {
    lines.push(
      `| ${STARTUP[n].label} | ${spread(su.wall[n])} | ${n === "bare" ? "-" : diffSpread(su.wall[n], su.wall.bare)} | ${
        spread(su.cpu[n])
      } | ${n === "bare" ? "-" : diffSpread(su.cpu[n], su.cpu.bare)} |`
    )
  }
  lines.push("")
  lines.push("`minus bare node`: the difference of the medians, and the range of the per-pass differences.")
  lines.push("")
  lines.push(
    `With V8's code cache (the bundle compiled from a cache ${
      quick
        ? "written by this quick run's only pass, so these figures are without it"
        : "written by the uncounted first pass"
    }, through \`vm.Script\`'s \`cachedData\`, which is what Node 22's \`module.enableCompileCache()\` does), the app over ` +
      `\`@effect-twilio/http-node\` adds ${fmt(s("appOursNodeCached") - bare)} ms, ${
        ratio((s("appOursNodeCached") - bare) / (s("requireTwilio") - bare))
      } of what \`require("twilio")\` adds; twilio's own minimal app, bundled and cached the same way, adds ${
        fmt(s("appTwilioCached") - bare)
      } ms.`
  )
  lines.push("")
  const addsToEffect = median(su.importChat)
  lines.push(
    `Our package adds ${spread(su.importChat)} ms to a process that has already imported \`effect\` and ` +
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
    lines.push(`| ${LAYER_IMPORTS[n].label} | ${spread(su.importLayer[n])} |`)
  }
  lines.push("")

  lines.push("## 6. Bundle: the minimal app, bundled and minified with esbuild")
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
  lines.push("## 7. Installed footprint of each HttpClient layer (beyond `effect` and `@effect/platform`)")
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

  if (sg !== undefined) {
    lines.push("## 8. Stages of our client (smoke run: one round; `pnpm bench --stages` measures them)")
    lines.push("")
    lines.push(...stagesTables(sg))
    lines.push("")
  }

  const m = (xs: ReadonlyArray<number>) => median(xs)
  const oursSeq = m(seqWall("ours-undici"))
  const floorSeq = m(seqWall("undici"))
  const twilioSeq = m(seqWall("twilio"))
  const growthOf = (n: ContenderName) => m(growth(n))
  const promotedOurs = m(promotedMB("ours-undici"))
  const growthGap = m(growth("ours-undici")) - m(growth("undici"))
  const decodeRatio = m(d("decodeListUserResponse")) / m(d("JSON.parse"))
  const targets: Array<[string, string, boolean]> = [
    [
      "per call, sequential: at most 1.05x raw undici (ours over UndiciHttpClient)",
      `${ratioSpread(seqWall("ours-undici"), seqWall("undici"))} (CPU ${
        ratioSpread(seqCpu("ours-undici"), seqCpu("undici"))
      })`,
      oursSeq / floorSeq <= 1.05
    ],
    [
      "per call, sequential: at least 1.6x faster than twilio, CPU at least 1.8x",
      `${ratioSpread(seqWall("twilio"), seqWall("ours-undici"))} (CPU ${
        ratioSpread(seqCpu("twilio"), seqCpu("ours-undici"))
      })`,
      twilioSeq / oursSeq >= 1.6 && m(seqCpu("twilio")) / m(seqCpu("ours-undici")) >= 1.8
    ],
    [
      "streaming: at least 80% of raw undici + JSON.parse (ours over UndiciHttpClient; lazy, and with opt-in read-ahead)",
      `${ratioSpread(rate("ours-undici"), rate("undici"))} / ${
        ratioSpread(rate("ours-undici-readahead"), rate("undici"))
      }`,
      Math.max(m(rate("ours-undici")), m(rate("ours-undici-readahead"))) / m(rate("undici")) >= 0.8
    ],
    [
      "streaming: at least 1.6x twilio's rate (ours over UndiciHttpClient)",
      ratioSpread(rate("ours-undici"), rate("twilio")),
      m(rate("ours-undici")) / m(rate("twilio")) >= 1.6
    ],
    [
      `streaming: old-generation promotion at most 10 MB per 100k users (ours over UndiciHttpClient)`,
      `${spread(promotedMB("ours-undici"))} MB (the floor ${spread(promotedMB("undici"))} MB)`,
      promotedOurs <= 10
    ],
    [
      `streaming: peak RSS growth from ${CONFIG.streamSmall} to ${CONFIG.streamBig} users within 5 points of ` +
      "the floor's (ours over UndiciHttpClient)",
      `${spread(growth("ours-undici"), 0, "%")} vs ${spread(growth("undici"), 0, "%")} (${
        diffSpread(growth("ours-undici"), growth("undici"), 0)
      } points)`,
      growthGap <= 5
    ],
    [
      `streaming: peak RSS at ${CONFIG.streamBig} users within 15% of ${CONFIG.streamSmall} (ours, both layers)`,
      `${spread(growth("ours-undici"), 0, "%")} / ${spread(growth("ours-fetch"), 0, "%")}`,
      growthOf("ours-undici") <= 15 && growthOf("ours-fetch") <= 15
    ],
    [
      "decoding: at most 1.5x JSON.parse alone",
      ratioSpread(d("decodeListUserResponse"), d("JSON.parse")),
      decodeRatio <= 1.5
    ],
    [
      "start-up: our package adds at most 30 ms to an Effect app",
      `${spread(su.importChat)} ms`,
      addsToEffect <= 30
    ],
    [
      "start-up: the bundled minimal app over `@effect-twilio/http-node` (fetching one user) adds at most half of " +
      "what require(\"twilio\") adds",
      `${fmt(s("appOursNode") - bare)} ms vs ${fmt(s("requireTwilio") - bare)} ms (${
        ratio((s("appOursNode") - bare) / (s("requireTwilio") - bare))
      })`,
      s("appOursNode") - bare <= (s("requireTwilio") - bare) / 2
    ],
    [
      "start-up: the bundled minimal app over FetchHttpClient (fetching one user) adds at most half of what " +
      "require(\"twilio\") adds",
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
  lines.push("Verdicts are on the medians; the ranges show how far a verdict can be trusted on this machine.")
  lines.push("")
  return lines.join("\n")
}

const writeReport = (text: string, fallback: string) => {
  const file = outArg !== undefined ? Path.resolve(outArg) : fallback
  Fs.writeFileSync(file, text)
  process.stdout.write(text + "\n")
  log(`written to ${Path.relative(process.cwd(), file)}`)
}

const main = async () => {
  const started = performance.now()
  if (stagesOnly) {
    log(`stages${quick ? ", quick mode" : ""}`)
    log("building the workers with esbuild")
    await build(true)
    const server = await startServer(PAGE_SIZE, CONFIG.stagesUsers)
    try {
      log(`server on ${server.origin}`)
      const sg = await stages(server.origin)
      writeReport(stagesReport(sg, (performance.now() - started) / 1000), Path.join(OUT, "STAGES.md"))
    } finally {
      server.stop()
    }
    return
  }
  log(quick ? "quick mode" : "full run")
  log("building the workers with esbuild")
  await build()
  const server = await startServer(CONFIG.streamBig, CONFIG.streamSmall)
  try {
    log(`server on ${server.origin}`)
    const pc = await perCall(server.origin)
    const st = await streaming(server.origin)
    const dec = await decoding()
    // The quick run keeps the stages working (a smoke test, one round on the small service).
    const sg = quick ? await stages(server.origin) : undefined
    const su = startup(server.origin)
    const bundles = bundleSizes()
    const text = report(pc, st, dec, su, bundles, footprints(), sg, (performance.now() - started) / 1000)
    writeReport(text, quick ? Path.join(OUT, "RESULTS.quick.md") : Path.join(ROOT, "RESULTS.md"))
  } finally {
    server.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
