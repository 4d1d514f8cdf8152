/** debug: prints a message or a variable's value (through the reporter, like every result). */
import { evalCondition, evalExpr } from '../../expr/index.js';
import type { Args, ModuleResult, Vars } from '../types.js';
import { withMsg, type ControlModule } from './spec.js';

/** How a variable expression is looked up: whether it is defined, and its value. */
export interface Lookup {
  defined(expr: string): boolean;
  value(expr: string): unknown;
}

/** Ansible's placeholder for an undefined `var`. */
export const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!';

/** Pure: the debug result for these arguments at this run verbosity. */
export function debugResult(args: Args, verbosity: number, lookup: Lookup): ModuleResult {
  const wanted = Number(args.verbosity ?? 0);
  if (verbosity < wanted) {
    return { changed: false, msg: 'Verbosity threshold not met.', data: { skipped: true, skipped_reason: 'Verbosity threshold not met.' } };
  }
  if (typeof args.var === 'string' && args.var !== '') {
    const expr = args.var;
    return { changed: false, data: { [expr]: lookup.defined(expr) ? lookup.value(expr) : NOT_DEFINED } };
  }
  return withMsg({ changed: false }, args.msg ?? 'Hello world!');
}

/** Run verbosity as the runner exposes it (`ansible_verbosity`, 0 when absent). */
export function verbosityOf(vars: Vars): number {
  const v = Number(vars.ansible_verbosity ?? 0);
  return Number.isFinite(v) ? v : 0;
}

/** The debug module. */
export const debug: ControlModule = {
  name: 'debug',
  summary: 'Prints `msg` (default "Hello world!") or the value of the expression in `var`, from run verbosity `verbosity` up.',
  args: {
    msg: { type: 'raw' },
    var: { type: 'str' },
    verbosity: { type: 'int', default: 0 },
  },
  local: true,
  checkMode: true,
  validate(args) {
    return args.msg !== undefined && args.var !== undefined ? 'msg and var are mutually exclusive: give one of them' : undefined;
  },
  async run(args, ctx) {
    const where = { host: ctx.host };
    return debugResult(args, verbosityOf(ctx.vars), {
      defined: (expr) => evalCondition(`(${expr}) is defined`, ctx.vars, where),
      value: (expr) => evalExpr(expr, ctx.vars, where),
    });
  },
};
