// The anchor of the scheduler bench: Docker Swarm's placement rule re-implemented from swarmkit's
// manager/scheduler (read at moby/swarmkit 3e72cb6, 2026-08), run on the same input as muster's tick.
// Pure: nodes and services in, assignments and Swarm's own "no suitable node (...)" reasons out.
import { seeded, shuffled } from './sched-random.mjs'

/**
 * What `docker stack deploy` hands swarmkit for each service of the stacks: reservations (the limits go to
 * the container, the scheduler never reads them), constraints, the image's platforms (the CLI resolves the
 * image: --resolve-image always), spread preferences, max replicas per node, host-mode published ports.
 */
export function swarmServices (stacks, imagePlatforms = {}) {
  const out = []
  for (const stack of stacks) {
    for (const s of stack.services) {
      const d = s.deploy
      out.push({
        id: `${stack.name}_${s.name}`,
        /** the service's number: nodes count their tasks by it */
        ix: out.length,
        stack: stack.name,
        name: s.name,
        mode: d.mode,
        replicas: d.mode === 'global' ? 0 : d.replicas,
        reservations: { memoryBytes: d.reservations.memoryBytes ?? 0, nanoCPUs: Math.round((d.reservations.cpus ?? 0) * 1e9) },
        constraints: d.constraints.map((c) => ({ key: c.key, op: c.op, value: c.value })),
        platforms: (imagePlatforms[s.image] ?? []).map((p) => {
          const [os, ...arch] = p.split('/')
          return { os, arch: arch.join('/') }
        }),
        preferences: d.spread,
        maxReplicas: d.maxReplicasPerNode ?? 0,
        hostPorts: s.ports.filter((p) => p.published).map((p) => ({ port: p.published, protocol: p.protocol })),
      })
    }
  }
  return out
}

/**
 * What swarmkit knows of each node: the engine's total memory and CPUs (Description.Resources: nothing held
 * back for dockerd, containerd, k3s or the OS), labels, role, platform, status and availability. It does
 * not know whether the kernel enforces memory limits, nor which ports non-Swarm containers hold.
 */
export function swarmNodes (nodes, hardware) {
  return nodes.map((n) => ({
    id: n.name,
    hostname: n.hostname,
    down: !n.ready,
    availability: n.availability,
    role: n.role,
    os: n.os,
    arch: n.arch,
    labels: n.labels,
    memoryBytes: hardware[n.name]?.totalBytes ?? n.memory.allocatableBytes,
    nanoCPUs: Math.round((hardware[n.name]?.cpus ?? n.cpus.allocatable) * 1e9),
  }))
}

// --- nodeinfo.go: a node with its tasks' counts, what its reservations leave, its used host ports.

// `mine` caches byService of the task group being scheduled, and `key` is the node's place in this group's
// node order (both set per group, for speed: the rule reads them for every node of every group).
function nodeInfo (node) {
  return { node, tasks: 0, byService: new Map(), memoryBytes: node.memoryBytes, nanoCPUs: node.nanoCPUs, ports: new Set(), mine: 0, key: 0 }
}

// addTask: every task counts (none here is completed), and takes its reservations, never its limits.
function addTask (info, svc) {
  info.tasks++
  const mine = (info.byService.get(svc.ix) ?? 0) + 1
  info.byService.set(svc.ix, mine)
  info.mine = mine
  info.memoryBytes -= svc.reservations.memoryBytes
  info.nanoCPUs -= svc.reservations.nanoCPUs
  for (const p of svc.hostPorts) info.ports.add(`${p.protocol}/${p.port}`)
}

// --- manager/constraint/constraint.go: NodeMatches; values compare case-insensitively, a missing label is "".

function constraintValue (node, key) {
  const k = key.toLowerCase()
  if (k === 'node.id') return node.id
  if (k === 'node.hostname') return node.hostname
  if (k === 'node.role') return node.role
  if (k === 'node.platform.os') return node.os
  if (k === 'node.platform.arch') return node.arch
  if (k.startsWith('node.labels.') && k.length > 12) return node.labels[key.slice(12)] ?? ''
  return undefined // an unknown key matches no node
}

/** constraint.NodeMatches: every constraint holds on the node. */
export function nodeMatches (constraints, node) {
  for (const c of constraints) {
    const v = constraintValue(node, c.key)
    if (v === undefined) return false
    const equal = v.toLowerCase() === c.value.toLowerCase()
    if ((c.op === '==') !== equal) return false
  }
  return true
}

// --- filter.go: each filter is enabled per task (SetTask), checks a node, and explains its failures.
// The plugin and CSI volume filters are left out: no service here uses a plugin or a cluster volume.

const plural = (n, one, many) => (n === 1 ? `${one} on 1 node` : `${many} on ${n} nodes`)

const FILTERS = [
  {
    // ReadyFilter: status READY and availability active.
    setTask: () => true,
    check: (_svc, n) => !n.node.down && n.node.availability === 'active',
    explain: (k) => (k === 1 ? '1 node not available for new tasks' : `${k} nodes not available for new tasks`),
  },
  {
    // ResourceFilter: RESERVATIONS only, and only when the task has some; a limit-only task fits anywhere.
    setTask: (svc) => svc.reservations.memoryBytes > 0 || svc.reservations.nanoCPUs > 0,
    check: (svc, n) => svc.reservations.nanoCPUs <= n.nanoCPUs && svc.reservations.memoryBytes <= n.memoryBytes,
    explain: (k) => plural(k, 'insufficient resources', 'insufficient resources'),
  },
  {
    // ConstraintFilter
    setTask: (svc) => svc.constraints.length > 0,
    check: (svc, n) => nodeMatches(svc.constraints, n.node),
    explain: (k) => plural(k, 'scheduling constraints not satisfied', 'scheduling constraints not satisfied'),
  },
  {
    // PlatformFilter: an empty OS or architecture on the image's side matches any. Both sides are compared
    // normalised (swarmkit itself only folds x86_64 and aarch64; 32-bit ARM spellings are not modelled).
    setTask: (svc) => svc.platforms.length > 0,
    check: (svc, n) => svc.platforms.some((p) => (!p.arch || p.arch === n.node.arch) && (!p.os || p.os === n.node.os)),
    explain: (k) => plural(k, 'unsupported platform', 'unsupported platform'),
  },
  {
    // HostPortFilter: only ports of Swarm's own tasks on the node are known to it.
    setTask: (svc) => svc.hostPorts.length > 0,
    check: (svc, n) => svc.hostPorts.every((p) => !n.ports.has(`${p.protocol}/${p.port}`)),
    explain: (k) => plural(k, 'host-mode port already in use', 'host-mode port already in use'),
  },
  {
    // MaxReplicasFilter: fewer tasks of this service on the node than the limit.
    setTask: (svc) => svc.maxReplicas > 0,
    check: (svc, n) => (n.byService.get(svc.ix) ?? 0) < svc.maxReplicas,
    explain: () => 'max replicas per node limit exceed',
  },
]

// --- pipeline.go: the filters in order, stopping at the first failure, which it counts; a node that passes
// resets every count (so the explanation speaks of the failures since the last success, as swarmkit's does).
function pipeline () {
  const enabled = FILTERS.map(() => false)
  const failures = FILTERS.map(() => 0)
  let svc
  return {
    setTask (s) {
      svc = s
      FILTERS.forEach((f, i) => { enabled[i] = f.setTask(s); failures[i] = 0 })
    },
    process (n) {
      for (let i = 0; i < FILTERS.length; i++) {
        if (enabled[i] && !FILTERS[i].check(svc, n)) {
          failures[i]++
          return false
        }
      }
      failures.fill(0)
      return true
    },
    explain () {
      return FILTERS.map((f, i) => [failures[i], f]).filter(([k]) => k > 0)
        .sort((a, b) => b[0] - a[0]).map(([k, f]) => f.explain(k)).join('; ')
    },
  }
}

// --- scheduler.go scheduleTaskGroup: nodeLess. Fewest tasks of this service, then fewest tasks in total.
// (swarmkit first sets aside nodes with 5 recent failures of the service; no task fails here.)
const less = (a, b) => (a.mine !== b.mine ? a.mine < b.mine : a.tasks < b.tasks)

// Go's heap and map iteration leave ties in a random order; here a node's place in a seeded shuffle breaks
// them, so that a run is repeatable.
const before = (a, b) => (a.mine !== b.mine ? a.mine < b.mine : a.tasks !== b.tasks ? a.tasks < b.tasks : a.key < b.key)

// --- nodeset.go tree + decision_tree.go + nodeheap.go: nodes grouped by their values of the spread
// descriptors (node.labels.*; other descriptors are skipped, a missing label is ""), each subtree counting
// the service's tasks, each leaf keeping the best `max` nodes that pass the pipeline (a bounded max-heap).
function buildTree (infos, svc, max, process) {
  const root = { tasks: 0, next: null, heap: [], collapsed: false }
  if (max === 0) return root
  for (const info of infos) {
    let tree = root
    const mine = info.mine
    for (const pref of svc.preferences) {
      if (!(pref.length > 12 && pref.slice(0, 12).toLowerCase() === 'node.labels.')) continue
      const value = info.node.labels[pref.slice(12)] ?? ''
      tree.tasks += mine
      tree.next ??= new Map()
      let next = tree.next.get(value)
      if (!next) tree.next.set(value, (next = { tasks: 0, next: null, heap: [], collapsed: false }))
      tree = next
    }
    tree.tasks += mine
    const heap = tree.heap
    if (heap.length < max) {
      if (process(info)) heapPush(heap, info)
    } else if (before(info, heap[0]) && process(info)) {
      heap[0] = info
      siftDown(heap, 0)
    }
  }
  return root
}

// A max-heap on `before`: the worst node on top, to be replaced by a better one.
function heapPush (heap, x) {
  heap.push(x)
  let i = heap.length - 1
  while (i > 0) {
    const p = (i - 1) >> 1
    if (!before(heap[p], heap[i])) break
    ;[heap[p], heap[i]] = [heap[i], heap[p]]
    i = p
  }
}

function siftDown (heap, i) {
  for (;;) {
    const l = 2 * i + 1
    const r = l + 1
    let worst = i
    if (l < heap.length && before(heap[worst], heap[l])) worst = l
    if (r < heap.length && before(heap[worst], heap[r])) worst = r
    if (worst === i) return
    ;[heap[worst], heap[i]] = [heap[i], heap[worst]]
    i = worst
  }
}

// decisionTree.orderedNodes: best first; a leaf visited again drops the nodes that no longer pass.
function orderedNodes (leaf, process) {
  if (leaf.collapsed) leaf.heap = leaf.heap.filter((n) => process(n))
  leaf.collapsed = true
  return leaf.heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
}

/**
 * Places the replicas of every service on the nodes as swarmkit's scheduler does, from one fresh start:
 * global services first (the global orchestrator pre-assigns one task per node that is up, active and meets
 * the constraints; processPreassignedTasks runs the pipeline on that node alone), then each replicated
 * service as one task group (scheduler.go tick). Go's map orders (task groups, nodes) are a seeded shuffle.
 * running: tasks already placed ([{ service: id, node }], services of the list), which count and take room.
 * Returns { assignments: [{ service, stack, name, slot, node }], unplaced: [{ service, stack, name, slot, node?, reason }] }.
 */
export function swarmSchedule (nodes, services, { seed = 1, running = [] } = {}) {
  const rand = seeded(seed)
  const infos = nodes.map(nodeInfo)
  const p = pipeline()
  const assignments = []
  const unplaced = []
  const place = (svc, slot, info) => {
    addTask(info, svc)
    assignments.push({ service: svc.id, stack: svc.stack, name: svc.name, slot, node: info.node.id })
  }
  // Tasks already on the nodes: they count and take their reservations, as newNodeInfo's addTask does.
  const infoOf = new Map(infos.map((i) => [i.node.id, i]))
  const serviceOf = new Map(services.map((s) => [s.id, s]))
  for (const r of running) {
    const info = infoOf.get(r.node)
    const svc = serviceOf.get(r.service)
    if (!info || !svc) throw new Error(`a running task of ${r.service} on ${r.node}: no such ${info ? 'service' : 'node'}`)
    addTask(info, svc)
  }

  // processPreassignedTasks / taskFitNode: the global orchestrator's tasks, each checked on its own node.
  const preassigned = []
  for (const svc of services.filter((s) => s.mode === 'global')) {
    for (const info of infos) {
      const n = info.node
      if (!n.down && n.availability === 'active' && nodeMatches(svc.constraints, n)) preassigned.push([svc, info])
    }
  }
  for (const [svc, info] of shuffled(rand, preassigned)) {
    p.setTask(svc)
    if (p.process(info)) place(svc, 0, info)
    else unplaced.push({ service: svc.id, stack: svc.stack, name: svc.name, slot: 0, node: info.node.id, reason: p.explain() })
  }

  // tick: one task group per replicated service.
  for (const svc of shuffled(rand, services.filter((s) => s.mode !== 'global' && s.replicas > 0))) {
    const group = { svc, slots: Array.from({ length: svc.replicas }, (_, i) => i + 1), next: 0 }
    p.setTask(svc)
    const order = shuffled(rand, infos)
    for (let i = 0; i < order.length; i++) {
      order[i].key = i
      order[i].mine = order[i].byService.get(svc.ix) ?? 0
    }
    const tree = buildTree(order, svc, group.slots.length, p.process)
    onSubtree(group.slots.length, group, tree, p.process, place)
    if (group.next < group.slots.length) {
      const why = p.explain()
      for (const slot of group.slots.slice(group.next)) {
        unplaced.push({ service: svc.id, stack: svc.stack, name: svc.name, slot, reason: why ? `no suitable node (${why})` : 'no suitable node' })
      }
    }
  }
  return { assignments, unplaced }
}

// scheduler.go scheduleNTasksOnSubtree: split n tasks over the branches so that each branch ends with the
// same number of the service's tasks; a branch that takes fewer than asked is out of room.
function onSubtree (n, group, tree, process, place) {
  if (tree.next === null) {
    const nodes = orderedNodes(tree, process)
    return nodes.length === 0 ? 0 : onNodes(n, group, nodes, process, place)
  }
  let scheduled = 0
  let usable = tree.tasks
  const noRoom = new Set()
  let converging = true
  while (scheduled !== n && noRoom.size !== tree.next.size && converging) {
    const branches = tree.next.size - noRoom.size
    const desired = Math.floor((usable + n - scheduled) / branches)
    let remainder = (usable + n - scheduled) % branches
    converging = false
    for (const sub of tree.next.values()) {
      if (noRoom.has(sub)) continue
      if (sub.tasks < desired || (sub.tasks === desired && remainder > 0)) {
        converging = true
        let ask = desired - sub.tasks
        if (remainder > 0) ask++
        const got = onSubtree(ask, group, sub, process, place)
        if (got < ask) {
          noRoom.add(sub)
          usable -= sub.tasks
        } else if (remainder > 0) {
          remainder--
        }
        scheduled += got
      }
    }
  }
  return scheduled
}

// scheduler.go scheduleNTasksOnNodes: fill the best node until the next one is better, then, once every
// node had its turn, one task each in turn; skip nodes that no longer pass the pipeline.
function onNodes (n, group, nodes, process, place) {
  let scheduled = 0
  const failed = new Set()
  let iter = 0
  const count = nodes.length
  while (group.next < group.slots.length) {
    const info = nodes[iter % count]
    place(group.svc, group.slots[group.next++], info)
    scheduled++
    if (scheduled === n) return scheduled
    if (iter + 1 < count) {
      if (less(nodes[(iter + 1) % count], info)) iter++
    } else {
      iter++
    }
    const start = iter
    while (failed.has(iter % count) || !process(nodes[iter % count])) {
      failed.add(iter % count)
      iter++
      if (iter - start === count) return scheduled
    }
  }
  return scheduled
}
