/** Filter: the node's agent answered with Docker up, and the node takes work (pause keeps what runs there). */
import type { Filter } from './filter.js';

/** Not ready, drained, or paused (for a new replica) nodes take nothing. */
export const readyActive: Filter = {
  name: 'ready-active',
  explain: 'the node is ready and active (a paused node keeps its replicas and takes no new ones)',
  namesNodes: true,
  usesUsage: false,
  check(node, want) {
    if (!node.ready) return { phrase: 'not ready' };
    if (node.availability === 'drain') return { phrase: 'drained' };
    if (node.availability === 'pause' && !want.existing) return { phrase: 'paused' };
    return undefined;
  },
};
