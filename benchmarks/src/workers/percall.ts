/**
 * Per call: every contender in one process, alternating round by round (the order rotates), N sequential calls and
 * N calls 16 at a time. Prints one JSON line: per contender and mode, the wall and CPU microseconds per call of
 * each round.
 *
 * argv: <origin> <n> <rounds> <concurrency>. For profiling (`node --cpu-prof`), BENCH_ONLY=name,name runs only those.
 */
import { type Contender, makeContender, PERCALL_CONTENDERS } from "../clients.js"

const [origin, nArg, roundsArg, concurrencyArg] = process.argv.slice(2)
const n = Number(nArg)
const rounds = Number(roundsArg)
const concurrency = Number(concurrencyArg)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

type Mode = "sequential" | "concurrent"
const samples: Record<string, Record<Mode, { wall: Array<number>; cpu: Array<number> }>> = {}

const measure = async (contender: Contender, mode: Mode, calls: number) => {
  gc()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  if (mode === "sequential") await contender.sequential(calls)
  else await contender.concurrent(calls, concurrency)
  const wall = (performance.now() - t0) * 1000 / calls
  const cpu = process.cpuUsage(cpu0)
  return { wall, cpu: (cpu.user + cpu.system) / calls }
}

const main = async () => {
  const contenders: Array<Contender> = []
  const only = process.env.BENCH_ONLY?.split(",")
  for (const name of PERCALL_CONTENDERS) {
    if (only === undefined || only.includes(name)) contenders.push(await makeContender(name, origin))
  }
  // Warm-up (JIT, connections), not counted.
  for (const c of contenders) {
    await measure(c, "sequential", Math.max(50, Math.floor(n / 4)))
    await measure(c, "concurrent", Math.max(50, Math.floor(n / 4)))
  }
  for (const c of contenders) samples[c.name] = { sequential: { wall: [], cpu: [] }, concurrent: { wall: [], cpu: [] } }
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length])
    for (const mode of ["sequential", "concurrent"] as const) {
      for (const c of order) {
        const s = await measure(c, mode, n)
        samples[c.name][mode].wall.push(s.wall)
        samples[c.name][mode].cpu.push(s.cpu)
      }
    }
  }
  for (const c of contenders) await c.close()
  process.stdout.write(JSON.stringify(samples) + "\n")
}

main().then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
