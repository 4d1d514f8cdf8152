#!/usr/bin/env node
// The playbook benchmark: playbooks/prepare.yml with muster and with tuned ansible-playbook,
// cold (fresh hosts) and warm (a no-op rerun), on 1, 5 and 20 lab hosts. See bench/README.md.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { $ } from 'zx'
import { IMAGE, buildImage, ensureDocker, startLab, stopLab } from '../test/lab/lab.mjs'
import { UsageError, parseArgs, usage } from './lib/args.mjs'
import { ensurePython, imageHasPython, settle } from './lib/hosts.mjs'
import { loadAverage, machineInfo } from './lib/machine.mjs'
import { rssMethod } from './lib/measure.mjs'
import { recapProblems } from './lib/recap.mjs'
import { formatTable, formatTargets, summarize } from './lib/report.mjs'
import { PLAYBOOK, runAnsible, runMuster } from './lib/tools.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const log = (msg) => console.error(`bench: ${msg}`)

/** A run that must not be counted: its output is shown and the bench stops. */
class RunFailed extends Error {
  constructor (what, problems, output) {
    super(`${what}: ${problems.join('; ')}`)
    this.output = output
  }
}

// One name per contender: a lab left behind by a killed bench is removed by the next one.
const LABS = { muster: 'bench-muster', ansible: 'bench-ansible' }

async function withLab (name, count, fn) {
  const lab = await startLab({ name, count })
  try {
    return await fn(lab)
  } finally {
    await lab.stop()
  }
}

// Runs one tool twice on the lab: cold (hosts as booted) then warm (everything in place).
async function coldAndWarm (tool, lab, run) {
  const hosts = lab.hosts.map((h) => h.name)
  const out = {}
  for (const phase of ['cold', 'warm']) {
    const r = await run(lab, ROOT)
    const problems = recapProblems({ exitCode: r.exitCode, output: r.output, hosts, warm: phase === 'warm' })
    if (problems.length) throw new RunFailed(`${tool} ${phase} run on ${hosts.length} host(s)`, problems, r.output)
    log(`${tool} ${phase} on ${hosts.length} host(s): ${(r.ms / 1000).toFixed(2)} s`)
    out[phase] = { ms: r.ms, rssKb: r.rssKb }
  }
  return out
}

async function benchSize (size) {
  const muster = await withLab(LABS.muster, size, async (lab) => {
    await settle(lab)
    return coldAndWarm('muster', lab, runMuster)
  })
  const ansible = await withLab(LABS.ansible, size, async (lab) => {
    await ensurePython(lab, log)
    await settle(lab)
    return coldAndWarm('ansible', lab, runAnsible)
  })
  return { size, muster, ansible }
}

async function build () {
  log('npm run build')
  const r = await $({ cwd: ROOT, quiet: true, nothrow: true })`npm run build`
  if (r.exitCode !== 0) {
    throw new RunFailed('npm run build', [`exit code ${r.exitCode}`, 'pass --no-build to bench the dist/ already there'], r.stdout + r.stderr)
  }
}

async function main (argv) {
  const opts = parseArgs(argv)
  if (opts.help) { console.log(usage); return 0 }
  const t0 = Date.now()
  console.log(await machineInfo(ROOT))
  console.log(`playbook: ${PLAYBOOK}; sizes ${opts.sizes.join(', ')}; ${opts.runs} run(s) each; peak RSS via ${rssMethod}\n`)
  if (opts.build) await build()
  await ensureDocker()
  await buildImage({ log })
  if (!await imageHasPython(IMAGE)) log(`${IMAGE} lacks Debian's python3 package (Ansible's modules need its full standard library): it is installed into each Ansible lab before timing`)
  const runs = []
  for (const size of opts.sizes) {
    for (let i = 0; i < opts.runs; i++) runs.push(await benchSize(size))
  }
  const rows = summarize(runs)
  console.log(`\n${formatTable(rows)}\n`)
  console.log(formatTargets(rows))
  console.log(`\n(${opts.runs > 1 ? `medians of ${opts.runs} runs; ` : ''}whole bench: ${Math.round((Date.now() - t0) / 1000)} s; load at end ${loadAverage()}; ${new Date().toISOString().slice(0, 10)})`)
  return 0
}

process.once('SIGINT', async () => {
  log('interrupted: removing lab containers')
  // By name, so that a lab still starting goes too.
  await Promise.allSettled(Object.values(LABS).map((name) => stopLab(name)))
  process.exit(130)
})

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}\n${usage}`)
    process.exitCode = 2
  } else if (e instanceof RunFailed) {
    console.error(`\nbench: ${e.message}\n----- output -----\n${e.output.trimEnd()}\n------------------\nbench: aborted; no figures are printed for a failing run`)
    process.exitCode = 1
  } else {
    console.error(`bench: ${e.message}`)
    process.exitCode = 1
  }
}
