/** `muster rm STACK`: the one step that takes every container of the stack out of every node's set. Pure. */
import type { Edit, HeldSets } from '../deploy/edits.js';
import { slotLabel } from '../deploy/names.js';
import type { Step } from '../deploy/waves.js';

/** Pure: the removal step of `stack` over the held sets, or undefined when no node holds any of it. */
export function removalStep(held: HeldSets, stack: string): Step | undefined {
  const edits: Edit[] = [];
  for (const [node, set] of [...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (const c of set?.containers ?? []) if (c.stack === stack) edits.push({ node, remove: c });
  if (!edits.length) return undefined;
  const names = edits.map((e) => ('remove' in e ? `${slotLabel(e.remove.service, e.remove.replica)}@${e.node}` : ''));
  return { kind: 'remove', label: `remove ${names.join(' ')}`, edits, monitorS: 0, delayS: 0 };
}
