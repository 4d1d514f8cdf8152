/**
 * The one ordering of candidate nodes, best first. Written down once, used for every placement:
 *   1. spread preferences, in order: fewest replicas of the service among nodes with the same value of the
 *      spread key (a node without the label is in the group of the empty value);
 *   2. fewest replicas of the service on the node;
 *   3. lowest memory fraction (reservations / allocatable) after placing;
 *   4. lowest CPU fraction after placing;
 *   5. node name (plain code-unit order, so no locale changes it).
 */

/** What the comparator reads about one candidate node. */
export interface RankKey {
  /** replicas of the service in the node's group, one count per spread key */
  spread: ArrayLike<number>;
  replicas: number;
  memoryAfter: number;
  cpuAfter: number;
  name: string;
}

/** used / capacity, where a capacity of 0 is full as soon as anything is used. */
export function fraction(used: number, capacity: number): number {
  if (capacity > 0) return used / capacity;
  return used > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Negative when `a` is the better node. */
export function compareRank(a: RankKey, b: RankKey): number {
  if (a.spread !== b.spread) for (let k = 0; k < a.spread.length; k++) if (a.spread[k] !== b.spread[k]) return a.spread[k] - b.spread[k];
  if (a.replicas !== b.replicas) return a.replicas - b.replicas;
  if (a.memoryAfter !== b.memoryAfter) return a.memoryAfter < b.memoryAfter ? -1 : 1;
  if (a.cpuAfter !== b.cpuAfter) return a.cpuAfter < b.cpuAfter ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Why this node, in words, for the plan: `zone=a first; 1 replica of web here; memory 31%, CPU 10% after`. */
export function rankReason(key: RankKey, service: string, spreadKeys: string[], spreadValues: string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < spreadKeys.length; i++)
    parts.push(`spread ${spreadKeys[i].replace(/^node\.labels\./, '')}=${spreadValues[i] || '(none)'} had ${key.spread[i]}`);
  parts.push(`${key.replicas} replica${key.replicas === 1 ? '' : 's'} of ${service} here before`);
  parts.push(`memory ${pct(key.memoryAfter)}, CPU ${pct(key.cpuAfter)} after`);
  return parts.join('; ');
}

function pct(f: number): string {
  return Number.isFinite(f) ? `${Math.round(f * 100)}%` : 'full';
}
