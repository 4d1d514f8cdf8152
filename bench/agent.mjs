#!/usr/bin/env node
// The agent benchmark: the bundled muster agent converging 20 containers on the machine's dockerd, and
// Debian's node_exporter as the anchor: steady RSS, request latency under a loopback load, idle CPU.
// See the "Agent" section of bench/README.md.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { agentUsage, parseAgentArgs } from './lib/agent-args.mjs'
import { benchDesiredSet, convergedOn } from './lib/agent-desired.mjs'
import { EXPORTER, IMAGE, ensureImage, freePort, makeNodeFiles, missing, removeScope, startAgent, startExporter } from './lib/agent-lab.mjs'
import { get, load, sendJson } from './lib/agent-load.mjs'
import { anonKib, cpuPercent, cpuTicks, rssKib } from './lib/agent-proc.mjs'
import { nodeFlagsFromUnit } from './lib/agent-unit.mjs'
import { formatAgentTable, formatAgentTargets, percentile } from './lib/agent-table.mjs'
import { loadAverage } from './lib/machine.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BUNDLE = path.join(ROOT, 'dist/muster-agent.mjs')
const UNIT = path.join(ROOT, 'agent/muster-agent.service')
// The agent's default report_interval (docs/agent.md): the bench runs it with the default.
const INTERVAL_S = 10
const log = (msg) => console.error(`bench: ${msg}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const run = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() } catch { return 'unknown' } }

function machine (bundle, nodeFlags) {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? os.cpus()[0]?.model ?? 'unknown'
  const distro = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? 'unknown'
  return [
    `cpu:      ${cpu} (${os.cpus().length} cores)`,
    `memory:   ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `kernel:   ${os.type()} ${os.release()} (${distro})`,
    `load:     ${loadAverage()} (1 / 5 / 15 min, at start)`,
    `node:     ${process.version}`,
    `docker:   ${run('docker', ['info', '--format', '{{.ServerVersion}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}})'])}`,
    `exporter: ${existsSync(EXPORTER) ? run(EXPORTER, ['--version']).split('\n')[0] : 'not installed (apt-get install prometheus-node-exporter)'}`,
    `muster:   ${run('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}`,
    `bundle:   ${path.relative(ROOT, bundle) || bundle} (${(statSync(bundle).size / 1024).toFixed(0)} KiB), run as node ${nodeFlags.join(' ')}${nodeFlags.length ? ' ' : ''}muster-agent.mjs${process.env.NODE_OPTIONS ? `; NODE_OPTIONS=${process.env.NODE_OPTIONS}` : ''}`,
  ].join('\n')
}

/** CPU ticks and RSS of one process now. */
const sample = (pid) => ({
  ticks: cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')),
  rssKib: rssKib(readFileSync(`/proc/${pid}/status`, 'utf8')),
  anonKib: anonKib(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')),
  at: performance.now(),
})

async function waitConverged (agent, auth, set, timeoutMs = 180_000) {
  const end = Date.now() + timeoutMs
  let last
  while (Date.now() < end) {
    try {
      const r = await get(`${agent.url}/v1/report`, auth)
      last = JSON.parse(r.body)
      if (r.status === 200 && convergedOn(last, set)) return last
    } catch (e) { last = e.message }
    await sleep(1000)
  }
  throw new Error(`the agent did not converge on ${set.containers.length} containers in ${timeoutMs / 1000} s; last report: ${JSON.stringify(last?.reconcile ?? last)}\n${agent.log()}`)
}

async function measureLoad (what, url, opts, pid) {
  log(`load: ${opts.requests} GETs of ${url} at concurrency ${opts.concurrency}`)
  const r = await load(url, opts)
  if (r.errors > 0) throw new Error(`${what}: ${r.errors} of ${opts.requests} requests failed`)
  return { p50Ms: percentile(r.latencies, 50), p99Ms: percentile(r.latencies, 99), loadRssKib: sample(pid).rssKib, rps: opts.requests / r.seconds }
}

async function main (opts) {
  const why = missing()
  if (why) throw new UsageError(why)
  const bundle = opts.bundle ? path.resolve(opts.bundle) : BUNDLE
  if (opts.build) {
    log('npm run build')
    try { execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }) } catch (e) {
      throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${e.stdout}${e.stderr}`)
    }
  }
  if (!existsSync(bundle)) throw new UsageError(`no ${bundle}: run npm run build`)
  // The agent runs with the node options of its systemd unit (the figures are a deployed node's), unless told otherwise.
  const nodeFlags = opts.nodeOptions ?? nodeFlagsFromUnit(readFileSync(UNIT, 'utf8'))
  console.log(machine(bundle, nodeFlags))
  const withAnchor = existsSync(EXPORTER)
  const started = Date.now()

  const procs = []
  const scope = `bench-agent-${process.pid}`
  let files
  const cleanup = async () => {
    await Promise.all(procs.map((p) => p.stop().catch(() => {})))
    try {
      const n = removeScope(scope)
      if (n) log(`removed ${n} container(s) of scope ${scope}`)
    } catch (e) { log(`could not remove the containers of scope ${scope}: ${e.message}`) }
    if (files) rmSync(files.dir, { recursive: true, force: true })
  }
  // Ctrl-C or a kill still removes what was started; a second signal gives up on cleaning.
  const onSignal = (sig) => { log(`${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    ensureImage()
    files = makeNodeFiles()
    const auth = { headers: { authorization: `Bearer ${files.token}` }, ca: files.ca }
    const agent = await startAgent(bundle, files, scope, nodeFlags, (p) => procs.push(p))
    log(`agent pid ${agent.pid} on ${agent.url} (scope ${scope})`)
    const exporter = withAnchor ? await startExporter(await freePort(), (p) => procs.push(p)) : null
    if (exporter) log(`node_exporter pid ${exporter.pid} on ${exporter.url}`)

    const set = benchDesiredSet(opts.containers, scope.replace(/\W/g, ''), IMAGE)
    const put = await sendJson('PUT', `${agent.url}/v1/desired`, set, auth)
    if (put.status !== 200) throw new Error(`PUT /v1/desired: ${put.status} ${put.body}`)
    const t0 = Date.now()
    await waitConverged(agent, auth, set)
    log(`converged on ${opts.containers} containers in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    // The steady window: both idle but for one request per report interval each, as a controller
    // polling the agent and a Prometheus scraping node_exporter would send.
    log(`steady window: ${opts.minutes} min`)
    const first = { agent: sample(agent.pid), exporter: exporter && sample(exporter.pid) }
    const end = performance.now() + opts.minutes * 60_000
    while (performance.now() < end) {
      await sleep(Math.min(INTERVAL_S * 1000, end - performance.now()))
      await get(`${agent.url}/v1/report`, auth)
      if (exporter) await get(exporter.url)
    }
    const last = { agent: sample(agent.pid), exporter: exporter && sample(exporter.pid) }
    const hz = Number(run('getconf', ['CLK_TCK'])) || 100
    const idle = (a, b) => ({ rssKib: b.rssKib, anonKib: b.anonKib, cpuPercent: cpuPercent(b.ticks - a.ticks, hz, (b.at - a.at) / 1000) })

    const loadOpts = { requests: opts.requests, concurrency: opts.concurrency }
    const agentFigures = { ...idle(first.agent, last.agent), ...(await measureLoad('the agent', `${agent.url}/v1/report`, { ...loadOpts, ...auth }, agent.pid)) }
    const report = JSON.parse((await get(`${agent.url}/v1/report`, auth)).body)
    const exporterFigures = exporter ? { ...idle(first.exporter, last.exporter), ...(await measureLoad('node_exporter', exporter.url, loadOpts, exporter.pid)) } : null

    console.log('')
    console.log(`${opts.containers} containers converged; steady window ${opts.minutes} min at the default ${INTERVAL_S} s interval; load ${opts.requests} requests at concurrency ${opts.concurrency} (agent: GET /v1/report over TLS with the token; node_exporter: GET /metrics over HTTP)`)
    console.log('')
    console.log(formatAgentTable(agentFigures, exporterFigures))
    console.log('')
    console.log(`throughput under the load: agent ${agentFigures.rps.toFixed(0)} req/s${exporterFigures ? `, node_exporter ${exporterFigures.rps.toFixed(0)} req/s` : ''}`)
    console.log(`report size: ${(JSON.stringify(report).length / 1024).toFixed(1)} KiB, ${report.containers.length} containers; the agent's own baseline figure: ${(report.baseline.agentBytes / 1e6).toFixed(1)} MB`)
    console.log('')
    console.log(formatAgentTargets(agentFigures))
    console.log('')
    console.log(closingLine(started))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await runBench(process.argv.slice(2), parseAgentArgs, agentUsage, main)
