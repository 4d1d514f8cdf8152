/**
 * What the manager shows (the ManagerView reads): its nodes, services, replicas and one of each in detail,
 * from what it holds now (the watch's nodes and health, the stacks' history, the last plan, the events).
 * Pure: the manager passes its state in.
 */
import type { FleetNode } from '../deploy/fleet.js';
import type { HistoryRecord, StackHistory } from '../deploy/history.js';
import { type PsRow, psRows } from '../ops/ps.js';
import { type ServiceRow, serviceRows } from '../ops/services.js';
import type { Plan } from '../scheduler/types.js';
import type { EventLog } from './event-log.js';
import type { Health } from './health.js';
import { fleetNow, inspectNodes, managedNode } from './picture.js';
import type { ManagedNode, NodeDetail, ServiceDetail } from './view.js';

/** What the reads read. */
export interface ManagerState {
  nodes: FleetNode[];
  health: ReadonlyMap<string, Health>;
  histories: StackHistory[];
  plan: Plan | undefined;
  events: EventLog;
  nowMs: number;
}

/** Each stack's latest version that is not removed. */
export function liveRecords(histories: StackHistory[]): HistoryRecord[] {
  return histories.flatMap((h) => {
    const last = h.versions.at(-1);
    return last && !last.removed ? [last] : [];
  });
}

export function nodesOf(s: ManagerState): ManagedNode[] {
  return fleetNow(s.nodes, s.health).map((n) => managedNode(n, s.health.get(n.name), s.nowMs));
}

export function nodeOf(s: ManagerState, name: string): NodeDetail | undefined {
  const node = nodesOf(s).find((n) => n.row.node === name);
  return node && { node, replicas: psOf(s).filter((r) => r.node === name) };
}

export function servicesOf(s: ManagerState): ServiceRow[] {
  return serviceRows(inspectNodes(fleetNow(s.nodes, s.health)), liveRecords(s.histories), s.plan);
}

export function serviceOf(s: ManagerState, stack: string, service: string): ServiceDetail | undefined {
  const row = servicesOf(s).find((x) => x.stack === stack && x.service === service);
  if (!row) return undefined;
  const versions = s.histories.find((h) => h.stack === stack)?.versions ?? [];
  return {
    service: row,
    replicas: psOf(s, { stack, service }),
    versions: versions.map((v) => ({ version: v.version, at: v.at, op: v.op, ...(v.services ? { services: v.services } : {}) })),
    events: s.events.since(0).filter((e) => 'stack' in e && e.stack === stack && 'service' in e && e.service === service),
    rollout: row.update,
  };
}

export function psOf(s: ManagerState, filter: { stack?: string; service?: string } = {}): PsRow[] {
  const records = liveRecords(s.histories);
  const stacks = filter.stack ? [filter.stack] : records.map((r) => r.stack);
  const nodes = inspectNodes(fleetNow(s.nodes, s.health));
  return stacks.flatMap((stack) =>
    psRows({ nodes, records, plan: s.plan, filter: { stack, ...(filter.service ? { service: filter.service } : {}) }, nowMs: s.nowMs }),
  );
}
