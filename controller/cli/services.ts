/** `muster services -i INV [STACK]`: one row per service: replicas running/wanted, image, ports, memory, update state. */
import { MusterError } from '../../shared/errors.js';
import { type OpsIo, defaultIo, historyWarnings, readContext } from '../ops/context.js';
import { replan } from '../ops/replan.js';
import { renderServices, serviceRows } from '../ops/services.js';
import { servicesVia } from '../manager/client/commands.js';
import { managerRoute, timeoutOf } from './context.js';
import { engineOf } from './engine.js';
import { intOption, parse } from './options.js';
import { servicesUsage } from './usage.js';

/** Prints the services; exit 0, 2 when a service runs fewer replicas than it wants, 4 when an agent did not answer. */
export async function servicesCommand(given: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  // --engine swarm|k3s (or a stack recorded there): that engine's own command; --engine muster: this one
  const { engine, argv } = engineOf(given, io.env);
  if (engine === 'swarm') return (await import('../engines/swarm/cli.js')).swarmServices(argv, io);
  if (engine === 'k3s') return (await import('../engines/k8s/ops-command.js')).k3sServices(argv, io);
  const options = {
    inventory: { type: 'string', short: 'i' },
    json: { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, servicesUsage, io.env, timeoutOf(10));
  if (via) {
    if (via.positionals.length > 1) throw new MusterError('E_OPTION', `one stack at most, got ${via.positionals.length}`, { hint: `usage: ${servicesUsage}` });
    return servicesVia(via.client, via.positionals[0], via.values.json === true, io);
  }
  const { values: o, positionals } = parse(argv, options, servicesUsage);
  if (o.help) return (io.out(`usage: ${servicesUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${servicesUsage}` });
  if (positionals.length > 1) throw new MusterError('E_OPTION', `one stack at most, got ${positionals.length}`, { hint: `usage: ${servicesUsage}` });
  const timeoutMs = intOption('timeout', o.timeout, 10) * 1000;
  const ctx = await readContext(o.inventory, io.env, timeoutMs);
  const stack = positionals[0];
  if (stack !== undefined && !ctx.known.some((k) => k.stack === stack))
    throw new MusterError('E_SCHEMA', `no stack "${stack}" in the history or on the nodes`, {
      hint: ctx.known.length ? `stacks: ${[...new Set(ctx.known.map((k) => k.stack))].join(', ')}` : 'nothing is deployed yet',
    });
  const plan = ctx.latest.length ? replan(ctx.latest, ctx.fleet).plan : undefined;
  const rows = serviceRows(ctx.fleet, ctx.latest, plan, stack);
  if (o.json) io.out(`${JSON.stringify({ services: rows, unreachable: ctx.notes }, null, 2)}\n`);
  else {
    for (const w of historyWarnings(ctx.histories)) io.out(`${w}\n`);
    io.out(rows.length ? renderServices(rows, ctx.notes) : `no services${ctx.notes.length ? `\n${ctx.notes.join('\n')}` : ''}\n`);
  }
  if (ctx.notes.length) return 4;
  return rows.some((r) => r.running < r.wanted - r.unknown) ? 2 : 0;
}
