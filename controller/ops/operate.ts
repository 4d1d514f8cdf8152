/**
 * The path scale, rollback and drain share with deploy: plan the recorded stacks over the fleet, print the
 * plan, apply it step by step with the live progress, print how it ended, and record the new versions once
 * every replica runs. Resolves with the exit code.
 */
import { appendVersion, type HistoryRecord, placementsOf } from '../deploy/history.js';
import { progressReporter } from '../deploy/progress.js';
import { renderPlan } from '../deploy/render.js';
import type { UpdateConfig } from '../stack/types.js';
import type { OpsContext, OpsIo } from './context.js';
import { outcomeCode, outcomeText } from './outcome.js';
import { applyReplan, replan } from './replan.js';
import type { ServiceRef } from './services-known.js';

/** How to operate. */
export interface OperateOptions {
  dryRun?: boolean;
  /** how long one step may take */
  timeoutMs: number;
  /** services applied with their rollback_config */
  rollingBack?: { ref: ServiceRef; config: UpdateConfig }[];
  /** `stack_service` names whose volume-pinned replicas may move (--move) */
  allowMove?: string[];
  /** write the records as new versions once applied (drain re-applies the same versions: nothing to record) */
  record: boolean;
}

/** Plans, shows, applies and records `records` (one per stack); the exit code. */
export async function operate(ctx: OpsContext, records: HistoryRecord[], io: OpsIo, o: OperateOptions): Promise<number> {
  const down = ctx.fleet.filter((n) => n.failure);
  for (const n of down) io.out(`[UNREACHABLE] ${n.name}: ${n.failure?.message}\n  fix: ${n.failure?.hint}\n`);
  const r = replan(records, ctx.fleet, o.rollingBack, o.allowMove);
  io.out(renderPlan(r.plan));
  if (o.dryRun) {
    io.out('dry run: nothing was written\n');
    return outcomeCode(undefined, r.plan.unplaced.length, down.length);
  }
  const reporter = progressReporter(io.out, io.tty);
  const result = await applyReplan(r, ctx.fleet, o.timeoutMs, { now: io.now, sleep: io.sleep }, reporter.onEvent);
  reporter.done();
  io.out(outcomeText(result, r.plan, ctx.inventory));
  if (result.code === 0 && o.record)
    for (const rec of records) {
      const placements = placementsOf({ ...r.plan, assignments: r.plan.assignments.filter((a) => a.stack === rec.stack) });
      const v = await appendVersion(ctx.stateDir, { ...rec, placements });
      io.out(`recorded ${rec.stack} version ${v}\n`);
    }
  const running = r.plan.assignments.length - result.failures.length;
  io.out(`${running}/${r.plan.assignments.length + r.plan.unplaced.length} replicas running\n`);
  return outcomeCode(result, r.plan.unplaced.length, down.length);
}
