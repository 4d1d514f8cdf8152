/** assert: every expression in `that` must hold. */
import { evalCondition } from '../../expr/index.js';
import type { Args, ModuleResult } from '../types.js';
import { withMsg, type ControlModule } from './spec.js';

/** Pure: checks the conditions in order and stops at the first false one, as Ansible does. */
export function assertResult(args: Args, holds: (cond: string | boolean) => boolean): ModuleResult {
  const that = Array.isArray(args.that) ? args.that : [args.that];
  for (const item of that) {
    const cond = typeof item === 'boolean' ? item : String(item);
    if (!holds(cond)) {
      return withMsg({ changed: false, failed: true, data: { assertion: cond, evaluated_to: false } }, args.fail_msg ?? 'Assertion failed');
    }
  }
  return withMsg({ changed: false }, args.success_msg ?? 'All assertions passed');
}

/** The assert module. */
export const assert: ControlModule = {
  name: 'assert',
  summary: 'Fails unless every expression in `that` is true; `fail_msg` (alias `msg`) and `success_msg` set the message.',
  args: {
    // raw, not list: a single expression may hold commas (`x in [1, 2]`) and must not be split on them
    that: { type: 'raw', required: true },
    fail_msg: { type: 'raw', aliases: ['msg'] },
    success_msg: { type: 'raw' },
    quiet: { type: 'bool', default: false },
  },
  local: true,
  checkMode: true,
  async run(args, ctx) {
    return assertResult(args, (cond) => evalCondition(cond, ctx.vars, { host: ctx.host }));
  },
};
