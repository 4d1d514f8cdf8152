// The roles bench's figures: two snapshots compared part by part, the differences each role added, and the
// table. Pure: snapshots and timings in, differences and text out.
import { PARTS } from './roles-snapshot.mjs'

/**
 * Every key whose value differs between the muster host's snapshot and Ansible's, part by part:
 * [{ part, key, muster, ansible }] (a side lacking the key shows null), in PARTS order then key order.
 */
export function diffSnapshots (muster, ansible) {
  const out = []
  for (const part of PARTS) {
    const m = muster[part] ?? {}
    const a = ansible[part] ?? {}
    const keys = [...new Set([...Object.keys(m), ...Object.keys(a)])].sort()
    for (const key of keys) {
      const mv = m[key] ?? null
      const av = a[key] ?? null
      if (mv !== av) out.push({ part, key, muster: mv, ansible: av })
    }
  }
  return out
}

const identity = (d) => JSON.stringify([d.part, d.key, d.muster, d.ansible])

/** The differences in after that were not already in before (the same key with the same two values). */
export function newDifferences (before, after) {
  const seen = new Set(before.map(identity))
  return after.filter((d) => !seen.has(identity(d)))
}

/** muster's time over Ansible's, as "0.42x"; "-" when either is missing. */
export function ratio (musterS, ansibleS) {
  if (!(musterS > 0) || !(ansibleS > 0)) return '-'
  return `${(musterS / ansibleS).toFixed(2)}x`
}

const secs = (s) => (typeof s === 'number' ? s.toFixed(1) : '-')

/**
 * One row per role: { id, what, musterS, ansibleS, differences, secondChanged, musterError?, ansibleError? }.
 * A tool that failed shows "failed" in place of its time; its first error line is listed under the table.
 */
export function formatRolesTable (rows) {
  const head = ['role', 'what', 'muster s', 'ansible s', 'ratio', 'differences', 'muster 2nd run changed']
  const body = rows.map((r) => [
    r.id,
    r.what,
    r.musterError ? 'failed' : secs(r.musterS),
    r.ansibleError ? 'failed' : secs(r.ansibleS),
    r.musterError || r.ansibleError ? '-' : ratio(r.musterS, r.ansibleS),
    String(r.differences),
    r.secondChanged === null || r.secondChanged === undefined ? '-' : String(r.secondChanged),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  const notes = rows.flatMap((r) => [
    ...(r.musterError ? [`${r.id}: muster: ${r.musterError}`] : []),
    ...(r.ansibleError ? [`${r.id}: ansible: ${r.ansibleError}`] : []),
  ])
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n')
}

/** Differences counted by part, e.g. "files 3, packages 1" ("none" when empty). */
export function countByPart (diffs) {
  const counts = PARTS.map((p) => [p, diffs.filter((d) => d.part === p).length]).filter(([, n]) => n > 0)
  return counts.length ? counts.map(([p, n]) => `${p} ${n}`).join(', ') : 'none'
}

/** The first line of a failed run's output that says why (an ERROR!, fatal: or FAILED line), else its last line. */
export function firstError (output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => /^(ERROR!|fatal:|error:)|FAILED!/.test(l)) ?? lines.at(-1) ?? 'no output'
}
