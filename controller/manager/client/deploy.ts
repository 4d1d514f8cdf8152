/**
 * `muster deploy STACK` through the manager: the stack loaded and checked here exactly as a direct deploy
 * loads it, sent as a DeployRequest, then followed on the manager's events until every replica runs or the
 * time is up, and the stack's replicas printed as `muster ps` shows them.
 */
import { formatPos, MusterError } from '../../../shared/errors.js';
import { storeStack } from '../../deploy/history.js';
import type { OpsIo } from '../../ops/context.js';
import { type PsRow, renderPs } from '../../ops/ps.js';
import { loadStack } from '../../stack/load.js';
import { type ManagerClient, apiPath } from '../client.js';
import type { DeployRequest, ManagedNode } from '../view.js';
import { downNotes } from './commands.js';
import { follow } from './follow.js';

/** What deploy was given. */
export interface DeployViaOptions {
  file: string;
  name?: string;
  strict?: boolean;
  move: string[];
  timeoutMs: number;
}

/** Deploys; exit 0 all running, 2 not every replica runs in time, 4 a node is down, 1 bad input or refused. */
export async function deployVia(c: ManagerClient, o: DeployViaOptions, io: OpsIo): Promise<number> {
  const stack = loadStack(o.file, { name: o.name, env: io.env, strict: o.strict });
  for (const w of stack.warnings) io.out(`[WARNING]: ${w.pos ? `${formatPos(w.pos)}: ` : ''}${w.message}\n`);
  const move = o.move.map((s) => (s.startsWith(`${stack.name}_`) ? s : `${stack.name}_${s}`));
  for (const m of move)
    if (!stack.services.some((s) => `${stack.name}_${s.name}` === m))
      throw new MusterError('E_OPTION', `--move ${m}: no such service in stack ${stack.name}`, {
        hint: `name one of: ${stack.services.map((s) => s.name).join(', ')}`,
      });
  const req: DeployRequest = { stack: storeStack(stack), file: o.file, ...(move.length ? { move } : {}) };
  const started = io.now();
  io.out(`stack ${stack.name} to the manager at ${c.conn.url}\n`);
  const done = await follow(c, { stack: stack.name, services: stack.services.map((s) => s.name) }, o.timeoutMs, io, async () => {
    const a = await c.post<{ message: string; version?: number }>(apiPath('stacks'), req);
    io.out(`manager: ${a.message}\n`);
    return a.version;
  });
  const [{ replicas }, { nodes }] = await Promise.all([
    c.get<{ replicas: PsRow[] }>(`${apiPath('ps')}?${new URLSearchParams({ stack: stack.name })}`),
    c.get<{ nodes: ManagedNode[] }>(apiPath('nodes')),
  ]);
  const notes = downNotes(nodes);
  io.out(replicas.length ? renderPs(replicas, notes) : `no replicas${notes.length ? `\n${notes.join('\n')}` : ''}\n`);
  const running = replicas.filter((r) => r.desired === 'running' && r.current === 'running').length;
  const wanted = replicas.filter((r) => r.desired === 'running').length;
  const seconds = ((io.now() - started) / 1000).toFixed(1);
  io.out(`deploy ${stack.name}: ${running}/${wanted} replicas running in ${seconds}s${done ? '' : ' (the time is up; the manager keeps trying)'}\n`);
  return !done ? 2 : notes.length ? 4 : 0;
}
