/**
 * `loop_control: {extended: true}`: the `ansible_loop` variable of one loop item, as Ansible sets it (index
 * from 1, index0, first, last, length, revindex, revindex0, previtem and nextitem where they exist, allitems
 * unless `extended_allitems: false`).
 */
import type { Vars } from '../modules/types.js';

/** ansible_loop for the item at `index` (0-based) of `items`. */
export function extendedLoopVar(items: unknown[], index: number, allitems: boolean): Vars {
  const length = items.length;
  const v: Vars = {
    index: index + 1,
    index0: index,
    first: index === 0,
    last: index + 1 === length,
    length,
    revindex: length - index,
    revindex0: length - index - 1,
  };
  if (allitems) v.allitems = items;
  if (index + 1 < length) v.nextitem = items[index + 1];
  if (index >= 1) v.previtem = items[index - 1];
  return v;
}
