/**
 * The one ordering of candidate nodes, best first. Written down once, used for every placement:
 *   1. spread preferences, in order: fewest replicas of the service among nodes with the same value of the
 *      spread key (a node without the label is in the group of the empty value);
 *   2. fewest replicas of the service on the node;
 *   3. lowest memory fraction (reservations / allocatable) after placing;
 *   4. lowest CPU fraction after placing;
 *   5. node name (plain code-unit order, so no locale changes it).
 * The inputs are columns indexed by node (one table per tick, refilled for each service), because the
 * placement loop compares millions of times and must not allocate.
 */

/** What the comparator reads, one entry per node index. */
export interface RankTable {
  /** the counts of the node's spread group, one per spread key (nodes of one group share the array) */
  spread: ArrayLike<number>[];
  /** replicas of the service on the node */
  replicas: ArrayLike<number>;
  memoryAfter: ArrayLike<number>;
  cpuAfter: ArrayLike<number>;
  names: readonly string[];
}

/** used / capacity, where a capacity of 0 is full as soon as anything is used. */
export function fraction(used: number, capacity: number): number {
  if (capacity > 0) return used / capacity;
  return used > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Negative when node `a` is the better one. */
export function compareRank(t: RankTable, a: number, b: number): number {
  const sa = t.spread[a];
  const sb = t.spread[b];
  if (sa !== sb) for (let k = 0; k < sa.length; k++) if (sa[k] !== sb[k]) return sa[k] - sb[k];
  if (t.replicas[a] !== t.replicas[b]) return t.replicas[a] - t.replicas[b];
  if (t.memoryAfter[a] !== t.memoryAfter[b]) return t.memoryAfter[a] < t.memoryAfter[b] ? -1 : 1;
  if (t.cpuAfter[a] !== t.cpuAfter[b]) return t.cpuAfter[a] < t.cpuAfter[b] ? -1 : 1;
  return t.names[a] < t.names[b] ? -1 : t.names[a] > t.names[b] ? 1 : 0;
}

/** Why node i, in words, for the plan: `spread zone=a had 2; 1 replica of web here before; memory 31%, CPU 10% after`. */
export function rankReason(t: RankTable, i: number, service: string, spreadKeys: string[], spreadValues: string[]): string {
  const parts: string[] = [];
  for (let k = 0; k < spreadKeys.length; k++)
    parts.push(`spread ${spreadKeys[k].replace(/^node\.labels\./, '')}=${spreadValues[k] || '(none)'} had ${t.spread[i][k]}`);
  parts.push(`${t.replicas[i]} replica${t.replicas[i] === 1 ? '' : 's'} of ${service} here before`);
  parts.push(`memory ${pct(t.memoryAfter[i])}, CPU ${pct(t.cpuAfter[i])} after`);
  return parts.join('; ');
}

function pct(f: number): string {
  return Number.isFinite(f) ? `${Math.round(f * 100)}%` : 'full';
}
