/**
 * `muster services`: one row per service, from the history (mode, wanted replicas, template) and the agents
 * (what runs): a service the history does not know (deployed by another controller) is shown from its held
 * specs. An update in progress, paused or rolled back shows in UPDATE. Pure.
 */
import type { ContainerSpec } from '../../shared/wire.js';
import type { HistoryRecord } from '../deploy/history.js';
import { parseReplicaName } from '../deploy/names.js';
import { replicaState } from '../deploy/current.js';
import { formatBytes } from '../fleet/nodes-view.js';
import type { Plan } from '../scheduler/types.js';
import type { InspectNode } from './inspect-node.js';
import { renderTable } from './table.js';

/** One row of `muster services`. */
export interface ServiceRow {
  stack: string;
  service: string;
  mode: 'replicated' | 'global';
  /** slots (or nodes, for global) with a running replica */
  running: number;
  wanted: number;
  /** replicas the history puts on nodes that did not answer */
  unknown: number;
  image: string;
  /** `8080->80/tcp` */
  ports: string[];
  memoryLimit: number | null;
  memoryReservation: number | null;
  /** `completed`, `updating: 2/4 on spec 0123abcd`, `rolled back`, or `-` without history */
  update: string;
}

const portText = (p: NonNullable<ContainerSpec['ports']>[number]): string =>
  `${p.hostIp ? `${p.hostIp}:` : ''}${p.host}->${p.container}/${p.protocol ?? 'tcp'}`;

/** Pure: the rows, by stack then service; `plan` (a dry tick) counts the nodes a global service wants. */
export function serviceRows(nodes: InspectNode[], records: HistoryRecord[], plan?: Plan, only?: string): ServiceRow[] {
  type Held = { node: string; spec: ContainerSpec; running: boolean };
  const held = new Map<string, Held[]>();
  for (const n of nodes) {
    if (!n.report) continue;
    for (const spec of n.desired?.containers ?? []) {
      const c = n.report.containers.find((x) => x.name === spec.name);
      const k = `${spec.stack}_${spec.service}`;
      held.set(k, [...(held.get(k) ?? []), { node: n.name, spec, running: replicaState(c, n.report) === 'running' }]);
    }
  }
  const down = new Set(nodes.filter((n) => !n.report).map((n) => n.name));
  const rows: ServiceRow[] = [];
  const done = new Set<string>();
  for (const r of records) {
    if (r.removed || (only && r.stack !== only)) continue;
    for (const [service, s] of Object.entries(r.byService)) {
      const k = `${r.stack}_${service}`;
      done.add(k);
      const mine = held.get(k) ?? [];
      const global = s.deploy.mode === 'global';
      const slotOf = (h: Held) => (global ? h.node : String(h.spec.replica));
      const running = new Set(mine.filter((h) => h.running).map(slotOf)).size;
      const lastKnown = nodes.flatMap((n) => (n.report ? [] : (n.lastDesired?.containers ?? []).filter((c) => c.stack === r.stack && c.service === service)));
      const unknown = nodes.some((n) => !n.report && n.lastDesired)
        ? lastKnown.length
        : Object.entries(r.placements).filter(([p, node]) => p.startsWith(`${service}.`) && down.has(node)).length;
      const inPlan = plan ? plan.assignments.filter((a) => a.stack === r.stack && a.service === service).length : 0;
      const unplaced = plan ? plan.unplaced.filter((u) => u.stack === r.stack && u.service === service).length : 0;
      const wanted = global ? (plan ? inPlan + unplaced : new Set(mine.map(slotOf)).size) : s.deploy.replicas;
      const hash8 = s.hash.slice(0, 8);
      const stale = mine.filter((h) => parseReplicaName(h.spec.name, r.stack)?.hash8 !== hash8).length;
      const rolledBack = r.op === 'rollback' && (r.services ?? []).includes(service);
      const update = stale
        ? `updating: ${mine.length - stale}/${mine.length} on spec ${hash8}`
        : rolledBack
          ? 'rolled back'
          : running < wanted - unknown
            ? `${r.op === 'scale' ? 'scaled' : 'deployed'}: ${wanted - running - unknown} not running`
            : 'completed';
      rows.push({
        stack: r.stack,
        service,
        mode: global ? 'global' : 'replicated',
        running,
        wanted,
        unknown,
        image: s.template.image,
        ports: (s.template.ports ?? []).map(portText),
        memoryLimit: s.template.memoryLimit ?? null,
        memoryReservation: s.template.memoryReservation ?? null,
        update,
      });
    }
  }
  for (const [k, mine] of held) {
    const spec = mine[0].spec;
    if (done.has(k) || (only && spec.stack !== only)) continue;
    const global = mine.every((h) => h.spec.replica === 0);
    const slotOf = (h: Held) => (global ? h.node : String(h.spec.replica));
    rows.push({
      stack: spec.stack,
      service: spec.service,
      mode: global ? 'global' : 'replicated',
      running: new Set(mine.filter((h) => h.running).map(slotOf)).size,
      wanted: new Set(mine.map(slotOf)).size,
      unknown: 0,
      image: spec.image,
      ports: (spec.ports ?? []).map(portText),
      memoryLimit: spec.memoryLimit ?? null,
      memoryReservation: spec.memoryReservation ?? null,
      update: "- (not in this controller's history)",
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.stack, b.stack) || cmp(a.service, b.service));
}

const HEAD = ['STACK', 'SERVICE', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS', 'MEMORY', 'UPDATE'];

/** Pure: `3/4` (`2/4 (1 unknown)` when replicas sit on nodes that did not answer). */
export function replicasText(r: ServiceRow): string {
  return `${r.running}/${r.wanted}${r.unknown ? ` (${r.unknown} unknown)` : ''}`;
}

/** Pure: `64M / 32M` (limit / reservation), `-` for none. */
export function memoryText(r: ServiceRow): string {
  if (r.memoryLimit === null && r.memoryReservation === null) return '-';
  return `${formatBytes(r.memoryLimit)} / ${formatBytes(r.memoryReservation)}`;
}

/** Pure: the table, then one note per node that did not answer. */
export function renderServices(rows: ServiceRow[], notes: string[]): string {
  const table = renderTable(
    HEAD,
    rows.map((r) => [r.stack, r.service, r.mode, replicasText(r), r.image, r.ports.join(',') || '-', memoryText(r), r.update]),
  );
  return `${table}${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}
