/** Filter: `placement.max_replicas_per_node`. */
import type { Filter } from './filter.js';

/** A node that already runs the maximum of this service's replicas takes no more. */
export const maxReplicas: Filter = {
  name: 'max-replicas',
  explain: 'fewer than max_replicas_per_node replicas of the service on the node',
  namesNodes: false,
  usesUsage: true,
  check(_node, want, usage) {
    if (want.maxPerNode !== undefined && usage.replicas >= want.maxPerNode) return { phrase: `max replicas per node (${want.maxPerNode}) reached` };
    return undefined;
  },
};
