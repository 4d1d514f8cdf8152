/** What a replan's plan tells the event stream: where a replica failed over from, and each unplaced replica once. */
import type { FleetNode } from '../deploy/fleet.js';
import { slotLabel } from '../deploy/names.js';
import type { Plan } from '../scheduler/types.js';
import type { NewEvent } from './event-log.js';
import type { Health } from './health.js';

/** The node a replica of this slot ran on before, if that node is down now (a failover). */
export function lostFrom(nodes: FleetNode[], health: Map<string, Health>, stack: string, service: string, slot: number): string | undefined {
  for (const n of nodes)
    if (health.get(n.name)?.state === 'down')
      if ((n.desired ?? n.lastDesired)?.containers.some((c) => c.stack === stack && c.service === service && c.replica === slot)) return n.name;
  return undefined;
}

/** The `pending` events of the plan's unplaced replicas not shown yet (or shown with another reason), and the keys shown now. */
export function newPending(plan: Plan, shownBefore: Set<string>): { events: NewEvent[]; shown: Set<string> } {
  const shown = new Set<string>();
  const events: NewEvent[] = [];
  for (const u of plan.unplaced) {
    const key = `${u.stack}\0${u.service}\0${u.slot}\0${u.reason}`;
    shown.add(key);
    if (!shownBefore.has(key))
      events.push({
        type: 'pending',
        stack: u.stack,
        service: u.service,
        replica: slotLabel(u.service, u.slot),
        reason: u.reason,
        ...(u.waitingFor ? { waitingFor: u.waitingFor } : {}),
      });
  }
  return { events, shown };
}
