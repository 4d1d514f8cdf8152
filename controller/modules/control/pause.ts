/** pause: waits a fixed time on the controller. Waiting for a keypress needs a terminal, which a run does not read. */
import type { Args, ModuleResult } from '../types.js';
import { isTemplated, secondsBetween, type ControlModule } from './spec.js';

const NO_PROMPT = 'pause with a prompt and no time waits for a keypress, which muster does not read (runs are non-interactive)';

/** How long to pause in milliseconds (minutes win over seconds, as in Ansible), or undefined when no time is given. */
export function pauseMs(args: Args): number | undefined {
  if (args.minutes !== undefined && args.minutes !== null) return Number(args.minutes) * 60_000;
  if (args.seconds !== undefined && args.seconds !== null) return Number(args.seconds) * 1000;
  return undefined;
}

/** Load-time check: a time is needed; a negative one makes no sense (templated values are checked when they run). */
export function checkPause(args: Args): string | undefined {
  if (isTemplated(args.seconds) || isTemplated(args.minutes)) return undefined;
  const ms = pauseMs(args);
  if (ms === undefined) return `${NO_PROMPT}: give seconds or minutes`;
  if (!Number.isFinite(ms) || ms < 0) return 'seconds and minutes must be positive numbers';
  return undefined;
}

/** The result Ansible's pause gives: start, stop, delta (seconds), stdout. */
export function pauseResult(startMs: number, stopMs: number, echo: boolean): ModuleResult {
  const delta = secondsBetween(startMs, stopMs);
  return {
    changed: false,
    data: {
      start: new Date(startMs).toISOString(),
      stop: new Date(stopMs).toISOString(),
      delta,
      echo,
      stdout: `Paused for ${delta} seconds`,
      user_input: '',
    },
  };
}

/** The pause module. */
export const pause: ControlModule = {
  name: 'pause',
  summary: 'Waits `seconds` or `minutes` on the controller; `prompt` is accepted but no keypress is read (runs are non-interactive).',
  args: {
    seconds: { type: 'float' },
    minutes: { type: 'float' },
    prompt: { type: 'str' },
    echo: { type: 'bool', default: true },
  },
  local: true,
  checkMode: true,
  validate: checkPause,
  async run(args, ctx) {
    const problem = checkPause(args);
    if (problem) return { changed: false, failed: true, msg: problem };
    const start = ctx.now();
    await ctx.sleep(pauseMs(args) ?? 0);
    return pauseResult(start, ctx.now(), args.echo !== false);
  },
};
