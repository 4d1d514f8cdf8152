// What a simulated agent says about its node (GET /v1/report): a NodeReport built from the node's hardware
// model (bench/lib/sched-gen.mjs) and the containers of its desired set, and how long it is kept: like the real
// agent (agent/report/reporter.ts), a node serves the report it collected until its next refresh moment or
// until what the report says changes (a container starts). Pure: the node's state and the time in.
import { createHash } from 'node:crypto'
import { AGENT_BYTES, generate } from './sched-gen.mjs'

const MiB = 2 ** 20
/** What a container uses when its spec asks for nothing: a small process. */
const DEFAULT_USAGE = 24 * MiB
const K3S_BYTES = 270 * MiB
export const SIM_AGENT_VERSION = '0.1.0-sim'

const RAW_ARCH = { amd64: 'x86_64', arm64: 'aarch64', 'arm/v7': 'armv7l' }
const HARDWARE = {
  pi3: { cpu: 'Cortex-A53', pi: 'Raspberry Pi 3 Model B Plus Rev 1.3' },
  'pi4-2g': { cpu: 'Cortex-A72', pi: 'Raspberry Pi 4 Model B Rev 1.5' },
  'pi4-4g': { cpu: 'Cortex-A72', pi: 'Raspberry Pi 4 Model B Rev 1.5' },
  'pi4-8g': { cpu: 'Cortex-A72', pi: 'Raspberry Pi 4 Model B Rev 1.5' },
  'pi5-8g': { cpu: 'Cortex-A76', pi: 'Raspberry Pi 5 Model B Rev 1.0' },
  'nuc-16g': { cpu: 'Intel(R) Core(TM) i5-1135G7 @ 2.40GHz', pi: null },
  'nuc-32g': { cpu: 'Intel(R) Core(TM) i7-1165G7 @ 2.80GHz', pi: null },
  'pc-64g': { cpu: 'AMD Ryzen 9 5900X 12-Core Processor', pi: null },
}
const DISK_BYTES = { sd: 32e9, ssd: 256e9, hdd: 2e12 }
// What the real agent says (agent/report/cgroup.ts) when the kernel runs with the memory controller off.
const NO_MEMORY_CGROUP =
  'the kernel has the memory controller disabled: add cgroup_enable=memory (and on a Pi, cgroup_memory=1) to the kernel command line and reboot'

/**
 * `count` node models for a seed, in the order of the simulated nodes: hardware, labels, whether the kernel
 * enforces memory limits and the ports unmanaged services hold, as sched-gen's fleet mix draws them.
 */
export function simModels (count, seed = 1) {
  // sched-gen needs more replicas than its global services take (three per node at most): the stacks are unused.
  // Its rounding of the model shares can give a few nodes more than asked for small counts: those are left out.
  const { nodes, hardware } = generate({ seed, nodes: count, replicas: 3 * count + 1 })
  return nodes.slice(0, count).map((n) => {
    const h = hardware[n.name]
    return {
      model: h.model,
      arch: n.arch,
      cpus: h.cpus,
      totalBytes: h.totalBytes,
      baselineBytes: h.baselineBytes,
      k3s: h.k3s,
      enforced: n.memory.enforced,
      labels: { ...n.labels },
      portsInUse: n.portsInUse.map((p) => ({ ...p })),
    }
  })
}

const hex = (s, n) => createHash('sha256').update(s).digest('hex').slice(0, n)

/** What a running container of this spec uses: half of what it reserves (else of its limit), or a small process. */
export function usageOf (spec) {
  const base = spec.memoryReservation || spec.memoryLimit
  return base ? Math.floor(base / 2) : DEFAULT_USAGE
}

/** One container as the agent reports it: created until startDelayMs passed since it was added, running after. */
export function containerReport (entry, enforcedMemory, startDelayMs, now) {
  const { spec, addedAt } = entry
  const running = now - addedAt >= startDelayMs
  const id = hex(`${spec.name}@${addedAt}`, 64)
  const enforced = !running
    ? { memoryLimit: null, cpus: null, pidsLimit: null, source: 'not-running', cgroupDir: null }
    : {
        memoryLimit: enforcedMemory ? (spec.memoryLimit ?? 'unlimited') : null,
        cpus: spec.cpus ?? 'unlimited',
        pidsLimit: spec.pidsLimit ?? 'unlimited',
        source: enforcedMemory ? 'cgroup' : 'no-memory-cgroup',
        cgroupDir: `/sys/fs/cgroup/system.slice/docker-${id}.scope`,
      }
  return {
    name: spec.name,
    id,
    stack: spec.stack,
    service: spec.service,
    replica: spec.replica,
    image: spec.image,
    state: running ? 'running' : 'created',
    health: running && spec.healthcheck ? 'healthy' : spec.healthcheck ? 'starting' : null,
    restarts: 0,
    exitCode: null,
    ...(running ? { startedAt: new Date(addedAt + startDelayMs).toISOString() } : {}),
    asked: {
      memoryLimit: spec.memoryLimit ?? null,
      memoryReservation: spec.memoryReservation ?? null,
      cpus: spec.cpus ?? null,
      pidsLimit: spec.pidsLimit ?? null,
    },
    enforced,
    usageBytes: running ? usageOf(spec) : null,
    oomKills: running ? 0 : null,
    limitMismatch: running && !enforcedMemory && spec.memoryLimit !== undefined,
    cpuMismatch: false,
    pidsMismatch: false,
  }
}

/** An image the node holds, as the agent lists it. */
const imageReport = (ref, arch) => ({ id: `sha256:${hex(`${ref}/${arch}`, 64)}`, tags: [ref], os: 'linux', arch })

/**
 * The node's report at `now`. node: { name, model (simModels), availability, desired (DesiredSet | null),
 * entries (Map name -> { spec, addedAt }), volumes (Map name -> stack), images (Set of refs), bootAt }.
 */
export function nodeReport (node, startDelayMs, now) {
  const m = node.model
  const containers = [...node.entries.values()].map((e) => containerReport(e, m.enforced, startDelayMs, now))
  const used = containers.reduce((sum, c) => sum + (c.usageBytes ?? 0), 0)
  const running = containers.filter((c) => c.state === 'running').length
  const hw = HARDWARE[m.model] ?? { cpu: null, pi: null }
  const disk = DISK_BYTES[m.labels.disk] ?? DISK_BYTES.ssd
  const k3sBytes = m.k3s ? K3S_BYTES : null
  const engines = m.baselineBytes - AGENT_BYTES - (k3sBytes ?? 0)
  const load = Math.round(Math.min(m.cpus, 0.05 + running * 0.02) * 100) / 100
  return {
    agentVersion: SIM_AGENT_VERSION,
    collectedAt: new Date(now).toISOString(),
    node: {
      hostname: node.name,
      os: 'Debian GNU/Linux 13 (trixie)',
      kernel: hw.pi ? '6.12.34+rpt-rpi-v8' : '6.12.38+deb13-amd64',
      arch: { raw: RAW_ARCH[m.arch] ?? m.arch, normalised: m.arch },
      cpu: { count: m.cpus, model: hw.cpu },
      memory: { totalBytes: m.totalBytes, availableBytes: Math.max(0, m.totalBytes - m.baselineBytes - used), swapTotalBytes: 0, swapFreeBytes: 0 },
      disks: [{ path: '/', totalBytes: disk, freeBytes: Math.floor(disk * 0.7), availableBytes: Math.floor(disk * 0.65) }],
      load: [load, load, load],
      uptimeS: Math.round((now - node.bootAt) / 100) / 10,
      piModel: hw.pi,
      labels: { ...m.labels },
      available: node.availability === 'active',
      availability: node.availability,
    },
    cgroups: {
      version: 'v2',
      memory: m.enforced ? { enabled: true, enforced: true } : { enabled: false, enforced: false, reason: NO_MEMORY_CGROUP },
      agent: { dir: '/sys/fs/cgroup/system.slice/muster-agent.service', limit: m.enforced ? 256 * MiB : null, usageBytes: m.enforced ? AGENT_BYTES : null },
    },
    docker: {
      reachable: true,
      version: '26.1.5',
      cgroupDriver: 'systemd',
      cgroupVersion: '2',
      memoryLimit: m.enforced,
      swapLimit: m.enforced,
      warnings: m.enforced ? [] : ['WARNING: No memory limit support'],
      dataRoot: '/var/lib/docker',
    },
    containers,
    baseline: {
      dockerdBytes: Math.floor(engines * 0.6),
      containerdBytes: engines - Math.floor(engines * 0.6),
      k3sBytes,
      agentBytes: AGENT_BYTES,
      totalBytes: m.baselineBytes,
    },
    reconcile: {
      generation: node.desired?.generation ?? null,
      desiredCount: containers.length,
      converged: running === containers.length,
      lastAction: containers.length ? `start ${containers[containers.length - 1].name}` : null,
      lastError: null,
      ...(node.desired ? {} : { waitingFor: 'no desired set received yet' }),
    },
    volumes: [...node.volumes].map(([name, stack]) => ({ name, stack })),
    images: [...node.images].map((ref) => imageReport(ref, m.arch)),
    portsInUse: m.portsInUse.map((p) => ({ ...p })),
  }
}

/**
 * Where a node's refresh moments fall, after the fleet started: node `index` of `count` refreshes at
 * `phase + k * intervalMs`, the phases spread over one interval so that the nodes do not all collect at once.
 */
export const refreshPhase = (index, count, intervalMs) => Math.floor((index * intervalMs) / count)

/** The first refresh moment after `at` on a node whose refreshes fall on `base + k * intervalMs`. */
export function nextRefresh (at, base, intervalMs) {
  if (at < base) return base
  return base + (Math.floor((at - base) / intervalMs) + 1) * intervalMs
}

/** The first moment after `at` when a container of `entries` starts (the report says so from then), or Infinity. */
export function nextStart (entries, startDelayMs, at) {
  let next = Infinity
  for (const e of entries.values()) {
    const start = e.addedAt + startDelayMs
    if (start > at && start < next) next = start
  }
  return next
}

/** A strong entity tag for a report's JSON: a quoted hash, the same for the same text. */
export const reportTag = (text) => `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`

/**
 * The report a node serves at `now`: `kept` ({ text, tag, state, at, until } from an earlier call, or null when
 * something changed) while `now` is in [at, until), else a new one collected now, kept until the node's next
 * refresh moment (`node.refreshBase` + k * intervalMs) or the next container start, whichever comes first.
 * A clock that went back (`now` before `at`) collects again. `stateOf(report)` is the state tag rule (the real
 * code's reportStateTag; none by default). Answers { report, fresh } (fresh: collected now).
 */
export function keptReport (kept, node, startDelayMs, intervalMs, now, stateOf = () => null) {
  if (kept && now >= kept.at && now < kept.until) return { report: kept, fresh: false }
  const report = nodeReport(node, startDelayMs, now)
  const text = JSON.stringify(report)
  const until = Math.min(nextRefresh(now, node.refreshBase, intervalMs), nextStart(node.entries, startDelayMs, now))
  return { report: { text, tag: reportTag(text), state: stateOf(report), at: now, until }, fresh: true }
}
