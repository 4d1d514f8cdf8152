/** The agents as a change in the manager uses them: reports from the loop's polls, written sets held at once. */
import type { AgentPort } from '../deploy/apply.js';
import { httpsAgents } from '../deploy/agents.js';
import type { FleetNode } from '../deploy/fleet.js';
import type { FleetWatch } from './watch.js';

/** The AgentPort of the manager's apply; `written` says a set was taken, `reread` asks a node again. */
export function watchedAgents(fleet: FleetNode[], watch: FleetWatch, on: { written(): void; reread(node: string): Promise<void> }): AgentPort {
  const base = httpsAgents(fleet, 10_000);
  return {
    ...base,
    // A change reads the reports the loop polls each second instead of asking again: one poller, so that a
    // big fleet is not asked twice as often and a node that went silent never holds the change back.
    getReport: async (node) => {
      const n = watch.node(node);
      const h = watch.health.get(node);
      if (n?.report && h?.state === 'up') return { ok: true, report: n.report, fingerprint: '' };
      return { ok: false, kind: 'unreachable', message: h?.lastError ?? `${node} does not answer`, hint: 'its replicas are placed again when it is down' };
    },
    putDesired: async (node, set) => {
      const answer = await base.putDesired(node, set);
      // the written set is what the node holds now; fenced names it no longer holds are dropped here as on
      // disk (agents.ts), or a replica given such a name again later would be taken for a stale copy
      if (answer.ok && answer.outcome !== 'stale') {
        const fenced = watch.node(node)?.fenced?.filter((name) => set.containers.some((c) => c.name === name));
        watch.update(node, { desired: set, ...(fenced ? { fenced } : {}) });
        on.written();
      } else if (answer.ok) void on.reread(node);
      return answer;
    },
  };
}
