/**
 * Plan -> what each node must hold: a replica spec for every create/replace/move, the held spec out for every
 * replace/move/removal. Replicas of other stacks are untouched. Pure.
 */
import type { ContainerSpec, DesiredSet } from '../../shared/wire.js';
import type { Assignment, CurrentReplica, Plan } from '../scheduler/types.js';
import { applyEdits, type Edit, type HeldSets } from './edits.js';
import { parseReplicaName } from './names.js';

/** The spec a placed replica gets (the stack's container template for that slot). */
export type SpecFor = (a: Assignment) => ContainerSpec;

/** Pure: the held spec of a current replica, found in its node's set by stack, service, slot and hash. */
export function heldSpec(held: HeldSets, r: CurrentReplica): ContainerSpec | undefined {
  return held
    .get(r.node)
    ?.containers.find((c) => c.stack === r.stack && c.service === r.service && c.replica === r.slot && parseReplicaName(c.name, c.stack)?.hash8 === r.specHash);
}

/** One replica's change: what comes (on `add.node`) and what goes. */
export interface ReplicaChange {
  assignment?: Assignment;
  add?: Edit & { add: ContainerSpec };
  remove?: Edit & { remove: ContainerSpec };
}

/** Pure: the changes a plan asks for (keeps need none); a held replica not found in its node's set has nothing to remove. */
export function changesOf(plan: Plan, held: HeldSets, specFor: SpecFor): ReplicaChange[] {
  const out: ReplicaChange[] = [];
  const removal = (r: CurrentReplica): ReplicaChange['remove'] => {
    const spec = heldSpec(held, r);
    return spec ? { node: r.node, remove: spec } : undefined;
  };
  for (const a of plan.assignments) {
    if (a.action === 'keep') continue;
    const change: ReplicaChange = { assignment: a, add: { node: a.node, add: specFor(a) } };
    if (a.from && a.action !== 'create') change.remove = removal(a.from);
    out.push(change);
  }
  for (const r of plan.removals) {
    const remove = removal(r);
    if (remove) out.push({ remove });
  }
  return out;
}

/** Pure: every node's set once the whole plan is applied (only nodes that change, generation = held + 1). */
export function desiredAfter(plan: Plan, held: HeldSets, specFor: SpecFor): Map<string, DesiredSet> {
  const edits: Edit[] = [];
  for (const c of changesOf(plan, held, specFor)) {
    if (c.remove) edits.push(c.remove);
    if (c.add) edits.push(c.add);
  }
  return applyEdits(held, edits);
}
