/**
 * The scheduler: `tick(stacks, snapshot, current, options) -> Plan`, the one function deploy calls once and
 * the manager mode will call in a loop. Pure. In two passes, so that nothing moves needlessly:
 *   1. every wanted replica that is held now stays on its node when that node still passes every filter
 *      (keep, or replace when its spec hash changed); a replica pinned by its volume waits for its node;
 *   2. the rest are placed on the best nodes (place.ts), services in order, slots ascending.
 * Replicas of stacks not given stay where they are and take room. The `from` of a replace or move is
 * stopped by the apply; `removals` are the replicas no wanted slot takes over, and the stale ones of `current`.
 */
import type { Stack } from '../stack/types.js';
import { TickCache } from './cache.js';
import { byRemoval, cmp, diff } from './diff.js';
import type { Failure } from './pipeline.js';
import { filtersFor } from './filters/index.js';
import { Ledger } from './ledger.js';
import { type Env, label, type Pending, placeGlobal, placeReplicated, type ServiceRun } from './place.js';
import { pinnedReason } from './explain.js';
import { firstFailure } from './pipeline.js';
import type { Current, CurrentReplica, NodeView, Plan, Snapshot, TickOptions } from './types.js';
import { portKey, wantOf } from './want.js';

/** Plans where every replica of the given stacks runs. */
export function tick(stacks: Stack[], snapshot: Snapshot, current: Current, options: TickOptions): Plan {
  const nodes = [...snapshot.nodes].sort((a, b) => cmp(a.name, b.name));
  const sorted = [...stacks].sort((a, b) => cmp(a.name, b.name));
  const filters = filtersFor(snapshot.imagePlatforms);
  const ledger = new Ledger(nodes);
  const given = new Set(sorted.map((s) => s.name));
  for (const r of current.replicas) if (!given.has(r.stack)) hold(ledger, r);

  const { held, removals } = diff(sorted, current.replicas);
  removals.push(...(current.stale ?? []));
  const plan: Plan = { assignments: [], removals, unplaced: [] };
  const env: Env = { ledger, filters, cache: new TickCache(nodes, filters), plan, allowMove: new Set(options.allowMove ?? []) };
  const runs = new Map<string, ServiceRun & { taken: Set<string>; pending: Map<number, Pending> }>();
  for (const stack of sorted)
    for (const service of [...stack.services].sort((a, b) => cmp(a.name, b.name)))
      runs.set(`${stack.name}\0${service.name}`, {
        stack,
        service,
        want: wantOf(stack, service),
        specHash: options.specHash(stack.name, service.name),
        taken: new Set(),
        pending: new Map(),
        assignments: [],
      });

  for (const slot of held) {
    const run = runs.get(`${slot.stack.name}\0${slot.service.name}`)!;
    const existing = { ...run.want, existing: true };
    const name = label(run, slot.slot);
    const place = slot.node ?? String(slot.slot);
    const kept = slot.holders.find((h) => {
      const i = ledger.index.get(h.node);
      if (i === undefined || firstFailure(filters, nodes[i], existing, ledger.usage(i, run.want.key))) return false;
      ledger.add(i, run.want.key, run.want.memoryBytes, run.want.cpus, run.want.ports);
      const same = h.specHash === run.specHash;
      run.assignments.push({
        ...{ stack: h.stack, service: h.service, slot: slot.slot, node: h.node, from: h },
        action: same ? 'keep' : 'replace',
        reason: same ? 'still fits where it runs' : 'spec changed; still fits where it runs',
      });
      return true;
    });
    if (kept) {
      for (const h of slot.holders) if (h !== kept) removals.push(h);
      run.taken.add(place);
      continue;
    }
    const first = slot.holders[0];
    const why = whyNot(nodes, ledger, filters, first, existing);
    let waitOn: CurrentReplica | undefined;
    if (slot.node !== undefined) waitOn = ledger.index.has(first.node) && !why.ready ? first : undefined;
    else if (!env.allowMove.has(run.want.key)) waitOn = slot.holders.find((h) => h.volumes.some((v) => run.want.volumes.includes(v)));
    const moving = slot.node === undefined && !waitOn ? first : undefined;
    for (const h of slot.holders) if (h !== waitOn && h !== moving) removals.push(h);
    if (moving) run.pending.set(slot.slot, { slot: slot.slot, from: moving, left: why.text });
    if (!waitOn) continue;
    const wait = waitOn === first ? why : whyNot(nodes, ledger, filters, waitOn, existing);
    run.taken.add(place);
    hold(ledger, waitOn);
    const volume = waitOn.volumes.find((v) => run.want.volumes.includes(v));
    const reason = volume ? pinnedReason(name, waitOn.node, volume, wait.text, run.want.key, true) : `${name}: waits for ${waitOn.node} (${wait.text})`;
    const rejections = { [wait.filter]: 1, ...(volume ? { 'volume-pin': nodes.length - 1 } : {}) };
    plan.unplaced.push({ stack: waitOn.stack, service: waitOn.service, slot: slot.slot, reason, rejections, waitingFor: waitOn.node });
  }

  for (const run of runs.values()) {
    if (run.want.global) {
      placeGlobal(run, run.taken, env);
      continue;
    }
    const pending: Pending[] = [];
    for (let s = 1; s <= run.service.deploy.replicas; s++) if (!run.taken.has(String(s))) pending.push(run.pending.get(s) ?? { slot: s });
    placeReplicated(run, pending, env);
  }
  // runs are in stack then service order already: only each service's own assignments need sorting
  for (const run of runs.values()) {
    run.assignments.sort((a, b) => a.slot - b.slot || cmp(a.node, b.node));
    for (const a of run.assignments) plan.assignments.push(a);
  }
  plan.unplaced.sort((a, b) => cmp(a.stack, b.stack) || cmp(a.service, b.service) || a.slot - b.slot || cmp(a.reason, b.reason));
  plan.removals.sort(byRemoval);
  return plan;
}

/** A replica that stays as it is takes its own reservations on its node. */
function hold(ledger: Ledger, r: CurrentReplica): void {
  const i = ledger.index.get(r.node);
  if (i !== undefined)
    ledger.add(
      i,
      `${r.stack}_${r.service}`,
      r.memoryReservationBytes,
      r.cpuReservation,
      r.hostPorts.map((p) => portKey(p.port, p.protocol)),
    );
}

/** Why a replica cannot stay on its node, in a few words. */
function whyNot(
  nodes: NodeView[],
  ledger: Ledger,
  filters: Env['filters'],
  r: CurrentReplica,
  want: ServiceRun['want'],
): { text: string; filter: string; ready: boolean } {
  const i = ledger.index.get(r.node);
  if (i === undefined) return { text: 'not in the inventory', filter: 'ready-active', ready: false };
  const f: Failure | undefined = firstFailure(filters, nodes[i], want, ledger.usage(i, want.key));
  if (!f) return { text: 'taken', filter: 'ready-active', ready: nodes[i].ready };
  const detail = f.rejection.phrase === 'not ready' && nodes[i].notReady ? `: ${nodes[i].notReady}` : '';
  return { text: f.rejection.phrase + detail, filter: f.filter.name, ready: nodes[i].ready };
}
