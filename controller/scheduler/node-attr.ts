/** The node attributes constraints and spread preferences name (`node.labels.zone`, `node.platform.arch`). Pure. */
import { normaliseArch } from './node-info.js';
import type { NodeView } from './types.js';

/** The value of `key` on the node, or undefined when the node has none (a missing label). */
export function nodeAttribute(node: NodeView, key: string): string | undefined {
  if (key.startsWith('node.labels.')) return Object.hasOwn(node.labels, key.slice(12)) ? node.labels[key.slice(12)] : undefined;
  if (key.startsWith('engine.labels.')) return Object.hasOwn(node.labels, key.slice(14)) ? node.labels[key.slice(14)] : undefined;
  switch (key) {
    case 'node.hostname':
      return node.hostname;
    case 'node.id':
    case 'node.name':
      return node.name;
    case 'node.role':
      return node.role;
    case 'node.platform.arch':
      return node.arch;
    case 'node.platform.os':
      return node.os;
    default:
      return undefined;
  }
}

/**
 * Whether the attribute equals the value: a missing attribute equals nothing; case does not matter, as in
 * Swarm; architectures compare normalised (`x86_64` == `amd64`).
 */
export function attributeEquals(key: string, have: string | undefined, value: string): boolean {
  if (have === undefined) return false;
  if (key === 'node.platform.arch') return normaliseArch(have) === normaliseArch(value);
  return have.toLowerCase() === value.toLowerCase();
}
