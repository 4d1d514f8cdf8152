/**
 * muster's own engine in the engine table: a stack as its container templates, the update and rollback
 * configs the deploy's waves read, what the scheduler reads of each service (its Want), and the scheduler's plan over two fixed nodes (one whose kernel enforces
 * memory limits, one whose does not). What muster adds is read from the scheduler itself: a memory limit
 * keeps a replica off a node that does not enforce it and counts as its reservation; a named volume pins
 * replicas to the node that holds it. Pure.
 */
import { containerTemplate } from '../stack/container-spec.js';
import type { Stack } from '../stack/types.js';
import { NO_USAGE } from '../scheduler/filters/filter.js';
import { memoryEnforced } from '../scheduler/filters/memory-enforced.js';
import { type NodeView, type Snapshot, tick, wantOf } from '../scheduler/index.js';
import type { Probe } from './compare.js';

const GIB = 1024 ** 3;

function node(name: string, enforced: boolean, zone: string): NodeView {
  return {
    name,
    hostname: name,
    ready: true,
    availability: 'active',
    role: name === 'n1' ? 'manager' : 'worker',
    arch: 'amd64',
    os: 'linux',
    labels: { zone },
    memory: { allocatableBytes: 2 * GIB, enforced, ...(enforced ? {} : { fix: 'enable the memory cgroup' }) },
    cpus: { allocatable: 2 },
    overcommit: 1,
    volumes: [],
    portsInUse: [],
  };
}

/** Two nodes: n1 enforces memory limits, n2 does not. */
export const NODES: Snapshot = { nodes: [node('n1', true, 'a'), node('n2', false, 'b')], imagePlatforms: {} };

/** What muster's own engine makes of `stack`. */
export function nativeProbe(stack: Stack): Probe {
  const added: string[] = [];
  for (const s of stack.services) {
    const want = wantOf(stack, s);
    const kept = NODES.nodes.filter((n) => memoryEnforced.check(n, want, NO_USAGE) !== undefined).map((n) => n.name);
    if (kept.length) added.push(`service ${s.name}: kept off ${kept.join(', ')} (memory limits not enforced there)`);
    const reserved = s.deploy.reservations.memoryBytes ?? 0;
    if (want.memoryBytes > reserved) added.push(`service ${s.name}: its memory limit takes ${want.memoryBytes} bytes of the node (no reservation written)`);
    if (want.volumes.length) added.push(`service ${s.name}: replicas pinned to the node holding ${want.volumes.join(', ')}`);
  }
  const plan = tick([stack], NODES, { replicas: [] }, { specHash: () => 'compare' });
  return {
    refused: [],
    added,
    warned: [],
    output: {
      templates: stack.services.map((s) => containerTemplate(stack, s)),
      wants: stack.services.map((s) => wantOf(stack, s)),
      waves: stack.services.map((s) => ({ update: s.deploy.update, rollback: s.deploy.rollback })),
      plan: plan.assignments.map((a) => `${a.service}.${a.slot}@${a.node}`),
      unplaced: plan.unplaced.map((u) => u.reason),
    },
  };
}
