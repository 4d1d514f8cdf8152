/**
 * What the nodes hold once a plan is carried out, in the model: the next tick's `current`. The manager loop
 * and the tests use it; deploy reads the real state from the agents instead. Pure.
 */
import type { Stack } from '../stack/types.js';
import type { Current, CurrentReplica, Plan, TickOptions } from './types.js';
import { wantOf } from './want.js';

/** `current` with the plan's removals and replaced or moved replicas gone and its placements running. */
export function applyPlan(plan: Plan, stacks: Stack[], current: Current, options: TickOptions): Current {
  const gone = new Set<CurrentReplica>(plan.removals);
  for (const a of plan.assignments) if (a.from && a.action !== 'keep') gone.add(a.from);
  const replicas = current.replicas.filter((r) => !gone.has(r));
  for (const a of plan.assignments) {
    if (a.action === 'keep') continue;
    const stack = stacks.find((s) => s.name === a.stack);
    const service = stack?.services.find((s) => s.name === a.service);
    if (!stack || !service) continue;
    const w = wantOf(stack, service);
    replicas.push({
      stack: a.stack,
      service: a.service,
      slot: a.slot,
      node: a.node,
      specHash: options.specHash(a.stack, a.service),
      memoryReservationBytes: w.memoryBytes,
      cpuReservation: w.cpus,
      hostPorts: service.ports.filter((p) => p.published > 0).map((p) => ({ port: p.published, protocol: p.protocol })),
      volumes: w.volumes,
      state: 'running',
    });
  }
  return { replicas };
}
