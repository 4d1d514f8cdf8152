#!/usr/bin/env node
// Failover on real hosts: 3 lab hosts prepared by the site playbook, a stack of 9 replicas, `muster serve`
// keeping them healed. Each round kills (docker kill, a power cut) one host that runs replicas and measures
// the seconds to the manager marking it down and to its replicas running on the others (as their dockerd
// sees them); then the host is started again and the bench waits for the fleet to be even before the next.
// See the "Failover" section of bench/README.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startHost } from '../test/lab/lab.mjs'
import { ensureImage, missing } from './lib/agent-lab.mjs'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { failoverFigures, failoverJson, formatFailoverTable } from './lib/failover-figures.mjs'
import { run, runningIn, stackYaml, startFailoverLab } from './lib/failover-lab.mjs'
import { loadAverage, machineInfo } from './lib/machine.mjs'
import { failoverUsage, parseFailoverArgs } from './lib/manager-args.mjs'
import { startServe, until } from './lib/manager-proc.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LAB = 'bench-failover'
const STACK = 'app'
const REPLICAS = 9
const HOSTS = 3
const log = (msg) => console.error(`bench: ${msg}`)

async function main (opts) {
  const why = missing()
  if (why) throw new UsageError(why)
  if (opts.build) {
    log('npm run build')
    try { execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }) } catch (e) {
      throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${e.stdout}${e.stderr}`)
    }
  }
  if (!existsSync(path.join(ROOT, 'dist/muster-agent.mjs'))) throw new UsageError('no dist/: run npm run build')
  const started = Date.now()
  const machineText = await machineInfo(ROOT)
  ensureImage()

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-failover-'))
  const stateDir = path.join(tmp, 'state')
  const env = { ...process.env, MUSTER_STATE_DIR: stateDir }
  let lab
  let serve
  const cleanup = async () => {
    if (serve) await serve.stop().catch((e) => log(`could not stop muster serve (pid ${serve.pid}): ${e.message}`))
    if (lab) await lab.stop().catch((e) => log(`could not stop the lab: ${e.message}`))
    rmSync(tmp, { recursive: true, force: true })
  }
  const onSignal = (sig) => { log(`${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    log(`starting ${HOSTS} lab hosts with docker and preparing them with the site playbook`)
    const fleet = await startFailoverLab({ root: ROOT, name: LAB, count: HOSTS, tmp, env, onLab: (l) => { lab = l } })
    const stack = path.join(tmp, 'stack.yml')
    writeFileSync(stack, stackYaml(STACK, REPLICAS))
    const deploy = await run([process.execPath, path.join(ROOT, 'bin/muster.js'), 'deploy', '-i', fleet.inventory, stack], env)
    if (deploy.code !== 0) throw new Error(`muster deploy failed (exit ${deploy.code}):\n${deploy.out.split('\n').slice(-30).join('\n')}`)
    const perHost = async () => Object.fromEntries(await Promise.all(fleet.hosts.map(async (h) => [h.name, await runningIn(h.container, STACK)])))
    const even = async () => Object.values(await perHost()).every((n) => n === REPLICAS / HOSTS)
    log(`deployed: ${JSON.stringify(await perHost())}; starting muster serve`)
    serve = await startServe(ROOT, { inventory: fleet.inventory, env, stateDir })
    const stateOf = async (host) => (await serve.get('/v1/nodes')).nodes.find((n) => n.row.node === host)?.state
    if ((await until(async () => (await serve.get('/v1/nodes')).nodes.every((n) => n.state === 'up'), { ms: 60_000 })) === null) {
      throw new Error('the manager did not see every host up within 60 s')
    }

    const rounds = []
    for (let r = 0; r < opts.rounds; r++) {
      const counts = await perHost()
      // the hosts in turn, skipping one that runs nothing (rebalancing may not have moved replicas back yet)
      const order = fleet.hosts.map((_, i) => fleet.hosts[(i + r) % fleet.hosts.length])
      const host = order.find((h) => counts[h.name] > 0)
      const others = fleet.hosts.filter((h) => h !== host)
      log(`round ${r + 1}/${opts.rounds}: ${JSON.stringify(counts)}; docker kill ${host.name}`)
      const since = Date.now()
      execFileSync('docker', ['kill', host.container], { stdio: 'pipe' })
      const [downS, replacedS] = await Promise.all([
        until(async () => (await stateOf(host.name)) === 'down', { ms: 60_000, everyMs: 100, since }),
        until(async () => (await Promise.all(others.map((h) => runningIn(h.container, STACK)))).reduce((a, b) => a + b, 0) >= REPLICAS, {
          ms: 120_000,
          everyMs: 100,
          since,
        }),
      ])
      rounds.push({ host: host.name, downS, replacedS })
      log(`round ${r + 1}: ${host.name} marked down after ${downS?.toFixed(1) ?? 'never'} s, its replicas running elsewhere after ${replacedS?.toFixed(1) ?? 'never'} s`)
      if (r === opts.rounds - 1) break // the lab goes away next: no need to bring the host back
      await startHost(lab, host.name, { timeoutMs: 120_000 })
      const back = await until(async () => (await stateOf(host.name)) === 'up', { ms: 120_000, everyMs: 500 })
      const evenS = back === null ? null : await until(even, { ms: 180_000, everyMs: 1000 })
      log(`${host.name} started again: up for the manager after ${back?.toFixed(1) ?? 'never'} s, even again after ${evenS?.toFixed(1) ?? 'never'} s more: ${JSON.stringify(await perHost())}`)
      if (evenS === null) log('the fleet did not even out within 180 s; going on with the next round anyway')
    }

    const figures = failoverFigures(rounds)
    const machine = Object.fromEntries(machineText.split('\n').map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]))
    machine.docker = execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' }).trim()
    if (opts.json) {
      console.log(JSON.stringify(failoverJson({ machine: { ...machine, loadAtEnd: loadAverage() }, figures }), null, 2))
      return
    }
    for (const [k, v] of Object.entries(machine)) console.log(`${`${k}:`.padEnd(9)}${v}`)
    console.log(
      `setup:   ${HOSTS} lab hosts (site playbook, agent from dist/), stack of ${REPLICAS} replicas (2 GiB reserved each), muster serve here with its defaults; ` +
        "each round: docker kill one host running replicas, then, except after the last, docker start and wait until 3 run per host; 'running elsewhere' is what the other hosts' dockerd run",
    )
    console.log('')
    console.log(formatFailoverTable(figures))
    console.log(`\n${closingLine(started)}`)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await runBench(process.argv.slice(2), parseFailoverArgs, failoverUsage, main)
