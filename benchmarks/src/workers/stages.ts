/**
 * `pnpm bench --stages`: the cost of each stage of our client's streaming path and per-call path, in one process,
 * over the same loopback server, so that a regression can be traced to its stage. Every stage runs once per round,
 * the order rotating each round, each run in a GC window (`src/gc.ts`: run with `--expose-gc --trace-gc-nvp`).
 *
 * Prints one JSON line: per stage, its unit (user or call), how many units a run holds, and the wall and CPU
 * milliseconds of each round's run. The GC figures are read by the parent from the trace (window `ID.ROUND`).
 *
 * argv: <origin> <users of the small service> <rounds> <calls per round> <passes over the pages per round>. For
 * profiling (`node --cpu-prof`), BENCH_ONLY=id,id runs only those stages.
 */
import { UndiciHttpClient } from "@effect-twilio/http-undici"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
// The decoder is internal to the package (not exported): measured from its source, as `decode.ts` does.
import type { ListUserResponse } from "../../../packages/chat/src/ChatV2ServiceUser.js"
import { decodeListUserResponse, decodeUser } from "../../../packages/chat/src/internal/decode.js"
import * as Answers from "../answers.js"
import { makeContender } from "../clients.js"
import { firstPagePath, HEADERS, userPath } from "../clients/common.js"
import * as Effectful from "../clients/effect.js"
import * as Memory from "../clients/memory.js"
import { FETCH_USERS, PAGE_SIZE, SERVICE_BIG, SERVICE_SMALL, TWILIO_ORIGIN, userSid } from "../fixtures.js"
import * as Gc from "../gc.js"

const [origin, usersArg, roundsArg, callsArg, passesArg] = process.argv.slice(2)
const users = Number(usersArg)
const rounds = Number(roundsArg)
const calls = Number(callsArg)
const passes = Number(passesArg)
/** Calls without sockets are an order of magnitude cheaper: more of them, for as long a run. */
const memoryCalls = calls * 5
/** The pure stages (parse, decode, stream) cycle through this many distinct pages (`passes` times). */
const DISTINCT_PAGES = Math.min(20, Math.ceil(users / PAGE_SIZE))

const answer = Answers.make(PAGE_SIZE, users)
const pageTexts = Array.from(
  { length: DISTINCT_PAGES },
  (_, p) => answer(`/v2/Services/${SERVICE_SMALL}/Users`, `?PageSize=${PAGE_SIZE}&Page=${p}`).body.toString("utf8")
)
const userTexts = Array.from(
  { length: FETCH_USERS },
  (_, i) => answer(`/v2/Services/${SERVICE_BIG}/Users/${userSid(i)}`, "").body.toString("utf8")
)
type RawPage = { users: Array<Record<string, unknown>>; meta: { next_page_url: string | null } }
/** Pages as `JSON.parse` gives them; the variants lose one field's cost (`null` is a value the decoder accepts). */
const parsed = pageTexts.map((t) => JSON.parse(t) as RawPage)
const without = (field: string) =>
  pageTexts.map((t) => {
    const page = JSON.parse(t) as RawPage
    for (const u of page.users) u[field] = null
    // Parsed again, so that the objects have the shapes `JSON.parse` gives.
    return JSON.parse(JSON.stringify(page)) as RawPage
  })
const withoutAttributes = without("attributes")
const withoutLinks = without("links")
const decodedPages: Array<ListUserResponse> = parsed.map((p) => {
  const result = decodeListUserResponse(p)
  if (!result.ok) throw new Error(`a page does not decode: ${result.error}`)
  return result.value
})
for (const variant of [withoutAttributes, withoutLinks]) {
  for (const p of variant) if (!decodeListUserResponse(p).ok) throw new Error("a variant page does not decode")
}

/**
 * The decoder's date work, reproduced (it is not exported): Twilio's `YYYY-MM-DDTHH:MM:SSZ` read digit by digit
 * into `Date.UTC`, then `DateTime.unsafeFromDate(new Date(millis))`. Mirrors `twilioDateMillis` and `date` of
 * `packages/chat/src/internal/decode.ts`: keep the two in step.
 */
const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : NaN
}
const twilioDate = (s: string): DateTime.Utc => {
  if (
    s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90
  ) throw new Error(`not a Twilio date: ${s}`)
  const millis = Date.UTC(
    digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3),
    digit(s, 5) * 10 + digit(s, 6) - 1,
    digit(s, 8) * 10 + digit(s, 9),
    digit(s, 11) * 10 + digit(s, 12),
    digit(s, 14) * 10 + digit(s, 15),
    digit(s, 17) * 10 + digit(s, 18)
  )
  return DateTime.unsafeFromDate(new Date(millis))
}

let sink: unknown

/** `passes` times over the distinct pages; answers the users seen. */
const overPages = (pages: ReadonlyArray<unknown>, f: (page: any) => unknown) => async () => {
  let n = 0
  for (let pass = 0; pass < passes; pass++) {
    for (const page of pages) {
      sink = f(page)
      n += PAGE_SIZE
    }
  }
  return n
}

const decodeOrThrow = (page: unknown) => {
  const result = decodeListUserResponse(page)
  if (!result.ok) throw new Error(result.error)
  return result.value
}

/** A walk of the small service through `get`, as the raw contenders do (`clients/common.ts`). */
const walkWith = (get: (url: string) => Effect.Effect<string, unknown>) =>
  Effect.gen(function*() {
    let count = 0
    let url: string | null = origin + firstPagePath(SERVICE_SMALL)
    while (url !== null) {
      const page = JSON.parse(yield* get(url)) as RawPage
      count += page.users.length
      const next: string | null = page.meta.next_page_url
      url = next === null ? null : origin + next.slice(TWILIO_ORIGIN.length)
    }
    return count
  })

/** The one-step exchange `@effect-twilio/chat` takes when the `HttpClient` carries one (see `clients/memory.ts`). */
interface Transport {
  readonly exchange: <A>(
    request: HttpClientRequest.HttpClientRequest,
    limits: { readonly timeoutMillis: number; readonly maxBodyBytes: number },
    onAnswer: (status: number, headers: unknown, text: string) => A
  ) => Effect.Effect<A, unknown>
}
const TRANSPORT = Symbol.for("@effect-twilio/chat/ChatTransport")
const LIMITS = { timeoutMillis: 30_000, maxBodyBytes: 8 * 1024 * 1024 }

interface Stage {
  readonly id: string
  readonly unit: "user" | "call"
  /** Runs the stage once; answers how many units it did. */
  readonly run: () => Promise<number>
}

const main = async () => {
  const floor = await makeContender("undici", origin)
  const ours = await makeContender("ours-undici", origin)
  const memoryOrigin = "http://127.0.0.1:9"
  const oursMemory = Effectful.make(
    "ours-memory",
    memoryOrigin,
    Layer.succeed(HttpClient.HttpClient, Memory.make(answer))
  )
  const oursLean = Effectful.make(
    "ours-memory-lean",
    memoryOrigin,
    Layer.succeed(HttpClient.HttpClient, Memory.makeLean(answer))
  )
  const oursTransport = Effectful.make(
    "ours-memory-transport",
    memoryOrigin,
    Layer.succeed(HttpClient.HttpClient, Memory.withTransport(answer))
  )
  // Our HttpClient layer alone, as the client drives it: its own span off (`currentTracerDisabledWhen`).
  const layerRuntime = ManagedRuntime.make(UndiciHttpClient.layer)
  const http = await layerRuntime.runPromise(HttpClient.HttpClient)
  const noSpan = <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.locally(effect, HttpClient.currentTracerDisabledWhen, constTrue)
  const executeText = (url: string) =>
    Effect.flatMap(http.execute(HttpClientRequest.get(url, { headers: HEADERS })), (response) => response.text)
  const transport = (http as unknown as Record<symbol, Transport | undefined>)[TRANSPORT]
  const exchangeText = (url: string) =>
    transport!.exchange(HttpClientRequest.get(url, { headers: HEADERS }), LIMITS, (_status, _headers, text) => text)
  const runLayer = <A>(effect: Effect.Effect<A, unknown>) => layerRuntime.runPromise(noSpan(effect))
  const callsWith = (get: (url: string) => Effect.Effect<string, unknown>) => () =>
    runLayer(Effect.gen(function*() {
      for (let i = 0; i < calls; i++) sink = JSON.parse(yield* get(origin + userPath(i)))
      return calls
    }))

  const paginate = () =>
    Effect.runPromise(Stream.runCount(
      Stream.paginateChunkEffect(0, (i: number) =>
        Effect.succeed(
          [
            Chunk.unsafeFromArray(decodedPages[i % decodedPages.length].users),
            i + 1 < passes * decodedPages.length ? Option.some(i + 1) : Option.none()
          ] as const
        ))
    ))

  const stages: Array<Stage> = [
    { id: "floor", unit: "user", run: () => floor.streamAll(SERVICE_SMALL) },
    { id: "layer", unit: "user", run: () => runLayer(walkWith(executeText)) },
    ...(transport === undefined ? [] : [
      { id: "layer-transport", unit: "user", run: () => runLayer(walkWith(exchangeText)) } as const
    ]),
    { id: "parse", unit: "user", run: overPages(pageTexts, (t: string) => JSON.parse(t)) },
    { id: "decode", unit: "user", run: overPages(parsed, decodeOrThrow) },
    { id: "decode-without-attributes", unit: "user", run: overPages(withoutAttributes, decodeOrThrow) },
    { id: "decode-without-links", unit: "user", run: overPages(withoutLinks, decodeOrThrow) },
    {
      id: "dates",
      unit: "user",
      run: overPages(parsed, (page: RawPage) => {
        const out = new Array(page.users.length * 2)
        for (let i = 0; i < page.users.length; i++) {
          out[2 * i] = twilioDate(page.users[i].date_created as string)
          out[2 * i + 1] = twilioDate(page.users[i].date_updated as string)
        }
        return out
      })
    },
    { id: "stream", unit: "user", run: paginate },
    { id: "ours", unit: "user", run: () => ours.streamAll(SERVICE_SMALL) },
    { id: "ours-memory", unit: "user", run: () => oursMemory.streamAll(SERVICE_SMALL) },
    { id: "ours-memory-lean", unit: "user", run: () => oursLean.streamAll(SERVICE_SMALL) },
    { id: "ours-memory-transport", unit: "user", run: () => oursTransport.streamAll(SERVICE_SMALL) },
    {
      id: "call-floor",
      unit: "call",
      run: async () => {
        await floor.sequential(calls)
        return calls
      }
    },
    { id: "call-layer", unit: "call", run: callsWith(executeText) },
    ...(transport === undefined
      ? []
      : [{ id: "call-layer-transport", unit: "call", run: callsWith(exchangeText) } as const]),
    {
      id: "call-decode",
      unit: "call",
      run: async () => {
        for (let i = 0; i < memoryCalls; i++) {
          const result = decodeUser(JSON.parse(userTexts[i % FETCH_USERS]))
          if (!result.ok) throw new Error(result.error)
          sink = result.value
        }
        return memoryCalls
      }
    },
    {
      id: "call-ours",
      unit: "call",
      run: async () => {
        await ours.sequential(calls)
        return calls
      }
    },
    {
      id: "call-ours-memory",
      unit: "call",
      run: async () => {
        await oursMemory.sequential(memoryCalls)
        return memoryCalls
      }
    },
    {
      id: "call-ours-memory-lean",
      unit: "call",
      run: async () => {
        await oursLean.sequential(memoryCalls)
        return memoryCalls
      }
    },
    {
      id: "call-ours-memory-transport",
      unit: "call",
      run: async () => {
        await oursTransport.sequential(memoryCalls)
        return memoryCalls
      }
    }
  ]

  // For profiling one stage (`node --cpu-prof`): BENCH_ONLY=id,id runs only those.
  const only = process.env.BENCH_ONLY?.split(",")
  if (only !== undefined) stages.splice(0, stages.length, ...stages.filter((s) => only.includes(s.id)))
  const out: Record<string, { unit: string; count: number; ms: Array<number>; cpuMs: Array<number> }> = {}
  // Warm-up (JIT, connections), not counted; it checks that every streaming stage sees every user.
  for (const s of stages) {
    const n = await s.run()
    if (s.unit === "user" && !["parse", "decode", "stream", "dates"].some((p) => s.id.startsWith(p))) {
      if (n !== users) throw new Error(`${s.id} streamed ${n} users, expected ${users}`)
    }
    out[s.id] = { unit: s.unit, count: n, ms: [], cpuMs: [] }
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < stages.length; k++) {
      const s = stages[(k + r) % stages.length]
      const { cpuMs, ms, value } = await Gc.window(`${s.id}.${r}`, s.run)
      if (value !== out[s.id].count) throw new Error(`${s.id} did ${value} units, then ${out[s.id].count}`)
      out[s.id].ms.push(ms)
      out[s.id].cpuMs.push(cpuMs)
    }
  }
  void sink
  for (const c of [floor, ours, oursMemory, oursLean, oursTransport]) await c.close()
  await layerRuntime.dispose()
  process.stdout.write(
    JSON.stringify({
      users,
      calls,
      rounds,
      distinctPages: DISTINCT_PAGES,
      transport: transport !== undefined,
      stages: out
    }) + "\n"
  )
}

main().then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
