/** Looking hosts up: by name, the implicit localhost, and the `groups` magic variable. */
import { closest, MusterError } from '../../shared/errors.js';
import { transitiveMembers } from './build.js';
import { implicitLocalhostVars } from './merge.js';
import type { Inventory, InventoryHost } from './types.js';

/** Names that mean this machine (Ansible's C.LOCALHOST). */
export const LOCALHOST_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * What a localhost name that is not in the inventory stands for: the last inventory host with a localhost
 * name if there is one (Ansible reuses it), else the implicit `localhost`. Undefined for other names.
 */
export function localhostFor(inv: Inventory, name: string): InventoryHost | undefined {
  if (!LOCALHOST_NAMES.has(name)) return undefined;
  const listed = [...inv.hosts.values()].filter((h) => LOCALHOST_NAMES.has(h.name)).pop();
  return listed ?? implicitLocalhost(inv);
}

/** The implicit localhost: local connection, the vars of `all` and host_vars/localhost, member of no group. */
export function implicitLocalhost(inv: Inventory): InventoryHost {
  const vars = inv.sources ? implicitLocalhostVars(inv.sources) : { ...(inv.groups.get('all')?.vars ?? {}), ansible_connection: 'local' };
  delete vars.ansible_group_priority;
  return { name: 'localhost', vars, groups: [] };
}

/** A host by name (a localhost name not in the inventory gives the implicit one). Throws E_PATTERN. */
export function hostOf(inv: Inventory, name: string): InventoryHost {
  const host = inv.hosts.get(name) ?? localhostFor(inv, name);
  if (host) return host;
  const near = closest(name, inv.hosts.keys());
  throw new MusterError('E_PATTERN', `no host named "${name}" in the inventory ${inv.source}`, {
    hint: near ? `did you mean "${near}"?` : 'check the name against `muster inventory -i INVENTORY --graph`',
  });
}

const groupsCache = new WeakMap<Inventory, Record<string, string[]>>();

/** The `groups` magic variable: every group -> its hosts (descendants' included), in inventory order. */
export function groupsVar(inv: Inventory): Record<string, string[]> {
  // The runner asks for it for every task on every host, and an inventory never changes once built.
  const cached = groupsCache.get(inv);
  if (cached) return cached;
  const members = transitiveMembers(inv.groups);
  const order = [...inv.hosts.keys()];
  const out: Record<string, string[]> = {};
  for (const [name, set] of members) out[name] = Object.freeze(name === 'all' ? order : order.filter((h) => set.has(h))) as string[];
  Object.freeze(out);
  groupsCache.set(inv, out);
  return out;
}
