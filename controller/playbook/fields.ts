/**
 * Typed readers for playbook fields. Each reads one key of a parsed YAML mapping and, on a wrong shape,
 * throws E_SCHEMA at the value's file:line:col with what was expected.
 */
import { BOOL_WORDS, parseBool } from '../../shared/boolean.js';
import { didYouMean, MusterError, type Pos } from '../../shared/errors.js';
import { posOf } from '../../shared/yaml.js';
import type { Vars } from '../modules/types.js';
import { UNSUPPORTED, WITH_LOOKUP_HINT } from './keywords.js';
import type { Condition, Inheritable } from './types.js';

/** A parsed YAML mapping. */
export type Mapping = Record<string, unknown>;

/** Whether a value is a YAML mapping (not a list, not null). */
export function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a string holds a template expression. */
export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && /{{|{%/.test(v);
}

/** Where a key's value (or the key itself) was written; falls back to the mapping, then to `fallback`. */
export function at(obj: unknown, key?: string | number, of: 'key' | 'value' = 'value', fallback?: Pos): Pos | undefined {
  return posOf(obj, key, of) ?? fallback;
}

/** Throws E_SCHEMA for a wrong shape at `obj[key]`. */
export function schemaError(message: string, obj: unknown, key: string | number | undefined, hint: string): never {
  throw new MusterError('E_SCHEMA', message, { pos: at(obj, key), hint });
}

/** Names a value's type for messages ("a mapping", "a list", "the number 3"). */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v}"`;
  return `the ${typeof v} ${String(v)}`;
}

/**
 * Refuses keys not in `allowed`: a known-but-unsupported Ansible keyword gets its own hint, anything else a
 * "did you mean" among `allowed` (and `extra`, e.g. module names).
 */
export function checkKeys(obj: Mapping, allowed: readonly string[], what: string, extra: readonly string[] = []): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    unknownKey(obj, key, what, allowed, extra);
  }
}

/** Throws the right E_SCHEMA for one key that is not allowed here. */
export function unknownKey(obj: Mapping, key: string, what: string, allowed: readonly string[], extra: readonly string[] = []): never {
  const pos = at(obj, key, 'key');
  if (key in UNSUPPORTED) {
    throw new MusterError('E_SCHEMA', `"${key}" is not supported by muster yet (in ${article(what)} ${what})`, { pos, hint: UNSUPPORTED[key] });
  }
  if (key.startsWith('with_')) {
    throw new MusterError('E_SCHEMA', `"${key}" loops are not supported yet`, { pos, hint: WITH_LOOKUP_HINT });
  }
  throw new MusterError('E_SCHEMA', `unknown key "${key}" in ${article(what)} ${what}${didYouMean(key, [...allowed, ...extra])}`, {
    pos,
    hint: `valid keys here: ${[...allowed].sort().join(', ')}`,
  });
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** A string field; numbers become text (`hosts: 1` is a fine pattern). */
export function str(obj: Mapping, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return schemaError(`"${key}" must be a string, got ${describe(v)}`, obj, key, `write ${key} as a plain string`);
}

/** A boolean field: a YAML boolean, or one of Ansible's spellings (shared/boolean.ts), strictly. */
export function bool(obj: Mapping, key: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  const b = parseBool(v);
  if (b !== undefined) return b;
  if (isTemplated(v)) return schemaError(`templated "${key}" is not supported yet`, obj, key, `write ${key}: true or ${key}: false`);
  return schemaError(`"${key}" must be a boolean (${BOOL_WORDS}), got ${describe(v)}`, obj, key, `write ${key}: true or ${key}: false`);
}

/** A boolean field that may be a template (`ignore_errors: "{{ x }}"`): the template is rendered per host at run time. */
export function boolOrTemplate(obj: Mapping, key: string): boolean | string | undefined {
  const v = obj[key];
  if (isTemplated(v)) return (v as string).trim();
  return bool(obj, key);
}

/** A number field that may be a template (`retries: "{{ n }}"`): the template is rendered per host at run time. */
export function numOrTemplate(obj: Mapping, key: string): number | string | undefined {
  const v = obj[key];
  if (isTemplated(v)) return (v as string).trim();
  return num(obj, key);
}

/** A non-negative number field (a number or digits as text). */
export function num(obj: Mapping, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  const why = isTemplated(v) ? `templated "${key}" is not supported yet` : `"${key}" must be a number, got ${describe(v)}`;
  return schemaError(why, obj, key, `write ${key} as a plain number, e.g. ${key}: 5`);
}

/** A mapping field (vars, args); absent or empty -> {}. */
export function mapping(obj: Mapping, key: string): Mapping {
  const v = obj[key];
  if (v === undefined || v === null) return {};
  if (isMapping(v)) return v;
  return schemaError(`"${key}" must be a mapping, got ${describe(v)}`, obj, key, `write ${key} as "name: value" lines indented under it`);
}

/** A list field (tasks, handlers, roles); absent or empty -> []. */
export function list(obj: Mapping, key: string): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  return schemaError(`"${key}" must be a list, got ${describe(v)}`, obj, key, `write each entry of ${key} on its own line starting with "- "`);
}

/** `environment`: a mapping, or a list of mappings merged in order. */
export function environment(obj: Mapping, key = 'environment'): Record<string, unknown> {
  const v = obj[key];
  if (Array.isArray(v)) {
    const merged: Record<string, unknown> = {};
    v.forEach((item, i) => {
      if (!isMapping(item)) schemaError(`each "${key}" entry must be a mapping, got ${describe(item)}`, v, i, 'write NAME: value pairs');
      Object.assign(merged, item);
    });
    return merged;
  }
  // a template (`environment: "{{ proxy_env }}"`) is read by environmentTemplate, rendered per host
  if (isTemplated(v)) return {};
  return mapping(obj, key);
}

/** `environment: "{{ proxy_env }}"`: the template, rendered per host at run time into a mapping. */
export function environmentTemplate(obj: Mapping, key = 'environment'): string | undefined {
  const v = obj[key];
  return isTemplated(v) ? (v as string).trim() : undefined;
}

/** A string or a list of strings (notify, listen). */
export function strings(obj: Mapping, key: string): string[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item, i) => {
    if (typeof item === 'string' || typeof item === 'number') return String(item);
    return schemaError(
      `"${key}" entries must be strings, got ${describe(item)}`,
      Array.isArray(v) ? v : obj,
      Array.isArray(v) ? i : key,
      `write ${key} as a name or a list of names`,
    );
  });
}

/** `tags`: a comma-separated string or a list. */
export function tags(obj: Mapping, key = 'tags'): string[] {
  return strings(obj, key)
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** when/changed_when/failed_when/until: a string, a boolean or a list of them, each with its position. */
export function conditions(obj: Mapping, key: string): Condition[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v : [v];
  const holder = Array.isArray(v) ? v : obj;
  return items.map((item, i): Condition => {
    const k = Array.isArray(v) ? i : key;
    const pos = at(holder, k) as Pos;
    if (typeof item === 'string') return { expr: item.trim(), pos };
    if (typeof item === 'boolean' || typeof item === 'number') return { expr: String(item), pos };
    return schemaError(
      `"${key}" must be an expression, a boolean or a list of them, got ${describe(item)}`,
      holder,
      k,
      'write the condition as text, e.g. when: ansible_os_family == "Debian"',
    );
  });
}

/** The keywords blocks, tasks, includes and role entries share. */
export function inheritable(obj: Mapping): Inheritable {
  return {
    become: boolOrTemplate(obj, 'become'),
    becomeUser: str(obj, 'become_user'),
    when: conditions(obj, 'when') ?? [],
    tags: tags(obj),
    vars: mapping(obj, 'vars') as Vars,
    environment: environment(obj),
    environmentTemplate: environmentTemplate(obj),
    ignoreErrors: boolOrTemplate(obj, 'ignore_errors'),
    ignoreUnreachable: boolOrTemplate(obj, 'ignore_unreachable'),
    noLog: boolOrTemplate(obj, 'no_log'),
    checkMode: bool(obj, 'check_mode'),
    throttle: num(obj, 'throttle'),
    remoteUser: str(obj, 'remote_user'),
    connection: str(obj, 'connection'),
  };
}
