/** Typed readers of a parsed stack file's values: each error names the key path, its file:line:col and a fix. */
import { parseBool } from '../../shared/boolean.js';
import { didYouMean, MusterError, type Pos } from '../../shared/errors.js';
import { posOf } from '../../shared/yaml.js';
import type { Env } from './interpolate.js';
import type { StackWarning } from './types.js';

/** A value of the file with where it is: `services.web.ports[0]` at stack.yml:7:9. */
export interface At {
  v: unknown;
  path: string;
  pos?: Pos;
}

/** A key muster reads no further, kept for the one warning (or the --strict error) that lists them all. */
export interface Unsupported {
  path: string;
  pos?: Pos;
  /** why, or what happens instead */
  why?: string;
}

/** What normalising a stack needs besides the file: its place, its variables, and a way to read side files. */
export interface Ctx {
  /** the stack file as the user named it */
  file: string;
  /** absolute directory of the stack file: relative paths start here */
  dir: string;
  /** the stack's name */
  stack: string;
  /** the process environment over `.env` */
  env: Env;
  /** a file's bytes, or undefined when it does not exist (other failures throw E_FILE) */
  readFile: (path: string) => Buffer | undefined;
  warnings: StackWarning[];
  unsupported: Unsupported[];
}

/** The entry `key` of a mapping or sequence, with its position. */
export function child(parent: At, key: string | number): At {
  const obj = parent.v as Record<string | number, unknown>;
  const path = typeof key === 'number' ? `${parent.path}[${key}]` : parent.path ? `${parent.path}.${key}` : key;
  return { v: obj?.[key], path, pos: posOf(obj, key) ?? parent.pos };
}

/** The position of the key itself (for unknown and unsupported keys). */
export function keyPos(parent: At, key: string): Pos | undefined {
  return posOf(parent.v, key, 'key') ?? parent.pos;
}

/** An E_SCHEMA error at a value. */
export function schemaError(at: At, message: string, hint: string): MusterError {
  return new MusterError('E_SCHEMA', `${at.path}: ${message}`, { pos: at.pos, hint });
}

/** The value is present (not absent and not null). */
export function has(at: At): boolean {
  return at.v !== undefined && at.v !== null;
}

/** A mapping (an absent or null value reads as an empty one). */
export function asMap(at: At): Record<string, unknown> {
  if (at.v === undefined || at.v === null) return {};
  if (typeof at.v !== 'object' || Array.isArray(at.v))
    throw schemaError(at, `must be a mapping, not ${describe(at.v)}`, 'write `key: value` entries, indented under it');
  return at.v as Record<string, unknown>;
}

/** A sequence (an absent or null value reads as an empty one). */
export function asList(at: At): unknown[] {
  if (at.v === undefined || at.v === null) return [];
  if (!Array.isArray(at.v)) throw schemaError(at, `must be a list, not ${describe(at.v)}`, 'write one `- item` per line, indented under it');
  return at.v;
}

/** Each item of a list, with its position. */
export function items(at: At): At[] {
  return asList(at).map((_, i) => child(at, i));
}

/** Each entry of a mapping, with its position. */
export function entries(at: At): [string, At][] {
  return Object.keys(asMap(at)).map((k) => [k, child(at, k)]);
}

/** A string; numbers and booleans are written out as Compose does. */
export function asString(at: At): string {
  if (typeof at.v === 'string') return at.v;
  if (typeof at.v === 'number' || typeof at.v === 'boolean') return String(at.v);
  throw schemaError(at, `must be a string, not ${describe(at.v)}`, 'write a plain value (quote it if it has special characters)');
}

/** A non-empty string. */
export function asName(at: At): string {
  const s = asString(at);
  if (s.trim() === '') throw schemaError(at, 'must not be empty', 'write a value, or remove the key');
  return s;
}

/** An integer in [min, max] (interpolated values are strings: "3" reads as 3). */
export function asInt(at: At, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof at.v === 'string' && /^\s*[-+]?\d+\s*$/.test(at.v) ? Number(at.v) : at.v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw schemaError(at, `must be a whole number, not ${describe(at.v)}`, `write a number from ${min} to ${max}`);
  if (n < min || n > max) throw schemaError(at, `${n} is out of range`, `write a number from ${min} to ${max}`);
  return n;
}

/** A number in [min, max]; `exclusiveMin` refuses min itself. */
export function asNumber(at: At, min: number, max: number, exclusiveMin = false): number {
  const n = typeof at.v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(at.v) ? Number(at.v) : at.v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw schemaError(at, `must be a number, not ${describe(at.v)}`, `write a number from ${min} to ${max}`);
  if (n < min || n > max || (exclusiveMin && n === min))
    throw schemaError(at, `${n} is out of range`, `write a number ${exclusiveMin ? 'over' : 'from'} ${min}${exclusiveMin ? ' and at most' : ' to'} ${max}`);
  return n;
}

/** A boolean (true/false, yes/no, on/off... as strings too, since interpolation makes strings). */
export function asBool(at: At): boolean {
  const b = parseBool(at.v);
  if (b === undefined) throw schemaError(at, `must be true or false, not ${describe(at.v)}`, 'write true or false');
  return b;
}

/** One of the given words. */
export function asOneOf<T extends string>(at: At, words: readonly T[], hint?: string): T {
  const s = asString(at);
  if (!(words as readonly string[]).includes(s))
    throw schemaError(at, `"${s}" is not one of ${words.join(', ')}${didYouMean(s, words)}`, hint ?? `write one of ${words.join(', ')}`);
  return s as T;
}

/** A string or a list of strings, as a list. */
export function asStringList(at: At): string[] {
  if (typeof at.v === 'string') return [at.v];
  return items(at).map(asString);
}

/** A mapping of strings, or a list of `KEY=VALUE` (`KEY` alone is an empty value): labels, options. */
export function asStringMap(at: At): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(at.v)) {
    for (const item of items(at)) {
      const s = asString(item);
      const eq = s.indexOf('=');
      if (eq === 0) throw schemaError(item, `"${s}" has no key before "="`, 'write KEY=VALUE');
      if (eq < 0) out[s] = '';
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
    return out;
  }
  for (const [k, v] of entries(at)) out[k] = v.v === null ? '' : asString(v);
  return out;
}

/**
 * Checks a mapping's keys: known ones pass, `x-*` extensions are ignored (as the Compose spec says), keys
 * muster does not support are collected for the warning, anything else is an error with a did-you-mean.
 */
export function checkKeys(ctx: Ctx, at: At, known: readonly string[], unsupported: Record<string, string | undefined> = {}): void {
  for (const key of Object.keys(asMap(at))) {
    if (known.includes(key) || key.startsWith('x-')) continue;
    const path = at.path ? `${at.path}.${key}` : key;
    if (key in unsupported) {
      ctx.unsupported.push({ path, pos: keyPos(at, key), why: unsupported[key] });
      continue;
    }
    throw new MusterError('E_SCHEMA', `unknown key ${path}${didYouMean(key, [...known, ...Object.keys(unsupported)])}`, {
      pos: keyPos(at, key),
      hint: `${at.path || 'the top level'} takes ${[...known].sort().join(', ')}`,
    });
  }
}

/** A side file's bytes (undefined when missing); a file that exists but cannot be read is an E_FILE error at `at`. */
export function readSide(ctx: Ctx, path: string, at: At): Buffer | undefined {
  try {
    return ctx.readFile(path);
  } catch (e) {
    throw e instanceof MusterError ? e.withContext({ pos: at.pos }) : e;
  }
}

/** Notes one unsupported value (not a key) for the list. */
export function unsupportedValue(ctx: Ctx, at: At, why: string): void {
  ctx.unsupported.push({ path: at.path, pos: at.pos, why });
}

/** What a value is, for messages. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return `${typeof v} ${String(v)}`;
}
