/** Turns an inventory's shape and its variable sources into the Inventory the rest of muster reads. */
import type { Pos } from '../../shared/errors.js';
import { groupDepths, groupOwnVars, mergeHostVars, sortGroups } from './merge.js';
import type { Inventory, InventoryGroup, InventoryHost, VarsSources } from './types.js';

/** Groups and hosts without their merged variables. */
export interface InventoryShape {
  groups: Map<string, { name: string; hosts: string[]; children: string[]; pos?: Pos }>;
  /** every host, in inventory order */
  hosts: string[];
}

/** Builds the inventory: each group's own vars and each host's merged vars and group list. */
export function buildInventory(source: string, shape: InventoryShape, src: VarsSources, warnings: string[]): Inventory {
  const members = transitiveMembers(shape.groups);
  const depths = groupDepths(shape.groups);
  const groups = new Map<string, InventoryGroup>();
  for (const g of shape.groups.values()) {
    const group: InventoryGroup = { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: groupOwnVars(src, g.name) };
    if (g.pos) group.pos = g.pos;
    groups.set(g.name, group);
  }
  const hosts = new Map<string, InventoryHost>();
  for (const name of shape.hosts) {
    const inGroups = [...members].filter(([, hs]) => hs.has(name)).map(([g]) => g);
    const all = new Set(['all', ...inGroups]);
    const ordered = sortGroups(
      [...all].filter((g) => g !== 'all'),
      depths,
      src,
    );
    hosts.set(name, { name, vars: mergeHostVars(name, ordered, src), groups: [...all].sort() });
  }
  return { source, hosts, groups, warnings, sources: src };
}

/** Each group's hosts, its descendants' included. */
export function transitiveMembers(groups: InventoryShape['groups']): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (name: string): Set<string> => {
    const known = out.get(name);
    if (known) return known;
    const set = new Set<string>(groups.get(name)?.hosts ?? []);
    out.set(name, set); // set before recursing so a malformed (cyclic) hand-built tree cannot loop forever
    for (const c of groups.get(name)?.children ?? []) for (const h of visit(c)) set.add(h);
    return set;
  };
  for (const name of groups.keys()) visit(name);
  return out;
}
