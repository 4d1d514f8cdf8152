/**
 * The checks of Ansible's ArgumentSpecValidator, as validate_argument_spec runs them on a role's variables:
 * unknown options, required, types (with Ansible's conversions, elements and nested options), choices, and
 * in nested options mutually_exclusive / required_together / required_one_of / required_if / required_by.
 * Pure: values are checked, never changed (Ansible 2.14 does not write converted values or defaults back).
 */
import { parseBool } from '../../../shared/boolean.js';
import { convert, FAIL, pyStr } from './argument-spec-types.js';

/** One option of an argument spec, as written in YAML (type, required, default, choices, elements, options...). */
export type OptionSpec = Record<string, unknown>;

/** The option types Ansible's validator knows; an option without `type` is a str. */
export const OPTION_TYPES = ['str', 'int', 'float', 'bool', 'list', 'dict', 'path', 'raw', 'bytes', 'bits', 'json', 'jsonarg'] as const;

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every problem of `params` against `spec`, one message each naming the option by its path (`mk.a`, `items[1]`); empty when valid. */
export function checkArguments(spec: Record<string, OptionSpec>, params: Mapping): string[] {
  const errors: string[] = [];
  const unsupported: string[] = [];
  checkLevel(spec, { ...params }, '', undefined, errors, unsupported);
  return [...errors, ...unsupported];
}

/** One level of options: the top, or one nested dict (`parent` is its option's spec). */
function checkLevel(
  spec: Record<string, OptionSpec>,
  params: Mapping,
  prefix: string,
  parent: OptionSpec | undefined,
  errors: string[],
  unsupported: string[],
): void {
  const name = (k: string) => `${prefix}${k}`;
  resolveAliases(spec, params);
  const legal = Object.entries(spec).flatMap(([k, s]) => [k, ...strings(s.aliases)]);
  for (const k of Object.keys(params))
    if (!legal.includes(k))
      unsupported.push(
        `"${name(k)}" is not an option of the argument spec (supported: ${Object.keys(spec).sort().join(', ') || 'none'}): remove it or declare it in the spec`,
      );
  if (parent) errors.push(...exclusive(parent, params, prefix));
  // defaults count before the required check (Ansible's _set_defaults(..., False))
  for (const [k, s] of Object.entries(spec)) if (!(k in params) && s.default !== undefined && s.default !== null) params[k] = structuredClone(s.default);
  const missing = Object.entries(spec)
    .filter(([k, s]) => truthy(s.required) && !(k in params))
    .map(([k]) => name(k));
  if (missing.length)
    errors.push(
      `missing required option${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} (a role parameter, a variable or a role default)`,
    );
  const wrong = new Set<string>(); // already reported: their nested options are not looked into
  for (const [k, s] of Object.entries(spec)) {
    if (!(k in params) || params[k] === null || params[k] === undefined) continue;
    const converted = checkValue(s, params[k], name(k), errors);
    if (converted === undefined) {
      wrong.add(k);
      continue;
    }
    params[k] = converted;
    const problem = choiceProblem(s, converted, name(k));
    if (problem) errors.push(problem);
  }
  if (parent) errors.push(...groupChecks(parent, params, prefix));
  for (const [k, s] of Object.entries(spec)) {
    const nested = s.type === 'dict' || (s.type === 'list' && s.elements === 'dict');
    if (!nested || !isMapping(s.options) || wrong.has(k)) continue;
    if (truthy(s.apply_defaults) && (params[k] === null || params[k] === undefined)) params[k] = {};
    const value = params[k];
    if (value === null || value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const at = `${name(k)}${s.type === 'list' ? `[${i}]` : ''}`;
      if (!isMapping(item)) errors.push(`"${at}" must be a dict${s.type === 'list' ? '' : ' or a list of dicts'}, got ${show(item)}`);
      else checkLevel(s.options as Record<string, OptionSpec>, { ...item }, `${at}.`, s, errors, unsupported);
    });
  }
}

/** An alias given without its option counts as the option (Ansible's _handle_aliases). */
function resolveAliases(spec: Record<string, OptionSpec>, params: Mapping): void {
  for (const [k, s] of Object.entries(spec)) for (const alias of strings(s.aliases)) if (alias in params && !(k in params)) params[k] = params[alias];
}

/** The value converted as Ansible converts it for the option's type (and elements); undefined after recording an error. */
function checkValue(s: OptionSpec, value: unknown, name: string, errors: string[]): unknown {
  const type = typeof s.type === 'string' ? s.type : 'str';
  const converted = convert(type, value);
  if (converted === FAIL) {
    errors.push(`"${name}" must be ${article(type)}, got ${secret(s) ? HIDDEN : show(value)}`);
    return undefined;
  }
  if (typeof s.elements !== 'string') return converted;
  if (!Array.isArray(converted)) {
    errors.push(`"${name}" declares elements: ${s.elements}, which only a list option may have`);
    return undefined;
  }
  let ok = true;
  const items = converted.map((item, i) => {
    const c = convert(s.elements as string, item);
    if (c === FAIL) {
      errors.push(`"${name}[${i}]" must be ${article(s.elements as string)}, got ${secret(s) ? HIDDEN : show(item)}`);
      ok = false;
    }
    return c;
  });
  return ok ? items : undefined;
}

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't', 1, true];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f', 0, false];

/** Whether the converted value is among `choices` (each item of a list), with Python's equality (1 == 1.0 == True). */
function choiceProblem(s: OptionSpec, value: unknown, name: string): string | undefined {
  if (!Array.isArray(s.choices)) return undefined;
  const choices = s.choices as unknown[];
  const listed = choices.map(pyStr).join(', ');
  if (Array.isArray(value)) {
    const off = value.filter((item) => !choices.some((c) => pyEqual(c, item)));
    return off.length ? `"${name}" must hold only ${listed}; not allowed: ${secret(s) ? HIDDEN : off.map(pyStr).join(', ')}` : undefined;
  }
  if (choices.some((c) => pyEqual(c, value))) return undefined;
  // YAML made a boolean of a word (yes -> True): one boolean-word choice of the same truth is taken
  for (const [word, set] of [
    ['True', TRUE_WORDS],
    ['False', FALSE_WORDS],
  ] as const) {
    if (value === word && choices.filter((c) => (set as readonly unknown[]).includes(c)).length === 1) return undefined;
  }
  return `"${name}" must be one of ${listed}, got ${secret(s) ? HIDDEN : pyStr(value)}`;
}

function pyEqual(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (num(a) && num(b)) return Number(a) === Number(b);
  if (typeof a === 'object' && a !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** mutually_exclusive of one nested dict's options, before defaults fill it in. */
function exclusive(s: OptionSpec, params: Mapping, prefix: string): string[] {
  return groups(s.mutually_exclusive)
    .filter((group) => group.filter((k) => k in params).length > 1)
    .map((group) => `options ${group.join(', ')}${inDict(prefix)} are mutually exclusive: set only one`);
}

const inDict = (prefix: string) => (prefix ? ` in "${prefix.slice(0, -1)}"` : '');

/** The other checks between the options of one nested dict, from its option's spec (Ansible applies them only there for roles). */
function groupChecks(s: OptionSpec, params: Mapping, prefix: string): string[] {
  const set = (k: string) => k in params;
  const given = (k: string) => params[k] !== null && params[k] !== undefined;
  const where = inDict(prefix);
  const out: string[] = [];
  for (const group of groups(s.required_together)) {
    const n = group.filter(set).length;
    if (n > 0 && n < group.length) out.push(`options ${group.join(', ')}${where} are required together: set all or none`);
  }
  for (const group of groups(s.required_one_of)) if (!group.some(set)) out.push(`one of ${group.join(', ')}${where} is required: set one`);
  for (const req of Array.isArray(s.required_if) ? s.required_if : []) {
    if (!Array.isArray(req) || req.length < 3) continue;
    const [key, val, needs, any] = req as [string, unknown, unknown, unknown];
    const names = strings(needs);
    if (!(key in params) || !pyEqual(params[key], val)) continue;
    const missing = names.filter((n) => !set(n));
    if (missing.length && missing.length >= (truthy(any) ? names.length : 1))
      out.push(
        `"${prefix}${key}" is ${pyStr(val)}, so ${truthy(any) ? 'one' : 'all'} of ${names.join(', ')}${where} must be set; missing: ${missing.join(', ')}`,
      );
  }
  if (isMapping(s.required_by))
    for (const [key, needs] of Object.entries(s.required_by)) {
      if (!given(key)) continue;
      const missing = strings(needs).filter((n) => !given(n));
      if (missing.length) out.push(`"${prefix}${key}" needs ${missing.join(', ')}${where}: set ${missing.length > 1 ? 'them' : 'it'} too`);
    }
  return out;
}

function groups(v: unknown): string[][] {
  return Array.isArray(v) ? v.map(strings).filter((g) => g.length > 0) : [];
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An option marked no_log: its value never appears in a message. */
const secret = (s: OptionSpec) => truthy(s.no_log);
const HIDDEN = 'a value not shown (no_log)';

function truthy(v: unknown): boolean {
  return parseBool(v) === true;
}

function article(type: string): string {
  const words: Record<string, string> = {
    int: 'an int',
    raw: 'a raw value',
    jsonarg: 'a JSON value',
    json: 'a JSON value',
    bytes: 'a size in bytes',
    bits: 'a size in bits',
  };
  return words[type] ?? `a ${type}`;
}

/** How a value reads in a message. */
function show(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (isMapping(v)) return 'a dict';
  if (typeof v === 'string') return `the string "${v}"`;
  return `the ${typeof v} ${String(v)}`;
}
