/** Rules on a desired set that a JSON schema cannot say: uniqueness across containers, limits that contradict. */
import type { DesiredSet } from '../../shared/wire.js';
import { LABELS } from '../types.js';

/** A problem with one field of a request body. */
export interface FieldProblem {
  /** e.g. `containers[1].ports[0].host` */
  field: string;
  message: string;
}

const HEALTH_KINDS = new Set(['NONE', 'CMD', 'CMD-SHELL']);
const RESERVED_LABEL = /^io\.muster\./;

/** The first problem of a schema-valid desired set, or undefined when it can be converged to. */
export function desiredSetProblem(set: DesiredSet): FieldProblem | undefined {
  const names = new Map<string, number>();
  const hostPorts = new Map<string, string>();
  for (const [i, c] of set.containers.entries()) {
    const at = `containers[${i}]`;
    const dup = names.get(c.name);
    if (dup !== undefined) return { field: `${at}.name`, message: `"${c.name}" is also containers[${dup}]: names must be unique on a node` };
    names.set(c.name, i);
    if (c.memoryReservation !== undefined && c.memoryLimit !== undefined && c.memoryReservation > c.memoryLimit) {
      return { field: `${at}.memoryReservation`, message: `${c.memoryReservation} is above memoryLimit ${c.memoryLimit}` };
    }
    for (const [j, p] of (c.ports ?? []).entries()) {
      const key = `${p.host}/${p.protocol ?? 'tcp'}`;
      const owner = hostPorts.get(key);
      if (owner !== undefined) return { field: `${at}.ports[${j}].host`, message: `host port ${key} is already published by ${owner}` };
      hostPorts.set(key, c.name);
    }
    const kind = c.healthcheck?.test[0];
    if (kind !== undefined && !HEALTH_KINDS.has(kind)) {
      return { field: `${at}.healthcheck.test[0]`, message: `"${kind}" must be NONE, CMD or CMD-SHELL (as in Docker)` };
    }
    for (const key of Object.keys(c.labels ?? {})) {
      if (RESERVED_LABEL.test(key)) return { field: `${at}.labels.${key}`, message: `labels under io.muster. are muster's own (${LABELS.managed}...)` };
    }
  }
  return undefined;
}
