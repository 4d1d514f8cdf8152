/** Evaluates an expression AST against a scope, with Python's semantics and strict undefined variables. */
import type { Scope } from '../template/scope.js';
import { childPath } from '../template/scope.js';
import { defined, isUndefined } from '../template/undefined.js';
import type { BinaryOp, Expr } from './ast.js';
import { Callable } from './callable.js';
import { callContext, callFilter, callTest } from './filters/index.js';
import type { CallCtx } from './filters/types.js';
import { lookupIOOf, runLookup, type LookupCtx } from './lookups/index.js';
import { callMethod } from './methods.js';
import { pyStr } from './pystr.js';
import { contains, equal, isDict, order, toStr, truthy, typeName } from './values.js';

/** Where names come from. Inside a Handlebars block, `lookup` tries the block's context before the variables. */
export interface Env {
  scope: Scope;
  lookup(name: string): unknown;
}

/** A problem at offset `at` of the expression; whoever holds the source adds the caret. */
export class EvalProblem {
  constructor(
    readonly message: string,
    readonly at: number,
    readonly hint?: string,
  ) {}
}

/** The value of `e`; may be a lookup proxy or a strict undefined (callers materialize what they keep). */
export function evaluate(e: Expr, env: Env): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'name':
      return env.lookup(e.name);
    case 'list':
      return e.items.map((x) => plain(env, evaluate(x, env)));
    case 'dict':
      return Object.fromEntries(e.entries.map(([k, v]) => [toStr(plain(env, evaluate(k, env))), plain(env, evaluate(v, env))]));
    case 'attr':
      return member(env, evaluate(e.object, env), e.name, e);
    case 'index':
      return member(env, evaluate(e.object, env), plain(env, evaluate(e.index, env)), e);
    case 'slice':
      return slice(env, e);
    case 'call':
      return call(env, e);
    case 'filter': {
      const [args, kwargs] = callArgs(env, e);
      return callFilter(e.name, forCall(env, evaluate(e.value, env)), args, kwargs, ctxAt(env, e.at));
    }
    case 'test': {
      const [args, kwargs] = callArgs(env, e);
      return callTest(e.name, forCall(env, evaluate(e.value, env)), args, kwargs, ctxAt(env, e.at)) !== e.negated;
    }
    case 'not':
      return !truthy(plain(env, evaluate(e.operand, env)));
    case 'neg': {
      const v = plain(env, evaluate(e.operand, env));
      return typeof v === 'number' ? -v : fail(e.at, `cannot negate ${typeName(v)}`, 'make it a number first: -(x | int)');
    }
    case 'binary':
      return arithmetic(e.op, plain(env, evaluate(e.left, env)), plain(env, evaluate(e.right, env)), e.at);
    case 'compare':
      return compareChain(env, e.first, e.rest);
    case 'logic': {
      // Python returns the deciding operand, not a boolean: `x or 'fallback'`
      const left = evaluate(e.left, env);
      const l = truthy(plain(env, left));
      return (e.op === 'and' ? l : !l) ? evaluate(e.right, env) : left;
    }
    case 'cond':
      if (truthy(plain(env, evaluate(e.test, env)))) return evaluate(e.then, env);
      return e.otherwise ? evaluate(e.otherwise, env) : null;
  }
}

function fail(at: number, message: string, hint?: string): never {
  throw new EvalProblem(message, at, hint);
}

function ctxAt(env: Env, at: number): CallCtx {
  return callContext(env.scope, (message, hint) => fail(at, message, hint));
}

// a defined, plain value: what operators work on
function plain(env: Env, v: unknown): unknown {
  return env.scope.materialize(defined(v));
}

// filters and tests may receive a strict undefined (default, defined); everything else is plain
function forCall(env: Env, v: unknown): unknown {
  return isUndefined(v) ? v : env.scope.materialize(v);
}

function callArgs(env: Env, e: { args: Expr[]; kwargs: [string, Expr][] }): [unknown[], Record<string, unknown>] {
  return [e.args.map((a) => forCall(env, evaluate(a, env))), Object.fromEntries(e.kwargs.map(([k, v]) => [k, forCall(env, evaluate(v, env))]))];
}

// how a missing value is named in messages: `pkg.name`, `users[0]`, or the expression's shape
function pathText(e: Expr): string {
  if (e.kind === 'name') return e.name;
  if (e.kind === 'attr') return childPath(pathText(e.object), e.name);
  if (e.kind === 'index' && e.index.kind === 'literal') return childPath(pathText(e.object), String(e.index.value));
  return '(value)';
}

function member(env: Env, obj: unknown, key: unknown, node: Expr): unknown {
  if (isUndefined(obj)) return obj;
  const { scope } = env;
  if (Array.isArray(obj)) {
    const i = typeof key === 'number' ? key : /^-?\d+$/.test(toStr(key)) ? Number(key) : NaN;
    const j = i < 0 ? obj.length + i : i;
    if (Number.isInteger(j) && j >= 0 && j < obj.length) return scope.wrap(obj[j], '');
  } else if (isDict(obj)) {
    // a proxy answers every key itself (missing ones with a strict undefined that knows its full path)
    if (scope.isWrapped(obj)) return obj[toStr(key)];
    if (Object.hasOwn(obj, toStr(key))) return scope.wrap(obj[toStr(key)], '');
  } else if (typeof obj === 'string' && typeof key === 'number' && Number.isInteger(key)) {
    const j = key < 0 ? obj.length + key : key;
    if (j >= 0 && j < obj.length) return obj[j];
  }
  return scope.missing(pathText(node));
}

function slice(env: Env, e: Extract<Expr, { kind: 'slice' }>): unknown {
  const v = plain(env, evaluate(e.object, env));
  if (typeof v !== 'string' && !Array.isArray(v)) return fail(e.at, `cannot slice ${typeName(v)}`);
  const bound = (x: Expr | undefined, dflt: number) => {
    if (!x) return dflt;
    const n = plain(env, evaluate(x, env));
    return typeof n === 'number' && Number.isInteger(n)
      ? n
      : fail(x.at, `slice bounds must be integers, got ${typeName(n)}`, 'write xs[1:3], xs[:-1] or xs[2:]');
  };
  return v.slice(bound(e.start, 0), bound(e.stop, v.length));
}

function call(env: Env, e: Extract<Expr, { kind: 'call' }>): unknown {
  const args = e.args.map((a) => plain(env, evaluate(a, env)));
  const kwargs = () => Object.fromEntries(e.kwargs.map(([k, v]) => [k, plain(env, evaluate(v, env))]));
  if (e.callee.kind === 'attr') {
    const self = plain(env, evaluate(e.callee.object, env));
    // a template's own callables held in a dict: loop.cycle(), loop.changed()
    const own = isDict(self) && Object.hasOwn(self, e.callee.name) ? self[e.callee.name] : undefined;
    if (own instanceof Callable) return own.fn(args, kwargs());
    if (e.kwargs.length) fail(e.at, `.${e.callee.name}() takes no keyword arguments`);
    return callMethod(self, e.callee.name, args, ctxAt(env, e.at));
  }
  // a macro, caller() or namespace() of the template being rendered
  const fn = e.callee.kind === 'name' ? env.lookup(e.callee.name) : undefined;
  if (fn instanceof Callable) return fn.fn(args, kwargs());
  if (e.callee.kind === 'name' && e.callee.name === 'range') return range(args, e.at);
  if (e.callee.kind === 'name' && ['lookup', 'query', 'q'].includes(e.callee.name)) return lookupCall(env, e, e.callee.name, args);
  return fail(e.at, 'only methods can be called here (e.g. name.startswith("web")) and range()', 'use a filter: value | name(args)');
}

// lookup('name', terms..., option=value), query()/q() the same with wantlist: the controller's side comes from the scope's variables
function lookupCall(env: Env, e: Extract<Expr, { kind: 'call' }>, fn: string, args: unknown[]): unknown {
  const [name, ...terms] = args;
  if (typeof name !== 'string') return fail(e.at, `${fn}() needs the lookup's name first, got ${typeName(name)}`, `write ${fn}('file', 'motd.txt')`);
  const options = Object.fromEntries(e.kwargs.map(([k, v]) => [k, plain(env, evaluate(v, env))]));
  const { scope } = env;
  const root = scope.root as Record<string, unknown>;
  const ctx: LookupCtx = {
    io: lookupIOOf(scope.vars),
    variable(n) {
      const v = root[n];
      return isUndefined(v) ? undefined : { value: scope.materialize(v) };
    },
    vars: () => scope.vars,
    fail: (message, hint) => fail(e.at, message, hint),
  };
  return runLookup({ name, terms, options, wantlist: fn !== 'lookup' }, ctx);
}

function range(args: unknown[], at: number): number[] {
  if (!args.length || args.length > 3 || !args.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    return fail(at, 'range() takes one to three integers', 'write range(stop), range(start, stop) or range(start, stop, step)');
  }
  const [start, stop, step] = (args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1]) as number[];
  if (step === 0) return fail(at, 'range() step must not be zero', 'use a positive step to count up, a negative one to count down');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) return fail(at, 'range() is too long (over 100000 items)', 'use a smaller range');
  }
  return out;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;
}

function arithmetic(op: BinaryOp, a: unknown, b: unknown, at: number): unknown {
  // Jinja's ~ joins Python's str() of both sides: 'x' ~ true is xTrue
  if (op === '~') return pyStr(a) + pyStr(b);
  const x = num(a);
  const y = num(b);
  const mismatch = (verb: string) =>
    fail(
      at,
      `cannot ${verb} ${typeName(a)} and ${typeName(b)}`,
      typeof a === 'string' || typeof b === 'string' ? 'use ~ to join text, or | int / | float to make numbers' : undefined,
    );
  if (op === '+') {
    if (x !== undefined && y !== undefined) return x + y;
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    return mismatch('add');
  }
  if (op === '*' && y !== undefined && Number.isInteger(y)) {
    if (typeof a === 'string') return a.repeat(Math.max(0, y));
    if (Array.isArray(a)) return Array.from({ length: Math.max(0, y) }, () => a).flat(1);
  }
  if (op === '%' && typeof a === 'string') return fail(at, 'string formatting with % is not supported', "use the format filter: '%s-%s' | format(a, b)");
  if (x === undefined || y === undefined)
    return mismatch({ '-': 'subtract', '*': 'multiply', '/': 'divide', '//': 'divide', '%': 'take the remainder of', '**': 'raise' }[op as string] ?? op);
  if ((op === '/' || op === '//' || op === '%') && y === 0) return fail(at, 'division by zero', 'guard it: x / y if y else 0');
  switch (op) {
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '//':
      return Math.floor(x / y);
    case '%':
      return ((x % y) + y) % y;
    case '**':
      return x ** y;
    default:
      return fail(at, `unknown operator ${op}`, 'use + - * / // % ** or ~');
  }
}

function compareChain(env: Env, first: Expr, rest: [BinaryOp, Expr][]): boolean {
  let left = plain(env, evaluate(first, env));
  for (const [op, e] of rest) {
    const right = plain(env, evaluate(e, env));
    if (!compare(op, left, right, e.at)) return false;
    left = right;
  }
  return true;
}

function compare(op: BinaryOp, a: unknown, b: unknown, at: number): boolean {
  if (op === '==') return equal(a, b);
  if (op === '!=') return !equal(a, b);
  if (op === 'in' || op === 'not in') {
    const r = contains(b, a);
    if (r === undefined)
      return fail(
        at,
        `"${op}" needs a string, list or dict on its right, got ${typeName(b)}`,
        "write 'x' in some_list, 'ab' in some_text or 'key' in some_dict",
      );
    return op === 'in' ? r : !r;
  }
  const c = order(a, b);
  if (c === undefined) {
    const hint =
      typeof a === 'string' || typeof b === 'string'
        ? 'convert the text first: x | int, x | float, or compare versions with: x is version("1.2", ">=")'
        : undefined;
    return fail(at, `cannot compare ${typeName(a)} with ${typeName(b)} using ${op}`, hint);
  }
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}
