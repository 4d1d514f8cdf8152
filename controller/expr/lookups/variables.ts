/**
 * The lookups that search the variables by name: varnames (the names a regular expression finds) and
 * community.general.merge_variables (the values of the variables it finds, merged in name order).
 */
import { isDict, typeName } from '../values.js';
import { pyRegex } from '../pyregex.js';
import type { Lookup, LookupCtx } from './types.js';

function pattern(t: unknown, ctx: LookupCtx): RegExp {
  if (typeof t !== 'string') return ctx.fail(`expects text patterns, got ${typeName(t)}`);
  try {
    return pyRegex(t);
  } catch (e) {
    return ctx.fail((e as Error).message, 'the terms are Python regular expressions, searched anywhere in a name');
  }
}

const varnames: Lookup = {
  options: [],
  run(terms, _o, ctx) {
    const names = Object.keys(ctx.vars());
    return terms.flatMap((t) => {
      const re = pattern(t, ctx);
      return names.filter((n) => re.test(n));
    });
  },
};

type Merged = Record<string, unknown> | unknown[];

function kindOf(v: unknown, what: string, ctx: LookupCtx): 'dict' | 'list' {
  if (isDict(v)) return 'dict';
  if (Array.isArray(v)) return 'list';
  return ctx.fail(`${what} is ${typeName(v)}: only dicts and lists can be merged`);
}

// dicts merge recursively, lists under the same key are joined; a differing scalar is an override
function mergeDict(src: Record<string, unknown>, dest: Record<string, unknown>, path: string[], override: string, ctx: LookupCtx): void {
  for (const [k, v] of Object.entries(src)) {
    if (isDict(v)) {
      const node = isDict(dest[k]) ? dest[k] : {};
      if (!Object.hasOwn(dest, k)) dest[k] = node;
      mergeDict(v, node as Record<string, unknown>, [...path, k], override, ctx);
    } else if (Array.isArray(v) && Array.isArray(dest[k])) {
      dest[k] = [...(dest[k] as unknown[]), ...v];
    } else {
      if (Object.hasOwn(dest, k) && JSON.stringify(dest[k]) !== JSON.stringify(v)) {
        const msg = `the key "${k}" (${JSON.stringify(dest[k])}) would be overwritten with ${JSON.stringify(v)} from ${[...path, k].join('.')}`;
        if (override === 'error') ctx.fail(msg, "set override='warn' or 'ignore' to let later variables (by name) win");
        if (override === 'warn') ctx.io?.warn(msg);
      }
      dest[k] = v;
    }
  }
}

function mergeNamed(
  re: (name: string) => boolean,
  start: Merged | undefined,
  names: string[],
  value: (n: string) => unknown,
  override: string,
  ctx: LookupCtx,
): Merged | undefined {
  let result = start;
  let kind = start === undefined ? undefined : kindOf(start, 'initial_value', ctx);
  for (const name of names.filter(re).sort()) {
    const v = value(name);
    const k = kindOf(v, `the variable ${name}`, ctx);
    if (kind !== undefined && k !== kind) ctx.fail(`cannot merge ${name} (a ${k}) into a ${kind}: all the variables must be of one type`);
    kind = k;
    if (result === undefined) result = structuredClone(v) as Merged;
    else if (Array.isArray(result)) result = [...result, ...(v as unknown[])];
    else mergeDict(v as Record<string, unknown>, result, [name], override, ctx);
  }
  return result;
}

const mergeVariables: Lookup = {
  options: ['initial_value', 'override', 'pattern_type', 'groups'],
  run(terms, options, ctx) {
    const override = String(options.override ?? 'error');
    if (!['error', 'warn', 'ignore'].includes(override)) ctx.fail(`override must be error, warn or ignore, got ${JSON.stringify(options.override)}`);
    const type = String(options.pattern_type ?? 'regex');
    if (!['regex', 'prefix', 'suffix'].includes(type)) ctx.fail(`pattern_type must be regex, prefix or suffix, got ${JSON.stringify(options.pattern_type)}`);
    const initial = options.initial_value === null || options.initial_value === undefined ? undefined : structuredClone(options.initial_value);
    const groups =
      options.groups === null || options.groups === undefined ? [] : Array.isArray(options.groups) ? options.groups.map(String) : [String(options.groups)];
    return terms.map((t) => {
      if (typeof t !== 'string') return ctx.fail(`expects text patterns, got ${typeName(t)}`);
      const re =
        type === 'prefix'
          ? (n: string) => n.startsWith(t)
          : type === 'suffix'
            ? (n: string) => n.endsWith(t)
            : (
                (r) => (n: string) =>
                  r.test(n)
              )(pattern(t, ctx));
      if (!groups.length) {
        return mergeNamed(re, initial as Merged | undefined, Object.keys(ctx.vars()), (n) => ctx.variable(n)?.value, override, ctx) ?? null;
      }
      // across the hosts of the groups, in inventory order; their values as the inventory and facts hold them
      const members = ctx.variable('groups')?.value as Record<string, string[]> | undefined;
      const hostvars = (ctx.variable('hostvars')?.value ?? {}) as Record<string, Record<string, unknown>>;
      const wanted = new Set(groups.includes('all') ? Object.keys(hostvars) : groups.flatMap((g) => members?.[g] ?? []));
      let result = initial as Merged | undefined;
      for (const host of Object.keys(hostvars).filter((h) => wanted.has(h))) {
        const vars = hostvars[host];
        result = mergeNamed(re, result, Object.keys(vars), (n) => vars[n], override, ctx);
      }
      return result ?? null;
    });
  },
};

/** The lookups over variable names, by name. */
export const variableLookups: Record<string, Lookup> = { varnames, merge_variables: mergeVariables };
