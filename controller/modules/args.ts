/**
 * Module arguments: names are checked at load time (values may still be templates then); after rendering,
 * values are normalised against the module's ArgSpecs the way Ansible's argument spec does it.
 */
import { Secret } from '../command.js';
import { BOOL_WORDS, parseBool } from '../../shared/boolean.js';
import { closest, didYouMean, MusterError, type Pos } from '../../shared/errors.js';
import { posOf } from '../../shared/yaml.js';
import type { ArgSpec, Args, Module } from './types.js';

/** The free-form text of command/shell/raw. */
const RAW = '_raw_params';

type Where = { pos?: Pos; task?: string; host?: string };

/**
 * Whether any argument name is accepted (set_fact: the names are the user's variables). Read structurally
 * until Module declares the flag.
 */
function freeArgs(module: Module): boolean {
  return (module as Module & { freeArgs?: boolean }).freeArgs === true;
}

/** Canonical argument name for a name or alias, or undefined when the module has no such argument. */
function canonicalArg(module: Module, name: string): string | undefined {
  if (name in module.args) return name;
  return Object.keys(module.args).find((k) => module.args[k].aliases?.includes(name));
}

/** Every name the module accepts (canonical names and aliases). */
function acceptedNames(module: Module): string[] {
  return Object.entries(module.args).flatMap(([k, s]) => [k, ...(s.aliases ?? [])]);
}

/** The arguments given that the module accepts but ignores (ArgSpec.ignored), each with why. */
export function ignoredArgs(module: Module, args: Record<string, unknown>): { name: string; reason: string }[] {
  return Object.keys(args).flatMap((name) => {
    const key = canonicalArg(module, name);
    const reason = key === undefined ? undefined : module.args[key].ignored;
    return reason === undefined ? [] : [{ name, reason }];
  });
}

/** Throws E_MODULE for the first argument name the module does not know, with the closest valid name. */
export function checkArgNames(module: Module, args: Record<string, unknown>, where: { pos: Pos; task: string }): void {
  for (const name of Object.keys(args)) {
    if (canonicalArg(module, name) !== undefined || (freeArgs(module) && name !== RAW)) continue;
    const pos = posOf(args, name, 'key') ?? where.pos;
    if (name === RAW) {
      if (module.freeForm) continue;
      throw new MusterError('E_MODULE', `module ${module.name} takes no free-form text: "${String(args[RAW])}"`, {
        pos,
        task: where.task,
        hint: 'write its arguments as key=value pairs or as a YAML mapping',
      });
    }
    const names = acceptedNames(module).filter((n) => !n.startsWith('_'));
    throw new MusterError('E_MODULE', `unknown argument "${name}" for module ${module.name}${didYouMean(name, names)}`, {
      pos,
      task: where.task,
      hint: names.length ? `${module.name} accepts: ${names.sort().join(', ')}` : `${module.name} takes no arguments`,
    });
  }
}

/**
 * Rendered arguments -> what the module runs with: aliases resolved, defaults applied, required and choices
 * checked, values coerced to their declared types, secret values wrapped. Throws E_MODULE naming the argument.
 */
export function normalizeArgs(module: Module, args: Record<string, unknown>, where: Where): Args {
  const out: Args = {};
  const given = new Map<string, string>(); // canonical -> name as written
  for (const [name, value] of Object.entries(args)) {
    const key = canonicalArg(module, name) ?? (name === RAW ? (module.freeForm ? RAW : undefined) : freeArgs(module) ? name : undefined);
    if (key === undefined) {
      const names = acceptedNames(module).filter((n) => !n.startsWith('_'));
      fail(
        `unknown argument "${name}" for module ${module.name}${didYouMean(name, names)}`,
        args,
        name,
        where,
        `${module.name} accepts: ${names.sort().join(', ')}`,
      );
    }
    if (value === null || value === undefined) continue; // null means "not given", as in Ansible
    const earlier = given.get(key);
    if (earlier !== undefined) {
      fail(`arguments "${earlier}" and "${name}" of ${module.name} are the same argument`, args, name, where, 'give only one of them');
    }
    given.set(key, name);
    const spec = module.args[key];
    out[key] = spec ? coerce(spec, value, { module, name, args, where }) : value;
  }
  for (const [key, spec] of Object.entries(module.args)) {
    if (key in out) continue;
    if (spec.required) fail(`missing required argument "${key}" for module ${module.name}`, args, undefined, where, `add ${key}: to the task`);
    if (spec.default !== undefined) out[key] = structuredClone(spec.default);
  }
  const problem = module.validate?.(out);
  if (problem) fail(`${module.name}: ${problem}`, args, undefined, where, 'fix the arguments of this task');
  return out;
}

interface Ctx {
  module: Module;
  name: string;
  args: Record<string, unknown>;
  where: Where;
}

/** One value to its declared type, then checked against choices and wrapped when secret. */
function coerce(spec: ArgSpec, value: unknown, c: Ctx): unknown {
  let v = toType(spec.type, value, spec, c);
  if (spec.choices && !spec.choices.some((choice) => choice === v || String(choice) === String(v))) {
    const near = typeof v === 'string' ? closest(v, spec.choices.map(String)) : undefined;
    const hint = `choose one of: ${spec.choices.map(String).join(', ')}`;
    fail(
      `argument "${c.name}" of ${c.module.name} must be one of ${spec.choices.map(String).join(', ')}, got ${show(v)}${near ? ` (did you mean "${near}"?)` : ''}`,
      c.args,
      c.name,
      c.where,
      hint,
    );
  }
  if (spec.secret && !(v instanceof Secret)) v = new Secret(String(v));
  return v;
}

const OCTAL = /^(?:0o)?[0-7]{1,5}$/i;
const CLAUSE = /^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+$/;

/** Octal ('0644', '644', '0o644'), 'preserve', or chmod's symbolic clauses ('u=rw,g=r,o=r'). */
function isMode(s: string): boolean {
  if (OCTAL.test(s)) return parseInt(s.replace(/^0o/i, ''), 8) <= 0o7777;
  return s === 'preserve' || s.split(',').every((c) => CLAUSE.test(c.trim()));
}

function toType(type: ArgSpec['type'], v: unknown, spec: ArgSpec, c: Ctx): unknown {
  const bad = (expected: string): never =>
    fail(
      `argument "${c.name}" of ${c.module.name} must be ${expected}, got ${spec.secret ? '***' : show(v)}`,
      c.args,
      c.name,
      c.where,
      `write ${c.name} as ${expected}`,
    );
  switch (type) {
    case 'raw':
      return v;
    case 'str':
    case 'path':
      if (typeof v === 'string' || v instanceof Secret) return v;
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      return bad('a string');
    case 'bool':
      return parseBool(v) ?? bad(`a boolean (${BOOL_WORDS})`);
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
      return bad('an integer');
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return bad('a number');
    case 'mode':
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0o7777) return v.toString(8).padStart(4, '0');
      if (typeof v === 'string' && isMode(v.trim())) return v.trim();
      return bad('a file mode (0644, "u=rw,g=r,o=r")');
    case 'dict':
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
      return bad('a mapping');
    case 'list':
      return toList(v, spec, bad);
  }
}

/** A list from a list, a comma-separated string or one scalar; elements coerced to `spec.elements`. */
function toList(v: unknown, spec: ArgSpec, bad: (expected: string) => never): unknown[] {
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string')
    items = v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  else if (typeof v === 'number' || typeof v === 'boolean') items = [v];
  else return bad('a list');
  if (!spec.elements) return items;
  const elements = spec.elements;
  return items.map((item) => {
    if (elements === 'dict') {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) return item;
      return bad('a list of mappings');
    }
    if (elements === 'int') {
      const n = typeof item === 'number' ? item : typeof item === 'string' && /^\s*[-+]?\d+\s*$/.test(item) ? Number.parseInt(item, 10) : NaN;
      return Number.isInteger(n) ? n : bad('a list of integers');
    }
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
    return bad('a list of strings');
  });
}

function show(v: unknown): string {
  if (v instanceof Secret) return '***';
  if (typeof v === 'string') return `"${v}"`;
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  return String(v);
}

function fail(message: string, args: object, name: string | undefined, where: Where, hint: string): never {
  const pos = (name !== undefined ? posOf(args, name, 'value') : undefined) ?? where.pos;
  throw new MusterError('E_MODULE', message, { pos, task: where.task, host: where.host, hint });
}
