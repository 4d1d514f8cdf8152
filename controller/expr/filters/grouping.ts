/** Jinja's filters that group and cut lists: groupby, batch, slice, dictsort. */
import { isDict, order, toStr, typeName } from '../values.js';
import type { CallCtx } from './types.js';

const s = toStr;

function lowerKey(x: unknown): unknown {
  return typeof x === 'string' ? x.toLowerCase() : x;
}

function compare(ctx: CallCtx, a: unknown, b: unknown, filter: string): number {
  const c = order(a, b);
  return c === undefined ? ctx.fail(`${filter}: cannot order ${typeName(a)} and ${typeName(b)}`) : c;
}

function items(ctx: CallCtx, v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  return ctx.fail(`the ${filter} filter needs a list, got ${typeName(v)}`);
}

// Jinja's attribute getter: dict keys, and list or string indexes for the numeric parts of a dotted path
function itemPath(ctx: CallCtx, item: unknown, path: string, index: number): unknown {
  let cur = item;
  for (const key of path.split('.')) {
    if (isDict(cur) && Object.hasOwn(cur, key)) cur = cur[key];
    else if ((Array.isArray(cur) || typeof cur === 'string') && /^\d+$/.test(key) && Number(key) < cur.length) cur = cur[Number(key)];
    else return ctx.missing(`item ${index} attribute ${path}`);
  }
  return cur;
}

export function groupby(ctx: CallCtx, v: unknown, attr: unknown, fallback: unknown, caseSensitive: boolean): unknown[] {
  const key = (x: unknown, i: number): unknown => {
    const path = s(attr);
    const got = itemPath(ctx, x, path, i);
    if (ctx.test('undefined', got, [])) {
      if (fallback === undefined) return ctx.fail(`groupby: item ${i} has no attribute ${path}`, "give a fallback: groupby('attr', default='none')");
      return fallback;
    }
    return got;
  };
  const keyed = items(ctx, v, 'groupby').map((x, i) => ({ x, raw: key(x, i) }));
  const cmpKey = (r: unknown) => (caseSensitive ? r : lowerKey(r));
  keyed.sort((a, b) => compare(ctx, cmpKey(a.raw), cmpKey(b.raw), 'groupby'));
  const groups: [unknown, unknown[]][] = [];
  for (const { x, raw } of keyed) {
    const last = groups.at(-1);
    if (last && compare(ctx, cmpKey(last[0]), cmpKey(raw), 'groupby') === 0) last[1].push(x);
    else groups.push([raw, [x]]);
  }
  return groups;
}

export function batch(ctx: CallCtx, v: unknown, size: number, fill: unknown): unknown[][] {
  if (size < 1) ctx.fail(`batch: the size must be at least 1, got ${size}`);
  const out: unknown[][] = [];
  for (const x of items(ctx, v, 'batch')) {
    if (!out.length || (out.at(-1) as unknown[]).length === size) out.push([]);
    (out.at(-1) as unknown[]).push(x);
  }
  const last = out.at(-1);
  if (last && fill !== undefined && fill !== null) while (last.length < size) last.push(fill);
  return out;
}

export function slice(ctx: CallCtx, v: unknown, slices: number, fill: unknown): unknown[][] {
  if (slices < 1) ctx.fail(`slice: the number of slices must be at least 1, got ${slices}`);
  const seq = items(ctx, v, 'slice');
  const per = Math.floor(seq.length / slices);
  const extra = seq.length % slices;
  const out: unknown[][] = [];
  let offset = 0;
  for (let n = 0; n < slices; n++) {
    const start = offset + n * per;
    if (n < extra) offset++;
    const part = seq.slice(start, offset + (n + 1) * per);
    if (fill !== undefined && fill !== null && n >= extra) part.push(fill);
    out.push(part);
  }
  return out;
}

/** Jinja's dictsort: the (key, value) pairs of a dict, ordered by key or by value. */
export function dictsort(ctx: CallCtx, v: unknown, caseSensitive: boolean, by: string, reverse: boolean): [string, unknown][] {
  if (by !== 'key' && by !== 'value') ctx.fail('dictsort: you can only sort by either "key" or "value"');
  const d = isDict(v) ? v : ctx.fail(`dictsort needs a dict, got ${typeName(v)}`);
  const pos = by === 'key' ? 0 : 1;
  const key = (p: [string, unknown]) => (caseSensitive ? p[pos] : lowerKey(p[pos]));
  const pairs = Object.entries(d);
  pairs.sort((a, b) => compare(ctx, key(a), key(b), 'dictsort') * (reverse ? -1 : 1));
  return pairs;
}
