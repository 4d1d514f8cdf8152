/**
 * `muster ps`: one row per replica. Held replicas from the agents' desired sets with their state from the
 * reports; what a node that did not answer held when last read (else what the history put there), as unknown; wanted replicas no node
 * holds, as pending with why (from a dry tick: unplaced reasons, or where the next deploy puts them); with
 * --all also the containers being shut down. Pure.
 */
import type { ContainerReport } from '../../shared/wire.js';
import type { HistoryRecord } from '../deploy/history.js';
import { slotLabel } from '../deploy/names.js';
import { formatAge } from '../fleet/nodes-view.js';
import type { Plan } from '../scheduler/types.js';
import { failureText, type InspectNode } from './inspect-node.js';
import { renderTable } from './table.js';
import { replicaWhy } from './why.js';

/** One row of `muster ps`. */
export interface PsRow {
  /** `web.3`, or `web` for a global service's replica */
  replica: string;
  stack: string;
  service: string;
  slot: number;
  /** '-' for a pending replica no node takes */
  node: string;
  container: string | null;
  desired: 'running' | 'shutdown';
  /** Docker's state, `not created`, `pending` (no node holds it) or `unknown` (its node did not answer) */
  current: string;
  health: string;
  /** how long ago it started, '-' when unknown */
  since: string;
  why: string;
}

/** What ps shows: a stack, or one service. */
export interface PsFilter {
  stack: string;
  service?: string;
}

/** What the builder reads. */
export interface PsInput {
  nodes: InspectNode[];
  /** the latest version of each stack (removed ones left out by the caller or skipped here) */
  records: HistoryRecord[];
  /** a dry tick over the records, for pending replicas */
  plan?: Plan;
  filter?: PsFilter;
  all?: boolean;
  nowMs: number;
}

const since = (c: ContainerReport | undefined, nowMs: number): string => {
  const t = c?.startedAt ? Date.parse(c.startedAt) : Number.NaN;
  return c?.state === 'running' && Number.isFinite(t) ? `${formatAge(Math.max(0, Math.round((nowMs - t) / 1000)))} ago` : '-';
};

/** A replica's row: desired running, no container, health and since unknown, unless `rest` says otherwise. */
const psRow = (stack: string, service: string, slot: number, node: string, rest: Partial<PsRow> & Pick<PsRow, 'current' | 'why'>): PsRow => ({
  replica: slotLabel(service, slot),
  stack,
  service,
  slot,
  node,
  container: null,
  desired: 'running',
  health: '-',
  since: '-',
  ...rest,
});

/** Pure: the rows, sorted by stack, service, slot, node. */
export function psRows(input: PsInput): PsRow[] {
  const f = input.filter;
  const wantedBy = (stack: string, service: string): boolean => !f || (f.stack === stack && (f.service === undefined || f.service === service));
  const rows: PsRow[] = [];
  const heldKeys = new Set<string>();
  const key = (stack: string, service: string, slot: number, node?: string) => `${stack}\u0000${service}\u0000${slot}\u0000${slot === 0 ? node : ''}`;

  for (const n of input.nodes) {
    if (!n.report) continue;
    const names = new Set<string>();
    for (const spec of n.desired?.containers ?? []) {
      names.add(spec.name);
      heldKeys.add(key(spec.stack, spec.service, spec.replica, n.name));
      if (!wantedBy(spec.stack, spec.service)) continue;
      const c = n.report.containers.find((x) => x.name === spec.name);
      rows.push(
        psRow(spec.stack, spec.service, spec.replica, n.name, {
          container: spec.name,
          current: c ? c.state : 'not created',
          health: c?.health ?? '-',
          since: since(c, input.nowMs),
          why: replicaWhy(spec, c, n.report),
        }),
      );
    }
    if (!input.all) continue;
    for (const c of n.report.containers) {
      if (names.has(c.name) || c.stack === null || c.service === null || !wantedBy(c.stack, c.service)) continue;
      rows.push(
        psRow(c.stack, c.service, c.replica ?? 0, n.name, {
          container: c.name,
          desired: 'shutdown',
          current: c.state,
          health: c.health ?? '-',
          since: since(c, input.nowMs),
          why: c.exitCode === null ? 'no longer wanted' : `no longer wanted; exit code ${c.exitCode}`,
        }),
      );
    }
  }

  // a node that did not answer: what it held when last read, as unknown
  for (const n of input.nodes) {
    if (n.report) continue;
    for (const spec of n.lastDesired?.containers ?? []) {
      heldKeys.add(key(spec.stack, spec.service, spec.replica, n.name));
      if (!wantedBy(spec.stack, spec.service)) continue;
      rows.push(psRow(spec.stack, spec.service, spec.replica, n.name, { container: spec.name, current: 'unknown', why: failureText(n) }));
    }
  }

  const down = new Map(input.nodes.filter((n) => !n.report).map((n) => [n.name, n]));
  const plan = input.plan;
  for (const r of input.records) {
    if (r.removed) continue;
    for (const [service, s] of Object.entries(r.byService)) {
      if (!wantedBy(r.stack, service)) continue;
      const pending = (slot: number, node: string, current: string, why: string): void => {
        rows.push(psRow(r.stack, service, slot, node, { current, why }));
      };
      const strip = (reason: string) => reason.replace(/^[^:]*: /, '');
      if (s.deploy.mode === 'global') {
        for (const [k, node] of Object.entries(r.placements)) {
          if (!k.startsWith(`${service}.0@`) || heldKeys.has(key(r.stack, service, 0, node))) continue;
          const d = down.get(node);
          if (d) pending(0, node, 'unknown', failureText(d));
        }
        for (const a of plan?.assignments ?? [])
          if (a.stack === r.stack && a.service === service && !heldKeys.has(key(r.stack, service, 0, a.node)) && !down.has(a.node))
            pending(0, a.node, 'pending', `not on ${a.node} yet; the next deploy places it there`);
        for (const u of plan?.unplaced ?? []) if (u.stack === r.stack && u.service === service) pending(0, '-', 'pending', strip(u.reason));
        continue;
      }
      for (let slot = 1; slot <= s.deploy.replicas; slot++) {
        if (heldKeys.has(key(r.stack, service, slot))) continue;
        const last = r.placements[`${service}.${slot}`];
        const d = last === undefined ? undefined : down.get(last);
        if (d) {
          pending(slot, d.name, 'unknown', failureText(d));
          continue;
        }
        const u = plan?.unplaced.find((x) => x.stack === r.stack && x.service === service && x.slot === slot);
        const a = plan?.assignments.find((x) => x.stack === r.stack && x.service === service && x.slot === slot);
        pending(
          slot,
          '-',
          'pending',
          u ? strip(u.reason) : a ? `on no node; the next deploy or scale places it on ${a.node} (${a.reason})` : 'on no node; the next deploy places it',
        );
      }
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.stack, b.stack) || cmp(a.service, b.service) || a.slot - b.slot || cmp(a.node, b.node) || cmp(a.desired, b.desired));
}

const HEAD = ['STACK', 'REPLICA', 'NODE', 'DESIRED', 'CURRENT', 'HEALTH', 'SINCE', 'WHY'];

/** Pure: the table, then one note per node that did not answer. */
export function renderPs(rows: PsRow[], notes: string[]): string {
  const table = renderTable(
    HEAD,
    rows.map((r) => [r.stack, r.replica, r.node, r.desired, r.current, r.health, r.since, r.why || '-']),
  );
  return `${table}${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}
