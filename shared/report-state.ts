/**
 * The state tag of a report: a digest of what the manager acts on, leaving out the readings that drift on
 * every collection (the time, load, uptime, free memory and disk, each container's memory use). An agent's
 * heartbeat carries it, so that a manager of a thousand nodes reads a report again when a container started,
 * stopped, restarted or changed health, or the node changed, and not every time a reading moved; it refreshes
 * the readings at its own pace. Pure: no clock, no I/O.
 *
 * The baseline (what the engines and the agent use) does count, rounded to BASELINE_STEP: the scheduler
 * subtracts it from what a node may hand out, so a jump (k3s started) must be read now, a drift need not.
 */
import { createHash } from 'node:crypto';
import type { NodeReport } from './wire.js';

/** The baseline counts in steps of this many bytes. */
export const BASELINE_STEP = 64 * 1024 * 1024;

/** The state tag of `report`: `s` + 22 base64url characters of a SHA-256 over its lasting fields. */
export function reportStateTag(report: NodeReport): string {
  return `s${createHash('sha256')
    .update(JSON.stringify(lasting(report)))
    .digest('base64url')
    .slice(0, 22)}`;
}

// The report without its drifting readings; the key order (and so the JSON) of the rest is the report's.
function lasting(r: NodeReport): unknown {
  const { collectedAt: _at, hardware: _hw, node, cgroups, containers, baseline, ...rest } = r as NodeReport & { hardware?: unknown };
  return {
    ...rest,
    node: node && {
      ...node,
      load: null,
      uptimeS: null,
      memory: node.memory && { totalBytes: node.memory.totalBytes, swapTotalBytes: node.memory.swapTotalBytes },
      disks: (node.disks ?? []).map((d) => ({ path: d.path, totalBytes: d.totalBytes })),
    },
    cgroups: cgroups && { ...cgroups, agent: cgroups.agent && { ...cgroups.agent, usageBytes: null } },
    containers: (containers ?? []).map((c) => ({ ...c, usageBytes: null })),
    baseline: baseline && Math.round((baseline.totalBytes ?? 0) / BASELINE_STEP),
  };
}
