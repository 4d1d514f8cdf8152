/** The expression language of `when:`, `changed_when:`, `failed_when:`, `until:` and `assert: that:`. */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { newScope } from '../template/render.js';
import { defined } from '../template/undefined.js';
import type { Where } from '../template/where.js';
import type { Expr } from './ast.js';
import { SyntaxProblem } from './lexer.js';
import { lookupsIn } from './lookups/calls.js';
import { unknownLookup } from './lookups/index.js';
import { caret, parseCached, parseOrThrow, rootEnv, runExpression, SYNTAX_HINT } from './run.js';
import { truthy } from './values.js';

export type { Expr } from './ast.js';

/** Parses an expression (cached by source); a syntax error is E_EXPR at `pos` with a caret under the column. */
export function parseExpr(src: string, pos?: Pos): Expr {
  return parseOrThrow(src, pos);
}

/** Evaluates an expression to a plain value; an undefined variable is E_EXPR naming it. */
export function evalExpr(src: string, vars: Vars, where: Where): unknown {
  const scope = newScope(vars, where, 'E_EXPR');
  return scope.materialize(defined(runExpression(src, rootEnv(scope))));
}

/**
 * Whether a condition holds: a boolean as is, a string evaluated with Jinja truthiness, a list when all of
 * its items hold (stopping at the first that does not). A `{{ }}` around the whole expression is tolerated.
 */
export function evalCondition(cond: string | boolean | (string | boolean)[], vars: Vars, where: Where): boolean {
  if (Array.isArray(cond)) return cond.every((c) => evalCondition(c, vars, where));
  if (typeof cond === 'boolean') return cond;
  if (typeof cond === 'number') return cond !== 0;
  if (typeof cond !== 'string') {
    throw new MusterError('E_EXPR', `a condition must be an expression, got ${cond === null ? 'nothing' : typeof cond}`, {
      ...where,
      hint: 'write the condition as text, e.g. when: ansible_os_family == "Debian"',
    });
  }
  return truthy(evalExpr(unwrap(cond, where), vars, where));
}

/** A problem found without running anything: what is wrong (with a caret under the spot) and what to do. */
export interface SyntaxReport {
  message: string;
  hint: string;
}

/** Why an expression does not parse (a caret under the column) or names an unknown lookup, or undefined when it is fine. */
export function expressionProblem(src: string): SyntaxReport | undefined {
  const ast = parseCached(src);
  if (ast instanceof SyntaxProblem) return { message: `${ast.message}${caret(src, ast.at)}`, hint: SYNTAX_HINT };
  const bad = lookupsIn(ast)
    .map((c) => ({ c, problem: unknownLookup(c.name) }))
    .find((x) => x.problem);
  return bad?.problem ? { message: `${bad.problem.message}${caret(src, bad.c.at)}`, hint: bad.problem.hint } : undefined;
}

/** Why a condition (when, changed_when, failed_when, until) cannot be evaluated whatever the variables, or undefined. */
export function conditionProblem(cond: string): SyntaxReport | undefined {
  try {
    return expressionProblem(unwrap(cond, {}));
  } catch (e) {
    if (e instanceof MusterError) return { message: e.message, hint: e.hint ?? SYNTAX_HINT };
    throw e;
  }
}

// `when: "{{ x }}"` means `when: x`; a {{ }} elsewhere in a condition is a mistake worth naming
function unwrap(src: string, where: Where): string {
  const whole = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(src);
  const inner = whole && !whole[1].includes('{{') && !whole[1].includes('}}') ? whole[1] : src;
  if (inner.includes('{{') || inner.includes('{%')) {
    throw new MusterError('E_EXPR', `conditions are expressions already: remove the {{ }} inside "${src.trim()}"`, {
      ...where,
      hint: 'write when: version == wanted, not when: version == "{{ wanted }}"',
    });
  }
  if (inner.trim() === '') throw new MusterError('E_EXPR', 'empty condition', { ...where, hint: 'write an expression, e.g. when: enabled | bool' });
  return inner;
}
