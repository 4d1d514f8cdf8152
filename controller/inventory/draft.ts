/**
 * The inventory's shape while it is being read: groups, their hosts and children, inline variables.
 * Parsers add to a draft; `finishDraft` then applies Ansible's rules (roots under `all`, `ungrouped`).
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';

/** A group being read. */
export interface DraftGroup {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Vars;
  pos?: Pos;
}

/** Everything read so far; `hosts` iterates in order of first appearance and holds inline host vars. */
export interface Draft {
  groups: Map<string, DraftGroup>;
  hosts: Map<string, Vars>;
  warnings: string[];
}

/** An empty draft with the two groups every inventory has: `all`, and `ungrouped` as its first child. */
export function newDraft(): Draft {
  const d: Draft = { groups: new Map(), hosts: new Map(), warnings: [] };
  ensureGroup(d, 'all');
  ensureGroup(d, 'ungrouped');
  addChild(d, 'all', 'ungrouped');
  return d;
}

/** The group of that name, created (and its position remembered) on first mention. */
export function ensureGroup(d: Draft, name: string, pos?: Pos): DraftGroup {
  let g = d.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], parents: [], vars: {}, pos };
    d.groups.set(name, g);
  } else if (!g.pos && pos) {
    g.pos = pos;
  }
  return g;
}

/** Adds a host to a group; its inline vars are merged over any it already has (the later listing wins). */
export function addHost(d: Draft, group: string, host: string, vars: Vars): void {
  const g = ensureGroup(d, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
  d.hosts.set(host, { ...(d.hosts.get(host) ?? {}), ...vars });
}

/** Makes `child` a child group of `parent`. Throws E_SCHEMA when that would make a loop. */
export function addChild(d: Draft, parent: string, child: string, pos?: Pos): void {
  if (child === 'all') {
    throw new MusterError('E_SCHEMA', `group "all" cannot be a child of "${parent}"`, {
      pos,
      hint: '`all` is the root group that holds every other group; remove it from `children:`',
    });
  }
  const loop = pathBetween(d, child, parent);
  if (loop) {
    throw new MusterError('E_SCHEMA', `group "${child}" cannot be a child of "${parent}": that makes a loop (${[parent, ...loop].join(' -> ')})`, {
      pos,
      hint: 'a group may not contain itself, directly or through its children; remove one of these `children:` entries',
    });
  }
  const p = ensureGroup(d, parent);
  const c = ensureGroup(d, child);
  if (!p.children.includes(child)) p.children.push(child);
  if (!c.parents.includes(parent)) c.parents.push(parent);
}

/** Applies Ansible's closing rules: parentless groups go under `all`; `ungrouped` holds hosts in no other group. */
export function finishDraft(d: Draft): void {
  for (const g of d.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) addChild(d, 'all', g.name);
  }
  const inOther = new Set<string>();
  for (const g of d.groups.values()) {
    if (g.name === 'all' || g.name === 'ungrouped') continue;
    for (const h of g.hosts) inOther.add(h);
  }
  // Rebuilt rather than patched: a host listed under `ungrouped` and also in a real group leaves it.
  ensureGroup(d, 'ungrouped').hosts = [...d.hosts.keys()].filter((h) => !inOther.has(h));
  for (const h of d.hosts.keys()) {
    if (d.groups.has(h) && h !== 'all' && h !== 'ungrouped') {
      d.warnings.push(`"${h}" is both a host and a group; in host patterns the host wins`);
    }
  }
}

/** The chain of groups from `from` down to `to` through children, or undefined when there is none. */
function pathBetween(d: Draft, from: string, to: string, seen = new Set<string>()): string[] | undefined {
  if (from === to) return [from];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const c of d.groups.get(from)?.children ?? []) {
    const rest = pathBetween(d, c, to, seen);
    if (rest) return [from, ...rest];
  }
  return undefined;
}
