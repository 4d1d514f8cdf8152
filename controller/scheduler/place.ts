/**
 * Placing one service's missing replicas on the best nodes. Filters that read no usage run once per
 * (service, node); the nodes that pass sit in one heap per spread group, ordered by the rank comparator.
 * Usage only grows while a service is placed, so a node that fails a usage filter is dropped for the rest
 * of that service: each placement costs O(groups + log nodes), never a scan of every node.
 */
import type { Service, Stack } from '../stack/types.js';
import { noSuitableNode, notPlacedOn, pinnedReason } from './explain.js';
import { NO_USAGE } from './filters/filter.js';
import { ELIGIBILITY, type Filter } from './filters/index.js';
import { NodeHeap } from './heap.js';
import type { Ledger } from './ledger.js';
import { nodeAttribute } from './node-attr.js';
import { firstFailure, passes } from './pipeline.js';
import { compareRank, fraction, type RankKey, rankReason } from './rank.js';
import type { CurrentReplica, Plan } from './types.js';
import type { Want } from './want.js';

/** One service of a given stack, as tick walks it. */
export interface ServiceRun {
  stack: Stack;
  service: Service;
  want: Want;
  specHash: string;
}

/** A wanted replica with no node yet; `from` is the replica that held the slot and could not stay. */
export interface Pending {
  slot: number;
  from?: CurrentReplica;
  /** why `from` could not stay where it was */
  left?: string;
}

/** What placement reads and writes during one tick. */
export interface Env {
  ledger: Ledger;
  filters: Filter[];
  plan: Plan;
  allowMove: Set<string>;
}

/** `web.3`: how messages name a replica. */
export function label(run: ServiceRun, slot: number): string {
  return `${run.service.name}.${slot}`;
}

/** Records a placement in the ledger and the plan. */
function assign(env: Env, run: ServiceRun, p: Pending, i: number, reason: string): void {
  const w = run.want;
  env.ledger.add(i, w.key, w.memoryBytes, w.cpus, w.ports);
  env.plan.assignments.push({
    stack: w.stack,
    service: w.service,
    slot: p.slot,
    node: env.ledger.nodes[i].name,
    action: p.from ? 'move' : 'create',
    ...(p.from ? { from: p.from } : {}),
    reason: p.left ? `left ${p.from?.node} (${p.left}); ${reason}` : reason,
  });
}

/** A replica nothing takes: reported, and the replica that held its slot (if any) is stopped. */
function unplaced(env: Env, run: ServiceRun, p: Pending, reason: string, rejections: Record<string, number>): void {
  env.plan.unplaced.push({ stack: run.want.stack, service: run.want.service, slot: p.slot, reason, rejections });
  if (p.from) env.plan.removals.push(p.from);
}

/**
 * Places the pending replicas (slots ascending) of a replicated service. A node still holding one of the
 * service's volumes without a replica of it (data left by an earlier deployment) is claimed first, one such
 * node per replica: that data is never silently abandoned for an empty volume elsewhere.
 */
export function placeReplicated(run: ServiceRun, pending: Pending[], env: Env): void {
  const { ledger, filters } = env;
  const nodes = ledger.nodes;
  const want = run.want;
  const counts = ledger.countsOf(want.key);
  const spreadOf = (i: number) => want.spread.map((k) => nodeAttribute(nodes[i], k) ?? '');
  const spreadCounts = want.spread.map(() => new Map<string, number>());
  const bump = (values: string[], by: number) => {
    for (let k = 0; k < values.length; k++) spreadCounts[k].set(values[k], (spreadCounts[k].get(values[k]) ?? 0) + by);
  };
  if (want.spread.length) for (let i = 0; i < nodes.length; i++) if (counts[i] > 0) bump(spreadOf(i), counts[i]);
  const keyOf = (i: number, spread: ArrayLike<number>): RankKey => ({
    spread,
    replicas: counts[i],
    memoryAfter: fraction(ledger.memory[i] + want.memoryBytes, nodes[i].memory.allocatableBytes),
    cpuAfter: fraction(ledger.cpus[i] + want.cpus, nodes[i].cpus.allocatable),
    name: nodes[i].name,
  });
  const vectorOf = (values: string[]) => values.map((v, k) => spreadCounts[k].get(v) ?? 0);

  let next = 0;
  if (want.volumes.length && !env.allowMove.has(want.key)) {
    const orphans: number[] = [];
    for (let i = 0; i < nodes.length; i++) if (counts[i] === 0 && nodes[i].volumes.some((v) => want.volumes.includes(v))) orphans.push(i);
    while (orphans.length && next < pending.length) {
      const p = pending[next++];
      const pinned = { ...want, pin: { nodes: orphans.map((i) => nodes[i].name), volume: want.volumes.join(', ') } };
      let best = -1;
      let bestKey: RankKey | undefined;
      for (const i of orphans) {
        if (!passes(filters, nodes[i], pinned, ledger.usage(i, want.key))) continue;
        const k = keyOf(i, vectorOf(spreadOf(i)));
        if (!bestKey || compareRank(k, bestKey) < 0) (best = i), (bestKey = k);
      }
      if (best >= 0 && bestKey) {
        orphans.splice(orphans.indexOf(best), 1);
        bump(spreadOf(best), 1);
        assign(
          env,
          run,
          p,
          best,
          `holds its volume ${heldVolume(nodes[best].volumes, want)}; ${rankReason(bestKey, want.service, want.spread, spreadOf(best))}`,
        );
        continue;
      }
      const i = orphans.shift()!;
      const f = firstFailure(filters, nodes[i], pinned, ledger.usage(i, want.key));
      const why = f ? f.rejection.phrase + (f.rejection.phrase === 'not ready' && nodes[i].notReady ? `: ${nodes[i].notReady}` : '') : 'taken';
      const vol = heldVolume(nodes[i].volumes, want);
      const rejections = { ...(f ? { [f.filter.name]: 1 } : {}), 'volume-pin': nodes.length - 1 };
      unplaced(env, run, p, pinnedReason(label(run, p.slot), nodes[i].name, vol, why, want.key, false), rejections);
    }
  }
  if (next >= pending.length) return;

  const fixed = filters.filter((f) => !f.usesUsage && f.name !== 'volume-pin');
  const moving = filters.filter((f) => f.usesUsage);
  const keys: RankKey[] = new Array(nodes.length);
  const groups = new Map<string, { values: string[]; vector: number[]; members: number[]; heap?: NodeHeap }>();
  for (let i = 0; i < nodes.length; i++) {
    if (!passes(fixed, nodes[i], want, NO_USAGE)) continue;
    const values = spreadOf(i);
    const gk = values.join('\0');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { values, vector: vectorOf(values), members: [] }));
    keys[i] = keyOf(i, g.vector);
    g.members.push(i);
  }
  const less = (a: number, b: number) => compareRank(keys[a], keys[b]) < 0;
  const heaps = [...groups.values()].map((g) => ({ ...g, heap: new NodeHeap(g.members, less) }));
  let failed: string | undefined;
  let failedRejections: Record<string, number> = {};
  for (; next < pending.length; next++) {
    const p = pending[next];
    let best: (typeof heaps)[number] | undefined;
    if (failed === undefined)
      for (const g of heaps) {
        while (g.heap.size && !passes(moving, nodes[g.heap.top()], want, ledger.usage(g.heap.top(), want.key))) g.heap.pop();
        if (g.heap.size && (!best || less(g.heap.top(), best.heap.top()))) best = g;
      }
    if (!best) {
      if (failed === undefined) {
        const failures = nodes.flatMap((n, i) => firstFailure(filters, n, want, ledger.usage(i, want.key)) ?? []);
        const e = noSuitableNode('', failures, filters);
        failed = e.reason;
        failedRejections = e.rejections;
      }
      unplaced(env, run, p, label(run, p.slot) + failed, { ...failedRejections });
      continue;
    }
    const i = best.heap.top();
    const reason = rankReason(keys[i], want.service, want.spread, best.values);
    bump(best.values, 1);
    if (want.spread.length) for (const g of heaps) for (let k = 0; k < g.values.length; k++) g.vector[k] = spreadCounts[k].get(g.values[k]) ?? 0;
    assign(env, run, p, i, reason);
    keys[i] = keyOf(i, best.vector);
    best.heap.fixTop();
  }
}

function heldVolume(held: string[], want: Want): string {
  return want.volumes.find((v) => held.includes(v)) ?? want.volumes[0];
}

/**
 * A global service: one replica on every eligible node (ready and active, constraints and platform hold)
 * that has none yet. An eligible node refused by another filter (memory, memory limits, ports) is reported.
 */
export function placeGlobal(run: ServiceRun, taken: Set<string>, env: Env): void {
  const { ledger, filters } = env;
  for (let i = 0; i < ledger.nodes.length; i++) {
    const node = ledger.nodes[i];
    if (taken.has(node.name)) continue;
    const f = firstFailure(filters, node, run.want, ledger.usage(i, run.want.key));
    if (!f) assign(env, run, { slot: 0 }, i, 'global: one replica on each eligible node');
    else if (!ELIGIBILITY.has(f.filter.name)) {
      const e = notPlacedOn(label(run, 0), f);
      env.plan.unplaced.push({ stack: run.want.stack, service: run.want.service, slot: 0, reason: e.reason, rejections: e.rejections });
    }
  }
}
