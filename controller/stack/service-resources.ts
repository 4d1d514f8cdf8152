/** The service-level resource keys (mem_limit, mem_reservation, cpus, pids_limit, scale) folded into deploy. */
import { MIN_MEMORY_LIMIT } from '../../agent/api/schema.js';
import { type At, asInt, asNumber, child, has, schemaError } from './fields.js';
import { readSize } from './sizes.js';
import type { Deploy } from './types.js';

type Group = 'limits' | 'reservations';

// [service key, deploy group, field, deploy.resources key, reader]
const ALIASES: [string, Group, string, string, (a: At) => number][] = [
  ['mem_limit', 'limits', 'memoryBytes', 'limits.memory', (a) => readSize(a, MIN_MEMORY_LIMIT, 'Docker refuses smaller memory limits')],
  ['mem_reservation', 'reservations', 'memoryBytes', 'reservations.memory', (a) => readSize(a)],
  ['cpus', 'limits', 'cpus', 'limits.cpus', (a) => asNumber(a, 0, 4096, true)],
  ['pids_limit', 'limits', 'pids', 'limits.pids', (a) => asInt(a, 1)],
];

/** Folds the service's mem_limit & co. into its deploy section; both written and different is an error. */
export function readServiceResources(at: At, deploy: Deploy): void {
  for (const [key, group, field, deployKey, read] of ALIASES) {
    const a = child(at, key);
    if (!has(a)) continue;
    const v = read(a);
    const values = deploy[group] as Record<string, number | undefined>;
    if (values[field] !== undefined && values[field] !== v) throw schemaError(a, `disagrees with deploy.resources.${deployKey}`, 'keep one of them');
    values[field] = v;
  }
  const scale = child(at, 'scale');
  if (has(scale)) {
    const n = asInt(scale, 0, 10_000);
    if (has(child(child(at, 'deploy'), 'replicas')) && deploy.replicas !== n)
      throw schemaError(scale, 'disagrees with deploy.replicas', 'keep deploy.replicas');
    deploy.replicas = n;
  }
  const res = deploy.reservations.memoryBytes;
  const lim = deploy.limits.memoryBytes;
  if (res !== undefined && lim !== undefined && res > lim) {
    throw schemaError(child(at, 'mem_reservation'), 'the memory reservation is over the memory limit', 'reserve at most the limit');
  }
}
