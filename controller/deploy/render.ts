/**
 * The plan for people, like `play --check --diff`: one line per replica (action, replica, node, why), the
 * replicas no node can take with Swarm-style reasons, and a summary line. Pure.
 */
import type { Plan } from '../scheduler/types.js';
import { slotLabel } from './names.js';

/** How many of each, for the summary and the exit code. */
export interface PlanCounts {
  create: number;
  keep: number;
  replace: number;
  move: number;
  remove: number;
  unplaced: number;
}

/** Pure: the counts of a plan. */
export function planCounts(plan: Plan): PlanCounts {
  const n: PlanCounts = { create: 0, keep: 0, replace: 0, move: 0, remove: plan.removals.length, unplaced: plan.unplaced.length };
  for (const a of plan.assignments) n[a.action]++;
  return n;
}

/** Pure: `2 to create, 3 to keep, ... 1 unplaced` (zeros left out; `nothing to do` when all are). */
export function summaryLine(n: PlanCounts): string {
  const parts = (['create', 'keep', 'replace', 'move', 'remove'] as const).filter((k) => n[k] > 0).map((k) => `${n[k]} to ${k}`);
  if (n.unplaced) parts.push(`${n.unplaced} unplaced`);
  return parts.length ? parts.join(', ') : 'nothing to do';
}

/** Pure: an unplaced replica's reason without the `web.3: ` the scheduler may start it with. */
export function unplacedReason(u: Plan['unplaced'][number]): string {
  const prefix = `${slotLabel(u.service, u.slot)}: `;
  return u.reason.startsWith(prefix) ? u.reason.slice(prefix.length) : u.reason;
}

/** Pure: the plan as text, grouped by stack and service in name order; every line ends with a newline. */
export function renderPlan(plan: Plan): string {
  type Row = { stack: string; service: string; slot: number; cells: string[] };
  const rows: Row[] = [];
  for (const a of plan.assignments) {
    const where = a.action === 'move' && a.from ? `${a.from.node} -> ${a.node}` : a.node;
    const why = a.reason || (a.action === 'keep' ? 'unchanged' : a.action);
    rows.push({ stack: a.stack, service: a.service, slot: a.slot, cells: [a.action, slotLabel(a.service, a.slot), where, why] });
  }
  for (const r of plan.removals)
    rows.push({ stack: r.stack, service: r.service, slot: r.slot, cells: ['remove', slotLabel(r.service, r.slot), r.node, 'no longer wanted'] });
  for (const u of plan.unplaced)
    rows.push({
      stack: u.stack,
      service: u.service,
      slot: u.slot,
      cells: ['unplaced', slotLabel(u.service, u.slot), u.waitingFor ? `(waits for ${u.waitingFor})` : '-', unplacedReason(u)],
    });
  rows.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : a.slot - b.slot));
  const width = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => r.cells[i].length)));
  const lines: string[] = [];
  let group = '';
  for (const r of rows) {
    const g = `${r.stack}/${r.service}`;
    if (g !== group) {
      lines.push(`${r.stack} ${r.service}:`);
      group = g;
    }
    lines.push(
      `  ${r.cells
        .slice(0, 3)
        .map((c, i) => c.padEnd(width[i]))
        .join('  ')}  ${r.cells[3]}`.trimEnd(),
    );
  }
  lines.push(`plan: ${summaryLine(planCounts(plan))}`);
  return `${lines.join('\n')}\n`;
}
