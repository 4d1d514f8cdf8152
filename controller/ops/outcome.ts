/** How an apply of scale, rollback, drain or rm ended, for people, and its exit code (as deploy's). Pure. */
import type { ApplyResult } from '../deploy/apply.js';
import { slotLabel } from '../deploy/names.js';
import type { Plan } from '../scheduler/types.js';

/** Exit codes of the commands that change the fleet (as deploy's): 0 ok, 2 failed or unplaced, 4 an agent did not answer. */
export const OPS_EXIT = { ok: 0, input: 1, failed: 2, unreachable: 4 } as const;

/** Pure: the lines after an apply: a race, unreachable agents with the fix, where it stopped, failures, rollbacks, unplaced. */
export function outcomeText(result: ApplyResult, plan: Plan | undefined, inventory: string): string {
  const lines: string[] = [];
  if (result.raced)
    lines.push(
      `STOPPED: another command wrote to ${result.raced.node} first (it holds generation ${result.raced.generation})`,
      '  fix: run this again once the other deploy is done: it plans from what the agents hold then',
    );
  for (const u of result.unreachable) lines.push(`[UNREACHABLE] ${u.node}: ${u.message}`, `  fix: ${u.hint.replace('INVENTORY', inventory)}`);
  if (result.stoppedAt) {
    lines.push(`stopped at: ${result.stoppedAt}`);
    if (result.written.length) lines.push('written before stopping:', ...result.written.map((w) => `  ${w}`));
    else lines.push('nothing was written');
  }
  for (const f of result.failures) lines.push(`failed: ${f.replica} on ${f.node}: ${f.reason}`);
  for (const s of result.rolledBack) lines.push(`rolled back: ${s}`);
  for (const u of plan?.unplaced ?? []) lines.push(`unplaced: ${slotLabel(u.service, u.slot)}: ${u.reason}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Pure: the exit code: 2 when anything failed or stays unplaced, else 4 when an agent did not answer, else 0. */
export function outcomeCode(result: ApplyResult | undefined, unplaced: number, unreachable: number): number {
  if ((result && result.code === 2) || unplaced > 0) return OPS_EXIT.failed;
  if ((result && result.code === 4) || unreachable > 0) return OPS_EXIT.unreachable;
  return OPS_EXIT.ok;
}
