/**
 * The loopback server, run in its own process: it answers every request from bodies rendered before it listens,
 * so it is never the bottleneck and every contender reads byte-identical answers.
 *
 * argv: <big service users> <small service users>. Prints `{"port": N}` on one line once listening.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { FETCH_USERS, PAGE_SIZE, pageJson, SERVICE_BIG, SERVICE_SMALL, userJson, userSid } from "./fixtures.js"

const bigUsers = Number(process.argv[2] ?? 100_000)
const smallUsers = Number(process.argv[3] ?? 10_000)

const render = (value: unknown) => Buffer.from(JSON.stringify(value))

const users = new Map<string, Buffer>()
for (let i = 0; i < FETCH_USERS; i++) {
  users.set(`/v2/Services/${SERVICE_BIG}/Users/${userSid(i)}`, render(userJson(SERVICE_BIG, i, false)))
}
const pages = new Map<string, Array<Buffer>>()
for (const [service, total] of [[SERVICE_BIG, bigUsers], [SERVICE_SMALL, smallUsers]] as const) {
  const list: Array<Buffer> = []
  for (let p = 0; p * PAGE_SIZE < total || p === 0; p++) list.push(render(pageJson(service, total, p)))
  pages.set(`/v2/Services/${service}/Users`, list)
}
const notFound = render({ code: 20404, message: "The requested resource was not found", status: 404 })

const send = (res: Http.ServerResponse, status: number, body: Buffer) => {
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length })
  res.end(body)
}

const server = Http.createServer((req, res) => {
  const url = req.url ?? "/"
  const q = url.indexOf("?")
  const path = q === -1 ? url : url.slice(0, q)
  const user = users.get(path)
  if (user !== undefined) return send(res, 200, user)
  const list = pages.get(path)
  if (list !== undefined) {
    const params = new URLSearchParams(q === -1 ? "" : url.slice(q + 1))
    const page = Number(params.get("Page") ?? 0)
    const pageSize = Number(params.get("PageSize") ?? 50)
    const body = pageSize === PAGE_SIZE ? list[page] : undefined
    if (body !== undefined) return send(res, 200, body)
    return send(res, 404, notFound)
  }
  send(res, 404, notFound)
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
