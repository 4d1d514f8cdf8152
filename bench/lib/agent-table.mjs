// Turns the agent bench's measurements into the printed table and verdicts. Pure: numbers in, lines out.

/** What the agent is held to (issue 3): steady RSS, report latency at the median, idle CPU. */
export const AGENT_TARGETS = { rssBytes: 60e6, p50Ms: 5, cpuPercent: 1 }

/**
 * The p-th percentile (0 < p <= 100) of a non-empty list by the nearest-rank method: the smallest value
 * with at least p% of the list at or below it.
 */
export function percentile (xs, p) {
  if (xs.length === 0) throw new Error('percentile of an empty list')
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]
}

const mb = (kib) => `${(kib * 1024 / 1e6).toFixed(1)} MB`
const ms = (x) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`
const pct = (x) => `${x.toFixed(2)} %`
// Small ratios keep three decimals: the agent answers some requests 100x faster than the anchor.
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(a / b < 0.1 ? 3 : 1)}x` : '-')

/**
 * The side-by-side table: one row per figure, columns agent, anchor and agent/anchor. Each side is
 * { rssKib, anonKib, loadRssKib, p50Ms, p99Ms, cpuPercent }; the anchor may be null (not installed).
 */
export function formatAgentTable (agent, anchor, names = { agent: 'muster agent', anchor: 'node_exporter' }) {
  const figures = [
    ['steady RSS', 'rssKib', mb],
    ['  of it private (anon)', 'anonKib', mb],
    ['RSS after the load', 'loadRssKib', mb],
    ['request p50', 'p50Ms', ms],
    ['request p99', 'p99Ms', ms],
    ['idle CPU (one core)', 'cpuPercent', pct],
  ]
  const head = ['', names.agent, names.anchor, 'agent/anchor']
  const body = figures.map(([label, key, show]) => [
    label,
    show(agent[key]),
    anchor ? show(anchor[key]) : 'n/a',
    anchor ? ratio(agent[key], anchor[key]) : '-',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  // Labels left, figures right, as a reader scans them.
  const cell = (s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))
  return [head, ...body].map((cols) => cols.map(cell).join('  ').trimEnd()).join('\n')
}

/** Lines "target: measured PASS|MISS" for steady RSS, report p50 and idle CPU. */
export function formatAgentTargets (agent, targets = AGENT_TARGETS) {
  const verdict = (ok) => (ok ? 'PASS' : 'MISS')
  const rssBytes = agent.rssKib * 1024
  return [
    `steady RSS at most ${targets.rssBytes / 1e6} MB: ${mb(agent.rssKib)}  ${verdict(rssBytes <= targets.rssBytes)}`,
    `/v1/report p50 under ${targets.p50Ms} ms: ${ms(agent.p50Ms)}  ${verdict(agent.p50Ms < targets.p50Ms)}`,
    `idle CPU under ${targets.cpuPercent}% of a core: ${pct(agent.cpuPercent)}  ${verdict(agent.cpuPercent < targets.cpuPercent)}`,
  ].join('\n')
}
