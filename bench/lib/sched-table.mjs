// Turns the scheduler bench's figures into the printed table (muster, the Swarm rule, their ratio, the
// target) and into its JSON. Pure: figures in, text or an object out.

/** What muster's scheduler is held to (issue 8). */
export const SCHED_TARGETS = { perSecond: 100_000, overcommitted: 0, unenforcedLimited: 0 }

const count = (x) => Math.round(x).toLocaleString('en-US')
const ms = (s) => `${(s * 1000).toFixed(1)} ms`
const pct = (x) => `${(x * 100).toFixed(1)} %`
const verdict = (ok) => (ok ? 'PASS' : 'MISS')

/** a/b as "0.42x"; "-" when b is 0 (and a is not), "0x" when a is 0. */
export function ratio (a, b) {
  if (a === 0) return b === 0 ? '-' : '0x'
  if (b === 0) return '-'
  const r = a / b
  return `${r.toFixed(r < 0.1 ? 3 : r < 10 ? 2 : 1)}x`
}

/** The rows: label, the figure's key, how it prints, and its target (text and test on muster's figure). */
export const ROWS = [
  ['time, first run (cold JIT)', 'coldSeconds', ms],
  ['time, median of the runs', 'seconds', ms],
  ['time, fastest run', 'bestSeconds', ms],
  ['CPU time, median of the runs', 'cpuSeconds', ms],
  ['placements per second', 'perSecond', count, ['>= 100,000', (x) => x >= SCHED_TARGETS.perSecond]],
  ['replicas placed', 'placed', count],
  ['replicas not placed', 'unplaced', count],
  ['nodes overcommitted', 'overcommitted', count, ['0', (x) => x === SCHED_TARGETS.overcommitted]],
  ['memory-limited replicas where limits are not enforced', 'unenforcedLimited', count, ['0', (x) => x === SCHED_TARGETS.unenforcedLimited]],
  ['memory utilisation, mean', 'utilMean', pct],
  ['memory utilisation, std dev', 'utilStdev', pct],
  ['memory utilisation, max', 'utilMax', pct],
]

/**
 * The side-by-side table: one row per figure; columns muster, the Swarm rule, muster/Swarm, and the target
 * with PASS or MISS for muster. muster may be null (its scheduler is not built): its columns say n/a.
 */
export function formatSchedTable (muster, swarm) {
  const head = ['', 'muster', 'Swarm rule', 'muster/Swarm', 'target']
  const body = ROWS.map(([label, key, show, target]) => [
    label,
    muster ? show(muster[key]) : 'n/a',
    show(swarm[key]),
    muster ? ratio(muster[key], swarm[key]) : '-',
    target ? `${target[0]}${muster ? `  ${verdict(target[1](muster[key]))}` : ''}` : '',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  // Labels and targets left, figures right, as a reader scans them.
  const cell = (s, i) => (i === 0 || i === 4 ? s.padEnd(widths[i]) : s.padStart(widths[i]))
  return [head, ...body].map((cols) => cols.map(cell).join('  ').trimEnd()).join('\n')
}

/** Whether muster met every target (false when it was not measured). */
export const targetsMet = (muster) => Boolean(muster) && ROWS.every(([, key, , target]) => !target || target[1](muster[key]))

/** The bench's JSON: the machine, the input, both sides' figures, the ratios, and each target's verdict. */
export function schedJson ({ machine, input, muster, swarm }) {
  const ratios = {}
  const targets = {}
  for (const [, key, , target] of ROWS) {
    ratios[key] = muster && swarm[key] !== 0 ? muster[key] / swarm[key] : null
    if (target) targets[key] = { target: target[0], met: muster ? target[1](muster[key]) : null }
  }
  return { machine, input, muster, swarm, ratios, targets }
}
