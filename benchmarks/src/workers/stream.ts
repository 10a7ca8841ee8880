/**
 * Streaming: one contender per process (so its peak RSS is its own), every user of a service, page after page.
 * Run with `--expose-gc --trace-gc-nvp`: the stream runs in a GC window (`src/gc.ts`), so the parent reads from
 * the trace how many bytes it promoted to the old generation and how long the collector paused it. Prints one JSON
 * line: users, wall ms, CPU ms, peak RSS in KiB.
 *
 * argv: <origin> <contender> <service> <expected users>
 */
import { type ContenderName, makeContender } from "../clients.js"
import * as Gc from "../gc.js"

const [origin, name, service, expectedArg] = process.argv.slice(2)

const main = async () => {
  const contender = await makeContender(name as ContenderName, origin)
  const { cpuMs, ms, value: users } = await Gc.window("stream", () => contender.streamAll(service))
  if (users !== Number(expectedArg)) throw new Error(`${name} streamed ${users} users, expected ${expectedArg}`)
  const maxRssKiB = process.resourceUsage().maxRSS
  await contender.close()
  process.stdout.write(JSON.stringify({ users, ms, cpuMs, maxRssKiB }) + "\n")
}

main().then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
