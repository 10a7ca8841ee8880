/**
 * The report's statistics: a median with its range over rounds, and ratios (or differences) of medians with the
 * range of the per-round ratios (or differences) where the rounds pair up (the same round of both contenders).
 */

export const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}
const min = (xs: ReadonlyArray<number>) => Math.min(...xs)
const max = (xs: ReadonlyArray<number>) => Math.max(...xs)

export const fmt = (x: number, digits = 1) => x.toFixed(digits)
export const ratio = (x: number) => `${x.toFixed(2)}x`

/** `246.4 [231.0..262.3]`: the median and the range over rounds (the value alone for a single round). */
export const spread = (xs: ReadonlyArray<number>, digits = 1, unit = "") =>
  xs.length === 0
    ? "-"
    : xs.length === 1
    ? `${fmt(xs[0], digits)}${unit}`
    : `${fmt(median(xs), digits)}${unit} [${fmt(min(xs), digits)}..${fmt(max(xs), digits)}]`

/** The per-round values `f(xs[i], ys[i])`, when both have the same rounds; otherwise none. */
export const paired = (
  xs: ReadonlyArray<number>,
  ys: ReadonlyArray<number>,
  f: (x: number, y: number) => number
): Array<number> => xs.length === ys.length ? xs.map((x, i) => f(x, ys[i])) : []

/** `1.22x [1.15..1.30]`: the ratio of the medians, and the range of the per-round ratios where rounds pair up. */
export const ratioSpread = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>) => {
  if (xs.length === ys.length && xs.every((x, i) => x === ys[i])) return "1.00x"
  const headline = ratio(median(xs) / median(ys))
  const rounds = paired(xs, ys, (x, y) => x / y)
  return rounds.length < 2 ? headline : `${headline} [${fmt(min(rounds), 2)}..${fmt(max(rounds), 2)}]`
}

/** `+12.3 [8.1..15.0]`: the difference of the medians, and the range of the per-round differences. */
export const diffSpread = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>, digits = 1, unit = "") => {
  const d = median(xs) - median(ys)
  const sign = (x: number) => (x >= 0 ? "+" : "") + fmt(x, digits)
  const rounds = paired(xs, ys, (x, y) => x - y)
  return rounds.length < 2
    ? `${sign(d)}${unit}`
    : `${sign(d)}${unit} [${sign(min(rounds))}..${sign(max(rounds))}]`
}

/** Per-round values computed from several series of the same rounds. */
export const perRound = (series: ReadonlyArray<ReadonlyArray<number>>, f: (...xs: Array<number>) => number) => {
  const n = Math.min(...series.map((s) => s.length))
  return Array.from({ length: n }, (_, i) => f(...series.map((s) => s[i])))
}
