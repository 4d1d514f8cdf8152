#!/usr/bin/env node
// Measures the simulated fleet: how long N agents take to start, the fleet process's RSS idle and loaded, and
// the requests per second it serves to the controller's real agent client (a new TLS connection per request,
// as the controller makes them) and over kept-alive connections. The fleet runs in its own process
// (sim-serve.mjs); this one is the client. Runs on dist/ (npm run build first). Figures: bench/README.md.
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { cpuPercent, cpuTicks, rssKib } from './agent-proc.mjs'
import { closingLine, runBench } from './entry.mjs'
import { measureUsage, parseMeasureArgs } from './sim-args.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DIST = path.join(ROOT, 'dist')
const TIMEOUT_MS = 10_000
const MiB = 2 ** 20
const log = (msg) => console.error(`bench: ${msg}`)

const proc = (pid) => ({
  rssMiB: rssKib(readFileSync(`/proc/${pid}/status`, 'utf8')) / 1024,
  ticks: cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')),
  at: performance.now(),
})

/** Starts sim-serve and resolves with its ready line and a way to send it control lines. */
function serve (nodes, dir) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/lib/sim-serve.mjs'), '--nodes', String(nodes), '--dir', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })
  const waiting = []
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)))
  const next = () => new Promise((resolve) => waiting.push(resolve))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  return {
    child,
    ready: Promise.race([next(), exited.then((code) => Promise.reject(new Error(`sim-serve exited with ${code} before it was ready`)))]),
    send: (line) => {
      child.stdin.write(`${line}\n`)
      return next()
    },
    exited,
  }
}

/** Runs `one(i)` with `concurrency` in flight for `seconds`; how many succeeded and failed. */
async function load (seconds, concurrency, one) {
  const end = performance.now() + seconds * 1000
  let ok = 0
  let failed = 0
  let i = 0
  const worker = async () => {
    while (performance.now() < end) {
      if (await one(i++)) ok++
      else failed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { ok, failed }
}

/** GET /v1/report over a kept-alive connection; true on a 200. */
function keptAliveReport (agent, target) {
  return new Promise((resolve) => {
    const req = request(
      { host: target.address, port: target.port, path: '/v1/report', ca: target.ca, agent, headers: { authorization: `Bearer ${target.token}` } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode === 200))
      },
    )
    req.setTimeout(TIMEOUT_MS, () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}

function desiredSet (node, count) {
  const containers = Array.from({ length: count }, (_, k) => ({
    name: `bench_svc${k}.${node}.0123abcd`,
    stack: 'bench',
    service: `svc${k}`,
    replica: 1,
    image: 'nginx:1.27',
    memoryLimit: 128 * MiB,
    memoryReservation: 64 * MiB,
  }))
  return { generation: 1, containers }
}

async function main (opts) {
  const started = Date.now()
  if (!existsSync(path.join(DIST, 'controller/fleet/agent-client.js'))) throw new Error('dist/ is missing: run `npm run build` first')
  const load$ = (p) => import(pathToFileURL(path.join(DIST, p)).href)
  const [{ getReport, putDesired }, { readFleet }] = await Promise.all([load$('controller/fleet/agent-client.js'), load$('controller/deploy/fleet.js')])
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100
  const dir = mkdtempSync(path.join(tmpdir(), 'muster-sim-measure-'))
  const figures = { nodes: opts.nodes, concurrency: opts.concurrency, seconds: opts.seconds, replicasPerNode: opts.replicasPerNode }
  const t0 = performance.now()
  const fleet = serve(opts.nodes, dir)
  try {
    const ready = await fleet.ready
    figures.startupMs = Math.round(performance.now() - t0)
    figures.fleetStartupMs = ready.startupMs
    const pid = ready.pid
    figures.rssIdleMiB = proc(pid).rssMiB
    log(`${ready.nodes} agents up in ${figures.startupMs} ms (${figures.fleetStartupMs} ms inside), RSS ${figures.rssIdleMiB.toFixed(0)} MiB`)

    let t = performance.now()
    const nodes = await readFleet({ inventory: ready.inventory, timeoutMs: TIMEOUT_MS, env: ready.env, forks: opts.concurrency })
    figures.readFleetMs = Math.round(performance.now() - t)
    const failedRead = nodes.filter((n) => n.failure)
    if (failedRead.length) throw new Error(`${failedRead.length} nodes failed to answer readFleet: ${failedRead[0].failure.message}`)
    const targets = nodes.map((n) => n.target)
    log(`readFleet of ${nodes.length} nodes: ${figures.readFleetMs} ms`)

    const phase = async (name, one) => {
      const a = proc(pid)
      const client = process.cpuUsage()
      const r = await load(opts.seconds, opts.concurrency, one)
      const b = proc(pid)
      const used = process.cpuUsage(client)
      const s = (b.at - a.at) / 1000
      const simCpu = cpuPercent(b.ticks - a.ticks, hz, s)
      figures[name] = {
        requests: r.ok,
        failed: r.failed,
        perSecond: Math.round(r.ok / s),
        simCpuPercent: Math.round(simCpu),
        perCoreSecond: simCpu > 0 ? Math.round(r.ok / s / (simCpu / 100)) : null,
        clientCpuPercent: Math.round((100 * (used.user + used.system)) / 1e6 / s),
        rssMiB: b.rssMiB,
      }
      log(`${name}: ${figures[name].perSecond} req/s, sim CPU ${figures[name].simCpuPercent}%, client CPU ${figures[name].clientCpuPercent}%, RSS ${b.rssMiB.toFixed(0)} MiB`)
    }

    await phase('reportsEmpty', async (i) => (await getReport(targets[i % targets.length], TIMEOUT_MS)).ok)

    t = performance.now()
    let putIndex = 0
    const putFailed = []
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (putIndex < targets.length) {
          const i = putIndex++
          const a = await putDesired(targets[i], desiredSet(nodes[i].name, opts.replicasPerNode), TIMEOUT_MS)
          if (!a.ok || a.outcome !== 'accepted') putFailed.push(nodes[i].name)
        }
      }),
    )
    if (putFailed.length) throw new Error(`${putFailed.length} desired sets were not accepted (${putFailed[0]}...)`)
    figures.putAllMs = Math.round(performance.now() - t)
    log(`PUT ${targets.length} desired sets of ${opts.replicasPerNode} containers: ${figures.putAllMs} ms`)

    await phase('reportsFull', async (i) => (await getReport(targets[i % targets.length], TIMEOUT_MS)).ok)
    // one connection per node, to as many nodes as requests in flight: every request after the first reuses one
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const kept = targets.slice(0, opts.concurrency)
    await phase('reportsKeptAlive', (i) => keptAliveReport(agent, kept[i % kept.length]))
    agent.destroy()
    figures.rssEndMiB = proc(pid).rssMiB

    const closed = await fleet.send('close')
    if (!closed.ok) throw new Error(`close failed: ${closed.error}`)
    fleet.child.stdin.end()
    figures.exitCode = await fleet.exited
  } finally {
    if (fleet.child.exitCode === null) fleet.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  if (opts.json) console.log(JSON.stringify(figures, null, 2))
  else console.log(table(figures))
  console.log(closingLine(started))
}

function table (f) {
  const row = (name, p) => `| ${name} | ${p.perSecond} | ${p.simCpuPercent}% | ${p.perCoreSecond ?? '-'} | ${p.clientCpuPercent}% | ${p.rssMiB.toFixed(0)} MiB | ${p.failed} |`
  return [
    `${f.nodes} simulated agents: started in ${f.startupMs} ms (${f.fleetStartupMs} ms inside the process), RSS ${f.rssIdleMiB.toFixed(0)} MiB idle, ${f.rssEndMiB.toFixed(0)} MiB at the end`,
    `readFleet of every node: ${f.readFleetMs} ms; PUT of ${f.nodes} desired sets of ${f.replicasPerNode} containers: ${f.putAllMs} ms`,
    '',
    `| load (${f.concurrency} in flight, ${f.seconds} s) | req/s | fleet CPU | req/s per core | client CPU | fleet RSS | failed |`,
    '|---|---|---|---|---|---|---|',
    row('GET /v1/report, empty nodes, new TLS connection each', f.reportsEmpty),
    row(`GET /v1/report, ${f.replicasPerNode} containers each, new connection each`, f.reportsFull),
    row(`GET /v1/report, ${f.replicasPerNode} containers each, kept-alive connections to ${f.concurrency} nodes`, f.reportsKeptAlive),
  ].join('\n')
}

await runBench(process.argv.slice(2), parseMeasureArgs, measureUsage, main)
