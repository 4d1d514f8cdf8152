// What the scheduler bench measures in a placement, the same way for muster's plan and for the Swarm rule's:
// counts, overcommitted nodes, memory limits where the kernel ignores them, the spread of memory use.
// Pure: nodes, stacks and placements in, figures out.
import { memoryOf } from './sched-gen.mjs'

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Nodes that can take new replicas: ready and active. */
export const schedulable = (nodes) => nodes.filter((n) => n.ready && n.availability === 'active')

/**
 * The figures of one placement. placements: [{ stack, service, node }] (service is the name within the
 * stack); unplaced: how many wanted replicas were left out; seconds: how long the scheduler took (the
 * median of the runs; placements per second come from it), coldSeconds: its first run, bestSeconds: its
 * fastest run, cpuSeconds: the median CPU time of the runs.
 * - used memory of a node: the sum over its replicas of what each can really take (reservation, else limit);
 * - overcommitted: used above the node's allocatable memory (total - baseline - reserve);
 * - unenforcedLimited: replicas with a memory limit on a node whose kernel does not enforce limits;
 * - utilisation (used / allocatable): mean, population standard deviation and max over schedulable nodes.
 */
export function placementFigures ({ nodes, stacks, placements, unplaced, seconds, coldSeconds = seconds, bestSeconds = seconds, cpuSeconds = seconds }) {
  const services = new Map()
  for (const st of stacks) for (const s of st.services) services.set(`${st.name}/${s.name}`, s)
  const byName = new Map(nodes.map((n) => [n.name, { node: n, used: 0 }]))
  let unenforcedLimited = 0
  for (const p of placements) {
    const s = services.get(`${p.stack}/${p.service}`)
    const at = byName.get(p.node)
    if (!s) throw new Error(`placement of an unknown service ${p.stack}/${p.service}`)
    if (!at) throw new Error(`${p.stack}/${p.service} placed on an unknown node ${p.node}`)
    at.used += memoryOf(s)
    if (s.deploy.limits.memoryBytes !== undefined && !at.node.memory.enforced) unenforcedLimited++
  }
  let overcommitted = 0
  for (const { node, used } of byName.values()) if (used > node.memory.allocatableBytes) overcommitted++
  const utils = schedulable(nodes).filter((n) => n.memory.allocatableBytes > 0).map((n) => byName.get(n.name).used / n.memory.allocatableBytes)
  const mean = utils.reduce((a, b) => a + b, 0) / (utils.length || 1)
  const stdev = Math.sqrt(utils.reduce((a, u) => a + (u - mean) ** 2, 0) / (utils.length || 1))
  return {
    seconds,
    coldSeconds,
    bestSeconds,
    cpuSeconds,
    perSecond: seconds > 0 ? placements.length / seconds : 0,
    placed: placements.length,
    unplaced,
    overcommitted,
    unenforcedLimited,
    utilMean: mean,
    utilStdev: stdev,
    utilMax: utils.length ? Math.max(...utils) : 0,
  }
}
