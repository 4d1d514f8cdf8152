// The third measure of the compatibility bench: role templates (.j2) rendered by Ansible's own template
// code and by muster with the very same variables, and compared byte for byte.
//
// For each role with a templates/ directory: its variables are defaults/main, vars/main and vars/Debian
// (loaded once, by Ansible's loader, so both sides get identical values), over a fact set gathered from
// this machine by `ansible -m setup` and the magic variables of a one-host inventory. A template Ansible
// itself cannot render with these variables (an undefined variable a task would have set) is counted but
// left out of the share.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const RENDER_PY = join(HERE, 'ansible-render.py')
const PYTHON = '/usr/bin/python3'

/** Every role directory (one holding templates/ with .j2 files) under `root`, skipping tests and molecule. */
export function rolesWithTemplates (root) {
  const roles = []
  const walk = (dir, depth) => {
    if (depth > 6) return
    let entries
    try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return }
    if (entries.some((e) => e.isDirectory() && e.name === 'templates') && listJ2(join(dir, 'templates')).length) roles.push(dir)
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || ['templates', 'molecule', 'node_modules', 'files'].includes(e.name)) continue
      walk(join(dir, e.name), depth + 1)
    }
  }
  walk(root, 0)
  return roles
}

/** The .j2 files under `dir`, sorted. */
export function listJ2 (dir) {
  const out = []
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.j2')) out.push(p)
    }
  }
  try { walk(dir) } catch {}
  return out.sort()
}

/** The variable files of a role, in the order Ansible would layer them for a Debian host. */
export function roleVarFiles (role) {
  const pick = (sub, names) => names.map((n) => join(role, sub, n)).filter((p) => existsSync(p) && statSync(p).isFile())
  return [
    ...pick('defaults', ['main.yml', 'main.yaml']),
    ...pick('vars', ['main.yml', 'main.yaml', 'Debian.yml', 'debian.yml', 'Debian-12.yml', 'bookworm.yml']),
  ]
}

/** Facts as a play sees them: the ansible_* names at the top and ansible_facts without the prefix. */
export function factVars (setup) {
  const facts = setup.ansible_facts ?? {}
  const bare = Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.replace(/^ansible_/, ''), v]))
  return { ...facts, ansible_facts: bare }
}

/** This machine's facts, gathered once by Ansible's setup module. */
export function gatherFacts () {
  const out = execFileSync('ansible', ['localhost', '-m', 'setup', '-o'], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false' } })
  const json = out.slice(out.indexOf('{'))
  return factVars(JSON.parse(json))
}

/** The magic variables of a one-host play, and the template module's own variables, fixed so both sides agree. */
export function magicVars (role, src) {
  const host = 'node1'
  return {
    inventory_hostname: host,
    inventory_hostname_short: host,
    groups: { all: [host], ungrouped: [host] },
    group_names: [],
    play_hosts: [host],
    ansible_play_hosts: [host],
    ansible_play_hosts_all: [host],
    ansible_play_batch: [host],
    ansible_check_mode: false,
    ansible_host: '127.0.0.1',
    role_path: role,
    role_name: role.split('/').pop(),
    ansible_managed: 'Ansible managed',
    template_host: 'controller',
    template_path: src,
    template_fullpath: src,
    template_uid: 'root',
    template_destpath: '/etc/example',
  }
}

function runPython (args, jobs) {
  const r = spawnSync(PYTHON, [RENDER_PY, ...args], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 << 20 })
  if (r.status !== 0) throw new Error(`ansible-render.py failed: ${r.stderr.trim().split('\n').pop()}`)
  return new Map(r.stdout.trim().split('\n').filter(Boolean).map((l) => { const o = JSON.parse(l); return [o.id, o] }))
}

/** Builds the render jobs of every role under `roots` ({ name, dir }): Ansible's loader reads the variables. */
export function templateJobs (roots, facts) {
  const roles = roots.flatMap(({ name, dir }) => rolesWithTemplates(dir).map((role) => ({ repo: name, root: dir, role })))
  const loaded = runPython(['vars'], roles.map((r, i) => ({ id: String(i), files: roleVarFiles(r.role) })))
  const jobs = []
  roles.forEach((r, i) => {
    const got = loaded.get(String(i))
    const roleVars = got?.ok ? got.vars : {}
    for (const src of listJ2(join(r.role, 'templates'))) {
      const vars = { ...facts, ...roleVars, ...magicVars(r.role, src) }
      vars.hostvars = { node1: { ...vars } }
      jobs.push({
        id: `${r.repo}:${relative(r.root, src)}`,
        repo: r.repo,
        src,
        searchpath: [join(r.role, 'templates'), r.role, dirname(src)],
        vars,
        varsError: got?.ok ? undefined : got?.error,
      })
    }
  })
  return jobs
}

/** Ansible's renders of the jobs: id -> { ok, out | error }. */
export const ansibleRenders = (jobs) => runPython([], jobs.map(({ id, src, searchpath, vars }) => ({ id, src, searchpath, vars })))

/**
 * Compares `render(job) -> string` (throws on failure) with Ansible's results. Returns the counts and, for
 * each template muster gets wrong, why: its error's first line, or the first differing line.
 */
export function compareRenders (jobs, ansible, render) {
  const rows = []
  for (const job of jobs) {
    const want = ansible.get(job.id)
    if (!want?.ok) { rows.push({ id: job.id, status: 'ansible-fails', why: want?.error ?? 'no result' }); continue }
    let got
    try {
      got = render(job)
    } catch (e) {
      rows.push({ id: job.id, status: 'error', why: String(e?.message ?? e).split('\n')[0].slice(0, 200) })
      continue
    }
    if (got === want.out) rows.push({ id: job.id, status: 'identical' })
    else rows.push({ id: job.id, status: 'differs', why: firstDifference(want.out, got) })
  }
  const count = (s) => rows.filter((r) => r.status === s).length
  const rendered = rows.length - count('ansible-fails')
  return { total: rows.length, rendered, identical: count('identical'), errors: count('error'), differs: count('differs'), rows }
}

/** The first line where two texts differ, as "line N: want ... got ...". */
export function firstDifference (want, got) {
  const a = want.split('\n')
  const b = got.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: want ${JSON.stringify(a[i] ?? '<end>').slice(0, 90)} got ${JSON.stringify(b[i] ?? '<end>').slice(0, 90)}`
  }
  return 'same lines, different line endings'
}

/**
 * The bench's hook (bench/compat.mjs): every role template of the corpus' repositories, rendered by
 * Ansible and by muster's built renderer (dist/), compared. `done` are the bench's units ({ entry }).
 */
export async function renderTemplates (done, { root, work }) {
  const { workLayout } = await import('./compat-units.mjs')
  const { renderText } = await import(join(root, 'dist/controller/template/index.js'))
  const { readFileSync } = await import('node:fs')
  const w = workLayout(work)
  const repos = [...new Set(done.map((d) => d.entry.repo))]
  const roots = repos.map((repo) => ({ name: repo, dir: w.repoDir(repo) })).filter((r) => existsSync(r.dir))
  const jobs = templateJobs(roots, gatherFacts())
  const load = (job) => (name) => {
    for (const dir of job.searchpath) {
      try { return { text: readFileSync(join(dir, name), 'utf8'), source: join(dir, name) } } catch {}
    }
    return undefined
  }
  const result = compareRenders(jobs, ansibleRenders(jobs), (job) =>
    renderText(readFileSync(job.src, 'utf8'), job.vars, { host: 'node1', source: job.src }, load(job)))
  // the share counts the templates Ansible itself renders with these variables
  return { ...result, total: result.rendered, templates: result.total }
}
