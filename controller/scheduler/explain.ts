/**
 * Swarm-style reasons for replicas no node takes. Nodes are named (one or two of them) for problems fixed on
 * the node itself (not ready, memory limits, ports in use), and counted otherwise (`insufficient memory on
 * 2 nodes`), because there the fix is in the stack. Each distinct fix a rejection carries follows once.
 */
import type { Filter } from './filters/filter.js';
import type { Failure } from './pipeline.js';

/** A reason and the rejection counts by filter name. */
export interface Explained {
  reason: string;
  rejections: Record<string, number>;
}

/** `web.3: no suitable node (insufficient memory on 2 nodes; memory limits not enforced on pi-2)`, then fixes. */
export function noSuitableNode(label: string, failures: Failure[], order: readonly Filter[]): Explained {
  if (failures.length === 0) return { reason: `${label}: no suitable node (no nodes)`, rejections: {} };
  return { reason: `${label}: no suitable node (${summary(failures, order)})${fixes(failures)}`, rejections: counts(failures) };
}

/** For a global service: `exporter.0: not placed on pi-2 (memory limits not enforced on pi-2)`, then the fix. */
export function notPlacedOn(label: string, failure: Failure): Explained {
  return {
    reason: `${label}: not placed on ${failure.node} (${summary([failure], [failure.filter])})${fixes([failure])}`,
    rejections: { [failure.filter.name]: 1 },
  };
}

/** The phrases grouped, in filter order, each with the nodes it refused. */
export function summary(failures: Failure[], order: readonly Filter[]): string {
  const groups = new Map<string, { rank: number; names: boolean; nodes: string[] }>();
  for (const f of failures) {
    const g = groups.get(f.rejection.phrase);
    if (g) g.nodes.push(f.node);
    else groups.set(f.rejection.phrase, { rank: order.findIndex((o) => o.name === f.filter.name), names: f.filter.namesNodes, nodes: [f.node] });
  }
  return [...groups]
    .sort((a, b) => a[1].rank - b[1].rank)
    .map(([phrase, g]) => `${phrase} on ${where(g.nodes, g.names)}`)
    .join('; ');
}

function where(nodes: string[], names: boolean): string {
  if (names && nodes.length <= 2) return nodes.join(', ');
  return `${nodes.length} node${nodes.length === 1 ? '' : 's'}`;
}

function fixes(failures: Failure[]): string {
  const byFix = new Map<string, string[]>();
  for (const f of failures) if (f.rejection.fix) byFix.set(f.rejection.fix, [...(byFix.get(f.rejection.fix) ?? []), f.node]);
  return [...byFix].map(([fix, nodes]) => `; fix on ${where(nodes, true)}: ${fix}`).join('');
}

function counts(failures: Failure[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of failures) out[f.filter.name] = (out[f.filter.name] ?? 0) + 1;
  return out;
}

/** A replica held by its data: `db.1: waits for pi-2, which holds its volume app_data (not ready); ...`. */
export function pinnedReason(label: string, node: string, volume: string, why: string, key: string, waits: boolean): string {
  const head = waits ? `waits for ${node}, which holds its volume ${volume}` : `its volume ${volume} is on ${node}, which cannot take it`;
  return `${label}: ${head} (${why}); to start it elsewhere without that data, deploy with --move ${key}`;
}
