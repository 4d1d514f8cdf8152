/**
 * Placing one service's missing replicas on the best nodes. Filters that read no usage run once per
 * eligibility signature (cache.ts); of the nodes that pass every filter, each spread group keeps only its
 * best r (r = replicas still to place), in a heap ordered by the rank comparator. Usage only grows while a
 * service is placed, so a node that fails a usage filter is dropped for the rest of that service: each
 * placement costs O(groups + log r) after one pass over the eligible nodes.
 */
import type { Service, Stack } from '../stack/types.js';
import type { TickCache } from './cache.js';
import { noSuitableNode, notPlacedOn, pinnedReason } from './explain.js';
import { NO_USAGE } from './filters/filter.js';
import { cpuFits, memoryFits } from './filters/resources.js';
import { ELIGIBILITY, type Filter } from './filters/index.js';
import { BestK, NodeHeap } from './heap.js';
import type { Ledger } from './ledger.js';
import { firstFailure, passes } from './pipeline.js';
import { compareRank, fraction, rankReason } from './rank.js';
import type { Assignment, CurrentReplica, Plan } from './types.js';
import type { Want } from './want.js';

/** One service of a given stack, as tick walks it. */
export interface ServiceRun {
  stack: Stack;
  service: Service;
  want: Want;
  specHash: string;
  /** its assignments in this tick (tick concatenates them in service order: no sort of the whole plan) */
  assignments: Assignment[];
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
  cache: TickCache;
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
  run.assignments.push({
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
  const table = env.cache.rank;
  const columns = want.spread.map((k) => env.cache.attribute(k));
  const spreadOf = (i: number) => columns.map((c) => c[i]);
  const spreadCounts = want.spread.map(() => new Map<string, number>());
  const bump = (values: string[], by: number) => {
    for (let k = 0; k < values.length; k++) spreadCounts[k].set(values[k], (spreadCounts[k].get(values[k]) ?? 0) + by);
  };
  if (want.spread.length) for (let i = 0; i < nodes.length; i++) if (counts[i] > 0) bump(spreadOf(i), counts[i]);
  const vectorOf = (values: string[]) => values.map((v, k) => spreadCounts[k].get(v) ?? 0);
  const { memory: allocMemory, cpus: allocCpus, memoryCap, cpuCap } = env.cache;
  const used = ledger.memory;
  const usedCpus = ledger.cpus;
  const fill = (i: number, spread: number[]) => {
    table.spread[i] = spread;
    table.replicas[i] = counts[i];
    table.memoryAfter[i] = fraction(used[i] + want.memoryBytes, allocMemory[i]);
    table.cpuAfter[i] = fraction(usedCpus[i] + want.cpus, allocCpus[i]);
  };

  let next = 0;
  if (want.volumes.length && !env.allowMove.has(want.key)) {
    const orphans: number[] = [];
    for (let i = 0; i < nodes.length; i++) if (counts[i] === 0 && nodes[i].volumes.some((v) => want.volumes.includes(v))) orphans.push(i);
    while (orphans.length && next < pending.length) {
      const p = pending[next++];
      const pinned = { ...want, pin: { nodes: orphans.map((i) => nodes[i].name), volume: want.volumes.join(', ') } };
      let best = -1;
      for (const i of orphans) {
        if (!passes(filters, nodes[i], pinned, ledger.usage(i, want.key))) continue;
        fill(i, vectorOf(spreadOf(i)));
        if (best < 0 || compareRank(table, i, best) < 0) best = i;
      }
      if (best >= 0) {
        orphans.splice(orphans.indexOf(best), 1);
        const reason = `holds its volume ${heldVolume(nodes[best].volumes, want)}; ${rankReason(table, best, want.service, want.spread, spreadOf(best))}`;
        bump(spreadOf(best), 1);
        assign(env, run, p, best, reason);
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

  // Only the best `left` passing nodes of each spread group can ever be chosen: a node's rank changes only
  // when it is chosen, its group's vector grows for all members alike, and a node that passes now passes
  // until it is chosen (usage only grows). So each group keeps its best `left` (BestK) instead of a heap
  // of every feasible node. Resources, the filter that fails most, is checked first on the cached
  // capacities; the other usage filters (ports, max per node) only for a node that would be kept.
  const others = filters.filter((f) => f.usesUsage && f.name !== 'resources');
  const w = want.memoryBytes;
  const fits = (i: number) =>
    memoryFits(used[i], w, memoryCap[i]) && cpuFits(usedCpus[i], want.cpus, cpuCap[i]) && passes(others, nodes[i], want, ledger.peek(i, counts));
  const left = pending.length - next;
  type Group = { values: string[]; vector: number[]; best: BestK };
  const less = (a: number, b: number) => compareRank(table, a, b) < 0;
  const spread = env.cache.groupsOf(want.spread);
  const byId: (Group | undefined)[] = new Array(spread.values.length);
  const groups: Group[] = [];
  const eligible = env.cache.eligibleFor(want);
  for (let e = 0; e < eligible.length; e++) {
    const i = eligible[e];
    if (!memoryFits(used[i], w, memoryCap[i]) || !cpuFits(usedCpus[i], want.cpus, cpuCap[i])) continue;
    const id = spread.of[i];
    let g = byId[id];
    if (!g) {
      const values = spread.values[id];
      groups.push((byId[id] = g = { values, vector: vectorOf(values), best: new BestK(left, less) }));
    }
    // Most nodes lose to the worst kept on replicas or memory alone (their spread vector is the group's):
    // turned away before their rank columns are written. Ties go on to the full comparator.
    const worst = g.best.worstWhenFull();
    if (worst >= 0 && (counts[i] > counts[worst] || (counts[i] === counts[worst] && fraction(used[i] + w, allocMemory[i]) > table.memoryAfter[worst])))
      continue;
    fill(i, g.vector);
    if (g.best.wants(i) && passes(others, nodes[i], want, ledger.peek(i, counts))) g.best.add(i);
  }
  // Every node in a heap fits; only a chosen node's usage grows, so it alone is checked again.
  // pushed, not groups.map: the array map() returns has another elements kind when map runs optimised,
  // and the loop below deoptimised on it again and again
  const heaps: Candidates[] = [];
  for (const g of groups) heaps.push(new Candidates(g.values, g.vector, new NodeHeap(g.best.items, g.best.items.length, less)));
  let failed: string | undefined;
  let failedRejections: Record<string, number> = {};
  for (; next < pending.length; next++) {
    const p = pending[next];
    let best: Candidates | undefined;
    if (failed === undefined)
      for (let h = 0; h < heaps.length; h++) {
        const g = heaps[h];
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
    const reason = rankReason(table, i, want.service, want.spread, best.values);
    bump(best.values, 1);
    if (want.spread.length) for (const g of heaps) refresh(g, spreadCounts);
    assign(env, run, p, i, reason);
    fill(i, best.vector);
    if (fits(i)) best.heap.fixTop();
    else best.heap.pop();
  }
}

/** A spread group's candidates during placement (a class: one object shape, so the hot loop stays optimised). */
class Candidates {
  constructor(
    readonly values: string[],
    readonly vector: number[],
    readonly heap: NodeHeap,
  ) {}
}

/** A group's spread counts after a placement. */
function refresh(g: Candidates, spreadCounts: Map<string, number>[]): void {
  for (let k = 0; k < g.values.length; k++) g.vector[k] = spreadCounts[k].get(g.values[k]) ?? 0;
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
  const eligibility = filters.filter((f) => ELIGIBILITY.has(f.name));
  for (let i = 0; i < ledger.nodes.length; i++) {
    const node = ledger.nodes[i];
    if (taken.has(node.name) || !passes(eligibility, node, run.want, NO_USAGE)) continue;
    const f = firstFailure(filters, node, run.want, ledger.usage(i, run.want.key));
    if (!f) assign(env, run, { slot: 0 }, i, 'global: one replica on each eligible node');
    else {
      const e = notPlacedOn(label(run, 0), f);
      env.plan.unplaced.push({ stack: run.want.stack, service: run.want.service, slot: 0, reason: e.reason, rejections: e.rejections });
    }
  }
}
