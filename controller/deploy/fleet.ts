/**
 * Reads the fleet: for every host of a pattern (default: group `agents`, else all), its agent's report and
 * held desired set, in parallel, with the fleet CA and the node's token. A node that does not answer is kept
 * with the reason and what to do. The one fleet reader of deploy and of the commands that inspect the fleet.
 */
import { homedir } from 'node:os';
import { MusterError } from '../../shared/errors.js';
import type { DesiredSet, NodeReport } from '../../shared/wire.js';
import { getDesired, getReport } from '../fleet/agent-client.js';
import type { AgentFailureKind, AgentTarget } from '../fleet/agent-request.js';
import { readCa } from '../fleet/ca.js';
import { readNodeToken } from '../fleet/node-credentials.js';
import { DEFAULT_RESERVE_BYTES } from '../fleet/allocatable.js';
import { parseSize } from '../fleet/nodes-view.js';
import { stateDirFor } from '../fleet/state-dir.js';
import { agentAddress, agentPort } from '../fleet/target.js';
import { hostOf, loadInventory, selectHosts } from '../inventory/index.js';
import { mapLimit } from '../runner/limit.js';
import { lastDesired, rememberDesired } from './desired-cache.js';
import { pruneFenced, readFenced } from './fence.js';
import { type NodeVars, nodeVars } from './snapshot.js';

/** Why a node gave nothing: an agent failure, or no credentials to ask with. */
export interface NodeFailure {
  kind: AgentFailureKind | 'no-credentials';
  message: string;
  hint: string;
}

/** One node as read. */
export interface FleetNode {
  name: string;
  address: string;
  port: number;
  vars: NodeVars;
  reserveBytes: number;
  /** how to talk to it again (absent without credentials) */
  target?: AgentTarget;
  report?: NodeReport;
  /** null: the agent holds no set yet */
  desired?: DesiredSet | null;
  /** when it did not answer: the set it held when it last did (desired-cache.ts) */
  lastDesired?: DesiredSet;
  /** replicas a plan took away while it did not answer (fence.ts): stale where their slot runs elsewhere */
  fenced?: string[];
  /** the controller's state directory it was read with (where its last desired set is kept) */
  stateDir?: string;
  failure?: NodeFailure;
}

/** How to read. */
export interface FleetOptions {
  inventory: string;
  pattern?: string;
  timeoutMs: number;
  forks?: number;
  /** `--reserve`: over every muster_memory_reserve */
  reserveBytes?: number;
  env?: Record<string, string | undefined>;
}

/** The hosts to read: PATTERN, else the `agents` group when the inventory has one, else all. */
export function fleetPattern(groups: Iterable<string>, given: string | undefined): string {
  return given ?? ([...groups].includes('agents') ? 'agents' : 'all');
}

const NO_CREDENTIALS = 'run `muster play -i INVENTORY agent` (it installs the agent with a certificate and token from this controller)';

/** A node to read: where its agent is, from the inventory, checked. */
export type NodePlan = Pick<FleetNode, 'name' | 'address' | 'port' | 'vars' | 'reserveBytes' | 'stateDir'>;

/** The nodes of the pattern and what reading them needs (the state directory and its fleet CA). */
export interface FleetPlan {
  inventory: string;
  stateDir: string;
  ca?: { certPem: string };
  nodes: NodePlan[];
}

/** Checks the inventory values of every host of the pattern before any agent is asked; bad ones are errors. */
export async function planFleet(o: FleetOptions): Promise<FleetPlan> {
  const inv = loadInventory(o.inventory);
  const pattern = fleetPattern(inv.groups.keys(), o.pattern);
  const hosts = selectHosts(inv, pattern);
  if (!hosts.length)
    throw new MusterError('E_PATTERN', `no host matches "${pattern}" in ${o.inventory}`, {
      hint: 'check the pattern against `muster inventory -i INVENTORY --graph`',
    });
  const stateDir = stateDirFor(o.env ?? process.env, homedir());
  const ca = await readCa(stateDir);
  const nodes = hosts.map((name) => {
    const vars = hostOf(inv, name).vars;
    const varReserve = vars.muster_memory_reserve === undefined ? undefined : parseSize(vars.muster_memory_reserve);
    if (vars.muster_memory_reserve !== undefined && varReserve === undefined && o.reserveBytes === undefined)
      throw new MusterError('E_SCHEMA', `muster_memory_reserve is not a size: ${JSON.stringify(vars.muster_memory_reserve)}`, {
        host: name,
        hint: 'write it as bytes or with a unit, such as 256M or 1G',
      });
    return {
      name,
      address: agentAddress(vars, name),
      port: agentPort(vars) ?? 0,
      vars: nodeVars(vars, name),
      reserveBytes: o.reserveBytes ?? varReserve ?? DEFAULT_RESERVE_BYTES,
      stateDir,
    };
  });
  return { inventory: o.inventory, stateDir, ca, nodes };
}

/**
 * Reads one node: its report, held set and fenced names (its last set from the state directory when it does
 * not answer). Never throws for the agent's failure: it is in `failure`.
 */
export async function readNode(fleet: FleetPlan, p: NodePlan, timeoutMs: number): Promise<FleetNode> {
  const { stateDir, ca } = fleet;
  const token = ca ? await readNodeToken(stateDir, p.name) : undefined;
  const hint = (h: string) => h.replace('INVENTORY', fleet.inventory);
  if (!ca || !token)
    return {
      ...p,
      failure: { kind: 'no-credentials', message: `no ${ca ? 'token for this node' : 'fleet CA'} in ${stateDir} yet`, hint: hint(NO_CREDENTIALS) },
    };
  if (p.port === 0)
    return {
      ...p,
      failure: { kind: 'bad-answer', message: 'muster_agent_port is not a port number', hint: "set muster_agent_port to the agent's port (7443 by default)" },
    };
  const target: AgentTarget = { address: p.address, port: p.port, ca: ca.certPem, token };
  const [report, desired] = await Promise.all([getReport(target, timeoutMs), getDesired(target, timeoutMs)]);
  const failed = !report.ok ? report : !desired.ok ? desired : undefined;
  const fenced = await readFenced(stateDir, p.name);
  if (failed) {
    const failure = { kind: failed.kind, message: failed.message, hint: hint(failed.hint) };
    return { ...p, target, failure, lastDesired: await lastDesired(stateDir, p.name), fenced };
  }
  if (desired.ok && desired.set) await rememberDesired(stateDir, p.name, desired.set);
  const set = desired.ok ? desired.set : undefined;
  const still = fenced.length ? await pruneFenced(stateDir, p.name, set) : fenced;
  return { ...p, target, report: report.ok ? report.report : undefined, desired: set, fenced: still };
}

/** Reads every node of the pattern in parallel; bad inventory values are errors, unreachable agents are not. */
export async function readFleet(o: FleetOptions): Promise<FleetNode[]> {
  const fleet = await planFleet(o);
  return mapLimit(fleet.nodes, o.forks ?? 50, (p) => readNode(fleet, p, o.timeoutMs));
}
