/**
 * The loopback server, run in its own process: it answers every request from bodies rendered before it listens,
 * so it is never the bottleneck and every contender reads byte-identical answers.
 *
 * argv: <big service users> <small service users>. Prints `{"port": N}` on one line once listening.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Answers from "./answers.js"

const answer = Answers.make(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 10_000))

const server = Http.createServer((req, res) => {
  const url = req.url ?? "/"
  const q = url.indexOf("?")
  const { body, status } = q === -1 ? answer(url, "") : answer(url.slice(0, q), url.slice(q))
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + "\n")
})
// Bounded: the server stops with its parent (stdin closes; BENCH_SERVER_DETACHED=1 for a profiling session started
// by hand) or after an hour at most.
if (process.env.BENCH_SERVER_DETACHED !== "1") {
  process.stdin.resume()
  process.stdin.on("end", () => process.exit(0))
}
setTimeout(() => process.exit(0), 60 * 60 * 1000).unref()
