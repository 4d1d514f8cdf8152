/** Filter: the replica's reservations fit what the node has left, times its overcommit ratio. */
import type { Filter } from './filter.js';

/** The one rule for memory: nothing asked always fits; else used + want <= capacity (allocatable x overcommit). */
export function memoryFits(used: number, want: number, capacity: number): boolean {
  return want <= 0 || used + want <= capacity;
}

/** The same for CPUs, with room for the float noise of adding tenths. */
export function cpuFits(used: number, want: number, capacity: number): boolean {
  return want <= 0 || used + want <= capacity + 1e-9;
}

/** Reservations (a memory limit alone counts as one) fit: used + want <= allocatable x overcommit. */
export const resources: Filter = {
  name: 'resources',
  explain: 'memory and CPU reservations fit what the node has left (allocatable x overcommit)',
  namesNodes: false,
  usesUsage: true,
  check(node, want, usage) {
    if (!memoryFits(usage.memoryBytes, want.memoryBytes, node.memory.allocatableBytes * node.overcommit)) return { phrase: 'insufficient memory' };
    if (!cpuFits(usage.cpus, want.cpus, node.cpus.allocatable * node.overcommit)) return { phrase: 'insufficient CPU' };
    return undefined;
  },
};
