/** Filter: the replica's reservations fit what the node has left, times its overcommit ratio. */
import type { Filter } from './filter.js';

/** Reservations (a memory limit alone counts as one) fit: used + want <= allocatable x overcommit. */
export const resources: Filter = {
  name: 'resources',
  explain: 'memory and CPU reservations fit what the node has left (allocatable x overcommit)',
  namesNodes: false,
  usesUsage: true,
  check(node, want, usage) {
    if (want.memoryBytes > 0 && usage.memoryBytes + want.memoryBytes > node.memory.allocatableBytes * node.overcommit) return { phrase: 'insufficient memory' };
    if (want.cpus > 0 && usage.cpus + want.cpus > node.cpus.allocatable * node.overcommit + 1e-9) return { phrase: 'insufficient CPU' };
    return undefined;
  },
};
