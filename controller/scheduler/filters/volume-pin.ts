/** Filter: a replica whose data (a node-local named volume) is on some node stays on that node. */
import type { Filter } from './filter.js';

/** Any node but the ones holding the replica's volume is refused (the user lifts it with allowMove). */
export const volumePin: Filter = {
  name: 'volume-pin',
  explain: "a replica stays on the node that holds its named volume's data",
  namesNodes: false,
  usesUsage: false,
  check(node, want) {
    if (!want.pin || want.pin.nodes.includes(node.name)) return undefined;
    return { phrase: `volume ${want.pin.volume} is on ${want.pin.nodes.join(', ')}` };
  },
};
