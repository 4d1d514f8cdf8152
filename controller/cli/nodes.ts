/**
 * `muster nodes -i INV [PATTERN]`: reads every agent's report in parallel (HTTPS, fleet CA, token) and
 * prints one row per node; a node whose agent does not answer is listed with the reason, never dropped.
 */
import { homedir } from 'node:os';
import { MusterError } from '../../shared/errors.js';
import { getReport } from '../fleet/agent-client.js';
import { readCa } from '../fleet/ca.js';
import { readNodeToken } from '../fleet/node-credentials.js';
import { DEFAULT_RESERVE_BYTES } from '../fleet/allocatable.js';
import { parseSize, renderNodes, rowFromReport, type NodeRow } from '../fleet/nodes-view.js';
import { stateDirFor } from '../fleet/state-dir.js';
import { agentAddress, agentPort } from '../fleet/target.js';
import { hostOf, loadInventory, selectHosts } from '../inventory/index.js';
import { mapLimit } from '../runner/limit.js';
import { nodesVia } from '../manager/client/commands.js';
import { managerRoute, refuseThroughManager, timeoutOf } from './context.js';
import { intOption, parse } from './options.js';
import { nodesUsage } from './usage.js';

/** Exit code when any node did not answer (as for an unreachable host in a play). */
export const NODES_FAILED_EXIT = 4;

const NO_CREDENTIALS = 'run `muster play -i INVENTORY agent` (it installs the agent with a certificate and token from this controller)';

/** The hosts to read: PATTERN, else the `agents` group when the inventory has one, else all. */
export function nodesPattern(groups: Iterable<string>, given: string | undefined): string {
  return given ?? ([...groups].includes('agents') ? 'agents' : 'all');
}

/** Prints the table (or `--json`); exit 0 when every node answered, 4 when any did not. */
export async function nodesCommand(
  argv: string[],
  out: (s: string) => void,
  env: Record<string, string | undefined> = process.env,
  now: () => number = Date.now,
): Promise<number> {
  const options = {
    inventory: { type: 'string', short: 'i' },
    json: { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    reserve: { type: 'string' },
    forks: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, nodesUsage, env, timeoutOf(10));
  if (via) {
    refuseThroughManager(via.values, ['reserve'], 'nodes');
    if (via.positionals.length > 1)
      throw new MusterError('E_OPTION', `one node pattern at most, got ${via.positionals.length}`, { hint: `usage: ${nodesUsage}` });
    return nodesVia(via.client, via.positionals[0], via.values.json === true, {
      out,
      env,
      tty: false,
      now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
  }
  const { values: o, positionals } = parse(argv, options, nodesUsage);
  if (o.help) {
    out(`usage: ${nodesUsage}\n`);
    return 0;
  }
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${nodesUsage}` });
  if (positionals.length > 1) throw new MusterError('E_OPTION', `one host pattern at most, got ${positionals.length}`, { hint: `usage: ${nodesUsage}` });
  const timeoutMs = intOption('timeout', o.timeout, 10) * 1000;
  const flagReserve = o.reserve === undefined ? undefined : parseSize(o.reserve);
  if (o.reserve !== undefined && flagReserve === undefined) throw new MusterError('E_OPTION', `--reserve wants a size such as 256M or 1G, got "${o.reserve}"`);

  const inv = loadInventory(o.inventory);
  const pattern = nodesPattern(inv.groups.keys(), positionals[0]);
  const hosts = selectHosts(inv, pattern);
  if (!hosts.length)
    throw new MusterError('E_PATTERN', `no host matches "${pattern}" in ${o.inventory}`, {
      hint: 'check the pattern against `muster inventory -i INVENTORY --graph`',
    });

  const stateDir = stateDirFor(env, homedir());
  const ca = await readCa(stateDir);
  const rows = await mapLimit(hosts, intOption('forks', o.forks, 50), async (name): Promise<NodeRow> => {
    const vars = hostOf(inv, name).vars;
    const address = agentAddress(vars, name);
    const port = agentPort(vars) ?? 0;
    const where = { node: name, address, port };
    const varReserve = vars.muster_memory_reserve === undefined ? undefined : parseSize(vars.muster_memory_reserve);
    if (vars.muster_memory_reserve !== undefined && varReserve === undefined && flagReserve === undefined)
      throw new MusterError('E_SCHEMA', `muster_memory_reserve is not a size: ${JSON.stringify(vars.muster_memory_reserve)}`, {
        host: name,
        hint: 'write it as bytes or with a unit, such as 256M or 1G',
      });
    const reserve = flagReserve ?? varReserve ?? DEFAULT_RESERVE_BYTES;
    const token = ca ? await readNodeToken(stateDir, name) : undefined;
    if (!ca || !token)
      return { ...where, status: 'no-credentials', message: `no ${ca ? 'token for this node' : 'fleet CA'} in ${stateDir} yet`, hint: NO_CREDENTIALS };
    if (port === 0)
      return {
        ...where,
        status: 'bad-answer',
        message: `muster_agent_port is not a port number: ${String(vars.muster_agent_port)}`,
        hint: "set muster_agent_port to the agent's port (7443 by default)",
      };
    const answer = await getReport({ address, port, ca: ca.certPem, token }, timeoutMs);
    if (!answer.ok) return { ...where, status: answer.kind, message: answer.message, hint: answer.hint };
    return rowFromReport(where, answer.report, reserve, now());
  });
  for (const r of rows) if (r.status !== 'ok') r.hint = r.hint.replace('INVENTORY', o.inventory);
  out(o.json ? `${JSON.stringify({ nodes: rows }, null, 2)}\n` : renderNodes(rows));
  return rows.every((r) => r.status === 'ok') ? 0 : NODES_FAILED_EXIT;
}
