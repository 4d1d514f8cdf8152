/**
 * The inspect and operate commands through the manager: ps, services, nodes, scale, rollback, rm, node update
 * and logs ask its API and print with the renderers the direct commands use; SERVICE arguments are resolved
 * against the services the manager holds, as the direct commands resolve them against the history.
 */
import { MusterError } from '../../../shared/errors.js';
import type { Availability } from '../../../shared/wire.js';
import { type NodeRow, renderNodes } from '../../fleet/nodes-view.js';
import type { OpsIo } from '../../ops/context.js';
import { logPrefix } from '../../ops/log-lines.js';
import { type PsRow, renderPs } from '../../ops/ps.js';
import { parseScaleArgs } from '../../ops/scale.js';
import { resolveService, type ServiceRef } from '../../ops/services-known.js';
import { renderServices, type ServiceRow } from '../../ops/services.js';
import { type ManagerClient, apiPath } from '../client.js';
import type { LogLine, ManagedNode } from '../view.js';
import { follow } from './follow.js';

/** The answer to an action. */
interface Accepted {
  message: string;
  version?: number;
}

const servicesOf = async (c: ManagerClient): Promise<ServiceRow[]> => (await c.get<{ services: ServiceRow[] }>(apiPath('services'))).services;
const nodesOf = async (c: ManagerClient): Promise<ManagedNode[]> => (await c.get<{ nodes: ManagedNode[] }>(apiPath('nodes'))).nodes;
const refsOf = (rows: ServiceRow[]): ServiceRef[] => rows.map((r) => ({ stack: r.stack, service: r.service }));
const stacksOf = (rows: ServiceRow[]): string[] => [...new Set(rows.map((r) => r.stack))];

/** Pure: one note per node the manager has marked down (what `muster ps` says of an agent that did not answer). */
export function downNotes(nodes: ManagedNode[]): string[] {
  return nodes.filter((n) => n.state === 'down').map((n) => `${n.row.node}: down since ${n.since}${n.lastSeen ? ` (last answer ${n.lastSeen})` : ''}`);
}

const noStack = (stack: string, rows: ServiceRow[]): MusterError =>
  new MusterError('E_SCHEMA', `the manager holds no stack "${stack}"`, {
    hint: rows.length ? `stacks: ${stacksOf(rows).join(', ')}` : 'nothing is deployed yet: muster deploy STACK',
  });

/** `muster services [STACK]` through the manager; exit as the direct command. */
export async function servicesVia(c: ManagerClient, stack: string | undefined, json: boolean, io: OpsIo): Promise<number> {
  const [all, nodes] = await Promise.all([servicesOf(c), nodesOf(c)]);
  if (stack !== undefined && !all.some((r) => r.stack === stack)) throw noStack(stack, all);
  const rows = stack === undefined ? all : all.filter((r) => r.stack === stack);
  const notes = downNotes(nodes);
  if (json) io.out(`${JSON.stringify({ services: rows, unreachable: notes }, null, 2)}\n`);
  else io.out(rows.length ? renderServices(rows, notes) : `no services${notes.length ? `\n${notes.join('\n')}` : ''}\n`);
  if (notes.length) return 4;
  return rows.some((r) => r.running < r.wanted - r.unknown) ? 2 : 0;
}

/** `muster ps [STACK|SERVICE]` through the manager; exit as the direct command. */
export async function psVia(c: ManagerClient, arg: string | undefined, json: boolean, io: OpsIo): Promise<number> {
  const [services, nodes] = await Promise.all([servicesOf(c), nodesOf(c)]);
  let query = '';
  if (arg !== undefined) {
    const ref = stacksOf(services).includes(arg) ? { stack: arg } : resolveService(arg, refsOf(services));
    query = `?${new URLSearchParams(ref as Record<string, string>).toString()}`;
  }
  const { replicas: rows } = await c.get<{ replicas: PsRow[] }>(`${apiPath('ps')}${query}`);
  const notes = downNotes(nodes);
  if (json) io.out(`${JSON.stringify({ replicas: rows, unreachable: notes }, null, 2)}\n`);
  else io.out(rows.length ? renderPs(rows, notes) : `no replicas${notes.length ? `\n${notes.join('\n')}` : ''}\n`);
  if (notes.length) return 4;
  return rows.some((r) => r.desired === 'running' && r.current !== 'running') ? 2 : 0;
}

/** Pure: a node pattern (a name, `*` matching any run of characters, or `all`) as a test. */
export function nodeMatcher(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined || pattern === 'all' || pattern === 'agents') return () => true;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (name) => re.test(name);
}

/** Pure: `muster nodes`' table with the manager's STATE (up, down, unknown) and AVAILABILITY in front of each row. */
export function renderManagedNodes(nodes: ManagedNode[]): string {
  const text = renderNodes(nodes.map((n) => n.row));
  const lines = text.split('\n');
  const head = ['STATE', 'AVAILABILITY'];
  const cells = [head, ...nodes.map((n) => [n.state, n.availability])];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const front = cells.map((r) => r.map((v, i) => v.padEnd(widths[i])).join('  '));
  for (let i = 0; i < cells.length; i++) lines[i] = `${front[i]}  ${lines[i]}`;
  const notes = nodes
    .filter((n) => n.state !== 'up')
    .map((n) => `${n.row.node}: ${n.state} since ${n.since}${n.lastSeen ? ` (last answer ${n.lastSeen})` : ''}`);
  if (notes.length) lines.splice(lines.length - 2, 0, ...notes, '');
  return lines.join('\n');
}

/** `muster nodes [PATTERN]` through the manager; exit 0, 4 when a node is not up or its last report failed. */
export async function nodesVia(c: ManagerClient, pattern: string | undefined, json: boolean, io: OpsIo): Promise<number> {
  const all = await nodesOf(c);
  const match = nodeMatcher(pattern);
  const nodes = all.filter((n) => match(n.row.node));
  if (!nodes.length)
    throw new MusterError('E_PATTERN', `no node of the manager matches "${pattern}"`, {
      hint: `nodes: ${all.map((n) => n.row.node).join(', ') || 'none yet'}`,
    });
  if (json) io.out(`${JSON.stringify({ nodes: nodes.map((n) => ({ ...n.row, state: n.state, since: n.since, availability: n.availability })) }, null, 2)}\n`);
  else io.out(renderManagedNodes(nodes));
  const ok = (r: NodeRow) => r.status === 'ok';
  return nodes.every((n) => n.state === 'up' && ok(n.row)) ? 0 : 4;
}

/** `muster scale SERVICE=N...` through the manager: each asked, then followed until it runs; exit 0, or 2 when not in time. */
export async function scaleVia(c: ManagerClient, positionals: string[], timeoutMs: number, io: OpsIo): Promise<number> {
  const args = parseScaleArgs(positionals);
  const services = await servicesOf(c);
  const wanted = args.map((a) => ({ ref: resolveService(a.service, refsOf(services)), replicas: a.replicas }));
  let code = 0;
  for (const w of wanted) {
    io.out(`scale ${w.ref.stack}_${w.ref.service} to ${w.replicas}\n`);
    const ok = await follow(c, { stack: w.ref.stack, services: [w.ref.service] }, timeoutMs, io, async () => {
      const a = await c.post<Accepted>(`${apiPath('services', w.ref.stack, w.ref.service)}/scale`, { replicas: w.replicas });
      io.out(`manager: ${a.message}\n`);
      return a.version;
    });
    if (!ok) code = 2;
  }
  return finish(
    c,
    wanted.map((w) => w.ref),
    code,
    timeoutMs,
    io,
  );
}

/** `muster rollback SERVICE` through the manager, followed until it runs; exit 0, 1 nothing to go back to, 2 not in time. */
export async function rollbackVia(c: ManagerClient, service: string, timeoutMs: number, io: OpsIo): Promise<number> {
  const ref = resolveService(service, refsOf(await servicesOf(c)));
  io.out(`rollback ${ref.stack}_${ref.service}\n`);
  const ok = await follow(c, { stack: ref.stack, services: [ref.service] }, timeoutMs, io, async () => {
    const a = await c.post<Accepted>(`${apiPath('services', ref.stack, ref.service)}/rollback`);
    io.out(`manager: ${a.message}\n`);
    return a.version;
  });
  return finish(c, [ref], ok ? 0 : 2, timeoutMs, io);
}

// The services' replicas as they are now, and the exit code (2 says the time ran out first).
async function finish(c: ManagerClient, refs: ServiceRef[], code: number, timeoutMs: number, io: OpsIo): Promise<number> {
  const rows: PsRow[] = [];
  for (const r of refs)
    rows.push(...(await c.get<{ replicas: PsRow[] }>(`${apiPath('ps')}?${new URLSearchParams({ stack: r.stack, service: r.service })}`)).replicas);
  if (rows.length) io.out(renderPs(rows, []));
  if (code) io.out(`not every replica runs after ${Math.round(timeoutMs / 1000)}s: the manager keeps trying (muster ps shows why)\n`);
  return code;
}

/** `muster rm STACK` through the manager: asked, then waited for until no replica of it is left; exit 0, 1 unknown, 2 not in time. */
export async function rmVia(c: ManagerClient, stack: string, timeoutMs: number, io: OpsIo): Promise<number> {
  const a = await c.delete<Accepted>(apiPath('stacks', stack));
  io.out(`manager: ${a.message}\n`);
  const deadline = io.now() + timeoutMs;
  for (;;) {
    const { replicas } = await c.get<{ replicas: PsRow[] }>(`${apiPath('ps')}?${new URLSearchParams({ stack })}`);
    const left = replicas.filter((r) => r.current !== 'pending');
    if (!left.length) {
      io.out(`${stack}: no replica left; named volumes, if any, are kept: they hold data\n`);
      return 0;
    }
    if (io.now() >= deadline) {
      io.out(renderPs(left, []));
      io.out(`${left.length} replica(s) of ${stack} still there after ${Math.round(timeoutMs / 1000)}s: the manager keeps removing them\n`);
      return 2;
    }
    await io.sleep(Math.min(1000, Math.max(0, deadline - io.now())));
  }
}

/** `muster node update --availability X NODE` through the manager; exit 0, or the manager's refusal. */
export async function availabilityVia(c: ManagerClient, node: string, availability: Availability, io: OpsIo): Promise<number> {
  const a = await c.post<Accepted>(`${apiPath('nodes', node)}/availability`, { availability });
  io.out(`manager: ${a.message}\n`);
  if (availability === 'drain') io.out(`the manager moves ${node}'s replicas away (replicas whose data is on ${node} stay); muster ps shows where they go\n`);
  else if (availability === 'pause') io.out(`${node} keeps its replicas and takes no new ones\n`);
  else io.out(`${node} takes replicas again; the manager rebalances onto it\n`);
  return 0;
}

/** The most lines per replica the manager gives. */
export const MAX_TAIL = 10_000;

/** `muster logs SERVICE [--tail N]` through the manager (the last lines, no following); exit 0, 2 when no replica wrote any. */
export async function logsVia(c: ManagerClient, service: string, tail: number | undefined, io: OpsIo): Promise<number> {
  const ref = resolveService(service, refsOf(await servicesOf(c)));
  if (tail === 0) return 0;
  const n = Math.min(tail ?? MAX_TAIL, MAX_TAIL);
  const { lines } = await c.get<{ lines: LogLine[] }>(`${apiPath('logs', ref.stack, ref.service)}?tail=${n}`);
  if (!lines.length) {
    io.out(`no log lines of ${ref.stack}_${ref.service}\n`);
    return 2;
  }
  for (const l of lines) io.out(`${logPrefix(l.replica, l.node)}${l.text}\n`);
  return 0;
}
