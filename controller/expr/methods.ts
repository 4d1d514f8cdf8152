/** The Python methods expressions may call: `name.startswith('web')`, `line.split(':')`, `d.get('k', 0)`. */
import type { CallCtx } from './filters/types.js';
import { pySplit, trimChars } from './filters/text.js';
import { equal, isDict, toInt, toStr, typeName } from './values.js';

type Method<T> = (self: T, args: unknown[], ctx: CallCtx) => unknown;

function prefixes(p: unknown): string[] {
  return Array.isArray(p) ? p.map(toStr) : [toStr(p)];
}

function braceFormat(ctx: CallCtx, fmt: string, args: unknown[]): string {
  let next = 0;
  return fmt.replace(/\{\{|\}\}|\{(\d*)\}/g, (m, n: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const i = n ? Number(n) : next++;
    if (i >= args.length) ctx.fail(`format: no argument for {${n ?? ''}}`);
    return toStr(args[i]);
  });
}

const stringMethods: Record<string, Method<string>> = {
  startswith: (s, [p]) => prefixes(p).some((x) => s.startsWith(x)),
  endswith: (s, [p]) => prefixes(p).some((x) => s.endsWith(x)),
  split: (s, [sep, max]) => pySplit(s, sep, max === undefined ? -1 : toInt(max)),
  splitlines: (s) => s.split(/\r?\n/).filter((line, i, all) => !(i === all.length - 1 && line === '')),
  strip: (s, [chars]) => trimChars(s, chars, 'both'),
  lstrip: (s, [chars]) => trimChars(s, chars, 'start'),
  rstrip: (s, [chars]) => trimChars(s, chars, 'end'),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s, [a, b]) => s.split(toStr(a)).join(toStr(b)),
  find: (s, [sub]) => s.indexOf(toStr(sub)),
  count: (s, [sub]) => (toStr(sub) === '' ? s.length + 1 : s.split(toStr(sub)).length - 1),
  join: (s, [items], ctx) => (Array.isArray(items) ? items.map(toStr).join(s) : ctx.fail(`join needs a list, got ${typeName(items)}`)),
  format: (s, args, ctx) => braceFormat(ctx, s, args),
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  zfill: (s, [w]) => (s.startsWith('-') ? `-${s.slice(1).padStart(toInt(w) - 1, '0')}` : s.padStart(toInt(w), '0')),
};

const dictMethods: Record<string, Method<Record<string, unknown>>> = {
  get: (d, [key, fallback]) => (Object.hasOwn(d, toStr(key)) ? d[toStr(key)] : (fallback ?? null)),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
};

const listMethods: Record<string, Method<unknown[]>> = {
  index: (l, [x], ctx) => {
    const i = l.findIndex((y) => equal(x, y));
    return i >= 0 ? i : ctx.fail(`${toStr(x)} is not in the list`);
  },
  count: (l, [x]) => l.filter((y) => equal(x, y)).length,
};

/** Calls method `name` on a plain value; unknown methods fail with the ones that exist. */
export function callMethod(self: unknown, name: string, args: unknown[], ctx: CallCtx): unknown {
  const table: Record<string, Method<never>> = typeof self === 'string' ? stringMethods : isDict(self) ? dictMethods : Array.isArray(self) ? listMethods : {};
  const m = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!m) {
    const known = Object.keys(table);
    return ctx.fail(
      `${typeName(self)} has no method .${name}()`,
      known.length ? `${typeName(self)} methods: ${known.join(', ')}` : 'use a filter instead: value | name',
    );
  }
  return (m as Method<unknown>)(self, args, ctx);
}
