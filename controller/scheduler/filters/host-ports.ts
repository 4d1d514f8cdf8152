/** Filter: no published port of the replica is already bound on the node. */
import type { Filter } from './filter.js';

/** A port bound by another replica (placed now or running) or by an unmanaged container refuses the node. */
export const hostPorts: Filter = {
  name: 'host-ports',
  explain: 'published host ports are free on the node',
  namesNodes: true,
  usesUsage: true,
  check(_node, want, usage) {
    for (const p of want.ports) if (usage.ports.has(p)) return { phrase: `host port ${p} in use` };
    return undefined;
  },
};
