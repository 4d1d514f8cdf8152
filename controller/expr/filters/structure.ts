/** Ansible's data-structure filters not in collections.ts: extract, subelements, from_yaml_all, version_compare. */
import { parseAllDocuments } from 'yaml';
import { pyRepr } from '../pystr.js';
import { isDict, toBool, toStr, typeName } from '../values.js';
import { tests } from './is-tests.js';
import type { CallCtx, Filter } from './types.js';

/** container[key], then [key2]... along `keys`; a missing step is the strict undefined naming it. */
export function extract(ctx: CallCtx, container: unknown, keys: unknown[]): unknown {
  let cur = container;
  const path: string[] = [];
  for (const key of keys) {
    path.push(toStr(key));
    if (Array.isArray(cur) && typeof key === 'number' && Number.isInteger(key) && key >= -cur.length && key < cur.length) cur = cur.at(key);
    else if (isDict(cur) && Object.hasOwn(cur, toStr(key))) cur = cur[toStr(key)];
    else return ctx.missing(`extract: ${path.join(' -> ')}`);
  }
  return cur;
}

/** Pairs of (element, sub-item) for each item of the list at `path` inside each element. */
export function subelements(ctx: CallCtx, v: unknown, path: unknown, skipMissing: boolean): unknown[] {
  const elements = isDict(v) ? Object.values(v) : Array.isArray(v) ? v : ctx.fail('obj must be a list of dicts or a nested dict');
  const keys = Array.isArray(path) ? path.map(toStr) : typeof path === 'string' ? path.split('.') : ctx.fail('subelements must be a list or a string');
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const k of keys) {
      if (isDict(values) && Object.hasOwn(values, k)) values = values[k];
      else if (isDict(values)) {
        if (skipMissing) {
          values = [];
          break;
        }
        ctx.fail(`could not find '${k}' key in iterated item ${pyRepr(values)}`, 'pass skip_missing=true to skip items without it');
      } else ctx.fail(`the key ${k} should point to a dictionary, got '${toStr(values)}'`);
    }
    if (!Array.isArray(values)) ctx.fail(`the key '${keys.at(-1)}' should point to a list, got ${pyRepr(values)}`);
    for (const x of values) out.push([element, x]);
  }
  return out;
}

function fromYamlAll(ctx: CallCtx, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const docs = parseAllDocuments(v, { version: '1.1' });
  if (!Array.isArray(docs)) return [];
  return docs.map((d) => {
    if (d.errors.length) ctx.fail(`from_yaml_all: not valid YAML: ${d.errors[0].message.split('\n')[0]}`);
    return d.toJS();
  });
}

/** The structure filters. */
export const structureFilters: Record<string, Filter> = {
  extract: {
    params: ['container', 'morekeys'],
    fn: (v, [container, more], ctx) => extract(ctx, container, [v, ...(more === undefined || more === null ? [] : Array.isArray(more) ? more : [more])]),
  },
  subelements: { params: ['subelements', 'skip_missing'], fn: (v, [path, skip], ctx) => subelements(ctx, v, path, toBool(skip)) },
  from_yaml_all: { params: [], fn: (v, _a, ctx) => fromYamlAll(ctx, v) },
  version_compare: {
    ...tests.version_compare,
    fn: (v, args, ctx, kw) =>
      typeof v === 'string' || typeof v === 'number'
        ? tests.version_compare.fn(v, args, ctx, kw)
        : ctx.fail(`version_compare needs a version string, got ${typeName(v)}`),
  },
};
