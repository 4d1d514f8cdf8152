/**
 * The fleet as read -> the scheduler's Snapshot: each node through the scheduler's nodeView (inventory
 * `muster_labels`, `muster_role`, `muster_overcommit` and the memory reserve on top of the report), and the
 * platforms each image is known to exist for, from the images the nodes hold. Pure.
 */
import { MusterError } from '../../shared/errors.js';
import type { NodeReport } from '../../shared/wire.js';
import { nodeView } from '../scheduler/node-info.js';
import type { Current, Snapshot } from '../scheduler/types.js';
import { currentFrom } from './current.js';
import type { FleetNode } from './fleet.js';

/** What the inventory says about a node for scheduling. */
export interface NodeVars {
  labels: Record<string, string>;
  role?: 'manager' | 'worker';
  overcommit?: number;
}

/** Pure: `muster_labels` (a mapping, or `k=v,k2=v2`), `muster_role`, `muster_overcommit` -> NodeVars; bad values are errors naming the host. */
export function nodeVars(vars: Record<string, unknown>, host: string): NodeVars {
  const out: NodeVars = { labels: {} };
  const l = vars.muster_labels;
  if (l !== undefined && l !== null && l !== '') {
    if (typeof l === 'string') {
      for (const part of l
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const eq = part.indexOf('=');
        if (eq <= 0)
          throw new MusterError('E_SCHEMA', `muster_labels: "${part}" is not key=value`, {
            host,
            hint: 'write muster_labels as a mapping, e.g. { disk: ssd }',
          });
        out.labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
    } else if (typeof l === 'object' && !Array.isArray(l)) {
      for (const [k, v] of Object.entries(l as Record<string, unknown>)) out.labels[k] = String(v);
    } else throw new MusterError('E_SCHEMA', 'muster_labels is not a mapping', { host, hint: 'write muster_labels as a mapping, e.g. { disk: ssd }' });
  }
  const role = vars.muster_role;
  if (role !== undefined) {
    if (role !== 'manager' && role !== 'worker')
      throw new MusterError('E_SCHEMA', `muster_role is "${String(role)}"`, { host, hint: 'muster_role is manager or worker' });
    out.role = role;
  }
  const oc = vars.muster_overcommit;
  if (oc !== undefined) {
    const n = typeof oc === 'number' ? oc : Number(oc);
    if (!Number.isFinite(n) || n < 1)
      throw new MusterError('E_SCHEMA', `muster_overcommit is not a ratio of 1 or more: ${JSON.stringify(oc)}`, { host, hint: 'e.g. muster_overcommit: 1.5' });
    out.overcommit = n;
  }
  return out;
}

/** One node as the snapshot needs it. */
export interface SnapshotInput {
  name: string;
  vars: NodeVars;
  reserveBytes: number;
  report?: NodeReport;
  /** why the agent did not answer */
  failure?: string;
}

/**
 * Pure: the scheduler's snapshot of the fleet. `imagePlatforms` are the images whose platforms are known for
 * sure: those the controller ships from its own Docker (one platform each). An image a node pulled says only
 * which of its platforms that node took, not which the registry has, so node reports never restrict it.
 */
export function snapshotOf(nodes: SnapshotInput[], imagePlatforms: Record<string, string[]> = {}): Snapshot {
  return {
    nodes: nodes.map((n) =>
      nodeView({
        name: n.name,
        report: n.report,
        failure: n.failure,
        inventoryLabels: n.vars.labels,
        role: n.vars.role,
        reserveBytes: n.reserveBytes,
        overcommit: n.vars.overcommit,
      }),
    ),
    imagePlatforms,
  };
}

/** Pure: the scheduler's input (snapshot and current) from the fleet as read; the one way deploy and ops build it. */
export function schedulerInput(fleet: FleetNode[], imagePlatforms: Record<string, string[]> = {}): { snapshot: Snapshot; current: Current } {
  return {
    snapshot: snapshotOf(
      fleet.map((n) => ({ name: n.name, vars: n.vars, reserveBytes: n.reserveBytes, report: n.report, failure: n.failure?.message })),
      imagePlatforms,
    ),
    current: currentFrom(fleet.map((n) => ({ node: n.name, report: n.report, desired: n.desired, lastDesired: n.lastDesired, fenced: n.fenced }))),
  };
}
