#!/usr/bin/env node
// The manager at scale: `muster serve` (a real process) against a simulated fleet in its own process (1,000
// light agents by default), 10,000 replicas deployed through the API. Measures the deploy's convergence, the
// tick, the manager's RSS and CPU at steady state, and how long 100 nodes killed at once take to be marked
// down and replaced. See the "Manager at scale" section of bench/README.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { loadAverage, machineInfo } from './lib/machine.mjs'
import { managerUsage, parseManagerArgs } from './lib/manager-args.mjs'
import { cpuPercent, cpuTicks, downWatch, formatManagerTable, managerJson, promLabelled, promNodeStates, promValue, summary, vmRssBytes } from './lib/manager-figures.mjs'
import { benchStacks } from './lib/manager-gen.mjs'
import { procReadings, startServe, startSim, until } from './lib/manager-proc.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const IMAGE = 'muster-busybox:1'
const METRICS_EVERY = 5 // steady-window samples per GET /metrics (RSS is read each second)
const HZ = 100 // USER_HZ: the unit of utime and stime in /proc/PID/stat on Linux
const log = (msg) => console.error(`bench: ${msg}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether every service runs its wanted count and the wanted counts add up to `replicas`. */
const converged = (services, replicas) =>
  services.reduce((n, s) => n + s.wanted, 0) === replicas && services.every((s) => s.running === s.wanted)

async function main (opts) {
  if (opts.build) {
    log('npm run build')
    try { execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }) } catch (e) {
      throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${e.stdout}${e.stderr}`)
    }
  }
  if (!existsSync(path.join(ROOT, 'dist/controller/cli.js'))) throw new UsageError('no dist/: run npm run build')
  const { loadStack } = await import(pathToFileURL(path.join(ROOT, 'dist/controller/stack/load.js')).href)
  const { storeStack } = await import(pathToFileURL(path.join(ROOT, 'dist/controller/deploy/history.js')).href)
  const started = Date.now()
  const machineText = await machineInfo(ROOT)

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'muster-bench-manager-'))
  let sim
  let serve
  const cleanup = async () => {
    if (serve) await serve.stop().catch((e) => log(`could not stop muster serve (pid ${serve.pid}): ${e.message}`))
    if (sim) await sim.close().catch((e) => log(`could not close the simulated fleet (pid ${sim.pid}): ${e.message}`))
    rmSync(tmp, { recursive: true, force: true })
  }
  const onSignal = (sig) => { log(`${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    log(`starting ${opts.nodes} simulated agents in their own process`)
    sim = await startSim(ROOT, { nodes: opts.nodes, dir: path.join(tmp, 'fleet'), images: [IMAGE] })
    log(`fleet ready in ${(sim.startupMs / 1000).toFixed(1)} s (pid ${sim.pid}); starting muster serve`)
    const env = { ...process.env, ...sim.env }
    const t0 = Date.now()
    serve = await startServe(ROOT, { inventory: sim.inventory, env, stateDir: sim.dir })
    const allUp = await until(async () => (await serve.get('/v1/nodes')).nodes.every((n) => n.state === 'up'), { ms: 300_000, everyMs: 1000, since: t0 })
    if (allUp === null) throw new Error('the manager did not see every simulated node up within 300 s')
    log(`muster serve (pid ${serve.pid}) sees ${opts.nodes} nodes up, ${allUp.toFixed(1)} s after its start`)

    const stacks = benchStacks(opts.replicas, { image: IMAGE })
    const requests = stacks.map((st) => {
      const dir = path.join(tmp, 'stacks', st.name)
      mkdirSync(dir, { recursive: true })
      const file = path.join(dir, 'stack.yml')
      writeFileSync(file, st.yaml)
      return { stack: storeStack(loadStack(file, { env: {} })), file }
    })
    const services = stacks.reduce((n, st) => n + st.services.length, 0)
    log(`deploying ${opts.replicas} replicas: ${stacks.length} stacks, ${services} services, POST /v1/stacks`)
    const deployAt = Date.now()
    for (const r of requests) await serve.post('/v1/stacks', r)
    let last = ''
    // nodes seen going down while none failed (the manager's polls timing out under load), sampled each second
    const downs = downWatch()
    const convergeS = await until(
      async () => {
        downs.see(promNodeStates(await serve.getText('/metrics')))
        const rows = (await serve.get('/v1/services')).services
        const line = `${rows.reduce((n, s) => n + s.running, 0)}/${rows.reduce((n, s) => n + s.wanted, 0)} running; ${downs.count} nodes seen going down`
        if (line !== last) log(line)
        last = line
        return converged(rows, opts.replicas)
      },
      { ms: opts.convergeMinutes * 60_000, everyMs: 2000, since: deployAt },
    )
    if (convergeS === null) log(`the deploy did not converge within ${opts.convergeMinutes} minutes (${last}); measuring the window anyway`)
    else log(`converged in ${convergeS.toFixed(1)} s; letting it settle 5 s, then sampling ${opts.seconds} s`)
    await sleep(5000)

    const ticks = []
    const rss = []
    const first = procReadings(serve.pid)
    const counters = (text) => ({
      ticks: promValue(text, 'muster_ticks_total'),
      changes: promValue(text, 'muster_changes_total'),
      beats: promLabelled(text, 'muster_heartbeats_total', 'verdict', 'taken'),
    })
    let metrics = await serve.getText('/metrics')
    const before = counters(metrics)
    const windowAt = Date.now()
    let sample = 0
    for (;;) {
      const sampledAt = Date.now()
      if (sample % METRICS_EVERY === 0) {
        const tick = promValue(metrics, 'muster_tick_seconds')
        if (tick !== undefined) ticks.push(tick)
        downs.see(promNodeStates(metrics))
      }
      rss.push(vmRssBytes(procReadings(serve.pid).status))
      if (Date.now() - windowAt >= opts.seconds * 1000) break
      await sleep(Math.max(0, 1000 - (Date.now() - sampledAt)))
      // the API only every METRICS_EVERY samples: at 1,000 nodes an answer costs the manager a few hundred ms
      if (++sample % METRICS_EVERY === 0) metrics = await serve.getText('/metrics')
    }
    const lastReading = procReadings(serve.pid)
    const windowS = (Date.now() - windowAt) / 1000
    const cpu = cpuPercent(cpuTicks(lastReading.stat) - cpuTicks(first.stat), HZ, windowS)
    metrics = await serve.getText('/metrics')
    const after = counters(metrics)
    const window = { ticks: after.ticks - before.ticks, changes: after.changes - before.changes, beats: after.beats - before.beats }
    log(`window: ${window.ticks} ticks, ${window.changes} changes applied, ${downs.count} nodes seen going down so far`)

    const victims = (await serve.get('/v1/nodes')).nodes.map((n) => n.row.node).sort().slice(0, opts.kill)
    log(`killing ${victims.length} simulated nodes at once (${victims[0]}..${victims[victims.length - 1]})`)
    const killAt = Date.now()
    const answer = await sim.send(`kill ${victims.join(' ')}`)
    if (!answer.ok) throw new Error(`the simulated fleet refused the kill: ${answer.error}`)
    const dead = new Set(victims)
    const downS = await until(async () => (await serve.get('/v1/nodes')).nodes.filter((n) => dead.has(n.row.node)).every((n) => n.state === 'down'), {
      ms: 120_000,
      everyMs: 1000,
      since: killAt,
    })
    // replaced only means something after a deploy that converged
    const replacedS =
      downS === null || convergeS === null
        ? null
        : await until(async () => converged((await serve.get('/v1/services')).services, opts.replicas), { ms: 600_000, everyMs: 1000, since: killAt })
    log(`marked down after ${downS?.toFixed(1) ?? 'never'} s, replaced after ${replacedS?.toFixed(1) ?? 'never'} s`)

    const figures = {
      nodes: opts.nodes,
      replicas: opts.replicas,
      stacks: stacks.length,
      services,
      convergeS,
      seconds: opts.seconds,
      tick: summary(ticks),
      rss: summary(rss.filter((b) => b !== undefined)),
      cpuPercent: cpu,
      falseDowns: downs.count,
      windowTicks: window.ticks,
      heartbeatsPerS: window.beats / windowS,
      windowChanges: window.changes,
      kill: victims.length,
      downS,
      replacedS,
    }
    const machine = Object.fromEntries(machineText.split('\n').map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]))
    if (opts.json) {
      console.log(JSON.stringify(managerJson({ machine: { ...machine, loadAtEnd: loadAverage() }, figures }), null, 2))
      return
    }
    for (const [k, v] of Object.entries(machine)) console.log(`${`${k}:`.padEnd(9)}${v}`)
    console.log(
      `setup:   muster serve (pid ${serve.pid}) and ${opts.nodes} simulated agents (sim-serve.mjs, its own process) on this machine; ` +
        `${opts.replicas} replicas in ${stacks.length} stacks, ${services} services, 16 MB reserved each; fleet started in ${(sim.startupMs / 1000).toFixed(1)} s`,
    )
    console.log('')
    console.log(formatManagerTable(figures))
    console.log(`\n${closingLine(started)}`)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await runBench(process.argv.slice(2), parseManagerArgs, managerUsage, main)
