/**
 * `muster rm -i INV STACK`: every node's set without the stack's containers (generation + 1), waited for until
 * they are gone; its secrets and configs deleted from the agents; the history marked removed. Named volumes
 * are kept: they hold data (`docker volume rm` on the node removes one).
 */
import { MusterError } from '../../shared/errors.js';
import { applySteps } from '../deploy/apply.js';
import { httpsAgents } from '../deploy/agents.js';
import { appendVersion } from '../deploy/history.js';
import { progressReporter } from '../deploy/progress.js';
import { agentRequest } from '../fleet/agent-request.js';
import { type OpsIo, defaultIo, readContext } from '../ops/context.js';
import { outcomeCode, outcomeText } from '../ops/outcome.js';
import { heldOf } from '../ops/replan.js';
import { removalStep } from '../ops/rm.js';
import { rmVia } from '../manager/client/commands.js';
import { managerRoute, timeoutOf } from './context.js';
import { engineOf } from './engine.js';
import { intOption, parse } from './options.js';
import { rmUsage } from './usage.js';

/** Removes; exit 0 gone everywhere, 1 unknown stack, 2 a container would not go, 4 an agent did not answer. */
export async function rmCommand(given: string[], out: (s: string) => void, io: OpsIo = defaultIo(out)): Promise<number> {
  // --engine swarm|k3s (or a stack recorded there): that engine's own command; --engine muster: this one
  const { engine, argv } = engineOf(given, io.env);
  if (engine === 'swarm') return (await import('../engines/swarm/cli.js')).swarmRm(argv, io);
  if (engine === 'k3s') return (await import('../engines/k8s/ops-command.js')).k3sRm(argv, io);
  const options = { inventory: { type: 'string', short: 'i' }, timeout: { type: 'string', short: 'T' }, help: { type: 'boolean', short: 'h' } } as const;
  const via = await managerRoute(argv, options, rmUsage, io.env);
  if (via) {
    if (via.positionals.length !== 1) throw new MusterError('E_OPTION', `one stack, got ${via.positionals.length}`, { hint: `usage: ${rmUsage}` });
    return rmVia(via.client, via.positionals[0], timeoutOf(120)(via.values), io);
  }
  const { values: o, positionals } = parse(argv, options, rmUsage);
  if (o.help) return (io.out(`usage: ${rmUsage}\n`), 0);
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${rmUsage}` });
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack, got ${positionals.length}`, { hint: `usage: ${rmUsage}` });
  const stack = positionals[0];
  const timeoutMs = intOption('timeout', o.timeout, 120) * 1000;
  const ctx = await readContext(o.inventory, io.env, 10_000);
  const history = ctx.histories.find((h) => h.stack === stack);
  if (!history && !ctx.known.some((k) => k.stack === stack))
    throw new MusterError('E_SCHEMA', `no stack "${stack}" in the history or on the nodes`, {
      hint: ctx.known.length ? `stacks: ${[...new Set(ctx.known.map((k) => k.stack))].join(', ')}` : 'nothing is deployed',
    });
  const down = ctx.fleet.filter((n) => n.failure);
  for (const n of down)
    io.out(`[UNREACHABLE] ${n.name}: ${n.failure?.message}\n  fix: ${n.failure?.hint}; then run muster rm again for what ${n.name} holds\n`);

  const step = removalStep(heldOf(ctx.fleet), stack);
  let code = 0;
  if (step) {
    io.out(`${step.label}\n`);
    const reporter = progressReporter(io.out, io.tty);
    const result = await applySteps(
      { steps: [step], held: heldOf(ctx.fleet), wanted: [], stacks: [], files: [], timeoutMs },
      httpsAgents(ctx.fleet, 10_000),
      { now: io.now, sleep: io.sleep },
      reporter.onEvent,
    );
    reporter.done();
    io.out(outcomeText(result, undefined, ctx.inventory));
    code = outcomeCode(result, 0, 0);
  } else io.out(`no node that answered holds a container of ${stack}\n`);

  // secrets and configs: the agents tidy unused ones after converging; deleting them now says so at once
  for (const n of ctx.fleet) {
    if (!n.target || n.failure) continue;
    const list = await agentRequest(n.target, 'GET', '/v1/files', 10_000);
    if (!list.ok || list.status !== 200) continue;
    const names = ((JSON.parse(list.body) as { files?: { name: string }[] }).files ?? []).map((f) => f.name).filter((f) => f.startsWith(`${stack}_`));
    for (const name of names) {
      const del = await agentRequest(n.target, 'DELETE', `/v1/files/${encodeURIComponent(name)}`, 10_000);
      io.out(del.ok && del.status < 300 ? `${n.name}: removed file ${name}\n` : `${n.name}: file ${name} stays (the agent removes it once unused)\n`);
    }
  }
  const volumes = ctx.fleet.flatMap((n) => (n.report?.volumes ?? []).filter((v) => v.stack === stack).map((v) => `${v.name}@${n.name}`));
  if (volumes.length) io.out(`volumes kept (they hold data): ${volumes.join(', ')}\n`);
  else io.out('named volumes, if any, are kept: they hold data\n');

  if (code === 0 && !down.length && history?.versions.length) {
    const last = history.versions.at(-1);
    if (last && !last.removed) {
      const v = await appendVersion(ctx.stateDir, { ...last, op: 'remove', removed: true, placements: {}, at: new Date(io.now()).toISOString() });
      io.out(`history: ${stack} marked removed (version ${v})\n`);
    }
  }
  return code || (down.length ? 4 : 0);
}
