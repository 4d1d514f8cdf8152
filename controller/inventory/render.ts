/** `muster inventory --list | --graph | --host`: the inventory shown as ansible-inventory shows it. */
import { didYouMean, MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { hostOf } from './hosts.js';
import type { Inventory } from './types.js';

/** A group in `--list` output; empty keys are left out. */
interface ListedGroup {
  hosts?: string[];
  children?: string[];
  vars?: Vars;
}

/**
 * `--list`: every group reachable from `all` with its direct hosts, children and own vars (empty ones
 * left out, `all` without hosts), then `_meta.hostvars` with each host's merged vars.
 */
export function inventoryList(inv: Inventory): unknown {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const g = inv.groups.get(name);
    if (!g) return;
    const entry: ListedGroup = {};
    if (name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts];
    if (g.children.length) entry.children = [...g.children];
    if (Object.keys(g.vars).length) entry.vars = { ...g.vars };
    if (Object.keys(entry).length) out[name] = entry;
    for (const c of g.children) visit(c);
  };
  visit('all');
  const hostvars: Record<string, Vars> = {};
  for (const h of inv.hosts.values()) if (Object.keys(h.vars).length) hostvars[h.name] = { ...h.vars };
  out._meta = { hostvars };
  return out;
}

/** `--graph [GROUP]`: the tree of groups and hosts under a group (`all` by default). Throws E_OPTION. */
export function inventoryGraph(inv: Inventory, group = 'all'): string {
  if (!inv.groups.has(group)) {
    throw new MusterError('E_OPTION', `--graph: no group named "${group}"${didYouMean(group, inv.groups.keys())}`, {
      hint: 'run `--graph` without a group name to see them all',
    });
  }
  return graphLines(inv, group, 0, []).join('\n');
}

/** `--host NAME`: the merged inventory vars of one host. Throws E_PATTERN for an unknown host. */
export function inventoryHost(inv: Inventory, name: string): unknown {
  return { ...hostOf(inv, name).vars };
}

function graphLines(inv: Inventory, name: string, depth: number, path: string[]): string[] {
  const g = inv.groups.get(name);
  if (!g || path.includes(name)) return []; // a hand-built cyclic tree stops here rather than overflowing
  const lines = [indent(`@${name}:`, depth)];
  for (const c of g.children) lines.push(...graphLines(inv, c, depth + 1, [...path, name]));
  // `all` lists no hosts of its own: they all show under ungrouped or their groups.
  if (name !== 'all') for (const h of g.hosts) lines.push(indent(h, depth + 1));
  return lines;
}

/** ansible-inventory's tree drawing: `  |` per level, then `--`. */
function indent(text: string, depth: number): string {
  return depth ? `${'  |'.repeat(depth)}--${text}` : text;
}
