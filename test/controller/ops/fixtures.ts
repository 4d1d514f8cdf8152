/** Builders for the ops table tests: records of stacks, fleet nodes with reports and held sets. */
import { type HistoryRecord, recordOf } from '../../../controller/deploy/history.js';
import type { InspectNode } from '../../../controller/ops/inspect-node.js';
import type { Plan } from '../../../controller/scheduler/types.js';
import type { Service, Stack } from '../../../controller/stack/types.js';
import type { ContainerReport, ContainerSpec } from '../../../shared/wire.js';
import { report, service, stack } from '../deploy/fixtures.js';

export { report, service, stack };

/** A record of `s` as version `version`, with placements (`web.1` -> node). */
export function record(s: Stack, version = 1, placements: Record<string, string> = {}, more: Partial<HistoryRecord> = {}): HistoryRecord {
  return { ...recordOf({ stack: s, op: 'deploy', file: 'stack.yml', at: '2026-12-02T07:00:00.000Z' }), version, placements, ...more };
}

/** The replica spec a record gives to `service`'s `slot`. */
export function specOf(r: HistoryRecord, svc: string, slot: number): ContainerSpec {
  const s = r.byService[svc];
  return { ...structuredClone(s.template), name: `${r.stack}_${svc}.${slot}.${s.hash.slice(0, 8)}`, replica: slot };
}

/** A container report for a spec: running and healthy unless told, no restarts, no OOM kills. */
export function running(spec: ContainerSpec, more: Partial<ContainerReport> = {}): Partial<ContainerReport> {
  return {
    name: spec.name,
    stack: spec.stack,
    service: spec.service,
    replica: spec.replica,
    state: 'running',
    health: null,
    restarts: 0,
    oomKills: 0,
    exitCode: null,
    limitMismatch: false,
    ...more,
  };
}

/** A node that answered: it holds `specs`, its report shows `containers`. */
export function node(name: string, specs: ContainerSpec[], containers: Partial<ContainerReport>[], lastError: string | null = null): InspectNode {
  const r = report(containers);
  return { name, desired: { generation: 3, containers: specs }, report: { ...r, reconcile: { ...r.reconcile, lastError } } };
}

/** A node whose agent did not answer (with the set last read from it, when given). */
export function down(name: string, last?: ContainerSpec[]): InspectNode {
  return {
    name,
    failure: { message: 'connection refused by 127.0.0.1:7443', hint: 'check that the agent runs' },
    ...(last ? { lastDesired: { generation: 2, containers: last } } : {}),
  };
}

/** An empty plan, with what is given. */
export function plan(more: Partial<Plan> = {}): Plan {
  return { assignments: [], removals: [], unplaced: [], ...more };
}

/** A service with a memory limit and a port. */
export function web(replicas: number, more: Partial<Service> = {}): Service {
  const s = service('web', { replicas });
  return { ...s, ports: [{ target: 80, published: 8080, protocol: 'tcp' }], ...more };
}
