/**
 * The stacks' replica specs, as the deploy writes them: one container template and hash per service (from
 * stack/container-spec.ts); the scheduler compares the hash's first 8 digits, which are in every replica's
 * name, so that a fresh controller reads the same identity back from the agents. Pure.
 */
import type { ContainerSpec } from '../../shared/wire.js';
import type { Assignment } from '../scheduler/types.js';
import { containerTemplate, templateHash, replicaSpec, type ContainerTemplate } from '../stack/container-spec.js';
import type { Service, Stack } from '../stack/types.js';

/** Each service's template and hash, and the spec of any of its replicas. */
export interface SpecBook {
  /** the hash the scheduler compares: the 8 digits in the replicas' names */
  hash8(stack: string, service: string): string;
  spec(a: Pick<Assignment, 'stack' | 'service' | 'slot'>): ContainerSpec;
}

/** Label carrying a replica's CPU reservation (the spec has no field for it; current.ts reads it back so other stacks count it). */
export const CPU_RESERVATION_LABEL = 'io.muster.reserve.cpus';

/** Pure: the book of the given stacks. */
export function specBook(stacks: Stack[]): SpecBook {
  const by = new Map<string, { stack: Stack; service: Service; template: ContainerTemplate; hash: string }>();
  for (const stack of stacks)
    for (const service of stack.services) {
      const template = containerTemplate(stack, service);
      const cpus = service.deploy.reservations.cpus;
      if (cpus !== undefined) template.labels = { ...(template.labels ?? {}), [CPU_RESERVATION_LABEL]: String(cpus) };
      by.set(`${stack.name}\u0000${service.name}`, { stack, service, template, hash: templateHash(template) });
    }
  const get = (stack: string, service: string) => {
    const e = by.get(`${stack}\u0000${service}`);
    if (!e) throw new Error(`no service ${stack}/${service} in the stacks given`);
    return e;
  };
  return {
    hash8: (stack, service) => get(stack, service).hash.slice(0, 8),
    spec: (a) => {
      const e = get(a.stack, a.service);
      return replicaSpec(e.stack, e.service, e.template, e.hash, a.slot);
    },
  };
}
