/**
 * agent_check: waits until the node's agent answers GET /v1/report over HTTPS (verified against the fleet
 * CA, with the node's token), records the node in nodes.json and returns a summary of its report. A check:
 * never changed; skipped in check mode (the agent may not be there yet). Fails naming the reason.
 */
import { homedir } from 'node:os';
import type { ArgSpecs, Module, ModuleResult } from '../types.js';
import { getReport } from '../../fleet/agent-client.js';
import { hostPort, type AgentFailure } from '../../fleet/agent-request.js';
import { readCa } from '../../fleet/ca.js';
import { readNodeToken } from '../../fleet/node-credentials.js';
import { recordNode } from '../../fleet/nodes-store.js';
import { stateDirFor } from '../../fleet/state-dir.js';
import { parseSize } from '../../fleet/nodes-view.js';
import { summarise } from '../../fleet/summary.js';
import { agentAddress, agentPort, nodeName } from '../../fleet/target.js';

const args: ArgSpecs = {
  address: { type: 'str' },
  port: { type: 'int' },
  timeout: { type: 'int', default: 30 },
};

/** One attempt never waits longer than this, so that an agent that starts late is still met in time. */
const ATTEMPT_MS = 10_000;
/** Pause between two attempts. */
const RETRY_MS = 1_000;

const NO_CREDENTIALS = 'run `muster play -i INVENTORY agent` for this host (the agent_credentials module issues them)';

/** The agent_check module. */
export const agentCheck: Module = {
  name: 'agent_check',
  summary: "Wait until the node's agent answers over HTTPS (fleet CA, token), record the node, return its report summary",
  args,
  // talks HTTPS from the controller: no SSH connection needed
  local: true,
  checkMode: false,
  validate(a) {
    if (typeof a.timeout === 'number' && a.timeout < 1) return 'timeout must be 1 second or more';
    return undefined;
  },
  async run(a, ctx): Promise<ModuleResult> {
    const node = nodeName(ctx.vars, ctx.host);
    const address = agentAddress(ctx.vars, ctx.host, a.address);
    const port = agentPort(ctx.vars, a.port);
    if (port === undefined) return { changed: false, failed: true, msg: `not a port number: ${String(a.port ?? ctx.vars.muster_agent_port)}` };
    const where = { address, port };
    // the host's reserve, as muster nodes and deploy count it, for the summary's allocatable memory
    const given = ctx.vars.muster_memory_reserve;
    const reserve = given === undefined ? undefined : parseSize(given);
    if (given !== undefined && reserve === undefined)
      return { changed: false, failed: true, msg: `muster_memory_reserve is not a size: ${JSON.stringify(given)}; give one such as 256M or 1G` };
    const stateDir = stateDirFor(process.env, homedir());
    const ca = await readCa(stateDir);
    if (!ca) return { changed: false, failed: true, msg: `no fleet CA in ${stateDir} yet: ${NO_CREDENTIALS}`, data: { ...where, reason: 'no-credentials' } };
    const token = await readNodeToken(stateDir, node);
    if (!token)
      return { changed: false, failed: true, msg: `no token for ${node} in ${stateDir}: ${NO_CREDENTIALS}`, data: { ...where, reason: 'no-credentials' } };

    const timeoutMs = Number(a.timeout ?? 30) * 1000;
    const deadline = ctx.now() + timeoutMs;
    let last: AgentFailure | undefined;
    let attempts = 0;
    for (;;) {
      const left = deadline - ctx.now();
      if (left <= 0 && last) break;
      attempts++;
      const answer = await getReport({ address, port, ca: ca.certPem, token }, Math.max(1, Math.min(left, ATTEMPT_MS)));
      if (answer.ok) {
        const summary = summarise(answer.report, reserve);
        await recordNode(stateDir, node, {
          address,
          port,
          fingerprint: answer.fingerprint,
          lastSeen: new Date(ctx.now()).toISOString(),
          agentVersion: answer.report.agentVersion,
          hostname: answer.report.node.hostname,
          arch: summary.arch,
        });
        return {
          changed: false,
          msg: `agent ${summary.agent_version} answers at ${hostPort(address, port)}`,
          data: { ...where, fingerprint: answer.fingerprint, attempts, report: summary },
        };
      }
      last = answer;
      // The agent may be starting or restarting (a new token or certificate is read at start): try again.
      if (deadline - ctx.now() > RETRY_MS) await ctx.sleep(RETRY_MS);
      else if (deadline - ctx.now() > 0) await ctx.sleep(Math.max(0, deadline - ctx.now()));
    }
    return {
      changed: false,
      failed: true,
      msg: `${last.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${Math.round(timeoutMs / 1000)}s); to fix: ${last.hint}`,
      data: { ...where, reason: last.kind, attempts },
    };
  },
};
