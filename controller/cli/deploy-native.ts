/**
 * `muster deploy -i INV STACK` on muster's own engine: load the stack, read every agent in parallel, schedule
 * (one pure tick), print the plan; with --dry-run stop there; else apply it step by step and wait until every
 * replica runs. Exit: 0 all running; 2 a replica could not be placed or failed; 4 an agent did not answer;
 * 1 bad input.
 */
import { formatPos, MusterError } from '../../shared/errors.js';
import { applySteps } from '../deploy/apply.js';
import { recordFenced } from '../deploy/fence.js';
import { httpsAgents } from '../deploy/agents.js';
import { changesOf } from '../deploy/desired.js';
import type { HeldSets } from '../deploy/edits.js';
import { deliveries } from '../deploy/files.js';
import { recordDeployIn } from '../deploy/history.js';
import { readFleet } from '../deploy/fleet.js';
import { localPlatforms, shipStep } from '../deploy/ship.js';
import { slotLabel } from '../deploy/names.js';
import { progressReporter } from '../deploy/progress.js';
import { planCounts, renderPlan, unplacedReason } from '../deploy/render.js';
import { schedulerInput } from '../deploy/snapshot.js';
import { specBook } from '../deploy/specs.js';
import { steps } from '../deploy/waves.js';
import { parseSize } from '../fleet/nodes-view.js';
import { tick } from '../scheduler/tick.js';
import { loadStack } from '../stack/load.js';
import { deployVia } from '../manager/client/deploy.js';
import { managerRoute, refuseThroughManager, timeoutOf } from './context.js';
import { intOption, parse } from './options.js';
import { deployUsage } from './usage.js';

import { DEPLOY_EXIT, type DeployIo } from './deploy.js';

/** muster's own deploy of `argv` (--engine muster already taken out). */
export async function nativeDeploy(argv: string[], io: DeployIo): Promise<number> {
  const options = {
    inventory: { type: 'string', short: 'i' },
    name: { type: 'string' },
    'dry-run': { type: 'boolean' },
    strict: { type: 'boolean' },
    timeout: { type: 'string', short: 'T' },
    reserve: { type: 'string' },
    'ship-images': { type: 'boolean' },
    move: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const via = await managerRoute(argv, options, deployUsage, io.env);
  if (via) {
    refuseThroughManager(via.values, ['dry-run', 'reserve', 'ship-images'], 'deploy');
    if (via.positionals.length !== 1) throw new MusterError('E_OPTION', `one stack file, got ${via.positionals.length}`, { hint: `usage: ${deployUsage}` });
    const v = via.values;
    return deployVia(
      via.client,
      {
        file: via.positionals[0],
        name: v.name as string | undefined,
        strict: v.strict === true,
        move: (v.move as string[] | undefined) ?? [],
        timeoutMs: timeoutOf(300)(v),
      },
      io,
    );
  }
  const { values: o, positionals } = parse(argv, options, deployUsage);
  if (o.help) {
    io.out(`usage: ${deployUsage}\n`);
    return 0;
  }
  if (!o.inventory) throw new MusterError('E_OPTION', 'no inventory given', { hint: `usage: ${deployUsage}` });
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack file, got ${positionals.length}`, { hint: `usage: ${deployUsage}` });
  const timeoutS = intOption('timeout', o.timeout, 300);
  const reserve = o.reserve === undefined ? undefined : parseSize(o.reserve);
  if (o.reserve !== undefined && reserve === undefined) throw new MusterError('E_OPTION', `--reserve wants a size such as 256M or 1G, got "${o.reserve}"`);

  const stack = loadStack(positionals[0], { name: o.name, env: io.env, strict: o.strict });
  for (const w of stack.warnings) io.out(`[WARNING]: ${w.pos ? `${formatPos(w.pos)}: ` : ''}${w.message}\n`);

  const fleet = await readFleet({ inventory: o.inventory, timeoutMs: 10_000, reserveBytes: reserve, env: io.env });
  const down = fleet.filter((n) => n.failure);
  for (const n of down) io.out(`[UNREACHABLE] ${n.name}: ${n.failure?.message}\n  fix: ${n.failure?.hint}\n`);

  const book = specBook([stack]);
  // shipped images have the one platform of the controller's copy; others are left to the nodes' pulls
  const shipped = o['ship-images'] ? await localPlatforms(stack.services.map((s) => s.image)) : {};
  const { snapshot, current } = schedulerInput(fleet, shipped);
  const allowMove = (o.move ?? []).map((s) => (s.startsWith(`${stack.name}_`) ? s : `${stack.name}_${s}`));
  for (const m of allowMove)
    if (!stack.services.some((s) => `${stack.name}_${s.name}` === m))
      throw new MusterError('E_OPTION', `--move ${m}: no such service in stack ${stack.name}`, {
        hint: `name one of: ${stack.services.map((s) => s.name).join(', ')}`,
      });
  const plan = tick([stack], snapshot, current, { specHash: book.hash8, allowMove });
  io.out(`stack ${stack.name} onto ${fleet.length - down.length}/${fleet.length} node(s)\n`);
  io.out(renderPlan(plan));
  const ship = shipStep(plan, fleet, book, o['ship-images'] === true, io);

  const unplaced = plan.unplaced.map((u) => `${slotLabel(u.service, u.slot)}: ${unplacedReason(u)}`);
  const codeOf = (failed: boolean, unreachable: boolean): number => (failed ? DEPLOY_EXIT.failed : unreachable ? DEPLOY_EXIT.unreachable : DEPLOY_EXIT.ok);
  if (o['dry-run']) {
    await ship.check();
    io.out('dry run: nothing was written\n');
    return codeOf(unplaced.length > 0, down.length > 0);
  }

  if (!(await ship.run())) return DEPLOY_EXIT.failed;
  const stateDir = fleet.find((n) => n.stateDir)?.stateDir;
  if (stateDir) await recordFenced(stateDir, plan, fleet);
  const held: HeldSets = new Map(fleet.flatMap((n) => (n.desired === undefined ? [] : [[n.name, n.desired] as const])));
  const changes = changesOf(plan, held, book.spec);
  const list = steps(changes, [stack]);
  const wanted = plan.assignments.map((a) => ({ stack: a.stack, service: a.service, node: a.node, name: book.spec(a).name }));
  const reporter = progressReporter(io.out, io.tty);
  let running = 0;
  const started = io.now();
  const result = await applySteps(
    { steps: list, held, wanted, stacks: [stack], files: deliveries(list, [stack]), timeoutMs: timeoutS * 1000 },
    httpsAgents(fleet, 10_000),
    { now: io.now, sleep: io.sleep },
    (e) => {
      if (e.type === 'progress') running = e.services.reduce((sum, p) => sum + p.running, 0);
      reporter.onEvent(e);
    },
  );
  reporter.done();
  if (result.code === 0) await recordDeployIn(io.env, { stack, file: positionals[0], options: o, plan, now: io.now() });

  const seconds = ((io.now() - started) / 1000).toFixed(1);
  if (result.raced)
    io.out(
      `STOPPED: another deploy wrote to ${result.raced.node} first (it holds generation ${result.raced.generation})\n  fix: run muster deploy again once the other deploy is done: it plans from what the agents hold then\n`,
    );
  for (const u of result.unreachable) io.out(`[UNREACHABLE] ${u.node}: ${u.message}\n  fix: ${u.hint.replace('INVENTORY', o.inventory)}\n`);
  if (result.stoppedAt) {
    io.out(`stopped at: ${result.stoppedAt}\n`);
    io.out(result.written.length ? `written before stopping:\n${result.written.map((w) => `  ${w}\n`).join('')}` : 'nothing was written\n');
  }
  for (const f of result.failures) io.out(`failed: ${f.replica} on ${f.node}: ${f.reason}\n`);
  for (const s of result.rolledBack) io.out(`rolled back: ${s}\n`);
  for (const u of unplaced) io.out(`unplaced: ${u}\n`);
  const n = planCounts(plan);
  io.out(`deploy ${stack.name}: ${running}/${plan.assignments.length + n.unplaced} replicas running in ${seconds}s\n`);
  return codeOf(result.code === 2 || unplaced.length > 0, result.code === 4 || down.length > 0);
}
