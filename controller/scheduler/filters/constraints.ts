/** Filter: every placement constraint holds on the node (`==`, `!=`; a missing label equals nothing). */
import { attributeEquals, nodeAttribute } from '../node-attr.js';
import type { Filter } from './filter.js';

/** The first constraint that fails names the rejection: `constraint node.labels.disk==ssd`. */
export const constraints: Filter = {
  name: 'constraints',
  explain: 'placement constraints hold',
  namesNodes: false,
  usesUsage: false,
  check(node, want) {
    for (const c of want.constraints) {
      const equal = attributeEquals(c.key, nodeAttribute(node, c.key), c.value);
      if (equal !== (c.op === '==')) return { phrase: `constraint ${c.text.replace(/\s+/g, '')}` };
    }
    return undefined;
  },
};
