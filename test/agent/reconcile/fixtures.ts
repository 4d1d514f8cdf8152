/** Shared fixtures of the reconciler's table tests: specs, observed containers, and a runner for rows. */
import type { Test } from 'tap';
import { nextActions, type Action } from '../../../agent/reconcile/next-action.js';
import { specHash } from '../../../shared/spec-hash.js';
import type { ObservedContainer } from '../../../agent/types.js';
import type { ContainerSpec, DesiredSet } from '../../../shared/wire.js';

/** The clock of every row. */
export const NOW = 1_700_000_000_000;
const MiB = 1024 * 1024;

/** A spec named `<stack>_<service>.<replica>`. */
export const spec = (name: string, more: Partial<ContainerSpec> = {}): ContainerSpec => {
  const [stack, rest] = name.split('_');
  const [service, replica] = rest.split('.');
  return { name, stack, service, replica: Number(replica), image: 'muster-busybox:1', memoryLimit: 64 * MiB, ...more };
};

/** An observed container that matches `s` (same hash) and runs, unless told otherwise. */
export const seen = (s: ContainerSpec, id: string, more: Partial<ObservedContainer> = {}): ObservedContainer => ({
  id,
  name: s.name,
  specHash: specHash(s),
  state: 'running',
  restartCount: 0,
  startedAt: NOW - 60_000,
  ...more,
});

export const A = spec('web_api.1');
export const B = spec('web_api.2');
export const C = spec('db_pg.1', { restartPolicy: 'on-failure' });
export const N = spec('job_once.1', { restartPolicy: 'no' });
export const A2 = { ...A, image: 'muster-busybox:2' };

/** A hold row: name, until, failures in a row (1 unless said). */
export type HoldRow = [name: string, until: number, failures?: number];

/** The holds map of rows. */
export const holdsOf = (rows: HoldRow[] = []) => new Map(rows.map(([name, until, failures = 1]) => [name, { until, failures }]));

/** The first thing the reconciler would do (its first due action), or its `none`. */
export function first(observed: ObservedContainer[], desired: ContainerSpec[] | DesiredSet, now = NOW, holds: HoldRow[] = []): Action {
  const set = Array.isArray(desired) ? { generation: 1, containers: desired } : desired;
  const d = nextActions(observed, set, now, holdsOf(holds));
  return d.kind === 'act' ? d.actions[0] : d;
}

/** One table row: what is observed and desired, the holds, and what the first action must match. */
export interface Row {
  name: string;
  observed: ObservedContainer[];
  desired: ContainerSpec[];
  holds?: HoldRow[];
  want: Partial<Action> & { kind: Action['kind'] };
}

/** Checks each row's first action. */
export function runRows(t: Test, rows: Row[]): void {
  for (const r of rows) t.match(first(r.observed, r.desired, NOW, r.holds), r.want, r.name);
}
