/** Changes to nodes' desired sets, and the sets they lead to. Pure. */
import type { ContainerSpec, DesiredSet } from '../../shared/wire.js';

/** Add a container to a node's set, or take one out (with its spec, so that a rollback can put it back). */
export type Edit = { node: string; add: ContainerSpec } | { node: string; remove: ContainerSpec };

/** Each node's held desired set: null when the node never received one. */
export type HeldSets = Map<string, DesiredSet | null>;

/** Pure: the sets of the nodes an edit touches, with the edits applied and generation = held + 1 (1 for a node that had none). */
export function applyEdits(held: HeldSets, edits: Edit[]): Map<string, DesiredSet> {
  const next = new Map<string, DesiredSet>();
  for (const e of edits) {
    const base = next.get(e.node) ?? held.get(e.node) ?? null;
    const containers = base ? [...base.containers] : [];
    const generation = next.has(e.node) ? (next.get(e.node) as DesiredSet).generation : (base?.generation ?? 0) + 1;
    if ('add' in e) {
      if (!containers.some((c) => c.name === e.add.name)) containers.push(e.add);
    } else {
      const i = containers.findIndex((c) => c.name === e.remove.name);
      if (i >= 0) containers.splice(i, 1);
    }
    next.set(e.node, { generation, containers: containers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
  }
  return next;
}

/** Pure: the held sets with new ones laid over them. */
export function withSets(held: HeldSets, sets: Map<string, DesiredSet>): HeldSets {
  const out: HeldSets = new Map(held);
  for (const [node, set] of sets) out.set(node, set);
  return out;
}

/** Pure: edits that undo `edits` (in reverse order: what was added goes, what was removed comes back). */
export function undo(edits: Edit[]): Edit[] {
  return [...edits].reverse().map((e) => ('add' in e ? { node: e.node, remove: e.add } : { node: e.node, add: e.remove }));
}
