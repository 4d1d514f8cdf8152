/** Filter: a service with a memory limit runs only where the kernel enforces it (not silently unlimited). */
import type { Filter } from './filter.js';

/** A memory limit is refused where the memory cgroup is off; the rejection carries the node's fix. */
export const memoryEnforced: Filter = {
  name: 'memory-enforced',
  explain: 'a memory limit is enforced by the node (memory cgroup on)',
  namesNodes: true,
  usesUsage: false,
  check(node, want) {
    if (!want.memoryLimited || node.memory.enforced) return undefined;
    return { phrase: 'memory limits not enforced', ...(node.memory.fix ? { fix: node.memory.fix } : {}) };
  },
};
