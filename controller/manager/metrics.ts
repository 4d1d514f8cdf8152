/** The manager's Prometheus metrics, in the text exposition format. Pure. */
import type { ServiceRow } from '../ops/services.js';
import type { Unplaced } from '../scheduler/types.js';
import type { ManagedNode } from './view.js';

/** What the metrics read. */
export interface MetricsInput {
  nodes: ManagedNode[];
  services: ServiceRow[];
  unplaced: Unplaced[];
  ticks: number;
  /** the last tick's duration */
  tickMs: number;
  failovers: number;
  changes: number;
  changesFailed: number;
  events: number;
  /** heartbeat datagrams by verdict (heartbeat-book.ts): taken, old, bad-signature... */
  heartbeats?: Map<string, number>;
}

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The first words of an unplaced reason, as a label of few values: `no suitable node`, `waits for`... */
export function reasonKind(reason: string): string {
  const text = reason.replace(/^[^:]*: /, '');
  if (text.startsWith('no suitable node')) return 'no suitable node';
  if (text.startsWith('waits for')) return 'waits for its node';
  if (text.startsWith('not placed on')) return 'refused by a node';
  return 'other';
}

/** Pure: the exposition text. */
export function managerMetrics(m: MetricsInput): string {
  const out: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, rows: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, v] of rows) {
      const l = Object.entries(labels).map(([k, x]) => `${k}="${label(x)}"`);
      out.push(`${name}${l.length ? `{${l.join(',')}}` : ''} ${v}`);
    }
  };
  const states = ['up', 'down', 'unknown'] as const;
  metric(
    'muster_nodes',
    'gauge',
    'Nodes by state.',
    states.map((s) => [{ state: s }, m.nodes.filter((n) => n.state === s).length]),
  );
  metric(
    'muster_node_up',
    'gauge',
    '1 when the node answers its heartbeats.',
    m.nodes.map((n) => [{ node: n.row.node }, n.state === 'up' ? 1 : 0]),
  );
  metric(
    'muster_replicas_wanted',
    'gauge',
    'Replicas wanted per service.',
    m.services.map((s) => [{ stack: s.stack, service: s.service }, s.wanted]),
  );
  metric(
    'muster_replicas_running',
    'gauge',
    'Replicas running per service.',
    m.services.map((s) => [{ stack: s.stack, service: s.service }, s.running]),
  );
  const pending = new Map<string, number>();
  for (const u of m.unplaced) pending.set(reasonKind(u.reason), (pending.get(reasonKind(u.reason)) ?? 0) + 1);
  metric(
    'muster_replicas_pending',
    'gauge',
    'Replicas no node runs, by reason.',
    [...pending].sort().map(([reason, n]) => [{ reason }, n]),
  );
  metric('muster_tick_seconds', 'gauge', 'Duration of the last scheduling tick.', [[{}, m.tickMs / 1000]]);
  metric('muster_ticks_total', 'counter', 'Scheduling ticks run.', [[{}, m.ticks]]);
  metric('muster_failovers_total', 'counter', 'Replicas started again on another node after their node went down.', [[{}, m.failovers]]);
  metric('muster_changes_total', 'counter', 'Changes applied to the agents.', [[{}, m.changes]]);
  metric('muster_changes_failed_total', 'counter', 'Changes that did not end with every replica running.', [[{}, m.changesFailed]]);
  metric('muster_events_total', 'counter', 'Events emitted.', [[{}, m.events]]);
  metric(
    'muster_heartbeats_total',
    'counter',
    'Heartbeat datagrams received, by verdict (taken, or why not).',
    [...(m.heartbeats ?? [])].sort().map(([verdict, n]) => [{ verdict }, n]),
  );
  return `${out.join('\n')}\n`;
}
