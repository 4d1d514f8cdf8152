/** `muster ps -i INV [STACK|SERVICE] [--all]`: one row per replica: node, desired and current state, health, since, why. */
import { MusterError } from '../../shared/errors.js';
import { type OpsIo, defaultIo, historyWarnings, readContext } from '../ops/context.js';
import { type PsFilter, psRows, renderPs } from '../ops/ps.js';
import { replan } from '../ops/replan.js';
import { resolveService } from '../ops/services-known.js';
import { psVia } from '../manager/client/commands.js';
import { managerRoute, refuseThroughManager, timeoutOf } from './context.js';
import { engineOf } from './engine.js';
import { intOption, parse } from './options.js';
import { psUsage } from './usage.js';

/** Prints the replicas; exit 0, 2 when a wanted replica is not running, 4 when an agent did not answer. */
export async function psCommand(given: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  // --engine swarm|k3s (or a stack recorded there): that engine's own command; --engine muster: this one
  const { engine, argv } = engineOf(given, io.env);
  if (engine === 'swarm') return (await import('../engines/swarm/cli.js')).swarmPs(argv, io);
  if (engine === 'k3s') return (await import('../engines/k8s/ops-command.js')).k3sPs(argv, io);
  const options = {
    inventory: { type: 'string', short: 'i' },
    all: { type: 'boolean', short: 'a' },
    json: { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, psUsage, io.env, timeoutOf(10));
  if (via) {
    refuseThroughManager(via.values, ['all'], 'ps');
    if (via.positionals.length > 1)
      throw new MusterError('E_OPTION', `one stack or service at most, got ${via.positionals.length}`, { hint: `usage: ${psUsage}` });
    return psVia(via.client, via.positionals[0], via.values.json === true, io);
  }
  const { values: o, positionals } = parse(argv, options, psUsage);
  if (o.help) return (io.out(`usage: ${psUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${psUsage}` });
  if (positionals.length > 1) throw new MusterError('E_OPTION', `one stack or service at most, got ${positionals.length}`, { hint: `usage: ${psUsage}` });
  const timeoutMs = intOption('timeout', o.timeout, 10) * 1000;
  const ctx = await readContext(o.inventory, io.env, timeoutMs);
  const arg = positionals[0];
  let filter: PsFilter | undefined;
  if (arg !== undefined) filter = ctx.known.some((k) => k.stack === arg) ? { stack: arg } : resolveService(arg, ctx.known);
  const plan = ctx.latest.length ? replan(ctx.latest, ctx.fleet).plan : undefined;
  const rows = psRows({ nodes: ctx.fleet, records: ctx.latest, plan, filter, all: o.all, nowMs: io.now() });
  if (o.json) io.out(`${JSON.stringify({ replicas: rows, unreachable: ctx.notes }, null, 2)}\n`);
  else {
    for (const w of historyWarnings(ctx.histories)) io.out(`${w}\n`);
    io.out(rows.length ? renderPs(rows, ctx.notes) : `no replicas${ctx.notes.length ? `\n${ctx.notes.join('\n')}` : ''}\n`);
  }
  if (ctx.notes.length) return 4;
  return rows.some((r) => r.desired === 'running' && r.current !== 'running') ? 2 : 0;
}
