/** Conversion filters: numbers and booleans, JSON, YAML, base64, hashes, fallbacks. */
import { createHash, getHashes } from 'node:crypto';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { defined, isUndefined } from '../../template/undefined.js';
import { boolFilter } from '../../../shared/boolean.js';
import { isDict, toBool, toFloat, toInt, toStr, truthy, typeName } from '../values.js';
import type { CallCtx, Filter } from './types.js';

/** JSON laid out as Python's json.dumps does (`, ` and `: ` separators; `indent` breaks lines). */
export function pyJson(v: unknown, indent?: number, sortKeys = false, level = 0): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
  if (typeof v === 'boolean') return String(v);
  const open = indent === undefined ? '' : `\n${' '.repeat(indent * (level + 1))}`;
  const close = indent === undefined ? '' : `\n${' '.repeat(indent * level)}`;
  const sep = indent === undefined ? ', ' : `,${open}`;
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${open}${v.map((x) => pyJson(x, indent, sortKeys, level + 1)).join(sep)}${close}]`;
  }
  if (isDict(v)) {
    const keys = sortKeys ? Object.keys(v).sort() : Object.keys(v);
    if (!keys.length) return '{}';
    return `{${open}${keys.map((k) => `${JSON.stringify(k)}: ${pyJson(v[k], indent, sortKeys, level + 1)}`).join(sep)}${close}}`;
  }
  return JSON.stringify(toStr(v));
}

function hash(ctx: CallCtx, v: unknown, algorithm: string): string {
  const alg = algorithm.toLowerCase();
  if (!getHashes().includes(alg)) ctx.fail(`unknown hash algorithm "${algorithm}"`, 'use sha1, sha256, sha512 or md5');
  return createHash(alg).update(toStr(v)).digest('hex');
}

function parseJson(ctx: CallCtx, v: unknown): unknown {
  try {
    return JSON.parse(toStr(v));
  } catch (e) {
    return ctx.fail(`from_json: not valid JSON: ${(e as Error).message}`);
  }
}

function parseYamlText(ctx: CallCtx, v: unknown): unknown {
  try {
    return parseYaml(toStr(v), { version: '1.1' });
  } catch (e) {
    return ctx.fail(`from_yaml: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function round(v: unknown, precision: unknown, method: unknown, ctx: CallCtx): number {
  const f = 10 ** toInt(precision ?? 0);
  const x = toFloat(v) * f;
  const m = toStr(method ?? 'common');
  if (m === 'ceil') return Math.ceil(x) / f;
  if (m === 'floor') return Math.floor(x) / f;
  if (m !== 'common') ctx.fail(`round: method must be common, ceil or floor, got "${m}"`);
  return (Math.sign(x) * Math.round(Math.abs(x))) / f;
}

const PY_TYPES: Record<string, string> = Object.assign(Object.create(null), { string: 'str', none: 'NoneType' });

/** Conversion filters, and the ones that handle undefined values. */
export const dataFilters: Record<string, Filter> = {
  default: {
    params: ['default_value', 'boolean'],
    acceptsUndefined: true,
    fn: (v, [fallback, boolean]) => (isUndefined(v) || (toBool(boolean) && !truthy(v)) ? (fallback ?? '') : v),
  },
  mandatory: {
    params: ['msg'],
    acceptsUndefined: true,
    fn: (v, [msg], ctx) => (isUndefined(v) && msg !== undefined ? ctx.fail(toStr(msg)) : defined(v)),
  },
  ternary: {
    params: ['true_val', 'false_val', 'none_val'],
    fn: (v, [t, f, none]) => (v === null && none !== undefined ? none : truthy(v) ? t : f),
  },
  bool: { params: [], fn: (v) => (v === null ? null : boolFilter(v)) }, // None stays None, as in Ansible
  int: {
    params: ['default', 'base'],
    fn: (v, [fallback, base]) => {
      const b = toInt(base ?? 10);
      if (b === 10 || typeof v !== 'string') return toInt(v, toInt(fallback ?? 0));
      const n = parseInt(v.trim().replace(/^0[xob]/i, ''), b);
      return Number.isNaN(n) ? toInt(fallback ?? 0) : n;
    },
  },
  float: { params: ['default'], fn: (v, [fallback]) => toFloat(v, toFloat(fallback ?? 0)) },
  abs: { params: [], fn: (v, _a, ctx) => (typeof v === 'number' ? Math.abs(v) : ctx.fail(`abs needs a number, got ${typeName(v)}`)) },
  round: { params: ['precision', 'method'], fn: (v, [p, m], ctx) => round(v, p, m, ctx) },
  type_debug: { params: [], fn: (v) => PY_TYPES[typeName(v)] ?? typeName(v) },
  to_json: { params: ['indent', 'sort_keys'], fn: (v, [indent, sort]) => pyJson(v, indent == null ? undefined : toInt(indent), toBool(sort)) },
  to_nice_json: { params: ['indent', 'sort_keys'], fn: (v, [indent, sort]) => pyJson(v, toInt(indent ?? 4), sort === undefined ? true : toBool(sort)) },
  from_json: { params: [], fn: (v, _a, ctx) => parseJson(ctx, v) },
  to_yaml: { params: ['indent'], fn: (v, [indent]) => toYaml(v, { indent: toInt(indent ?? 2) }) },
  to_nice_yaml: {
    params: ['indent', 'sort_keys'],
    fn: (v, [indent, sort]) => toYaml(v, { indent: toInt(indent ?? 4), sortMapEntries: sort === undefined || toBool(sort) }),
  },
  from_yaml: { params: [], fn: (v, _a, ctx) => parseYamlText(ctx, v) },
  b64encode: { params: ['encoding'], fn: (v) => Buffer.from(toStr(v), 'utf8').toString('base64') },
  b64decode: { params: ['encoding'], fn: (v) => Buffer.from(toStr(v), 'base64').toString('utf8') },
  md5: { params: [], fn: (v, _a, ctx) => hash(ctx, v, 'md5') },
  sha1: { params: [], fn: (v, _a, ctx) => hash(ctx, v, 'sha1') },
  checksum: { params: [], fn: (v, _a, ctx) => hash(ctx, v, 'sha1') },
};
