/** The filters in the order they run: a node's rejection is the first one that fails, as in swarmkit. */
import { constraints } from './constraints.js';
import type { Filter } from './filter.js';
import { hostPorts } from './host-ports.js';
import { maxReplicas } from './max-replicas.js';
import { memoryEnforced } from './memory-enforced.js';
import { platformFilter } from './platform.js';
import { readyActive } from './ready-active.js';
import { resources } from './resources.js';
import { volumePin } from './volume-pin.js';

export type { Filter, Rejection, Usage } from './filter.js';
export { constraints, hostPorts, maxReplicas, memoryEnforced, platformFilter, readyActive, resources, volumePin };

/** The pipeline for one snapshot: ready, resources, memory limits, constraints, platform, ports, max per node, volumes. */
export function filtersFor(imagePlatforms: Record<string, string[]>): Filter[] {
  return [readyActive, resources, memoryEnforced, constraints, platformFilter(imagePlatforms), hostPorts, maxReplicas, volumePin];
}

/** Filters that decide whether a node is eligible for a global service at all (others are reported when they fail). */
export const ELIGIBILITY = new Set(['ready-active', 'constraints', 'platform']);
