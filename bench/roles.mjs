#!/usr/bin/env node
// The community roles bench: five real roles (users and keys, hardening, time sync, Docker from Debian,
// a firewall; bench/roles/roles.json pins each by commit) run with muster on one lab and with
// ansible-playbook on an identical one. After each role both labs' end states (files, packages, accounts,
// systemd units, sysctls) are compared; muster runs each role a second time, which must change nothing.
// See the "roles" section of bench/README.md.
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { $ } from 'zx'
import { exec, startLab, stopLab } from '../test/lab/lab.mjs'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { ensurePython, settle } from './lib/hosts.mjs'
import { machineInfo } from './lib/machine.mjs'
import { measure } from './lib/measure.mjs'
import { parseRecap } from './lib/recap.mjs'
import { checkRoles, mirrorDir, parseRolesArgs, playOf, roleDir, rolesUsage } from './lib/roles-args.mjs'
import { parseSnapshot, snapshotScript } from './lib/roles-snapshot.mjs'
import { countByPart, diffSnapshots, firstError, formatRolesTable, newDifferences } from './lib/roles-table.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROLES = path.join(ROOT, 'bench/roles')
const LABS = { muster: 'roles-m', ansible: 'roles-a' }
const RUN_TIMEOUT_MS = 900_000
const log = (msg) => console.error(`bench: ${msg}`)
const sh = $({ quiet: true, nothrow: true })

async function build () {
  log('npm run build')
  const r = await $({ cwd: ROOT, quiet: true, nothrow: true })`npm run build`
  if (r.exitCode !== 0) throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${r.stdout}${r.stderr}`)
}

// Each role's tree at its pinned commit, under WORK/roles/ROLE (the roles_path of both tools).
async function extractRoles (roles, opts) {
  await fs.rm(opts.work, { recursive: true, force: true })
  for (const r of roles) {
    const dir = roleDir(opts.work, r)
    await fs.mkdir(dir, { recursive: true })
    const got = await sh`sh -c ${'git --git-dir="$1" archive "$2" | tar -x -C "$3"'} extract ${mirrorDir(opts.mirrors, r.repo)} ${r.commit} ${dir}`
    if (got.exitCode !== 0) throw new UsageError(`${r.repo} at ${r.commit}: ${got.stderr.trim()} (fetch github:${r.repo} into ${opts.mirrors}, or pass --mirrors DIR)`)
  }
}

// The playbooks must carry the variables roles.json records, or the README's table would describe other runs.
function checkPlaybooks (roles) {
  for (const r of roles) {
    const play = playOf(readFileSync(path.join(ROLES, r.playbook), 'utf8'))
    if (JSON.stringify(play.vars) !== JSON.stringify(r.vars ?? {})) throw new UsageError(`bench/roles/${r.playbook}: its vars differ from roles.json's for ${r.id}`)
    if (JSON.stringify(play.params) !== JSON.stringify(r.params ?? {})) throw new UsageError(`bench/roles/${r.playbook}: its role parameters differ from roles.json's for ${r.id}`)
    if (!play.roles.includes(r.role)) throw new UsageError(`bench/roles/${r.playbook}: the play does not apply ${r.role}`)
  }
}

// Same environment for both: no colours, a plain locale, the extracted roles, the tuned ansible.cfg
// (which muster reads too, as Ansible's settings), the lab's known_hosts checked strictly.
const baseEnv = (opts) => ({
  ...process.env,
  NO_COLOR: '1',
  ANSIBLE_NOCOLOR: '1',
  LC_ALL: 'C.UTF-8',
  ANSIBLE_ROLES_PATH: path.join(opts.work, 'roles'),
  ANSIBLE_CONFIG: path.join(ROOT, 'bench/ansible.cfg'),
})

function runMuster (lab, playbook, opts) {
  const argv = ['node', 'bin/muster.js', 'play', '-i', lab.inventoryPath, '--forks', String(lab.hosts.length), playbook]
  return measure(argv, { cwd: ROOT, env: { ...baseEnv(opts), MUSTER_KNOWN_HOSTS: lab.knownHostsPath }, timeoutMs: RUN_TIMEOUT_MS })
}

// As bench/play.mjs runs it: a ControlPath directory of its own, masters closed after the run.
async function runAnsible (lab, playbook, opts) {
  const cpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mr-cp-'))
  try {
    const argv = ['ansible-playbook', '-i', lab.inventoryPath, '--forks', String(lab.hosts.length), playbook]
    return await measure(argv, {
      cwd: ROOT,
      env: {
        ...baseEnv(opts),
        ANSIBLE_SSH_CONTROL_PATH_DIR: cpDir,
        ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile="${lab.knownHostsPath}" -o StrictHostKeyChecking=yes`,
      },
      timeoutMs: RUN_TIMEOUT_MS,
    })
  } finally {
    const sockets = await fs.readdir(cpDir).catch(() => [])
    await Promise.all(sockets.map((s) => sh`ssh -o ControlPath=${path.join(cpDir, s)} -O exit bench-control-master`))
    await fs.rm(cpDir, { recursive: true, force: true })
  }
}

// A run's verdict from its exit code and recap: the first error line when it failed, and its changes.
function judge (r, lab) {
  const recap = parseRecap(r.output)
  const counts = lab.hosts.map((h) => recap[h.name])
  const changed = counts.reduce((n, c) => n + (c?.changed ?? 0), 0)
  const failed = r.exitCode !== 0 || counts.some((c) => !c || c.failed > 0 || c.unreachable > 0)
  return { seconds: r.ms / 1000, changed, error: failed ? firstError(r.output) : null }
}

async function snapshot (lab) {
  return Promise.all(lab.hosts.map(async (h) => {
    const r = await exec(lab, h, ['sh', '-c', snapshotScript()])
    const s = parseSnapshot(r.stdout)
    if (!s.complete) throw new Error(`snapshot of ${h.container} was cut short: ${r.stderr.trim()}`)
    return s
  }))
}

// Host i of one lab against host i of the other; keys name the host when there are several.
function compareLabs (mSnaps, aSnaps) {
  return mSnaps.flatMap((m, i) => diffSnapshots(m, aSnaps[i]).map((d) => (mSnaps.length > 1 ? { ...d, key: `h${i + 1}:${d.key}` } : d)))
}

async function main (opts) {
  const started = Date.now()
  const roles = checkRoles(JSON.parse(readFileSync(path.join(ROLES, 'roles.json'), 'utf8')), opts.only)
  checkPlaybooks(roles)
  if (opts.build) await build()
  console.log(await machineInfo(ROOT))
  log(`extracting ${roles.length} role(s) into ${opts.work}`)
  await extractRoles(roles, opts)
  const docker = roles.some((r) => r.docker)
  log(`starting labs ${LABS.muster} and ${LABS.ansible}: ${opts.hosts} host(s) each${docker ? ', able to run Docker and iptables' : ''}`)
  const mLab = await startLab({ name: LABS.muster, count: opts.hosts, docker })
  const aLab = await startLab({ name: LABS.ansible, count: opts.hosts, docker })
  try {
    await ensurePython(aLab, log)
    await Promise.all([settle(mLab), settle(aLab)])
    const baseline = compareLabs(await snapshot(mLab), await snapshot(aLab))
    log(`before any role: ${baseline.length} difference(s) (${countByPart(baseline)})`)
    let previous = baseline
    const rows = []
    const details = []
    for (const r of roles) {
      const playbook = path.join(ROLES, r.playbook)
      const m1 = await runMuster(mLab, playbook, opts)
      const first = judge(m1, mLab)
      const m2 = first.error ? null : await runMuster(mLab, playbook, opts)
      const second = m2 ? judge(m2, mLab) : null
      const a = await runAnsible(aLab, playbook, opts)
      const ansible = judge(a, aLab)
      const diffs = compareLabs(await snapshot(mLab), await snapshot(aLab))
      const added = newDifferences(previous, diffs)
      previous = diffs
      const row = {
        id: r.id,
        what: r.what,
        musterS: first.seconds,
        ansibleS: ansible.seconds,
        differences: added.length,
        secondChanged: second ? second.changed : null,
        musterError: first.error ?? (second?.error ? `second run: ${second.error}` : null),
        ansibleError: ansible.error,
      }
      rows.push(row)
      log(`${r.id}: muster ${first.seconds.toFixed(1)} s${first.error ? ' (failed)' : ''}, ansible ${ansible.seconds.toFixed(1)} s${ansible.error ? ' (failed)' : ''}, ${added.length} new difference(s) (${countByPart(added)}), muster second run changed=${row.secondChanged ?? '-'}`)
      details.push({
        ...row,
        repo: r.repo,
        commit: r.commit,
        added,
        outputs: { muster: m1.output, musterSecond: m2?.output ?? null, ansible: a.output },
      })
    }
    console.log(`\nroles: ${roles.length}, ${opts.hosts} host(s) per lab; muster on ${LABS.muster}, ansible-playbook on ${LABS.ansible}`)
    console.log(`differences: new ones after each role (files under /etc, /home, /root; packages; passwd; group; enabled and active units; sysctl); ${baseline.length} before any role\n`)
    console.log(formatRolesTable(rows))
    console.log(`\nafter all roles: ${previous.length} difference(s) (${countByPart(previous)})`)
    await fs.mkdir(path.dirname(opts.out), { recursive: true })
    await fs.writeFile(opts.out, `${JSON.stringify({ date: new Date().toISOString(), hosts: opts.hosts, baseline, roles: details, final: previous }, null, 2)}\n`)
    console.log(`full differences and outputs: ${opts.out}`)
  } finally {
    if (opts.keep) log(`labs kept: ${LABS.muster}, ${LABS.ansible} (npm run lab -- down --name NAME)`)
    else await Promise.all([stopLab(LABS.muster), stopLab(LABS.ansible)])
  }
  console.log(closingLine(started))
}

process.once('SIGINT', async () => {
  log('interrupted: removing the lab containers')
  await Promise.allSettled(Object.values(LABS).map((name) => stopLab(name)))
  process.exit(130)
})

await runBench(process.argv.slice(2), (argv) => parseRolesArgs(argv, ROOT), rolesUsage, main)
