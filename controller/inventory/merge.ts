/**
 * Inventory variable precedence, as Ansible's VariableManager applies it (lowest first; a later source
 * replaces a whole top-level name, dicts are not deep-merged):
 *
 *   1. `all`: inline vars, then group_vars/all of each layer (inventory dir, then playbook dir)
 *   2. the host's other groups, sorted by (depth, ansible_group_priority, name): inline vars of every
 *      group, then every group's group_vars file of the inventory side, then every group's of the
 *      playbook side (so the playbook side's parent group beats the inventory side's child group)
 *   3. the host: inline vars, then host_vars/HOST of each layer
 *
 * So a group_vars file of a parent group beats the inline vars of a child group, as in Ansible.
 */
import type { Vars } from '../modules/types.js';
import type { VarsSources } from './types.js';

const PRIORITY = 'ansible_group_priority';

/** Groups shaped enough to sort: their children. */
export type GroupTree = Map<string, { children: string[] }>;

/** Each group's depth: the longest path down from `all` (0); a parentless group counts as under `all`. */
export function groupDepths(tree: GroupTree): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const [name, g] of tree) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), name]);
  const depths = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    depths.set(name, 1); // provisional, so that a cyclic hand-built tree cannot recurse forever
    const ps = parents.get(name) ?? [];
    const d = name === 'all' ? 0 : ps.length ? Math.max(...ps.map(depthOf)) + 1 : 1;
    depths.set(name, d);
    return d;
  };
  for (const name of tree.keys()) depthOf(name);
  return depths;
}

/** A group's priority: its inline ansible_group_priority (group_vars files do not count, as in Ansible). */
export function groupPriority(inline: Vars | undefined): number {
  const p = inline?.[PRIORITY];
  return p === undefined ? 1 : Number(p);
}

/** Sorts group names the way their vars are applied: shallow before deep, low priority before high, then by name. */
export function sortGroups(names: Iterable<string>, depths: Map<string, number>, src: VarsSources): string[] {
  const key = (n: string): [number, number] => [depths.get(n) ?? 1, groupPriority(src.groups.get(n))];
  return [...names].sort((a, b) => {
    const [da, pa] = key(a);
    const [db, pb] = key(b);
    return da - db || pa - pb || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** The merged inventory vars of one host; `groups` excludes `all` and is already sorted (sortGroups). */
export function mergeHostVars(host: string, groups: string[], src: VarsSources): Vars {
  const out: Vars = { ...ownVars(src, 'all') };
  for (const g of groups) Object.assign(out, inline(src, g));
  for (const layer of src.layers) for (const g of groups) Object.assign(out, layer.groups.get(g));
  Object.assign(out, src.hosts.get(host));
  for (const layer of src.layers) Object.assign(out, layer.hosts.get(host));
  return out;
}

/** A group's own vars: inline, then each layer's group_vars file (priority shown, as ansible-inventory does). */
export function groupOwnVars(src: VarsSources, group: string): Vars {
  const out: Vars = { ...src.groups.get(group) };
  for (const layer of src.layers) Object.assign(out, layer.groups.get(group));
  return out;
}

/** The implicit localhost's vars: what `all` gives, `ansible_connection: local`, then host_vars/localhost. */
export function implicitLocalhostVars(src: VarsSources): Vars {
  const out: Vars = { ...ownVars(src, 'all'), ansible_connection: 'local' };
  for (const layer of src.layers) Object.assign(out, layer.hosts.get('localhost'));
  return out;
}

/** Inline group vars without the priority, which Ansible keeps apart from the group's variables. */
function inline(src: VarsSources, group: string): Vars {
  const { [PRIORITY]: _priority, ...rest } = src.groups.get(group) ?? {};
  return rest;
}

function ownVars(src: VarsSources, group: string): Vars {
  const out = inline(src, group);
  for (const layer of src.layers) Object.assign(out, layer.groups.get(group));
  return out;
}
