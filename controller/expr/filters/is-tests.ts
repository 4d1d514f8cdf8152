/** Jinja and Ansible tests: `x is defined`, `result is failed`, `name is match('^web')`, `v is version('2.0', '>=')`. */
import { isUndefined } from '../../template/undefined.js';
import { contains, equal, isDict, order, toBool, toInt, toStr, truthy, typeName } from '../values.js';
import { regexOrFail } from './text.js';
import type { CallCtx, Test } from './types.js';

function resultField(ctx: CallCtx, v: unknown, field: string, test: string): boolean {
  if (!isDict(v)) ctx.fail(`the ${test} test needs a registered task result (a dict), got ${typeName(v)}`, 'use it on a variable set by register:');
  return truthy(v[field]);
}

function ordered(ctx: CallCtx, a: unknown, b: unknown): number {
  const c = order(a, b);
  return c === undefined ? ctx.fail(`cannot compare ${typeName(a)} with ${typeName(b)}`, 'convert one side first, e.g. x | int') : c;
}

function reFlags(ic: unknown, ml: unknown): string {
  return `${toBool(ic) ? 'i' : ''}${toBool(ml) ? 'm' : ''}`;
}

/** Loose version parts: '1.10.0rc1' -> [1, 10, 0, 'rc', 1]. */
function versionParts(v: string): (number | string)[] {
  return (v.match(/\d+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p.toLowerCase()));
}

/** Compares versions part by part; a number ranks above a word, so '1.0' > '1.0rc1'. */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined || y === undefined) return x === undefined ? (typeof y === 'string' ? 1 : -1) : typeof x === 'string' ? -1 : 1;
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const VERSION_OPS = new Map<string, (c: number) => boolean>(
  (
    [
      [['<', 'lt'], (c) => c < 0],
      [['<=', 'le'], (c) => c <= 0],
      [['>', 'gt'], (c) => c > 0],
      [['>=', 'ge'], (c) => c >= 0],
      [['==', '=', 'eq'], (c) => c === 0],
      [['!=', '<>', 'ne'], (c) => c !== 0],
    ] as [string[], (c: number) => boolean][]
  ).flatMap(([names, check]) => names.map((n): [string, (c: number) => boolean] => [n, check])),
);

function version(ctx: CallCtx, v: unknown, other: unknown, op: unknown): boolean {
  const check = VERSION_OPS.get(toStr(op ?? 'eq'));
  if (!check) return ctx.fail(`unknown version comparison "${toStr(op)}"`, `use one of ${[...VERSION_OPS.keys()].join(' ')}`);
  return check(compareVersions(toStr(v), toStr(other)));
}

function listOf(ctx: CallCtx, v: unknown, test: string): unknown[] {
  return Array.isArray(v) ? v : ctx.fail(`the ${test} test needs a list, got ${typeName(v)}`);
}

const result = (field: string, name: string, negate = false): Test => ({ params: [], fn: (v, _a, ctx) => resultField(ctx, v, field, name) !== negate });
const regex = (anchored: boolean): Test => ({
  params: ['pattern', 'ignorecase', 'multiline'],
  fn: (v, [p, ic, ml], ctx) => regexOrFail(ctx, p, reFlags(ic, ml), anchored).test(toStr(v)),
});
const cmp = (accept: (c: number) => boolean): Test => ({ params: ['other'], fn: (v, [o], ctx) => accept(ordered(ctx, v, o)) });
const eq: Test = { params: ['other'], fn: (v, [o]) => equal(v, o) };

/** Every test, by name. */
export const tests: Record<string, Test> = {
  defined: { params: [], acceptsUndefined: true, fn: (v) => !isUndefined(v) },
  undefined: { params: [], acceptsUndefined: true, fn: (v) => isUndefined(v) },
  none: { params: [], fn: (v) => v === null || v === undefined },
  succeeded: result('failed', 'succeeded', true),
  success: result('failed', 'success', true),
  failed: result('failed', 'failed'),
  failure: result('failed', 'failure'),
  changed: result('changed', 'changed'),
  change: result('changed', 'change'),
  skipped: result('skipped', 'skipped'),
  skip: result('skipped', 'skip'),
  match: regex(true),
  search: regex(false),
  regex: regex(false),
  string: { params: [], fn: (v) => typeof v === 'string' },
  number: { params: [], fn: (v) => typeof v === 'number' },
  integer: { params: [], fn: (v) => typeof v === 'number' && Number.isInteger(v) },
  float: { params: [], fn: (v) => typeof v === 'number' && !Number.isInteger(v) },
  boolean: { params: [], fn: (v) => typeof v === 'boolean' },
  mapping: { params: [], fn: (v) => isDict(v) },
  sequence: { params: [], fn: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v) },
  iterable: { params: [], fn: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v) },
  true: { params: [], fn: (v) => v === true },
  false: { params: [], fn: (v) => v === false },
  truthy: { params: [], fn: (v) => truthy(v) },
  falsy: { params: [], fn: (v) => !truthy(v) },
  even: { params: [], fn: (v) => toInt(v) % 2 === 0 },
  odd: { params: [], fn: (v) => Math.abs(toInt(v) % 2) === 1 },
  divisibleby: { params: ['num'], fn: (v, [n], ctx) => (toInt(n) === 0 ? ctx.fail('divisibleby(0): division by zero') : toInt(v) % toInt(n) === 0) },
  eq,
  equalto: eq,
  '==': eq,
  ne: { params: ['other'], fn: (v, [o]) => !equal(v, o) },
  lt: cmp((c) => c < 0),
  '<': cmp((c) => c < 0),
  le: cmp((c) => c <= 0),
  '<=': cmp((c) => c <= 0),
  gt: cmp((c) => c > 0),
  '>': cmp((c) => c > 0),
  ge: cmp((c) => c >= 0),
  '>=': cmp((c) => c >= 0),
  sameas: { params: ['other'], fn: (v, [o]) => v === o },
  in: { params: ['seq'], fn: (v, [seq], ctx) => contains(seq, v) ?? ctx.fail(`"in" needs a string, list or dict, got ${typeName(seq)}`) },
  contains: { params: ['item'], fn: (v, [item], ctx) => contains(v, item) ?? ctx.fail(`contains needs a string, list or dict, got ${typeName(v)}`) },
  lower: { params: [], fn: (v) => typeof v === 'string' && v === v.toLowerCase() },
  upper: { params: [], fn: (v) => typeof v === 'string' && v === v.toUpperCase() },
  version: { params: ['version', 'operator', 'strict', 'version_type'], fn: (v, [o, op], ctx) => version(ctx, v, o, op) },
  version_compare: { params: ['version', 'operator', 'strict', 'version_type'], fn: (v, [o, op], ctx) => version(ctx, v, o, op) },
  subset: { params: ['other'], fn: (v, [o], ctx) => listOf(ctx, v, 'subset').every((x) => listOf(ctx, o, 'subset').some((y) => equal(x, y))) },
  superset: { params: ['other'], fn: (v, [o], ctx) => listOf(ctx, o, 'superset').every((x) => listOf(ctx, v, 'superset').some((y) => equal(x, y))) },
  all: { params: [], fn: (v, _a, ctx) => listOf(ctx, v, 'all').every(truthy) },
  any: { params: [], fn: (v, _a, ctx) => listOf(ctx, v, 'any').some(truthy) },
};
