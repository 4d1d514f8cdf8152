/**
 * The replica specs of recorded versions: each service's stored template and hash, so that a scale, a drain
 * or a rollback writes byte for byte what the deploy wrote (the names, and so the identities, stay). Pure.
 */
import type { ContainerSpec } from '../../shared/wire.js';
import type { HistoryRecord } from '../deploy/history.js';
import { replicaName } from '../deploy/names.js';
import type { SpecBook } from '../deploy/specs.js';
import type { Assignment } from '../scheduler/types.js';

/** Pure: the spec book of the given records (one per stack). */
export function recordBook(records: HistoryRecord[]): SpecBook {
  const get = (stack: string, service: string) => {
    const s = records.find((r) => r.stack === stack)?.byService[service];
    if (!s) throw new Error(`no service ${stack}/${service} in the recorded versions`);
    return s;
  };
  return {
    hash8: (stack, service) => get(stack, service).hash.slice(0, 8),
    spec: (a: Pick<Assignment, 'stack' | 'service' | 'slot'>): ContainerSpec => {
      const s = get(a.stack, a.service);
      return { ...structuredClone(s.template), name: replicaName(a.stack, a.service, a.slot, s.hash), replica: a.slot };
    },
  };
}
