// The convergence bench's figures: the median of each way's rounds, its ratio to the floor (parallel
// `docker run -d`), the table and the JSON. Pure.

/** The target: muster within this many times the floor (Swarm measured about 2x on this machine). */
export const CONVERGE_TARGET = 1.5

/** The ways, in table order; `floor` is the one the ratios divide by. */
export const WAYS = [
  { key: 'run', name: 'docker run -d x N (floor)', floor: true },
  { key: 'swarm', name: 'docker service create (Swarm)' },
  { key: 'muster', name: 'muster deploy' },
]

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median (xs) {
  if (!xs.length) throw new Error('median of nothing')
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Per way: seconds of every round, the median, min, max, and the median's ratio to the floor's (null without a floor). */
export function convergeFigures (rounds) {
  const floor = rounds.run?.length ? median(rounds.run) : null
  return WAYS.filter((w) => rounds[w.key]?.length).map((w) => {
    const seconds = rounds[w.key]
    const med = median(seconds)
    return { key: w.key, name: w.name, seconds, median: med, min: Math.min(...seconds), max: Math.max(...seconds), ratio: floor ? med / floor : null }
  })
}

/** Whether muster's ratio meets the target; null when it was not measured. */
export function targetMet (figures) {
  const m = figures.find((f) => f.key === 'muster')
  return m && m.ratio !== null ? m.ratio <= CONVERGE_TARGET : null
}

/** The table: one row per way, the median seconds, min-max, the ratio to the floor. */
export function formatConvergeTable (figures, replicas) {
  const head = [`${replicas} replicas, command to all running`, 'median', 'min-max', 'x floor']
  const rows = figures.map((f) => [f.name, `${f.median.toFixed(2)} s`, `${f.min.toFixed(2)}-${f.max.toFixed(2)} s`, f.ratio === null ? 'n/a' : `${f.ratio.toFixed(2)}x`])
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ')
  const met = targetMet(figures)
  const target = `target: muster within ${CONVERGE_TARGET}x of the floor: ${met === null ? 'not measured' : met ? 'met' : 'NOT met'}`
  return [line(head), ...rows.map(line), '', target].join('\n')
}

/** The figures as JSON, with the machine and the target. */
export function convergeJson ({ machine, replicas, rounds, figures }) {
  const met = targetMet(figures)
  return { machine, replicas, rounds, ways: figures, target: { muster: `<= ${CONVERGE_TARGET}x the floor`, met } }
}
