#!/usr/bin/env node
// The scheduler benchmark: muster's pure tick and a re-implementation of Docker Swarm's placement rule place
// the same 10,000 replicas on the same 1,000 simulated home-lab/edge nodes; time, throughput and the quality
// of the placement side by side. See the "Scheduler" section of bench/README.md.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { $ } from 'zx'
import { UsageError } from './lib/args.mjs'
import { closingLine, runBench } from './lib/entry.mjs'
import { loadAverage, machineInfo } from './lib/machine.mjs'
import { parseSchedArgs, schedUsage } from './lib/sched-args.mjs'
import { median, placementFigures, schedulable } from './lib/sched-figures.mjs'
import { generate, globalTargets, memoryOf } from './lib/sched-gen.mjs'
import { swarmNodes, swarmSchedule, swarmServices } from './lib/sched-swarm.mjs'
import { formatSchedTable, schedJson } from './lib/sched-table.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TICK = path.join(ROOT, 'dist/controller/scheduler/tick.js')
const log = (msg) => console.error(`bench: ${msg}`)
const TiB = 2 ** 40

// The machine lines of the other benches, without the Ansible version this bench does not use.
async function machine () {
  const lines = (await machineInfo(ROOT)).split('\n').filter((l) => !l.startsWith('ansible:'))
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]))
}

// A spec hash per service, as stack/ would compute it (computed before the clock starts: it is not placement).
function specHashes (stacks) {
  const hashes = new Map()
  for (const st of stacks) {
    for (const s of st.services) hashes.set(`${st.name}/${s.name}`, createHash('sha256').update(JSON.stringify(s)).digest('hex'))
  }
  return (stack, service) => hashes.get(`${stack}/${service}`) ?? ''
}

function describe (opts, input) {
  const services = input.stacks.reduce((n, st) => n + st.services.length, 0)
  const ready = schedulable(input.nodes)
  const allocatable = ready.reduce((n, x) => n + x.memory.allocatableBytes, 0)
  const all = input.stacks.flatMap((st) => st.services)
  const wantedOf = (s) => (s.deploy.mode === 'global' ? globalTargets(input.nodes, s).length : s.deploy.replicas)
  const asked = all.reduce((n, s) => n + wantedOf(s) * memoryOf(s), 0)
  const limitOnly = all.filter((s) => s.deploy.limits.memoryBytes !== undefined && s.deploy.reservations.memoryBytes === undefined).length
  return {
    seed: opts.seed,
    nodes: input.nodes.length,
    schedulableNodes: ready.length,
    nodesNotEnforcing: input.nodes.filter((n) => !n.memory.enforced).length,
    replicas: opts.replicas,
    globalReplicas: input.wanted.global,
    services,
    limitOnlyServices: limitOnly,
    stacks: input.stacks.length,
    allocatableBytes: allocatable,
    askedMemoryBytes: asked,
    runs: opts.runs,
    warmup: opts.warmup,
  }
}

function inputLine (i) {
  return [
    `input: seed ${i.seed}; ${i.nodes.toLocaleString('en-US')} nodes (${i.schedulableNodes} ready and active, ${i.nodesNotEnforcing} not enforcing memory limits), `
      + `${i.replicas.toLocaleString('en-US')} replicas (${i.globalReplicas.toLocaleString('en-US')} of global services) of ${i.services.toLocaleString('en-US')} services `
      + `(${i.limitOnlyServices} with a memory limit and no reservation) in ${i.stacks} stacks`,
    `memory: the replicas ask ${(i.askedMemoryBytes / TiB).toFixed(2)} TiB (reservation, else limit) of ${(i.allocatableBytes / TiB).toFixed(2)} TiB allocatable; `
      + `time: median of ${i.runs} run(s) each, alternating, after ${i.warmup} untimed warm-up run(s)`,
  ].join('\n')
}

async function loadTick (build) {
  if (build) {
    log('npm run build')
    const r = await $({ cwd: ROOT, quiet: true, nothrow: true })`npm run build`
    if (r.exitCode !== 0) throw new UsageError(`npm run build failed (use --no-build to bench the dist/ already there):\n${r.stdout}${r.stderr}`)
  }
  if (!existsSync(TICK)) return null
  const mod = await import(pathToFileURL(TICK).href)
  return typeof mod.tick === 'function' ? mod.tick : null
}

// The most frequent reasons, with node names as <node> and slots as N so that alike reasons count together.
function reasons (unplaced, names, top = 5) {
  const counts = new Map()
  for (const u of unplaced) {
    const text = `${u.service ?? ''}: ${u.reason.replace(/[\w.-]+/g, (w) => (names.has(w) ? '<node>' : w)).replace(/^[\w-]+\.\d+: /, '')}`
    counts.set(text, (counts.get(text) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)
}

// Wall time, what a user waits for; and this process's CPU time, which a busy shared machine disturbs less.
// No forced collection before a run: a full one (gc()) made the next tick 2-3 times slower here (the young
// generation and V8's allocation feedback start over), which no caller of tick ever sees. Each side's garbage
// is collected as it goes; alternating the runs spreads the other side's evenly.
function timed (fn) {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const out = fn()
  const seconds = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  return { out, seconds, cpuSeconds: (c.user + c.system) / 1e6 }
}

async function main (opts) {
  const started = Date.now()
  const tick = await loadTick(opts.build)
  if (!tick) log(`no tick in ${path.relative(ROOT, TICK)}: the muster column says n/a`)
  const info = await machine()
  const input = generate({ seed: opts.seed, nodes: opts.nodes, replicas: opts.replicas })
  const meta = describe(opts, input)
  const snapshot = { nodes: input.nodes, imagePlatforms: input.imagePlatforms }
  const options = { specHash: specHashes(input.stacks) }
  // What `docker stack deploy` sends and what swarmkit knows of the nodes: built outside the clock, as
  // muster's snapshot is.
  const sNodes = swarmNodes(input.nodes, input.hardware)
  const sServices = swarmServices(input.stacks, input.imagePlatforms)

  const times = { muster: [], swarm: [] }
  const cpu = { muster: [], swarm: [] }
  const cold = {}
  let plan
  let swarm
  for (let i = 0; i < opts.warmup; i++) {
    // Untimed but for the very first run (the cold-JIT row): the median is then the steady state.
    if (tick) {
      const r = timed(() => tick(input.stacks, snapshot, { replicas: [] }, options))
      cold.muster ??= r.seconds
    }
    const s = timed(() => swarmSchedule(sNodes, sServices, { seed: opts.seed }))
    cold.swarm ??= s.seconds
    log(`warm-up ${i + 1}/${opts.warmup}`)
  }
  for (let i = 0; i < opts.runs; i++) {
    // Alternating, so that a busy moment of a shared machine does not fall on one side only.
    if (tick) {
      const r = timed(() => tick(input.stacks, snapshot, { replicas: [] }, options))
      if (plan && JSON.stringify(r.out.assignments) !== JSON.stringify(plan.assignments)) throw new Error(`muster's plan differs between run 1 and run ${i + 1} on the same input`)
      plan = r.out
      times.muster.push(r.seconds)
      cpu.muster.push(r.cpuSeconds)
    }
    const s = timed(() => swarmSchedule(sNodes, sServices, { seed: opts.seed }))
    swarm = s.out
    times.swarm.push(s.seconds)
    cpu.swarm.push(s.cpuSeconds)
    log(`run ${i + 1}/${opts.runs}: ${tick ? `muster ${(times.muster[i] * 1000).toFixed(1)} ms, ` : ''}Swarm rule ${(s.seconds * 1000).toFixed(1)} ms`)
  }

  const musterFigures = tick
    ? placementFigures({
      nodes: input.nodes,
      stacks: input.stacks,
      placements: plan.assignments.map((a) => ({ stack: a.stack, service: a.service, node: a.node })),
      unplaced: plan.unplaced.length,
      seconds: median(times.muster),
      coldSeconds: cold.muster ?? times.muster[0],
      bestSeconds: Math.min(...times.muster),
      cpuSeconds: median(cpu.muster),
    })
    : null
  const swarmFigures = placementFigures({
    nodes: input.nodes,
    stacks: input.stacks,
    placements: swarm.assignments.map((a) => ({ stack: a.stack, service: a.name, node: a.node })),
    unplaced: swarm.unplaced.length,
    seconds: median(times.swarm),
    coldSeconds: cold.swarm ?? times.swarm[0],
    bestSeconds: Math.min(...times.swarm),
    cpuSeconds: median(cpu.swarm),
  })

  if (opts.json) {
    console.log(JSON.stringify(schedJson({ machine: { ...info, loadAtEnd: loadAverage() }, input: meta, muster: musterFigures, swarm: swarmFigures }), null, 2))
    return
  }
  for (const [k, v] of Object.entries(info)) console.log(`${`${k}:`.padEnd(9)}${v}`)
  console.log(inputLine(meta))
  console.log('')
  console.log(formatSchedTable(musterFigures, swarmFigures))
  const names = new Set(input.nodes.map((n) => n.name))
  for (const [who, list] of [['muster', plan?.unplaced ?? []], ['Swarm rule', swarm.unplaced]]) {
    if (list.length) console.log(`\n${who}, replicas not placed, by reason:\n${reasons(list, names).map(([r, n]) => `${String(n).padStart(7)} x ${r}`).join('\n')}`)
  }
  console.log(`\n${closingLine(started)}`)
}

await runBench(process.argv.slice(2), parseSchedArgs, schedUsage, main)
