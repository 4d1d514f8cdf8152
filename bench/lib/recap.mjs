// Reads the PLAY RECAP that muster and ansible-playbook both print, and judges a run by it.
// Pure: output text in, counts or problems out.

const COUNT = /(\w+)=(\d+)/g

/**
 * Counts per host from the last PLAY RECAP in the output:
 * { h01: { ok: 16, changed: 0, unreachable: 0, failed: 0, ... } }. Empty if there is none.
 */
export function parseRecap (output) {
  const lines = output.split('\n')
  const start = lines.findLastIndex((l) => /^PLAY RECAP\b/.test(l))
  if (start < 0) return {}
  const recap = {}
  for (const line of lines.slice(start + 1)) {
    const m = line.match(/^(\S+)\s*:\s*(\w+=\d+.*)$/)
    if (!m) {
      if (line.trim() === '') continue
      break // the recap ends where a line stops looking like one
    }
    recap[m[1]] = Object.fromEntries([...m[2].matchAll(COUNT)].map(([, k, v]) => [k, Number(v)]))
  }
  return recap
}

/**
 * What is wrong with a run, as sentences (none: it counts): a non-zero exit, a host missing
 * from the recap, any failed or unreachable host, and on a warm run any change at all.
 */
export function recapProblems ({ exitCode, output, hosts, warm }) {
  const problems = []
  if (exitCode !== 0) problems.push(`exit code ${exitCode}`)
  const recap = parseRecap(output)
  if (Object.keys(recap).length === 0) return [...problems, 'no PLAY RECAP in the output']
  for (const host of hosts) {
    const c = recap[host]
    if (!c) { problems.push(`${host} is missing from the recap`); continue }
    if (c.failed) problems.push(`${host}: failed=${c.failed}`)
    if (c.unreachable) problems.push(`${host}: unreachable=${c.unreachable}`)
    if (warm && c.changed) problems.push(`${host}: changed=${c.changed} on the warm run (expected a no-op)`)
  }
  return problems
}
