/** List and dict filters: sizes, ends, joining, sorting, set operations, map/select, dict reshaping. */
import { defined } from '../../template/undefined.js';
import { equal, isDict, lengthOf, order, setKey, toBool, toInt, toStr, truthy, typeName } from '../values.js';
import type { CallCtx, Filter } from './types.js';

function list(ctx: CallCtx, v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  return ctx.fail(`the ${filter} filter needs a list, got ${typeName(v)}`);
}

function dict(ctx: CallCtx, v: unknown, filter: string): Record<string, unknown> {
  return isDict(v) ? v : ctx.fail(`the ${filter} filter needs a dict, got ${typeName(v)}`);
}

/** `a.b.0` of an item, or the strict undefined naming it. */
export function attribute(ctx: CallCtx, item: unknown, path: string, index: number): unknown {
  let cur = item;
  for (const key of path.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
    else if (isDict(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else return ctx.missing(`item ${index} attribute ${path}`);
  }
  return cur;
}

function compareOrFail(ctx: CallCtx, a: unknown, b: unknown): number {
  const c = order(a, b);
  return c === undefined ? ctx.fail(`cannot order ${typeName(a)} and ${typeName(b)}`, 'sort lists of one type, or use attribute=') : c;
}

function sortKey(ctx: CallCtx, v: unknown, i: number, attr: unknown, caseSensitive: boolean): unknown {
  const x = attr === undefined || attr === null ? v : attribute(ctx, v, toStr(attr), i);
  return typeof x === 'string' && !caseSensitive ? x.toLowerCase() : x;
}

function extreme(ctx: CallCtx, v: unknown, attr: unknown, sign: number, name: string): unknown {
  const items = list(ctx, v, name);
  if (!items.length) return null;
  return items.reduce((best, x, i) => (compareOrFail(ctx, sortKey(ctx, x, i, attr, true), sortKey(ctx, best, 0, attr, true)) * sign > 0 ? x : best));
}

// nulls drop out, as in Ansible's flatten (skip_nulls defaults to true)
function flatten(v: unknown[], levels: number): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (x === null) continue;
    if (Array.isArray(x) && levels !== 0) out.push(...flatten(x, levels - 1));
    else out.push(x);
  }
  return out;
}

function unique(items: unknown[]): unknown[] {
  return items.filter((x, i) => items.findIndex((y) => equal(x, y)) === i);
}

type ListMerge = 'replace' | 'keep' | 'append' | 'prepend';

/** Ansible's combine: later dicts win; recursive merges nested dicts; list_merge decides what lists do. */
export function combine(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, lists: ListMerge): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(a));
  for (const [k, v] of Object.entries(b)) {
    const old = Object.hasOwn(out, k) ? out[k] : undefined;
    if (recursive && isDict(old) && isDict(v)) setKey(out, k, combine(old, v, true, lists));
    else if (Array.isArray(old) && Array.isArray(v) && lists !== 'replace')
      setKey(out, k, lists === 'keep' ? old : lists === 'append' ? [...old, ...v] : [...v, ...old]);
    else setKey(out, k, v);
  }
  return out;
}

function selectBy(ctx: CallCtx, v: unknown, args: unknown[], keep: boolean, attr?: string): unknown[] {
  const [test, ...rest] = args;
  return list(ctx, v, attr === undefined ? 'select' : 'selectattr').filter((x, i) => {
    const subject = attr === undefined ? x : attribute(ctx, x, attr, i);
    // without a test an item passes when truthy; a missing attribute counts as false
    const pass = test === undefined ? !ctx.test('undefined', subject, []) && truthy(subject) : ctx.test(toStr(test), subject, rest);
    return pass === keep;
  });
}

/** Jinja and Ansible list/dict filters. */
export const collectionFilters: Record<string, Filter> = {
  length: { params: [], fn: (v, _a, ctx) => lengthOf(v) ?? ctx.fail(`length needs a string, list or dict, got ${typeName(v)}`) },
  first: { params: [], fn: (v, _a, ctx) => list(ctx, v, 'first')[0] ?? ctx.missing('first item of an empty list') },
  last: { params: [], fn: (v, _a, ctx) => list(ctx, v, 'last').at(-1) ?? ctx.missing('last item of an empty list') },
  list: { params: [], fn: (v, _a, ctx) => [...list(ctx, v, 'list')] },
  join: {
    params: ['d', 'attribute'],
    fn: (v, [sep, attr], ctx) =>
      list(ctx, v, 'join')
        .map((x, i) => toStr(attr == null ? x : attribute(ctx, x, toStr(attr), i)))
        .join(toStr(sep ?? '')),
  },
  unique: { params: [], fn: (v, _a, ctx) => unique(list(ctx, v, 'unique')) },
  reverse: { params: [], fn: (v, _a, ctx) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(ctx, v, 'reverse')].reverse()) },
  sort: {
    params: ['reverse', 'case_sensitive', 'attribute'],
    fn: (v, [rev, cs, attr], ctx) => {
      const keyed = list(ctx, v, 'sort').map((x, i) => [sortKey(ctx, x, i, attr, toBool(cs)), x] as const);
      keyed.sort((a, b) => compareOrFail(ctx, a[0], b[0]) * (toBool(rev) ? -1 : 1));
      return keyed.map(([, x]) => x);
    },
  },
  min: { params: ['attribute'], fn: (v, [attr], ctx) => extreme(ctx, v, attr, -1, 'min') },
  max: { params: ['attribute'], fn: (v, [attr], ctx) => extreme(ctx, v, attr, 1, 'max') },
  sum: {
    params: ['attribute', 'start'],
    fn: (v, [attr, start], ctx) =>
      list(ctx, v, 'sum').reduce<number>(
        (acc, x, i) => {
          const n = attr == null ? x : attribute(ctx, x, toStr(attr), i);
          return typeof n === 'number' ? acc + n : ctx.fail(`sum needs numbers, got ${typeName(n)}`);
        },
        toInt(start ?? 0),
      ),
  },
  flatten: { params: ['levels'], fn: (v, [levels], ctx) => flatten(list(ctx, v, 'flatten'), levels == null ? -1 : toInt(levels)) },
  map: {
    params: [],
    variadic: true,
    kwargs: true,
    fn: (v, [name, ...rest], ctx, kw) =>
      list(ctx, v, 'map').map((x, i) => {
        if (kw.attribute !== undefined) {
          const a = attribute(ctx, x, toStr(kw.attribute), i);
          if ('default' in kw) return ctx.test('undefined', a, []) ? kw.default : a;
          return defined(a);
        }
        if (name === undefined) ctx.fail('map needs a filter name or attribute=', "write: users | map(attribute='name') or names | map('upper')");
        return ctx.filter(toStr(name), x, rest);
      }),
  },
  select: { params: [], variadic: true, fn: (v, args, ctx) => selectBy(ctx, v, args, true) },
  reject: { params: [], variadic: true, fn: (v, args, ctx) => selectBy(ctx, v, args, false) },
  selectattr: { params: ['attribute'], variadic: true, fn: (v, [attr, ...args], ctx) => selectBy(ctx, v, args, true, toStr(attr)) },
  rejectattr: { params: ['attribute'], variadic: true, fn: (v, [attr, ...args], ctx) => selectBy(ctx, v, args, false, toStr(attr)) },
  dict2items: {
    params: ['key_name', 'value_name'],
    fn: (v, [k, val], ctx) => Object.entries(dict(ctx, v, 'dict2items')).map(([key, value]) => ({ [toStr(k ?? 'key')]: key, [toStr(val ?? 'value')]: value })),
  },
  items2dict: {
    params: ['key_name', 'value_name'],
    fn: (v, [k, val], ctx) =>
      Object.fromEntries(
        list(ctx, v, 'items2dict').map((x, i) => [toStr(attribute(ctx, x, toStr(k ?? 'key'), i)), attribute(ctx, x, toStr(val ?? 'value'), i)]),
      ),
  },
  combine: {
    params: [],
    variadic: true,
    kwargs: true,
    fn: (v, args, ctx, kw) => {
      const lists = toStr(kw.list_merge ?? 'replace');
      if (!['replace', 'keep', 'append', 'prepend'].includes(lists)) ctx.fail(`combine: list_merge must be replace, keep, append or prepend, got "${lists}"`);
      const dicts = args.flatMap((a) => (Array.isArray(a) ? a : [a]));
      return dicts.reduce<Record<string, unknown>>(
        (acc, d) => combine(acc, dict(ctx, d, 'combine'), toBool(kw.recursive), lists as ListMerge),
        dict(ctx, v, 'combine'),
      );
    },
  },
  difference: {
    params: ['other'],
    fn: (v, [o], ctx) => unique(list(ctx, v, 'difference').filter((x) => !list(ctx, o, 'difference').some((y) => equal(x, y)))),
  },
  intersect: { params: ['other'], fn: (v, [o], ctx) => unique(list(ctx, v, 'intersect').filter((x) => list(ctx, o, 'intersect').some((y) => equal(x, y)))) },
  union: { params: ['other'], fn: (v, [o], ctx) => unique([...list(ctx, v, 'union'), ...list(ctx, o, 'union')]) },
  symmetric_difference: {
    params: ['other'],
    fn: (v, [o], ctx) => {
      const a = list(ctx, v, 'symmetric_difference');
      const b = list(ctx, o, 'symmetric_difference');
      return unique([...a.filter((x) => !b.some((y) => equal(x, y))), ...b.filter((x) => !a.some((y) => equal(x, y)))]);
    },
  },
  zip: {
    params: [],
    variadic: true,
    fn: (v, others, ctx) => {
      const lists = [list(ctx, v, 'zip'), ...others.map((o) => list(ctx, o, 'zip'))];
      return lists[0].slice(0, Math.min(...lists.map((l) => l.length))).map((_, i) => lists.map((l) => l[i]));
    },
  },
};
