/**
 * `muster node update --availability active|pause|drain NODE -i INV`: sets the node's availability on its
 * agent; a drain then re-plans every stack of the history, as deploy would, so its replicas move away.
 */
import { MusterError } from '../../shared/errors.js';
import type { Availability } from '../../shared/wire.js';
import { setAvailability } from '../fleet/agent-client.js';
import { type OpsIo, defaultIo, readContext } from '../ops/context.js';
import { operate } from '../ops/operate.js';
import { resolveService } from '../ops/services-known.js';
import { availabilityVia } from '../manager/client/commands.js';
import { managerRoute, refuseThroughManager } from './context.js';
import { intOption, parse } from './options.js';
import { nodeUsage } from './usage.js';

const AVAILABILITIES: readonly Availability[] = ['active', 'pause', 'drain'];

/** Pure: the --availability value checked. */
function availabilityOf(given: string | undefined): Availability {
  const availability = given as Availability | undefined;
  if (!availability || !AVAILABILITIES.includes(availability))
    throw new MusterError('E_OPTION', `--availability is active, pause or drain${given ? `, not "${given}"` : ''}`, {
      hint: `usage: ${nodeUsage}`,
    });
  return availability;
}

/** Sets availability; exit 0, 1 bad input, 2 a replica could not move, 4 the agent did not answer. */
export async function nodeCommand(argv: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  const options = {
    inventory: { type: 'string', short: 'i' },
    availability: { type: 'string' },
    move: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, nodeUsage, io.env);
  if (via) {
    refuseThroughManager(via.values, ['move', 'dry-run'], 'node update');
    const [sub, name, ...extra] = via.positionals;
    if (sub !== 'update') throw new MusterError('E_OPTION', sub ? `unknown node command "${sub}"` : 'no node command', { hint: `usage: ${nodeUsage}` });
    if (!name || extra.length) throw new MusterError('E_OPTION', `one node, got ${via.positionals.length - 1}`, { hint: `usage: ${nodeUsage}` });
    return availabilityVia(via.client, name, availabilityOf(via.values.availability as string | undefined), io);
  }
  const { values: o, positionals } = parse(argv, options, nodeUsage);
  if (o.help) return (io.out(`usage: ${nodeUsage}\n`), 0);
  const [sub, name, ...extra] = positionals;
  if (sub !== 'update') throw new MusterError('E_OPTION', sub ? `unknown node command "${sub}"` : 'no node command', { hint: `usage: ${nodeUsage}` });
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${nodeUsage}` });
  if (!name || extra.length) throw new MusterError('E_OPTION', `one node, got ${positionals.length - 1}`, { hint: `usage: ${nodeUsage}` });
  const availability = availabilityOf(o.availability);
  const timeoutMs = intOption('timeout', o.timeout, 300) * 1000;
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const node = ctx.fleet.find((n) => n.name === name);
  if (!node)
    throw new MusterError('E_SCHEMA', `no node "${name}" among the agents of ${o.inventory}`, { hint: `nodes: ${ctx.fleet.map((n) => n.name).join(', ')}` });
  if (!node.target || node.failure) {
    io.out(`[UNREACHABLE] ${name}: ${node.failure?.message}\n  fix: ${node.failure?.hint}\n`);
    return 4;
  }
  // checked before anything is written; a replica whose data is on the node moves only when named: it starts elsewhere without that data
  const allowMove = (o.move ?? []).map((m) => {
    const ref = resolveService(m, ctx.known);
    return `${ref.stack}_${ref.service}`;
  });
  if (o['dry-run']) io.out(`dry run: ${name} would become ${availability}\n`);
  else {
    const set = await setAvailability(node.target, availability, 10_000);
    if (!set.ok) {
      io.out(`[UNREACHABLE] ${name}: ${set.message}\n  fix: ${set.hint.replace('INVENTORY', o.inventory)}\n`);
      return 4;
    }
    io.out(`${name}: availability ${availability}\n`);
  }
  if (availability === 'pause') {
    io.out(`${name} keeps its replicas and takes no new ones\n`);
    return 0;
  }
  if (availability === 'active') {
    io.out(`${name} takes new replicas; nothing moves by itself: a deploy or scale rebalances\n`);
    return 0;
  }
  if (!ctx.latest.length) {
    io.out(`no stack in this controller's history: deploy again to move ${name}'s replicas\n`);
    return 0;
  }
  // read again: the node now reports drain, and the plan moves its replicas
  const after = o['dry-run'] ? ctx : await readContext(o.inventory, io.env, 10_000);
  if (o['dry-run'])
    for (const n of after.fleet)
      if (n.name === name && n.report) n.report = { ...n.report, node: { ...n.report.node, availability: 'drain', available: false } };
  io.out(`re-planning ${after.latest.map((r) => r.stack).join(', ')} without ${name}\n`);
  return operate(after, after.latest, io, { dryRun: o['dry-run'], timeoutMs, record: false, allowMove });
}
