// The failover bench's figures: per round the seconds from the host's kill to the manager marking it down and
// to its replicas running elsewhere; their median and max beside the published defaults of Swarm, Nomad and
// Kubernetes, and the target. Pure.
import { formatTable, summary } from './manager-figures.mjs'

/** The target: a failed host's replicas run elsewhere within this many seconds, in every round. */
export const FAILOVER_TARGET_S = 10

/** What the anchors take by default, from their documentation (not measured here). */
export const ANCHORS = [
  { name: 'Docker Swarm', figure: '~20 s', why: '5 s heartbeat x 3 missed + 5 s restart delay' },
  { name: 'Nomad', figure: '20-30 s', why: 'heartbeat TTL and its grace, then rescheduling' },
  { name: 'Kubernetes', figure: '~350 s', why: '40 s node-monitor-grace-period + 5 min eviction (not-ready toleration)' },
]

/** rounds [{ host, downS, replacedS }] (null when not reached in time) -> summaries and the verdict. */
export function failoverFigures (rounds) {
  const got = (k) => rounds.map((r) => r[k]).filter((v) => v !== null && v !== undefined)
  const missed = rounds.filter((r) => r.replacedS === null || r.replacedS === undefined).length
  const replaced = summary(got('replacedS'))
  return {
    rounds,
    down: summary(got('downS')),
    replaced,
    missed,
    met: rounds.length > 0 && missed === 0 && replaced.max <= FAILOVER_TARGET_S,
  }
}

const secs = (s) => (s === null || s === undefined ? 'not reached' : `${s.toFixed(1)} s`)

/** The table: per round, then median and max, the target on the max, and the anchors. */
export function formatFailoverTable (f) {
  const rounds = formatTable(
    ['round', 'host', 'marked down', 'running elsewhere'],
    f.rounds.map((r, i) => [String(i + 1), r.host, secs(r.downS), secs(r.replacedS)]),
    'rlrr',
  )
  const head = [`host killed, ${f.rounds.length} rounds`, 'median', 'max', 'target', '']
  const rows = [
    ['-> marked down', secs(f.down?.median), secs(f.down?.max), '-', ''],
    ['-> its replicas running elsewhere', secs(f.replaced?.median), secs(f.replaced?.max), `<= ${FAILOVER_TARGET_S} s`, f.met ? 'PASS' : 'MISS'],
  ]
  const anchors = formatTable(
    ['anchor (published default, not measured here)', 'failover', 'why'],
    ANCHORS.map((a) => [a.name, a.figure, a.why]),
    'lrl',
  )
  const note = f.missed ? `\n${f.missed} round(s) did not get their replicas back in time` : ''
  return `${rounds}\n\n${formatTable(head, rows, 'lrrrl')}${note}\n\n${anchors}`
}

/** The figures as JSON, with the machine, the anchors and the target. */
export function failoverJson ({ machine, figures }) {
  return { machine, ...figures, anchors: ANCHORS, target: { replacedMaxSeconds: FAILOVER_TARGET_S, met: figures.met } }
}
