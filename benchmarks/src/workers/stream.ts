/**
 * Streaming: one contender per process (so its peak RSS is its own), every user of a service, page after page.
 * Prints one JSON line: users, wall ms, CPU ms, peak RSS in KiB.
 *
 * argv: <origin> <contender> <service> <expected users>
 */
import { type ContenderName, makeContender } from "../clients.js"

const [origin, name, service, expectedArg] = process.argv.slice(2)

const main = async () => {
  const contender = await makeContender(name as ContenderName, origin)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const users = await contender.streamAll(service)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  if (users !== Number(expectedArg)) throw new Error(`${name} streamed ${users} users, expected ${expectedArg}`)
  const maxRssKiB = process.resourceUsage().maxRSS
  await contender.close()
  process.stdout.write(JSON.stringify({ users, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB }) + "\n")
}

main().then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
