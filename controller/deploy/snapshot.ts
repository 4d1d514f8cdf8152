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

/** Pure: the images the nodes hold -> platforms (`os/arch`) per reference, sorted; references without a tag get `:latest`. */
export function imagePlatforms(reports: NodeReport[]): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const r of reports)
    for (const img of r.images ?? [])
      for (const tag of img.tags) {
        for (const ref of refsOf(tag)) (out[ref] ??= new Set()).add(`${img.os}/${img.arch}`);
      }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

// `busybox:1` is also `docker.io/library/busybox:1` as people write it; both spellings are keys
function refsOf(tag: string): string[] {
  const refs = [tag];
  const m = /^docker\.io\/(?:library\/)?(.+)$/.exec(tag);
  if (m) refs.push(m[1]);
  return refs;
}

/** Pure: the scheduler's snapshot of the fleet. */
export function snapshotOf(nodes: SnapshotInput[]): Snapshot {
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
    imagePlatforms: imagePlatforms(nodes.flatMap((n) => (n.report ? [n.report] : []))),
  };
}

/** Pure: the scheduler's input (snapshot and current) from the fleet as read; the one way deploy and ops build it. */
export function schedulerInput(fleet: FleetNode[]): { snapshot: Snapshot; current: Current } {
  return {
    snapshot: snapshotOf(fleet.map((n) => ({ name: n.name, vars: n.vars, reserveBytes: n.reserveBytes, report: n.report, failure: n.failure?.message }))),
    current: currentFrom(fleet.map((n) => ({ node: n.name, report: n.report, desired: n.desired, lastDesired: n.lastDesired }))),
  };
}
