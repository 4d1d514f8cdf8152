/** The AgentPort of a deploy over HTTPS: the fleet's targets, one request timeout. */
import { getReport, putDesired, putFile } from '../fleet/agent-client.js';
import type { AgentFailure } from '../fleet/agent-request.js';
import type { AgentPort } from './apply.js';
import { rememberDesired } from './desired-cache.js';
import { pruneFenced } from './fence.js';
import type { FleetNode } from './fleet.js';

/**
 * Talks to the nodes of `fleet` that have credentials; the others fail as they did when read. A set an agent
 * took is kept as its last known set (desired-cache.ts), and the node's fenced names it no longer holds are
 * dropped (fence.ts); a failure to keep either fails nothing: the next read of the node does it again.
 */
export function httpsAgents(fleet: FleetNode[], timeoutMs: number): AgentPort {
  const nodeOf = (node: string) => fleet.find((n) => n.name === node);
  const targetOf = (node: string) => nodeOf(node)?.target;
  const missing = (node: string): AgentFailure => ({
    ok: false,
    kind: 'bad-answer',
    message: `no credentials for ${node}`,
    hint: 'run `muster play -i INVENTORY agent` for this host',
  });
  return {
    putDesired: async (node, set) => {
      const t = targetOf(node);
      if (!t) return missing(node);
      const answer = await putDesired(t, set, timeoutMs);
      const stateDir = nodeOf(node)?.stateDir;
      if (answer.ok && answer.outcome !== 'stale' && stateDir) {
        await rememberDesired(stateDir, node, set).catch(() => undefined);
        await pruneFenced(stateDir, node, set).catch(() => undefined);
      }
      return answer;
    },
    getReport: async (node) => {
      const t = targetOf(node);
      return t ? getReport(t, timeoutMs) : missing(node);
    },
    putFile: async (node, d) => {
      const t = targetOf(node);
      return t ? putFile(t, d.name, d.kind, d.data, timeoutMs) : missing(node);
    },
  };
}
