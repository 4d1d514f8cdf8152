// Turns the compat bench's per-unit results into its figures, the printed table, the ranking of muster's
// load failures by cause, and the JSON. Pure: results in, figures or text out.
import { causeOf, firstError, namesIn, normaliseListing } from './compat-normalise.mjs'

/** What muster is held to (issue 10): shares of the units Ansible loads, and of those it lists. */
export const COMPAT_TARGETS = { loads: 0.9, listIdentical: 0.95 }

const pct = (x) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`)
const secs = (s) => `${s.toFixed(1)} s`
const share = (n, of) => (of === 0 ? null : n / of)

/** The first line where two normalised listings differ: { line (1-based), ansible, muster }, or null. */
export function firstDifference (a, b) {
  const x = a.split('\n')
  const y = b.split('\n')
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return { line: i + 1, ansible: x[i] ?? '(end)', muster: y[i] ?? '(end)' }
  }
  return null
}

/**
 * One unit's result from its four command outcomes ({ code, stdout, stderr, seconds }): whether each tool
 * loads it, whether the listings match after normalisation (null when Ansible could not list it), the
 * first difference, and muster's failure (first error line and cause) when it did not load or list.
 */
export function unitResult (unit, runs, roots = []) {
  const { ansibleSyntax, ansibleList, musterSyntax, musterList } = runs
  const listed = ansibleList.code === 0
  const a = normaliseListing(ansibleList.stdout)
  const m = normaliseListing(musterList.stdout)
  const identical = listed ? musterList.code === 0 && a === m : null
  const failed = musterSyntax.code !== 0 ? ['--syntax-check', musterSyntax] : musterList.code !== 0 ? ['--list-tasks', musterList] : null
  const error = failed ? firstError(failed[1].stderr, failed[1].stdout, roots) : null
  return {
    id: unit.id,
    kind: unit.kind,
    ansible: { loads: ansibleSyntax.code === 0, lists: listed, syntaxSeconds: ansibleSyntax.seconds, listSeconds: ansibleList.seconds },
    muster: { loads: musterSyntax.code === 0, lists: musterList.code === 0, syntaxSeconds: musterSyntax.seconds, listSeconds: musterList.seconds },
    listIdentical: identical,
    difference: listed && musterList.code === 0 && !identical ? firstDifference(a, m) : null,
    failure: failed ? { step: failed[0], error, cause: causeOf(error) } : null,
    ...(ansibleSyntax.code !== 0 ? { ansibleError: firstError(ansibleSyntax.stderr, ansibleSyntax.stdout, roots) } : {}),
  }
}

const median = (xs) => {
  if (xs.length === 0) return 0
  const s = [...xs].sort((p, q) => p - q)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
const sum = (xs) => xs.reduce((n, x) => n + x, 0)

/**
 * The bench's figures. Shares are of the units Ansible loads (loads) and of those Ansible lists
 * (listIdentical); a unit Ansible does not load counts for neither tool. `repos` counts the repositories
 * (results' `repo`) with a unit Ansible loads, `reposAllLoad` those where muster loads all of them. `templates` is the hook's
 * { identical, total } when it gave one.
 */
export function compatFigures (results, templates = null) {
  const loaded = results.filter((r) => r.ansible.loads)
  const listed = results.filter((r) => r.ansible.lists)
  const musterLoads = loaded.filter((r) => r.muster.loads).length
  const identical = listed.filter((r) => r.listIdentical).length
  const time = (tool, key) => results.map((r) => r[tool][key])
  // per repository too, so that one repository with many playbooks does not make the whole picture
  const repos = new Map()
  for (const r of loaded) repos.set(r.repo, (repos.get(r.repo) ?? true) && r.muster.loads)
  const reposAll = [...repos.values()].filter(Boolean).length
  return {
    units: results.length,
    repos: repos.size,
    reposAllLoad: reposAll,
    ansibleLoads: loaded.length,
    ansibleLists: listed.length,
    musterLoads,
    musterLists: listed.filter((r) => r.muster.lists).length,
    loadsShare: share(musterLoads, loaded.length),
    listIdentical: identical,
    listIdenticalShare: share(identical, listed.length),
    templates: templates && Number.isFinite(templates.total) ? { identical: templates.identical, total: templates.total, share: share(templates.identical, templates.total) } : null,
    seconds: {
      ansibleSyntax: sum(time('ansible', 'syntaxSeconds')),
      ansibleList: sum(time('ansible', 'listSeconds')),
      musterSyntax: sum(time('muster', 'syntaxSeconds')),
      musterList: sum(time('muster', 'listSeconds')),
      ansibleSyntaxMedian: median(time('ansible', 'syntaxSeconds')),
      musterSyntaxMedian: median(time('muster', 'syntaxSeconds')),
    },
  }
}

const verdict = (x, target) => (x === null ? '' : x >= target ? '  PASS' : '  MISS')

/** The printed table: one row per measure; columns Ansible, muster, muster's share, the target. */
export function formatCompatTable (f) {
  const head = ['', 'Ansible', 'muster', 'share', 'target']
  const rows = [
    ['units in the corpus', String(f.units), String(f.units), '', ''],
    ['load (--syntax-check exits 0)', String(f.ansibleLoads), String(f.musterLoads), pct(f.loadsShare), `>= 90 %${verdict(f.loadsShare, COMPAT_TARGETS.loads)}`],
    ['repositories whose every unit loads', String(f.repos), String(f.reposAllLoad), pct(share(f.reposAllLoad, f.repos)), ''],
    ['list (--list-tasks exits 0)', String(f.ansibleLists), String(f.musterLists), pct(share(f.musterLists, f.ansibleLists)), ''],
    ['--list-tasks identical (normalised)', String(f.ansibleLists), String(f.listIdentical), pct(f.listIdenticalShare), `>= 95 %${verdict(f.listIdenticalShare, COMPAT_TARGETS.listIdentical)}`],
    f.templates
      ? ['templates rendered byte-identical', String(f.templates.total), String(f.templates.identical), pct(f.templates.share), '']
      : ['templates rendered byte-identical', '-', '-', 'not measured', ''],
    ['time, --syntax-check, all units', secs(f.seconds.ansibleSyntax), secs(f.seconds.musterSyntax), '', ''],
    ['time, --list-tasks, all units', secs(f.seconds.ansibleList), secs(f.seconds.musterList), '', ''],
    ['time, --syntax-check, median unit', secs(f.seconds.ansibleSyntaxMedian), secs(f.seconds.musterSyntaxMedian), '', ''],
  ]
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const cell = (s, i) => (i === 0 || i === 4 ? s.padEnd(widths[i]) : s.padStart(widths[i]))
  return [head, ...rows].map((cols) => cols.map(cell).join('  ').trimEnd()).join('\n')
}

// A cause's examples: its quoted names, most units first (xN past one), else its first unit ids.
function examples (g) {
  if (g.names.size === 0) return g.units.slice(0, 3)
  return [...g.names]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([n, c]) => (c > 1 ? `${n} x${c}` : n))
}

/**
 * muster's load failures (of units Ansible loads) grouped by cause, most units first, ties by cause:
 * { cause, count, examples (up to 5 quoted names with their unit counts, else 3 unit ids), units }.
 */
export function rankFailures (results) {
  const groups = new Map()
  for (const r of results) {
    if (!r.ansible.loads || !r.failure) continue
    const key = r.failure.step === '--syntax-check' ? r.failure.cause : `${r.failure.cause} (only --list-tasks)`
    const g = groups.get(key) ?? { cause: key, count: 0, names: new Map(), units: [] }
    g.count++
    for (const n of new Set(namesIn(r.failure.error))) g.names.set(n, (g.names.get(n) ?? 0) + 1)
    g.units.push(r.id)
    groups.set(key, g)
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause))
    .map((g) => ({ cause: g.cause, count: g.count, examples: examples(g), units: g.units }))
}

/** The ranking as numbered lines ("  1.  12  cause   e.g. a, b"), the first `top` causes. */
export function formatRanking (ranking, top = 15) {
  if (ranking.length === 0) return 'muster loads every unit Ansible loads.'
  const width = String(ranking[0].count).length
  const lines = ranking.slice(0, top).map((g, i) => `${String(i + 1).padStart(3)}. ${String(g.count).padStart(width)}  ${g.cause}   e.g. ${g.examples.join(', ')}`)
  if (ranking.length > top) lines.push(`     (${ranking.length - top} more causes in the JSON)`)
  return lines.join('\n')
}
