// The scheduler bench's input: a seeded home-lab/edge fleet of simulated nodes (NodeView records) and
// stacks of mixed services (Stack objects), the same for every run with the same seed. Pure: no I/O.
import { between, pick, seeded, shuffled } from './sched-random.mjs'

const MiB = 2 ** 20
const GiB = 2 ** 30

/** What `muster nodes` holds back for the OS by default (DEFAULT_RESERVE_BYTES in controller/fleet/nodes-view.ts). */
export const RESERVE_BYTES = 256 * MiB
/** The agent's own steady RSS (bench/README.md, agent bench), part of every node's measured baseline. */
export const AGENT_BYTES = 58 * MiB

/**
 * The fleet's mix. share: of the nodes; memTotal: what the kernel reports (MemTotal, below the nominal size:
 * firmware, GPU split, kernel); unenforced: share whose kernel runs with the memory cgroup off (Raspberry Pi
 * OS kernels before cgroup_enable=memory); k3s: share that also runs k3s; disks and the other labels by weight.
 */
export const MODELS = [
  { model: 'pi3', share: 0.15, arch: 'arm/v7', memTotal: 0.9 * GiB, cpus: 4, unenforced: 0.6, k3s: 0, disks: [[8, 'sd'], [2, 'ssd']], zigbee: 0.05 },
  { model: 'pi4-2g', share: 0.1, arch: 'arm64', memTotal: 1.85 * GiB, cpus: 4, unenforced: 0.3, k3s: 0.1, disks: [[6, 'sd'], [4, 'ssd']], zigbee: 0.05 },
  { model: 'pi4-4g', share: 0.15, arch: 'arm64', memTotal: 3.7 * GiB, cpus: 4, unenforced: 0.3, k3s: 0.2, disks: [[5, 'sd'], [5, 'ssd']], zigbee: 0.05 },
  { model: 'pi4-8g', share: 0.1, arch: 'arm64', memTotal: 7.6 * GiB, cpus: 4, unenforced: 0.2, k3s: 0.25, disks: [[4, 'sd'], [6, 'ssd']], zigbee: 0.05 },
  { model: 'pi5-8g', share: 0.1, arch: 'arm64', memTotal: 7.9 * GiB, cpus: 4, unenforced: 0.1, k3s: 0.25, disks: [[2, 'sd'], [8, 'ssd']], zigbee: 0.05 },
  { model: 'nuc-16g', share: 0.17, arch: 'amd64', memTotal: 15.4 * GiB, cpus: 8, unenforced: 0, k3s: 0.3, disks: [[1, 'ssd']], zigbee: 0.02 },
  { model: 'nuc-32g', share: 0.13, arch: 'amd64', memTotal: 31.1 * GiB, cpus: 8, unenforced: 0, k3s: 0.3, disks: [[1, 'ssd']], zigbee: 0 },
  { model: 'pc-64g', share: 0.1, arch: 'amd64', memTotal: 62.7 * GiB, cpus: 16, unenforced: 0, k3s: 0.2, disks: [[7, 'ssd'], [3, 'hdd']], zigbee: 0, gpu: 0.4 },
]

const ZONES = [[30, 'z1'], [25, 'z2'], [20, 'z3'], [15, 'z4'], [10, 'z5']]
const FIX = 'enable the memory cgroup: add cgroup_enable=memory cgroup_memory=1 to /boot/firmware/cmdline.txt and reboot'

const ALL = ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
const ARM64_AMD64 = ['linux/amd64', 'linux/arm64']
const AMD64 = ['linux/amd64']

/**
 * The replicated services, by weight. limit / reservation: MiB to choose from (limit 'x2' = twice the
 * reservation); only a limit is the case Swarm gets wrong; neither is an unbounded container.
 */
export const KINDS = [
  { kind: 'web', weight: 20, image: 'nginx:1.27', platforms: ALL, replicas: [2, 12], limit: [64, 128, 256, 512], spread: 0.4 },
  { kind: 'api', weight: 15, image: 'ghcr.io/acme/api:3', platforms: ARM64_AMD64, replicas: [2, 16], reservation: [128, 256, 512], limit: 'x2', cpus: 0.25, spread: 0.5, constraints: [[0.2, 'node.labels.zone!=z5']] },
  { kind: 'worker', weight: 15, image: 'ghcr.io/acme/worker:3', platforms: ALL, replicas: [4, 30], limit: [256, 512, 1024, 2048] },
  { kind: 'cache', weight: 8, image: 'redis:7', platforms: ALL, replicas: [1, 3], reservation: [128, 256], limit: 'x2', maxPerNode: 1 },
  { kind: 'db', weight: 6, image: 'postgres:16', platforms: ARM64_AMD64, replicas: [1, 2], reservation: [1024, 2048], limit: 'x2', maxPerNode: 1, constraints: [[1, 'node.labels.disk==ssd']] },
  { kind: 'transcode', weight: 3, image: 'jellyfin/ffmpeg:7', platforms: AMD64, replicas: [1, 4], reservation: [2048, 4096], limit: 'x2', cpus: 2, constraints: [[1, 'node.platform.arch==amd64'], [0.3, 'node.labels.gpu==true']] },
  { kind: 'batch', weight: 10, image: 'busybox:1.36', platforms: ALL, replicas: [1, 10] },
  { kind: 'probe', weight: 8, image: 'prom/blackbox-exporter:0.25', platforms: ALL, replicas: [1, 6], reservation: [32, 64], cpus: 0.1 },
  { kind: 'ingress', weight: 5, image: 'traefik:3', platforms: ALL, replicas: [2, 6], limit: [128], port: 443, maxPerNode: 1, spread: 1 },
  { kind: 'home', weight: 3, image: 'homeassistant/home-assistant:2026.1', platforms: ARM64_AMD64, replicas: [1, 1], limit: [1024], device: true, constraints: [[1, 'node.labels.zigbee==true']] },
  { kind: 'llm', weight: 2, image: 'ollama/ollama:0.5', platforms: ARM64_AMD64, replicas: [1, 2], reservation: [8192], constraints: [[1, 'node.labels.gpu==true']] },
]

/** The global services of the `infra` stack: one replica per eligible node. */
export const GLOBALS = [
  { kind: 'node-exporter', image: 'prom/node-exporter:1.8', platforms: ALL, limit: [32] },
  { kind: 'log-shipper', image: 'grafana/promtail:3', platforms: ALL, reservation: [64], limit: 'x2', constraints: [[1, 'node.labels.disk!=sd']] },
  { kind: 'zigbee-bridge', image: 'koenkk/zigbee2mqtt:2', platforms: ALL, limit: [128], device: true, constraints: [[1, 'node.labels.zigbee==true']] },
]

/** `node.labels.disk==ssd` as the stack loader parses it. */
export function parseConstraint (text) {
  const m = text.match(/^([\w.]+)\s*(==|!=)\s*(.+)$/)
  if (!m) throw new Error(`not a constraint: ${text}`)
  return { key: m[1], op: m[2], value: m[3], text }
}

/** What a constraint key names on a node (missing labels are ""), as both schedulers read it. */
export function nodeValue (node, key) {
  if (key === 'node.hostname') return node.hostname
  if (key === 'node.role') return node.role
  if (key === 'node.platform.arch') return node.arch
  if (key === 'node.platform.os') return node.os
  if (key.startsWith('node.labels.')) return node.labels[key.slice('node.labels.'.length)] ?? ''
  return undefined
}

/** Whether the node satisfies every constraint (an unknown key never does). */
export const meetsConstraints = (node, constraints) =>
  constraints.every((c) => {
    const v = nodeValue(node, c.key)
    return v !== undefined && (c.op === '==') === (v === c.value)
  })

/** The nodes a global service wants a replica on: ready, active, its constraints met. */
export const globalTargets = (nodes, service) =>
  nodes.filter((n) => n.ready && n.availability === 'active' && meetsConstraints(n, service.deploy.constraints))

function makeNodes (rand, count) {
  const nodes = []
  const hardware = {}
  let managers = 0
  MODELS.forEach((m, i) => {
    const n = i === MODELS.length - 1 ? count - nodes.length : Math.round(m.share * count)
    for (let k = 1; k <= n; k++) {
      const name = `${m.model}-${String(k).padStart(3, '0')}`
      const k3s = rand() < m.k3s
      // dockerd + containerd, k3s where it runs, and the agent: what the agent measures as the baseline.
      const baselineBytes = between(rand, 80, 150) * MiB + (k3s ? between(rand, 250, 290) * MiB : 0) + AGENT_BYTES
      const enforced = !(rand() < m.unenforced)
      const labels = { disk: pick(rand, m.disks) }
      if (rand() >= 0.03) labels.zone = pick(rand, ZONES)
      if (rand() < m.zigbee) labels.zigbee = 'true'
      if (m.gpu && rand() < m.gpu) labels.gpu = 'true'
      const roll = rand()
      const ready = roll >= 0.01
      const availability = roll >= 0.01 && roll < 0.02 ? 'drain' : roll >= 0.02 && roll < 0.025 ? 'pause' : 'active'
      const role = m.arch === 'amd64' && managers < 5 && rand() < 0.1 ? (managers++, 'manager') : 'worker'
      nodes.push({
        name,
        hostname: name,
        ready,
        ...(ready ? {} : { notReady: 'agent unreachable: connection refused' }),
        availability,
        role,
        arch: m.arch,
        os: 'linux',
        labels,
        memory: { allocatableBytes: Math.max(0, Math.floor(m.memTotal) - baselineBytes - RESERVE_BYTES), enforced, ...(enforced ? {} : { fix: FIX }) },
        cpus: { allocatable: m.cpus },
        overcommit: 1,
        volumes: [],
        // An unmanaged reverse proxy on some nodes: muster sees the port in the report, Swarm does not.
        portsInUse: rand() < 0.04 ? [{ port: 443, protocol: 'tcp' }] : [],
      })
      hardware[name] = { model: m.model, totalBytes: Math.floor(m.memTotal), baselineBytes, k3s, cpus: m.cpus }
    }
  })
  return { nodes, hardware }
}

const UPDATE = { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 }

// One Service as the stack loader would produce it, with Compose's and Swarm's defaults filled in.
function makeService (rand, name, k, mode, replicas) {
  const reservation = k.reservation && k.reservation[between(rand, 0, k.reservation.length - 1)] * MiB
  const limit = k.limit === 'x2' ? reservation * 2 : k.limit && k.limit[between(rand, 0, k.limit.length - 1)] * MiB
  const constraints = (k.constraints ?? []).filter(([p]) => rand() < p).map(([, text]) => parseConstraint(text))
  const deploy = {
    mode,
    replicas: mode === 'global' ? 1 : replicas,
    limits: limit ? { memoryBytes: limit } : {},
    reservations: { ...(reservation ? { memoryBytes: reservation } : {}), ...(k.cpus ? { cpus: k.cpus } : {}) },
    constraints,
    spread: k.spread && rand() < k.spread ? ['node.labels.zone'] : [],
    ...(k.maxPerNode ? { maxReplicasPerNode: k.maxPerNode } : {}),
    update: UPDATE,
    rollback: UPDATE,
    restartPolicy: { condition: 'any', delayS: 5 },
    labels: {},
  }
  return {
    name,
    image: k.image,
    env: {},
    ports: k.port ? [{ target: k.port, published: k.port, protocol: 'tcp' }] : [],
    mounts: [],
    labels: {},
    devices: k.device ? [{ host: '/dev/ttyUSB0', container: '/dev/ttyUSB0', permissions: 'rwm' }] : [],
    privileged: false,
    capAdd: [],
    capDrop: [],
    networks: [{ key: 'default', aliases: [] }],
    extraHosts: [],
    secrets: [],
    configs: [],
    deploy,
  }
}

const makeStack = (name, services) => ({
  name,
  file: `bench/${name}.yml`,
  services: services.sort((a, b) => (a.name < b.name ? -1 : 1)),
  networks: { default: { name: `${name}_default`, external: false, labels: {} } },
  volumes: {},
  secrets: {},
  configs: {},
  warnings: [],
})

/**
 * The bench's input for a seed: `nodes` NodeViews (and each one's hardware: MemTotal, baseline, cores, what
 * Swarm sees), and stacks whose replicas add up to exactly `replicas`: the `infra` stack's global services
 * (one per ready, active node meeting their constraints) and replicated services of the KINDS mix, in stacks
 * of 2 to 8 services. imagePlatforms says which platforms each image exists for.
 */
export function generate ({ seed = 1, nodes: nodeCount = 1000, replicas = 10_000 } = {}) {
  const rand = seeded(seed)
  const { nodes, hardware } = makeNodes(rand, nodeCount)
  const imagePlatforms = {}
  for (const k of [...KINDS, ...GLOBALS]) imagePlatforms[k.image] = k.platforms

  const globals = GLOBALS.map((k) => makeService(rand, k.kind, k, 'global', 1))
  const globalReplicas = globals.reduce((sum, s) => sum + globalTargets(nodes, s).length, 0)
  if (replicas <= globalReplicas) throw new Error(`${replicas} replicas leave none for replicated services: the global ones take ${globalReplicas}`)
  const stacks = [makeStack('infra', globals)]

  let left = replicas - globalReplicas
  const weighted = KINDS.map((k) => [k.weight, k])
  while (left > 0) {
    const name = `app-${String(stacks.length).padStart(3, '0')}`
    const services = []
    const size = between(rand, 2, 8)
    for (let i = 0; i < size && left > 0; i++) {
      const k = pick(rand, weighted)
      const n = Math.min(left, between(rand, k.replicas[0], k.replicas[1]))
      const taken = services.filter((s) => s.name === k.kind || s.name.startsWith(`${k.kind}-`)).length
      services.push(makeService(rand, taken ? `${k.kind}-${taken + 1}` : k.kind, k, 'replicated', n))
      left -= n
    }
    stacks.push(makeStack(name, services))
  }
  return { nodes: shuffled(rand, nodes), hardware, stacks, imagePlatforms, wanted: { global: globalReplicas, replicated: replicas - globalReplicas } }
}

/** What a replica of the service can really take: its memory reservation, else its limit, else nothing known. */
export const memoryOf = (service) => service.deploy.reservations.memoryBytes ?? service.deploy.limits.memoryBytes ?? 0
