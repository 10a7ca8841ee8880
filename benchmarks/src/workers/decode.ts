/**
 * Decoding: one 100-user page, through `JSON.parse` alone, through the decoder the client uses
 * (`decodeListUserResponse(JSON.parse(text))`) and through the plain Schema (`Schema.decodeUnknownSync`), alternating
 * round by round. Also the cost of a span per call when no tracer is installed (`Effect.fn` against
 * `Effect.fnUntraced`), and the bytes each of parsing and decoding allocates per user. Prints one JSON line of
 * microseconds per page (or per call), and of bytes per user, for each round. Run with `--expose-gc`.
 *
 * argv: <iterations> <rounds>
 */
import { ListUserResponse } from "@effect-twilio/chat"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
// The fast decoder is internal to the package (not exported): measured from its source.
import { decodeListUserResponse } from "../../../packages/chat/src/internal/decode.js"
import { PAGE_SIZE, pageJson, SERVICE_BIG } from "../fixtures.js"

const iterations = Number(process.argv[2])
const rounds = Number(process.argv[3])
const text = JSON.stringify(pageJson(SERVICE_BIG, 100_000, 3, PAGE_SIZE))
const schemaDecode = Schema.decodeUnknownSync(ListUserResponse)

const check = decodeListUserResponse(JSON.parse(text))
if (!check.ok || check.value.users.length !== PAGE_SIZE) throw new Error("the page does not decode")
if (schemaDecode(JSON.parse(text)).users.length !== PAGE_SIZE) throw new Error("the Schema does not decode the page")

let sink: unknown
const contenders: Record<string, () => void> = {
  "JSON.parse": () => {
    sink = JSON.parse(text)
  },
  decodeListUserResponse: () => {
    sink = decodeListUserResponse(JSON.parse(text))
  },
  "Schema.decodeUnknownSync": () => {
    sink = schemaDecode(JSON.parse(text))
  }
}

const traced = Effect.fn("Bench.traced")(function*(i: number) {
  return i + 1
})
const untraced = Effect.fnUntraced(function*(i: number) {
  return i + 1
})
const spanCalls = iterations * 50
const loop = (f: (i: number) => Effect.Effect<number>) =>
  Effect.gen(function*() {
    let total = 0
    for (let i = 0; i < spanCalls; i++) total += yield* f(i)
    return total
  })
const spanContenders: Record<string, () => void> = {
  "Effect.fn (span)": () => {
    sink = Effect.runSync(loop(traced))
  },
  "Effect.fnUntraced": () => {
    sink = Effect.runSync(loop(untraced))
  }
}

const time = (f: () => void, count: number) => {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) f()
  return (performance.now() - t0) * 1000 / count
}

const samples: Record<string, Array<number>> = {}
for (const name of [...Object.keys(contenders), ...Object.keys(spanContenders)]) samples[name] = []
// Warm-up.
for (const f of Object.values(contenders)) time(f, Math.max(10, iterations >> 2))
for (const f of Object.values(spanContenders)) time(f, 1)
for (let r = 0; r < rounds; r++) {
  const names = Object.keys(contenders)
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + r) % names.length]
    samples[name].push(time(contenders[name], iterations))
  }
  for (const name of Object.keys(spanContenders)) samples[name].push(time(spanContenders[name], 1) / spanCalls)
}
/**
 * Bytes allocated per user by one step alone: the heap in use just before and just after it, after a full `gc()`
 * (a page allocates far less than the young generation holds, so no collection runs in between).
 */
const allocatedPerUser = (step: () => unknown) => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with --expose-gc")
  gc()
  const before = process.memoryUsage().heapUsed
  sink = step()
  return (process.memoryUsage().heapUsed - before) / PAGE_SIZE
}
const allocated: Record<string, Array<number>> = { "JSON.parse": [], decodeListUserResponse: [] }
for (let r = 0; r < rounds; r++) {
  allocated["JSON.parse"].push(allocatedPerUser(() => JSON.parse(text)))
  const parsed = JSON.parse(text)
  allocated.decodeListUserResponse.push(allocatedPerUser(() => decodeListUserResponse(parsed)))
}
void sink
process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), samples, allocated }) + "\n")
