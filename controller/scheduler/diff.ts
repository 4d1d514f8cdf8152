/**
 * Wanted replicas against what the nodes hold: which current replicas may take which wanted slot, and which
 * go (slots no longer wanted, highest first; services gone from a given stack; replicas of the wrong mode).
 * Pure; where a slot lands is tick's business.
 */
import type { Service, Stack } from '../stack/types.js';
import type { CurrentReplica } from './types.js';

/** One wanted replica and the current replicas that could be it (duplicates: best candidate first). */
export interface WantedSlot {
  stack: Stack;
  service: Service;
  slot: number;
  /** global services: the node this slot-0 replica is on */
  node?: string;
  holders: CurrentReplica[];
}

/** The wanted slots held now, in order (stacks, services by name, slots ascending), and what no slot wants. */
export interface Diff {
  held: WantedSlot[];
  removals: CurrentReplica[];
}

const STATE_ORDER: Record<CurrentReplica['state'], number> = { running: 0, starting: 1, unknown: 2, failed: 3 };

/** Candidates for one slot: running ones first, then by node name. */
export function byPreference(a: CurrentReplica, b: CurrentReplica): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || cmp(a.node, b.node) || cmp(a.specHash, b.specHash);
}

/** Removal order: stack, service, then highest slot first (scale down takes the last replicas), then node. */
export function byRemoval(a: CurrentReplica, b: CurrentReplica): number {
  return cmp(a.stack, b.stack) || cmp(a.service, b.service) || b.slot - a.slot || cmp(a.node, b.node) || cmp(a.specHash, b.specHash);
}

/** Plain code-unit order: the same on every machine and locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Matches the given stacks' services (sorted) with the current replicas of those stacks. */
export function diff(stacks: Stack[], current: CurrentReplica[]): Diff {
  const byService = new Map<string, CurrentReplica[]>();
  const given = new Set(stacks.map((s) => s.name));
  for (const r of current) {
    if (!given.has(r.stack)) continue;
    const k = `${r.stack}\0${r.service}`;
    const list = byService.get(k);
    if (list) list.push(r);
    else byService.set(k, [r]);
  }
  const held: WantedSlot[] = [];
  const removals: CurrentReplica[] = [];
  for (const stack of stacks) {
    for (const service of [...stack.services].sort((a, b) => cmp(a.name, b.name))) {
      const k = `${stack.name}\0${service.name}`;
      const mine = byService.get(k) ?? [];
      byService.delete(k);
      const global = service.deploy.mode === 'global';
      const groups = new Map<string, CurrentReplica[]>();
      for (const r of mine) {
        const wanted = global ? r.slot === 0 : r.slot >= 1 && r.slot <= service.deploy.replicas;
        if (!wanted) {
          removals.push(r);
          continue;
        }
        const g = global ? r.node : String(r.slot);
        groups.set(g, [...(groups.get(g) ?? []), r]);
      }
      const keys = [...groups.keys()].sort(global ? cmp : (a, b) => Number(a) - Number(b));
      for (const g of keys) {
        const holders = groups.get(g)!.sort(byPreference);
        held.push({ stack, service, slot: global ? 0 : Number(g), ...(global ? { node: g } : {}), holders });
      }
    }
  }
  for (const gone of byService.values()) removals.push(...gone);
  return { held, removals: removals.sort(byRemoval) };
}
