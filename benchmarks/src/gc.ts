/**
 * What the garbage collector does while a piece of work runs: how many bytes V8 promotes to the old generation and
 * how long it pauses the main thread.
 *
 * Two instruments watch the same window:
 * - V8's own accounting, `--trace-gc-nvp`: one line per collection on stdout (scavenges `gc=s`, mark-compacts
 *   `gc=mc`, minor mark-sweeps), each with `pause=` (main-thread milliseconds; a mark-compact's line also has
 *   `incremental=`, its marking steps on the main thread before the pause) and `promoted=` (bytes moved from the
 *   young generation to the old one by that collection, scavenges and mark-compacts alike). The worker brackets the
 *   window with `@@begin ID` and `@@end ID` on stdout after a full `gc()`, so the young generation is empty at the
 *   start and every byte promoted inside was allocated inside; the parent sums the lines between the markers
 *   (`parseTrace`).
 * - `v8.GCProfiler`, started and stopped in the process around the same work: the heap spaces before and after each
 *   collection. It tells how many collections the window held (so the parent can check that no trace line fell on
 *   the wrong side of a marker) and, for scavenges, the growth of the old spaces, which is what they promote:
 *   the two sums agree to within a few hundred bytes in hundreds of megabytes.
 *
 * Workers run with `--expose-gc --trace-gc-nvp`.
 */
import * as V8 from "node:v8"

const forceGc = (globalThis as { gc?: () => void }).gc ?? (() => {})

/** The spaces of the old generation (everything but the young generation and the read-only space). */
const YOUNG = new Set(["new_space", "new_large_object_space", "read_only_space"])
const oldUsed = (spaces: ReadonlyArray<V8.HeapSpaceStatistics>) =>
  spaces.reduce((n, s) => n + (YOUNG.has(s.spaceName) ? 0 : s.spaceUsedSize), 0)

/** What `v8.GCProfiler` saw in a window. */
export interface ProfilerSummary {
  /** Scavenges and minor mark-sweeps. */
  readonly minor: number
  /** Full mark-compacts. */
  readonly major: number
  /** The growth of the old spaces across the minor collections: their promotion. */
  readonly minorPromotedBytes: number
}

const summarize = (result: V8.GCProfilerResult): ProfilerSummary => {
  let minor = 0
  let major = 0
  let minorPromotedBytes = 0
  for (const s of result.statistics) {
    if (s.gcType === "Scavenge" || s.gcType.startsWith("Minor")) {
      minor++
      minorPromotedBytes += oldUsed(s.afterGC.heapSpaceStatistics) - oldUsed(s.beforeGC.heapSpaceStatistics)
    } else if (s.gcType === "MarkSweepCompact") {
      major++
    }
  }
  return { minor, major, minorPromotedBytes }
}

/**
 * Runs `f` in a window named `id` (no spaces): a full collection first, then the markers around it on stdout, and
 * the profiler's summary on a line of its own after the end marker. Answers the wall and CPU milliseconds of `f`.
 */
export const window = async <A>(
  id: string,
  f: () => Promise<A>
): Promise<{ readonly value: A; readonly ms: number; readonly cpuMs: number }> => {
  forceGc()
  const profiler = new V8.GCProfiler()
  const begin = `@@begin ${id}\n`
  const end = `@@end ${id}\n`
  process.stdout.write(begin)
  profiler.start()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await f()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const result = profiler.stop()
  process.stdout.write(end)
  process.stdout.write(`@@profiler ${id} ${JSON.stringify(summarize(result))}\n`)
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 }
}

/** What the trace shows of one window, checked against the profiler. */
export interface GcWindow {
  /** Bytes promoted to the old generation, by every collection in the window (V8's `promoted=`). */
  readonly promotedBytes: number
  /** Main-thread GC time, milliseconds: the collections' pauses and the incremental marking steps before them. */
  readonly pauseMs: number
  readonly minor: number
  readonly major: number
  /** Whether the trace and the profiler counted the same collections, and agree on the minor ones' promotion. */
  readonly agreed: boolean
  /** The profiler's promotion by minor collections, and the trace's, for the report's cross-check. */
  readonly profilerMinorPromotedBytes: number
  readonly traceMinorPromotedBytes: number
}

const NVP = /^\[\d+:0x[0-9a-f]+\]\s+.*?\bpause=([\d.]+) .*?\bgc=(\w+) .*?\bpromoted=(\d+)/
/** A mark-compact's incremental marking steps, on the main thread before its final pause. */
const INCREMENTAL = / incremental=([\d.]+) /

/** The windows of a worker's stdout, by id. */
export const parseTrace = (stdout: string): Map<string, GcWindow> => {
  const windows = new Map<string, GcWindow>()
  let open:
    | { id: string; promoted: number; minorPromoted: number; pause: number; minor: number; major: number }
    | undefined
  const closed = new Map<string, NonNullable<typeof open>>()
  for (const line of stdout.split("\n")) {
    if (line.startsWith("@@begin ")) {
      open = { id: line.slice(8), promoted: 0, minorPromoted: 0, pause: 0, minor: 0, major: 0 }
    } else if (line.startsWith("@@end ")) {
      if (open !== undefined) closed.set(open.id, open)
      open = undefined
    } else if (line.startsWith("@@profiler ")) {
      const space = line.indexOf(" ", 11)
      const id = line.slice(11, space)
      const p = JSON.parse(line.slice(space + 1)) as ProfilerSummary
      const t = closed.get(id)
      if (t === undefined) continue
      windows.set(id, {
        promotedBytes: t.promoted,
        pauseMs: t.pause,
        minor: t.minor,
        major: t.major,
        agreed: t.minor === p.minor && t.major === p.major &&
          Math.abs(t.minorPromoted - p.minorPromotedBytes) <= 64 * 1024 + t.minorPromoted * 0.01,
        profilerMinorPromotedBytes: p.minorPromotedBytes,
        traceMinorPromotedBytes: t.minorPromoted
      })
    } else if (open !== undefined) {
      const m = NVP.exec(line)
      if (m === null) continue
      const promoted = Number(m[3])
      const incremental = INCREMENTAL.exec(line)
      open.pause += Number(m[1]) + (incremental === null ? 0 : Number(incremental[1]))
      open.promoted += promoted
      if (m[2] === "mc") open.major++
      else {
        open.minor++
        open.minorPromoted += promoted
      }
    }
  }
  return windows
}

/** The flags every measured worker runs with. */
export const WORKER_FLAGS = ["--expose-gc", "--trace-gc-nvp"]
