/** Ansible's math filters: logarithms and powers, byte sizes, itertools combinatorics, random picks. */
import { randomInt } from 'node:crypto';
import { isDict, toBool, toInt, toStr, typeName } from '../values.js';
import { ln, log10, pow } from './pymath.js';
import { PyRandom } from './pyrandom.js';
import { pyFixed, pyRound } from './pynum.js';
import type { CallCtx, Filter } from './types.js';

function num(ctx: CallCtx, v: unknown, filter: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  return ctx.fail(`${filter}() can only be used on numbers, got ${typeName(v)}`, `convert first: x | float | ${filter}`);
}

function domain(ctx: CallCtx, x: number, filter: string): number {
  return Number.isNaN(x) ? ctx.fail(`${filter}(): math domain error`, 'the value is out of range for this function (a log of 0 or less?)') : x;
}

function finite(ctx: CallCtx, x: number, filter: string): number {
  return Number.isFinite(x) ? x : ctx.fail(`${filter}(): math range error`, 'the result is too large for a float');
}

const SIZES: [string, number][] = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

/** Ansible's bytes_to_human: the largest unit the size reaches (or `unit`), two decimals. */
export function bytesToHuman(size: number, isbits: boolean, unit?: string): string {
  let [suffix, limit] = SIZES[SIZES.length - 1];
  for (const [sfx, lim] of SIZES) {
    if ((unit === undefined && size >= lim) || (unit !== undefined && unit.toUpperCase() === sfx)) {
      [suffix, limit] = [sfx, lim];
      break;
    }
  }
  const base = isbits ? 'bits' : 'Bytes';
  return `${pyFixed(size / limit, 2)} ${limit !== 1 ? suffix + base[0] : base}`;
}

/** Ansible's human_to_bytes: '10M' or ('10', 'M') to a byte (or bit) count. */
export function humanToBytes(ctx: CallCtx, value: unknown, defaultUnit: unknown, isbits: boolean): number {
  const text = toStr(value);
  const bad = (why: string) => ctx.fail(`human_to_bytes() can't interpret following string: ${text}`, why);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text) as RegExpExecArray;
  if (m[1] === '' || m[1] === '.') return bad('write a number with an optional unit, e.g. 10M or 1.5 GB');
  const n = Number(m[1]);
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? undefined : toStr(defaultUnit));
  if (unit === undefined) return pyRound(n);
  const key = unit[0].toUpperCase();
  const size = SIZES.find(([sfx]) => sfx === key);
  if (!size) return bad(`the unit must start with one of ${SIZES.map(([sfx]) => sfx).join(', ')}`);
  const cls = isbits ? 'b' : 'B';
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? 'bit' : 'byte') && unit[1] !== cls) {
    return bad(isbits ? 'with isbits=true write bits as Kb, Mb, ... (lowercase b)' : 'write bytes as KB, MB, ... (uppercase B), or pass isbits=true for Kb');
  }
  return pyRound(n * size[1]);
}

function items(ctx: CallCtx, v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  return ctx.fail(`the ${filter} filter needs a list, got ${typeName(v)}`);
}

/** itertools.product. */
export function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]);
}

/** itertools.permutations, in its order. */
export function permutations(pool: unknown[], r: number): unknown[][] {
  if (r > pool.length) return [];
  const out: unknown[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === r) out.push(prefix.map((i) => pool[i]));
    else for (let i = 0; i < pool.length; i++) if (!prefix.includes(i)) walk([...prefix, i]);
  };
  walk([]);
  return out;
}

/** itertools.combinations, in its order. */
export function combinations(pool: unknown[], r: number): unknown[][] {
  const out: unknown[][] = [];
  const walk = (start: number, prefix: unknown[]) => {
    if (prefix.length === r) out.push(prefix);
    else for (let i = start; i <= pool.length - (r - prefix.length); i++) walk(i + 1, [...prefix, pool[i]]);
  };
  if (r >= 0 && r <= pool.length) walk(0, []);
  return out;
}

function generator(ctx: CallCtx, seed: unknown): PyRandom | undefined {
  if (seed === undefined || seed === null) return undefined;
  if (typeof seed === 'string') return new PyRandom(seed);
  if (typeof seed === 'boolean' || (typeof seed === 'number' && Number.isInteger(seed))) return new PyRandom(Number(seed));
  return ctx.fail(`random seed must be a string or an integer, got ${typeName(seed)}`, 'seed with text, e.g. seed=inventory_hostname');
}

function rand(ctx: CallCtx, end: unknown, start: unknown, step: unknown, seed: unknown): unknown {
  const r = generator(ctx, seed);
  const below = (n: number) => (r ? r.randbelow(n) : randomInt(n));
  if (typeof end === 'number' && Number.isInteger(end)) {
    const from = start ? toInt(start) : 0;
    const by = step ? toInt(step) : 1;
    try {
      return (r ?? new PyRandom(randomInt(2 ** 48 - 1))).randrange(from, end, by);
    } catch (e) {
      return ctx.fail(`random: ${(e as Error).message}`, 'the end must be above the start (random picks from start to end - 1)');
    }
  }
  if (isDict(end)) return ctx.fail('random cannot pick from a dict (Python fails with KeyError: 0)', 'pick from its keys: d | list | random');
  if (Array.isArray(end) || typeof end === 'string') {
    if (start || step) ctx.fail('start and step can only be used with integer values');
    const pool = items(ctx, end, 'random');
    if (!pool.length) ctx.fail('random: cannot choose from an empty sequence');
    return pool[below(pool.length)];
  }
  return ctx.fail(`random can only be used on sequences and integers, got ${typeName(end)}`);
}

function shuffle(v: unknown, seed: unknown, ctx: CallCtx): unknown[] {
  const xs = Array.isArray(v) ? [...v] : typeof v === 'string' ? [...v] : isDict(v) ? Object.keys(v) : [v];
  // Ansible treats a falsy seed as no seed
  const r = seed ? generator(ctx, seed) : undefined;
  if (r) return r.shuffle(xs);
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function rekey(ctx: CallCtx, v: unknown, key: unknown, duplicates: string): Record<string, unknown> {
  if (duplicates !== 'error' && duplicates !== 'overwrite') ctx.fail(`duplicates parameter to rekey_on_member has unknown value: ${duplicates}`);
  const list = isDict(v) ? Object.values(v) : Array.isArray(v) ? v : ctx.fail(`rekey_on_member needs a list or dict, got ${typeName(v)}`);
  const out: Record<string, unknown> = {};
  for (const item of list) {
    if (!isDict(item)) ctx.fail('rekey_on_member: list item is not a valid dict');
    const k = toStr(key);
    if (!Object.hasOwn(item, k)) ctx.fail(`rekey_on_member: key ${k} was not found`);
    const name = toStr(item[k]);
    if (Object.hasOwn(out, name) && duplicates === 'error')
      ctx.fail(`rekey_on_member: key ${name} is not unique, cannot correctly turn into dict`, "pass duplicates='overwrite' to keep the last");
    out[name] = item;
  }
  return out;
}

/** Ansible's mathstuff filters and random/shuffle. */
export const mathFilters: Record<string, Filter> = {
  log: {
    params: ['base'],
    fn: (v, [base], ctx) => {
      const x = num(ctx, v, 'log');
      if (base === undefined) return domain(ctx, ln(x), 'log');
      const b = num(ctx, base, 'log');
      if (b === 10) return domain(ctx, log10(x), 'log');
      return domain(ctx, ln(x), 'log') / domain(ctx, ln(b), 'log');
    },
  },
  pow: { params: ['y'], fn: (v, [y], ctx) => finite(ctx, domain(ctx, pow(num(ctx, v, 'pow'), num(ctx, y, 'pow')), 'pow'), 'pow') },
  root: {
    params: ['base'],
    fn: (v, [base], ctx) => {
      const x = num(ctx, v, 'root');
      const b = num(ctx, base ?? 2, 'root');
      return domain(ctx, b === 2 ? Math.sqrt(x) : pow(x, 1 / b), 'root');
    },
  },
  human_readable: {
    params: ['isbits', 'unit'],
    fn: (v, [isbits, unit], ctx) => bytesToHuman(num(ctx, v, 'human_readable'), toBool(isbits), unit == null ? undefined : toStr(unit)),
  },
  human_to_bytes: { params: ['default_unit', 'isbits'], fn: (v, [unit, isbits], ctx) => humanToBytes(ctx, v, unit, toBool(isbits)) },
  product: {
    params: [],
    variadic: true,
    kwargs: true,
    fn: (v, others, ctx, kw) => {
      const lists = [v, ...others].map((l) => items(ctx, l, 'product'));
      const repeat = kw.repeat === undefined ? 1 : toInt(kw.repeat);
      return product(Array.from({ length: repeat }, () => lists).flat());
    },
  },
  permutations: {
    params: ['r'],
    fn: (v, [r], ctx) => {
      const pool = items(ctx, v, 'permutations');
      return permutations(pool, r === undefined || r === null ? pool.length : toInt(r));
    },
  },
  combinations: { params: ['r'], fn: (v, [r], ctx) => combinations(items(ctx, v, 'combinations'), toInt(r)) },
  zip_longest: {
    params: [],
    variadic: true,
    kwargs: true,
    fn: (v, others, ctx, kw) => {
      const lists = [v, ...others].map((l) => items(ctx, l, 'zip_longest'));
      const fill = kw.fillvalue ?? null;
      return Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) => lists.map((l) => (i < l.length ? l[i] : fill)));
    },
  },
  random: { params: ['start', 'step', 'seed'], fn: (v, [start, step, seed], ctx) => rand(ctx, v, start, step, seed) },
  shuffle: { params: ['seed'], fn: (v, [seed], ctx) => shuffle(v, seed, ctx) },
  rekey_on_member: { params: ['key', 'duplicates'], fn: (v, [key, dup], ctx) => rekey(ctx, v, key, toStr(dup ?? 'error')) },
};
