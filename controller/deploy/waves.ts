/**
 * The order a plan is applied in, per `update_config`: new slots first, all at once; then the updates of each
 * service in groups of `parallelism` (stop-first: the old replica goes, then the new one comes and is watched
 * for `monitor`; start-first: the reverse), `delay` between groups, services side by side; removals last. Pure.
 */
import type { Stack, UpdateConfig } from '../stack/types.js';
import type { ReplicaChange } from './desired.js';
import type { Edit } from './edits.js';
import { slotLabel } from './names.js';

/** One step: edits written together, then waited for. */
export interface Step {
  kind: 'create' | 'update' | 'remove' | 'rollback';
  /** for people: `create web.1 web.2 db`, `update web.3 (start-first)` */
  label: string;
  edits: Edit[];
  /** how long the replicas added here must keep running once they all are (0 for creates and removals) */
  monitorS: number;
  /** pause after the step */
  delayS: number;
}

/** Swarm's update defaults, for a service no stack describes (a removal of a service gone from the file). */
export const SWARM_UPDATE: UpdateConfig = { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 };

/** Pure: the update_config of a service (`stack`/`service`), Swarm's defaults when unknown. */
export function updateConfigOf(stacks: Stack[], stack: string, service: string, which: 'update' | 'rollback' = 'update'): UpdateConfig {
  const s = stacks.find((x) => x.name === stack)?.services.find((x) => x.name === service);
  return s ? s.deploy[which] : SWARM_UPDATE;
}

const nameOf = (c: ReplicaChange): string => {
  const spec = c.add?.add ?? c.remove?.remove;
  return spec ? slotLabel(spec.service, spec.replica) : '?';
};

/** Pure: the steps that apply `changes`; empty when nothing changes. */
export function steps(changes: ReplicaChange[], stacks: Stack[]): Step[] {
  const out: Step[] = [];
  const creates = changes.filter((c) => c.assignment?.action === 'create');
  if (creates.length)
    out.push({ kind: 'create', label: `create ${creates.map(nameOf).join(' ')}`, edits: creates.map((c) => c.add as Edit), monitorS: 0, delayS: 0 });

  // each service's update phases, then merged phase by phase so that services update side by side
  const byService = new Map<string, ReplicaChange[]>();
  for (const c of changes) {
    if (!c.assignment || c.assignment.action === 'create') continue;
    const key = `${c.assignment.stack}\u0000${c.assignment.service}`;
    byService.set(key, [...(byService.get(key) ?? []), c]);
  }
  const phases: Step[][] = [];
  for (const [key, list] of [...byService].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [stack, service] = key.split('\u0000');
    const u = updateConfigOf(stacks, stack, service);
    const size = u.parallelism > 0 ? u.parallelism : list.length;
    const mine: Step[] = [];
    for (let i = 0; i < list.length; i += size) {
      const group = list.slice(i, i + size);
      const label = `update ${group.map(nameOf).join(' ')} (${u.order})`;
      const adds = group.flatMap((c) => (c.add ? [c.add as Edit] : []));
      const removes = group.flatMap((c) => (c.remove ? [c.remove as Edit] : []));
      const last = i + size >= list.length;
      const delayS = last ? 0 : u.delayS;
      if (u.order === 'start-first') {
        mine.push({ kind: 'update', label, edits: adds, monitorS: u.monitorS, delayS: 0 });
        mine.push({ kind: 'update', label: `${label}: old out`, edits: removes, monitorS: 0, delayS });
      } else {
        mine.push({ kind: 'update', label: `${label}: old out`, edits: removes, monitorS: 0, delayS: 0 });
        mine.push({ kind: 'update', label, edits: adds, monitorS: u.monitorS, delayS });
      }
    }
    mine.forEach((s, i) => {
      phases[i] = [...(phases[i] ?? []), s];
    });
  }
  for (const phase of phases) {
    const edits = phase.flatMap((s) => s.edits);
    if (!edits.length) continue;
    out.push({
      kind: 'update',
      label: phase.map((s) => s.label).join('; '),
      edits,
      monitorS: Math.max(...phase.map((s) => s.monitorS)),
      delayS: Math.max(...phase.map((s) => s.delayS)),
    });
  }

  const removals = changes.filter((c) => !c.assignment && c.remove);
  if (removals.length)
    out.push({ kind: 'remove', label: `remove ${removals.map(nameOf).join(' ')}`, edits: removals.map((c) => c.remove as Edit), monitorS: 0, delayS: 0 });
  return out;
}

/**
 * Pure: the steps that undo a service's applied edits per its rollback_config: replica by replica (what was
 * added goes, what was removed comes back), `parallelism` at a time, in its order, with its monitor and delay.
 */
export function rollbackSteps(applied: Edit[], rollback: UpdateConfig): Step[] {
  const bySlot = new Map<number, Edit[]>();
  for (const e of applied) {
    const spec = 'add' in e ? e.add : e.remove;
    bySlot.set(spec.replica, [...(bySlot.get(spec.replica) ?? []), e]);
  }
  const slots = [...bySlot.keys()].sort((a, b) => a - b);
  const size = rollback.parallelism > 0 ? rollback.parallelism : slots.length;
  const out: Step[] = [];
  for (let i = 0; i < slots.length; i += size) {
    const group = slots.slice(i, i + size);
    const back = group.flatMap((s) => bySlot.get(s) ?? []);
    // undone: an added replica goes, a removed one comes back
    const adds: Edit[] = back.flatMap((e) => ('remove' in e ? [{ node: e.node, add: e.remove }] : []));
    const removes: Edit[] = back.flatMap((e) => ('add' in e ? [{ node: e.node, remove: e.add }] : []));
    const label = `roll back ${group.map((s) => `slot ${s}`).join(' ')} (${rollback.order})`;
    const delayS = i + size >= slots.length ? 0 : rollback.delayS;
    const pair: Step[] =
      rollback.order === 'start-first'
        ? [
            { kind: 'rollback', label, edits: adds, monitorS: rollback.monitorS, delayS: 0 },
            { kind: 'rollback', label: `${label}: new out`, edits: removes, monitorS: 0, delayS },
          ]
        : [
            { kind: 'rollback', label: `${label}: new out`, edits: removes, monitorS: 0, delayS: 0 },
            { kind: 'rollback', label, edits: adds, monitorS: rollback.monitorS, delayS },
          ];
    out.push(...pair.filter((s) => s.edits.length));
  }
  return out;
}
