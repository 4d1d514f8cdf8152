/** The filter and test tables, and calling them with checked arguments. */
import { didYouMean } from '../../../shared/errors.js';
import type { Scope } from '../../template/scope.js';
import { defined } from '../../template/undefined.js';
import { collectionFilters } from './collections.js';
import { commentFilters } from './comment.js';
import { cryptoFilters } from './crypto.js';
import { dataFilters } from './data.js';
import { tests } from './is-tests.js';
import { jinjaFilters } from './jinja.js';
import { mathFilters } from './math.js';
import { netFilters } from './net.js';
import { pathFilters } from './paths.js';
import { structureFilters } from './structure.js';
import { textFilters } from './text.js';
import { timeFilters } from './time.js';
import { urlFilters } from './urls.js';
import { bindArgs, type CallCtx, type Filter } from './types.js';

/** Every filter, by name (`d` and `count` are Jinja's aliases). */
export const filters: Record<string, Filter> = {
  ...textFilters,
  ...dataFilters,
  ...collectionFilters,
  ...jinjaFilters,
  ...commentFilters,
  ...mathFilters,
  ...pathFilters,
  ...urlFilters,
  ...timeFilters,
  ...structureFilters,
  ...cryptoFilters,
  ...netFilters,
  d: dataFilters.default,
  count: collectionFilters.length,
};

export { tests };

/** Applies filter `name`; arguments are plain values, `value` may be a strict undefined. */
export function callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, ctx: CallCtx): unknown {
  const f = Object.hasOwn(filters, name) ? filters[name] : undefined;
  if (!f) return ctx.fail(`unknown filter "${name}"${didYouMean(name, Object.keys(filters))}`, 'docs/templates.md lists the filters muster knows');
  if (!f.acceptsUndefined) defined(value);
  const [bound, extra] = bindArgs('filter', name, f, args.map(defined), mapValues(kwargs, defined), ctx);
  return f.fn(value, bound, ctx, extra);
}

/** Applies test `name`. */
export function callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, ctx: CallCtx): boolean {
  const t = Object.hasOwn(tests, name) ? tests[name] : undefined;
  if (!t) return ctx.fail(`unknown test "${name}"${didYouMean(name, Object.keys(tests))}`, 'docs/templates.md lists the tests muster knows');
  if (!t.acceptsUndefined) defined(value);
  const [bound, extra] = bindArgs('test', name, t, args.map(defined), mapValues(kwargs, defined), ctx);
  return t.fn(value, bound, ctx, extra);
}

/** The services filters get, failing through `fail`. */
export function callContext(scope: Scope, fail: (message: string, hint?: string) => never): CallCtx {
  const ctx: CallCtx = {
    fail,
    missing: (path) => scope.missing(path),
    test: (name, v, args) => callTest(name, v, args, {}, ctx),
    filter: (name, v, args) => callFilter(name, v, args, {}, ctx),
  };
  return ctx;
}

function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
