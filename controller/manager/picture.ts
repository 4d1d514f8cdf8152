/**
 * The manager's picture of the fleet, for the scheduler and for people: its nodes as last read, laid over
 * their health. A node that is down gives the scheduler what an unreachable node gives deploy (no report, the
 * set it last held); one that missed a poll or two but is not down yet stays as last read. Pure.
 */
import type { FleetNode } from '../deploy/fleet.js';
import { type NodeRow, rowFromReport } from '../fleet/nodes-view.js';
import type { InspectNode } from '../ops/inspect-node.js';
import type { Health } from './health.js';
import type { ManagedNode } from './view.js';

const DOWN_HINT = 'check that the node is on and its agent runs (systemctl status muster-agent); its replicas run elsewhere meanwhile';

/** Pure: the fleet as replan and the inspect builders read it. */
export function fleetNow(nodes: FleetNode[], health: ReadonlyMap<string, Health>): FleetNode[] {
  return nodes.map((n) => {
    const h = health.get(n.name);
    if (h?.state !== 'down' || n.failure) return n;
    return {
      ...n,
      report: undefined,
      desired: undefined,
      lastDesired: n.desired ?? n.lastDesired,
      failure: { kind: 'unreachable', message: `down since ${new Date(h.since).toISOString()}${h.lastError ? `: ${h.lastError}` : ''}`, hint: DOWN_HINT },
    };
  });
}

/** Pure: the nodes as the ops builders read them. */
export function inspectNodes(nodes: FleetNode[]): InspectNode[] {
  return nodes.map((n) => ({ name: n.name, report: n.report, desired: n.desired, lastDesired: n.lastDesired, failure: n.failure }));
}

/** Pure: one node for the API and the dashboard. */
export function managedNode(n: FleetNode, h: Health | undefined, nowMs: number): ManagedNode {
  const where = { node: n.name, address: n.address, port: n.port };
  const row: NodeRow = n.report
    ? rowFromReport(where, n.report, n.reserveBytes, nowMs)
    : { ...where, status: n.failure?.kind ?? 'unreachable', message: n.failure?.message ?? 'not read yet', hint: n.failure?.hint ?? '' };
  const state = h?.state ?? 'unknown';
  return {
    row,
    state,
    since: new Date(h?.since ?? nowMs).toISOString(),
    ...(h?.lastSeen !== undefined ? { lastSeen: new Date(h.lastSeen).toISOString() } : {}),
    availability: n.report?.node.availability ?? 'active',
    labels: { ...(n.report?.node.labels ?? {}), ...n.vars.labels },
    role: n.vars.role ?? 'worker',
  };
}
