/** Runs the filters over one node: the first that fails is the node's rejection (swarmkit's pipeline). Pure. */
import type { Filter, Rejection, Usage } from './filters/filter.js';
import type { NodeView } from './types.js';
import type { Want } from './want.js';

/** A node refused by a filter. */
export interface Failure {
  node: string;
  filter: Filter;
  rejection: Rejection;
}

/** The first failing filter's rejection on the node, or undefined when the node can take the replica. */
export function firstFailure(filters: readonly Filter[], node: NodeView, want: Want, usage: Usage): Failure | undefined {
  for (const filter of filters) {
    const rejection = filter.check(node, want, usage);
    if (rejection) return { node: node.name, filter, rejection };
  }
  return undefined;
}

/** Whether every filter passes. */
export function passes(filters: readonly Filter[], node: NodeView, want: Want, usage: Usage): boolean {
  for (const filter of filters) if (filter.check(node, want, usage)) return false;
  return true;
}
