/**
 * Rebalancing: when a node joins or comes back, the steady fleet is uneven. Pick one stateless replica on the
 * most loaded node (by reserved memory over allocatable), take it out of `current` and let the one tick place
 * its slot again: if the tick puts it on another node and the memory spread (most loaded minus least loaded)
 * shrinks, that is a move. One at a time; the manager applies it start-first and calls again. The tick decides
 * where (there is one scheduler); this only chooses which replica to reconsider. Pure.
 */
import type { Stack } from '../stack/types.js';
import { tick } from '../scheduler/tick.js';
import type { Assignment, Current, CurrentReplica, Plan, Snapshot, TickOptions } from '../scheduler/types.js';

/** Moves stop once the memory spread is at most this (0.10 = 10 percentage points). */
export const REBALANCE_SPREAD = 0.1;

/** A service label that keeps a service's replicas where they are (`io.muster.rebalance: "false"`). */
export const OPT_OUT_LABEL = 'io.muster.rebalance';

/** One move the manager may apply. */
export interface RebalanceMove {
  /** a plan of keeps but for the one `move` */
  plan: Plan;
  move: Assignment & { from: CurrentReplica };
  /** memory spread before and after, as fractions */
  before: number;
  after: number;
}

/** Pure: each active, ready node's reserved memory over its allocatable (nodes without allocatable left out). */
export function memoryFractions(snapshot: Snapshot, replicas: CurrentReplica[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of snapshot.nodes) if (n.ready && n.availability === 'active' && n.memory.allocatableBytes > 0) out.set(n.name, 0);
  for (const r of replicas) {
    const n = snapshot.nodes.find((x) => x.name === r.node);
    if (n && out.has(r.node)) out.set(r.node, (out.get(r.node) ?? 0) + r.memoryReservationBytes / n.memory.allocatableBytes);
  }
  return out;
}

/** Pure: most loaded minus least loaded (0 with fewer than two nodes). */
export function spreadOf(fractions: Map<string, number>): number {
  const v = [...fractions.values()];
  return v.length < 2 ? 0 : Math.max(...v) - Math.min(...v);
}

/** Pure: the next move, or undefined when the fleet is even enough or nothing movable helps. */
export function rebalanceMove(
  stacks: Stack[],
  snapshot: Snapshot,
  current: Current,
  options: TickOptions,
  limit = REBALANCE_SPREAD,
): RebalanceMove | undefined {
  const fractions = memoryFractions(snapshot, current.replicas);
  const before = spreadOf(fractions);
  if (before <= limit) return undefined;
  const services = new Map(stacks.flatMap((s) => s.services.map((v) => [`${s.name}\0${v.name}`, v] as const)));
  const movable = (r: CurrentReplica) => {
    const svc = services.get(`${r.stack}\0${r.service}`);
    return (
      svc !== undefined &&
      svc.deploy.mode === 'replicated' &&
      r.slot > 0 &&
      r.state === 'running' &&
      r.volumes.length === 0 &&
      r.memoryReservationBytes > 0 &&
      svc.deploy.labels[OPT_OUT_LABEL] !== 'false'
    );
  };
  const busiest = [...fractions].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const candidates = current.replicas
    .filter((r) => r.node === busiest && movable(r))
    .sort((a, b) => b.memoryReservationBytes - a.memoryReservationBytes || (a.stack + a.service < b.stack + b.service ? -1 : 1) || a.slot - b.slot);
  for (const c of candidates) {
    const rest = { replicas: current.replicas.filter((r) => r !== c) };
    const plan = tick(stacks, snapshot, rest, options);
    if (plan.unplaced.length || plan.removals.length) continue;
    const placed = plan.assignments.find((a) => a.stack === c.stack && a.service === c.service && a.slot === c.slot);
    if (!placed || placed.node === c.node || plan.assignments.some((a) => a !== placed && a.action !== 'keep')) continue;
    const after = spreadOf(memoryFractions(snapshot, [...rest.replicas, { ...c, node: placed.node }]));
    if (after >= before) continue;
    const reason = `rebalance: memory spread ${pct(before)} -> ${pct(after)}; ${placed.reason}`;
    const move = { ...placed, action: 'move' as const, from: c, reason };
    return { plan: { ...plan, assignments: plan.assignments.map((a) => (a === placed ? move : a)) }, move, before, after };
  }
  return undefined;
}

const pct = (f: number): string => `${Math.round(f * 100)}%`;
