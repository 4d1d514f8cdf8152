// Turns measurements into the printed table and the target verdicts. Pure: numbers in, lines out.

/** The goals muster is held to, checked on the largest fleet of the run. */
export const TARGETS = { hosts: 20, warmRatio: 10, coldRatio: 5, rssBytes: 150e6 }

/** Median of a non-empty list of numbers (mean of the middle two for an even count). */
export function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`
const megabytes = (kb) => `${(kb * 1024 / 1e6).toFixed(0)} MB`
const ratio = (r) => `${r.toFixed(1)}x`

/**
 * One row per (size, phase) from runs [{ size, muster: { cold, warm }, ansible: { cold, warm } }],
 * each phase { ms, rssKb }: medians over the runs of a size.
 */
export function summarize (runs) {
  const rows = []
  for (const size of [...new Set(runs.map((r) => r.size))].sort((a, b) => a - b)) {
    const mine = runs.filter((r) => r.size === size)
    for (const phase of ['cold', 'warm']) {
      const muster = median(mine.map((r) => r.muster[phase].ms))
      const ansible = median(mine.map((r) => r.ansible[phase].ms))
      rows.push({ size, phase, runs: mine.length, muster, ansible, ratio: ansible / muster, rssKb: Math.max(...mine.map((r) => r.muster[phase].rssKb)) })
    }
  }
  return rows
}

/** The side-by-side table of wall times, ratios and muster's peak RSS. */
export function formatTable (rows) {
  const head = ['hosts', 'run', 'muster', 'ansible', 'ansible/muster', 'muster peak RSS']
  const body = rows.map((r) => [String(r.size), r.phase, seconds(r.muster), seconds(r.ansible), ratio(r.ratio), megabytes(r.rssKb)])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  // Text columns left, numbers right, as a reader scans them.
  const cell = (s, i) => (i === 1 ? s.padEnd(widths[i]) : s.padStart(widths[i]))
  return [head, ...body].map((cols) => cols.map(cell).join('  ')).join('\n')
}

/** Lines "target ... measured PASS|MISS" for the warm and cold ratios at 20 hosts and the RSS ceiling. */
export function formatTargets (rows, targets = TARGETS) {
  const at = (phase) => rows.find((r) => r.size === targets.hosts && r.phase === phase)
  const verdict = (ok) => (ok ? 'PASS' : 'MISS')
  const ratioLine = (phase, goal, label) => {
    const r = at(phase)
    const text = `${label} on ${targets.hosts} hosts at least ${goal}x faster than tuned Ansible`
    return r ? `${text}: ${ratio(r.ratio)}  ${verdict(r.ratio >= goal)}` : `${text}: not measured (add ${targets.hosts} to --sizes)`
  }
  const peakKb = Math.max(...rows.map((r) => r.rssKb))
  return [
    ratioLine('warm', targets.warmRatio, 'warm no-op run'),
    ratioLine('cold', targets.coldRatio, 'cold run'),
    `controller peak RSS under ${targets.rssBytes / 1e6} MB: ${megabytes(peakKb)}  ${verdict(peakKb * 1024 < targets.rssBytes)}`,
  ].join('\n')
}
