// The manager bench's figures: what is read from the manager (its Prometheus tick gauge, /proc/PID/status and
// /proc/PID/stat), the summary of the samples, the table with the targets, and the JSON. Pure.

/** The targets at steady state: the manager's RSS under 200 MB, a tick under 1 s. */
export const RSS_TARGET_BYTES = 200e6
export const TICK_TARGET_S = 1

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median (xs) {
  if (!xs.length) throw new Error('median of nothing')
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** `{ median, max, n }` of samples, or null when there are none. */
export function summary (xs) {
  return xs.length ? { median: median(xs), max: Math.max(...xs), n: xs.length } : null
}

/** The value of an unlabelled sample `name` in Prometheus text, or undefined. */
export function promValue (text, name) {
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{\})?\s+(\S+)/)
    if (m && m[1] === name) {
      const v = Number(m[2])
      return Number.isFinite(v) ? v : undefined
    }
  }
  return undefined
}

/** The value of `name{label="value"}` in Prometheus text (0 when the series is absent: a counter not started). */
export function promLabelled (text, name, label, value) {
  const want = `${name}{${label}="${value}"}`
  for (const line of text.split('\n')) {
    if (line.startsWith(`${want} `)) {
      const v = Number(line.slice(want.length + 1))
      return Number.isFinite(v) ? v : undefined
    }
  }
  return 0
}

/** VmRSS of /proc/PID/status, in bytes; undefined when absent. */
export function vmRssBytes (status) {
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m)
  return m ? Number(m[1]) * 1024 : undefined
}

/** utime + stime of /proc/PID/stat, in clock ticks (fields 14 and 15; the command may hold spaces and parentheses). */
export function cpuTicks (stat) {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state): field n is rest[n - 3]
  const utime = Number(rest[11])
  const stime = Number(rest[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('not a /proc/PID/stat line')
  return utime + stime
}

/** Each node's state from the `muster_node_up{node="NAME"} 1|0` samples of Prometheus text: [[name, 'up' | 'down']]. */
export function promNodeStates (text) {
  const out = []
  for (const m of text.matchAll(/^muster_node_up\{node="([^"]+)"\}\s+(\S+)$/gm)) out.push([m[1], Number(m[2]) === 1 ? 'up' : 'down'])
  return out
}

/**
 * Counts nodes going down between samples: `see(states)` takes one sample, [[name, state]]; `count` is the
 * changes to down seen so far (a node first seen down counts once).
 */
export function downWatch () {
  const last = new Map()
  const w = {
    count: 0,
    see (states) {
      for (const [name, state] of states) {
        if (state === 'down' && last.get(name) !== 'down') w.count++
        last.set(name, state)
      }
    },
  }
  return w
}

/** CPU time over a wall-clock window as a percentage of one core. */
export const cpuPercent = (ticks, hz, seconds) => (seconds > 0 ? (100 * ticks) / hz / seconds : 0)

const secs = (s, digits = 1) => (s === null || s === undefined ? 'not reached' : `${s.toFixed(digits)} s`)
const mb = (b) => (b === null || b === undefined ? 'n/a' : `${Math.round(b / 1e6)} MB`)
const verdict = (ok) => (ok ? 'PASS' : 'MISS')

/**
 * The table's rows, [figure, value, target, verdict], from the bench's figures:
 * { nodes, replicas, convergeS, tick, rss (summary objects), cpuPercent, seconds, windowTicks, windowChanges,
 * heartbeatsPerS, falseDowns, kill, downS, replacedS }.
 * A figure without a target gets '-' and no verdict; one that was not measured MISSes its target.
 */
export function managerRows (f) {
  const rows = [
    [`deploy of ${f.replicas} replicas on ${f.nodes} nodes: POST to all running`, secs(f.convergeS), '-', ''],
    [`tick at steady state, median (${f.tick?.n ?? 0} samples over ${f.seconds} s)`, secs(f.tick?.median, 3), '-', ''],
    ['tick at steady state, max', secs(f.tick?.max, 3), `< ${TICK_TARGET_S} s`, verdict(f.tick !== null && f.tick !== undefined && f.tick.max < TICK_TARGET_S)],
    ['manager RSS at steady state, median', mb(f.rss?.median), '-', ''],
    ['manager RSS at steady state, max', mb(f.rss?.max), `< ${RSS_TARGET_BYTES / 1e6} MB`, verdict(f.rss !== null && f.rss !== undefined && f.rss.max < RSS_TARGET_BYTES)],
    [
      'ticks run / changes applied in the window',
      f.windowTicks === null || f.windowTicks === undefined ? 'n/a' : `${f.windowTicks} / ${f.windowChanges}`,
      '-',
      '',
    ],
    [
      'heartbeats taken per second at steady state',
      f.heartbeatsPerS === null || f.heartbeatsPerS === undefined ? 'n/a' : f.heartbeatsPerS.toFixed(0),
      '-',
      '',
    ],
    ['manager CPU at steady state', f.cpuPercent === null || f.cpuPercent === undefined ? 'n/a' : `${f.cpuPercent.toFixed(0)}% of a core`, '-', ''],
    ['nodes seen going down while none failed (deploy and steady)', f.falseDowns === null || f.falseDowns === undefined ? 'n/a' : String(f.falseDowns), '-', ''],
    [`${f.kill} nodes killed at once: all marked down`, secs(f.downS), '-', ''],
    [`${f.kill} nodes killed at once: wanted count running again`, secs(f.replacedS), '-', ''],
  ]
  return rows
}

/** Whether every target was met. */
export const allPass = (rows) => rows.every((r) => r[3] !== 'MISS')

/** The rows as aligned text; `align` has an `l` or `r` per column (default: the first left, the others right). */
export function formatTable (head, rows, align = `l${'r'.repeat(head.length - 1)}`) {
  const all = [head, ...rows]
  const width = head.map((_, i) => Math.max(...all.map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => (align[i] === 'l' ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ').trimEnd()
  return all.map(line).join('\n')
}

/** The manager bench's table. */
export const formatManagerTable = (f) => formatTable(['figure', 'value', 'target', ''], managerRows(f), 'lrrl')

/** The figures as JSON, with the machine, the targets and whether each was met. */
export function managerJson ({ machine, figures }) {
  const rows = managerRows(figures)
  return {
    machine,
    ...figures,
    targets: {
      tickMaxSeconds: { below: TICK_TARGET_S, met: rows[2][3] === 'PASS' },
      rssMaxBytes: { below: RSS_TARGET_BYTES, met: rows[4][3] === 'PASS' },
    },
  }
}
