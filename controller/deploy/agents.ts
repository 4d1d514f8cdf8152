/** The AgentPort of a deploy over HTTPS: the fleet's targets, one request timeout. */
import { type AgentFailure, getReport, putDesired, putFile } from '../fleet/agent-client.js';
import type { AgentPort } from './apply.js';
import type { FleetNode } from './fleet.js';

/** Talks to the nodes of `fleet` that have credentials; the others fail as they did when read. */
export function httpsAgents(fleet: FleetNode[], timeoutMs: number): AgentPort {
  const targetOf = (node: string) => fleet.find((n) => n.name === node)?.target;
  const missing = (node: string): AgentFailure => ({
    ok: false,
    kind: 'bad-answer',
    message: `no credentials for ${node}`,
    hint: 'run `muster play -i INVENTORY agent` for this host',
  });
  return {
    putDesired: async (node, set) => {
      const t = targetOf(node);
      return t ? putDesired(t, set, timeoutMs) : missing(node);
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
