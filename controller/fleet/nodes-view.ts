/**
 * What `muster nodes` shows: one row per node from its report (or the reason it gave none), the memory a
 * scheduler may hand out, and the table. Pure: no clock, no sockets.
 */
import type { NodeReport } from '../../shared/wire.js';
import { allocatableBytes } from './allocatable.js';
import { limitsEnforced, summarise } from './summary.js';

/** A node that answered. */
export interface NodeRowOk {
  node: string;
  address: string;
  port: number;
  status: 'ok';
  arch: string;
  os: string | null;
  kernel: string;
  hostname: string;
  memory: {
    totalBytes: number | null;
    availableBytes: number | null;
    baselineBytes: number;
    reserveBytes: number;
    allocatableBytes: number | null;
    /** what the containers that run hold: their memory reservations (a limit alone counts as one), as the scheduler counts */
    reservedBytes: number;
    /** what they use now */
    usedBytes: number;
  };
  memoryLimits: { enforced: boolean; reason?: string; fix?: string };
  dockerVersion: string | null;
  agentVersion: string;
  containersRunning: number;
  reportAgeS: number;
}

/** A node that did not answer, and why. */
export interface NodeRowFailed {
  node: string;
  address: string;
  port: number;
  status: 'refused' | 'timeout' | 'unreachable' | 'unresolved' | 'tls' | 'token' | 'bad-answer' | 'reset' | 'no-credentials';
  message: string;
  hint: string;
}

/** One row of `muster nodes`. */
export type NodeRow = NodeRowOk | NodeRowFailed;

/** Pure: memory the node's live containers hold (reservation, else limit) and use, as the scheduler counts it. */
export function containerMemory(r: NodeReport): { reservedBytes: number; usedBytes: number } {
  let reservedBytes = 0;
  let usedBytes = 0;
  for (const c of r.containers ?? []) {
    if (c.state === 'exited' || c.state === 'dead') continue;
    reservedBytes += c.asked?.memoryReservation ?? c.asked?.memoryLimit ?? 0;
    usedBytes += c.usageBytes ?? 0;
  }
  return { reservedBytes, usedBytes };
}

/** Pure: a row from an answering node's report, at time `nowMs`. */
export function rowFromReport(where: { node: string; address: string; port: number }, r: NodeReport, reserveBytes: number, nowMs: number): NodeRowOk {
  const s = summarise(r);
  const total = r.node.memory?.totalBytes ?? null;
  const baseline = r.baseline?.totalBytes ?? 0;
  const collected = Date.parse(r.collectedAt);
  return {
    ...where,
    status: 'ok',
    arch: s.arch,
    os: s.os,
    kernel: s.kernel,
    hostname: s.hostname,
    memory: {
      totalBytes: total,
      availableBytes: r.node.memory?.availableBytes ?? null,
      baselineBytes: baseline,
      reserveBytes,
      allocatableBytes: allocatableBytes(total, baseline, reserveBytes),
      ...containerMemory(r),
    },
    memoryLimits: limitsEnforced(r),
    dockerVersion: s.docker_version,
    agentVersion: s.agent_version,
    containersRunning: s.containers_running,
    reportAgeS: Number.isNaN(collected) ? 0 : Math.max(0, Math.round((nowMs - collected) / 1000)),
  };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** Parses a size: bytes as a number, or `256M`, `256Mi`, `1.5G`, `512MiB` (binary units, as Docker reads them). */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:ib?|b)?|b)?\s*$/i.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]);
}

/** Bytes for people: `512M`, `3.7G` (binary units). */
export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)}G`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)}M`;
  if (n >= 2 ** 10) return `${Math.round(n / 2 ** 10)}K`;
  return `${n}B`;
}

/** Seconds for people: `4s`, `3m`, `2h`, `5d`. */
export function formatAge(s: number): string {
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const HEAD = ['NODE', 'STATUS', 'ARCH', 'OS / KERNEL', 'MEMORY', 'AVAILABLE', 'ALLOCATABLE', 'RESERVED', 'USED', 'LIMITS', 'DOCKER', 'AGENT', 'RUNNING', 'AGE'];

function cells(r: NodeRow): string[] {
  if (r.status !== 'ok') return [r.node, r.status, ...Array(HEAD.length - 2).fill('-')];
  return [
    r.node,
    'ok',
    r.arch,
    `${r.os ?? '?'} / ${r.kernel}`,
    formatBytes(r.memory.totalBytes),
    formatBytes(r.memory.availableBytes),
    formatBytes(r.memory.allocatableBytes),
    formatBytes(r.memory.reservedBytes),
    formatBytes(r.memory.usedBytes),
    r.memoryLimits.enforced ? 'yes' : 'no',
    r.dockerVersion ?? '-',
    r.agentVersion,
    String(r.containersRunning),
    formatAge(r.reportAgeS),
  ];
}

/** The table, then a note for every node that failed or does not enforce memory limits. */
export function renderNodes(rows: NodeRow[]): string {
  const table = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  const notes: string[] = [];
  for (const r of rows) {
    if (r.status !== 'ok') notes.push(`${r.node}: ${r.message}\n  fix: ${r.hint}`);
    else if (!r.memoryLimits.enforced) notes.push(`${r.node}: memory limits not enforced: ${r.memoryLimits.reason}\n  fix: ${r.memoryLimits.fix}`);
  }
  const ok = rows.filter((r) => r.status === 'ok').length;
  const tail = `${rows.length} node${rows.length === 1 ? '' : 's'}, ${ok} answered${ok < rows.length ? `, ${rows.length - ok} did not` : ''}`;
  return `${[...lines, '', ...(notes.length ? [...notes, ''] : []), tail].join('\n')}\n`;
}
