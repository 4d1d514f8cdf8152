/**
 * One task mapping -> Task: find its one module (short name, collection prefixes, or `action:`), read its
 * arguments (mapping or `k=v` text, plus `args:`), check their names, and read the task keywords.
 */
import { didYouMean, MusterError, type Pos } from '../../shared/errors.js';
import { checkArgNames } from '../modules/args.js';
import { ansibleModule, notImplementedModule } from '../modules/not-implemented.js';
import type { Module } from '../modules/types.js';
import { copyPos, setPos } from '../../shared/yaml.js';
import {
  at,
  bool,
  conditions,
  describe,
  inheritable,
  isMapping,
  isTemplated,
  mapping,
  num,
  numOrTemplate,
  schemaError,
  str,
  strings,
  checkKeys,
  unknownKey,
  type Mapping,
} from './fields.js';
import { canonicalLookup, lookupNames, unknownLookup } from '../expr/lookups/index.js';
import { HANDLER_KEYS, LOOP_CONTROL_KEYS, TASK_KEYS, UNSUPPORTED, WITH_LOOKUP_HINT } from './keywords.js';
import { parseKv } from './kv.js';
import { applyModuleDefaults, moduleDefaults } from './module-defaults.js';
import { searchDirs, type Scope } from './scope.js';
import type { Task } from './types.js';

/** How the module was written: under which key, its short name, and the value holding its arguments. */
interface Call {
  key: string;
  module: Module;
  /** the arguments as written: null, a mapping or `k=v` text */
  value: unknown;
  /** where the arguments were written */
  pos: Pos | undefined;
  /** the module's name as written in action: / local_action: (else the key is) */
  written?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses one task (or handler) mapping. */
export function parseTask(obj: Mapping, scope: Scope, handler = false): Task {
  const allowed: readonly string[] = handler ? HANDLER_KEYS : TASK_KEYS;
  const call = moduleCall(obj, scope, allowed, handler ? 'handler' : 'task');
  const name = str(obj, 'name') ?? call.module.name;
  const pos = at(obj) as Pos;
  const until = conditions(obj, 'until');
  if (obj.local_action !== undefined && obj.delegate_to !== undefined)
    schemaError(
      '"local_action" already delegates to localhost: it cannot have delegate_to too',
      obj,
      'delegate_to',
      'drop delegate_to, or write the module with delegate_to',
    );
  const task: Task = {
    kind: 'task',
    name,
    ...(str(obj, 'name') === undefined ? { action: call.written ?? call.key } : {}),
    module: call.module.name,
    args: taskArgs(obj, call, { pos, task: name }),
    pos,
    ...inheritable(obj),
    ...loop(obj),
    register: identifier(obj, 'register'),
    ...asyncKeywords(obj),
    notify: strings(obj, 'notify'),
    changedWhen: conditions(obj, 'changed_when'),
    failedWhen: conditions(obj, 'failed_when'),
    until,
    retries: numOrTemplate(obj, 'retries') ?? 3,
    delay: numOrTemplate(obj, 'delay') ?? 5,
    runOnce: bool(obj, 'run_once') ?? false,
    delegateTo: obj.local_action !== undefined ? 'localhost' : str(obj, 'delegate_to'),
    delegateFacts: bool(obj, 'delegate_facts'),
    listen: handler ? strings(obj, 'listen') : [],
    role: scope.role?.name,
    searchDirs: searchDirs(scope),
  };
  // the task's own module_defaults, under its arguments (a block's or the play's are applied after, under these)
  return 'module_defaults' in obj ? applyModuleDefaults([task], moduleDefaults(obj), scope.env)[0] : task;
}

/** async, poll and timeout as written (numbers, or templates rendered per host); absent ones left out. */
function asyncKeywords(obj: Mapping): Pick<Task, 'async' | 'poll' | 'timeout'> {
  const out: Pick<Task, 'async' | 'poll' | 'timeout'> = {};
  const async = numOrTemplate(obj, 'async');
  const poll = numOrTemplate(obj, 'poll');
  const timeout = numOrTemplate(obj, 'timeout');
  if (async !== undefined) out.async = async;
  if (poll !== undefined) out.poll = poll;
  if (timeout !== undefined) out.timeout = timeout;
  return out;
}

/** Finds the task's one module among its keys (or in `action:`); E_MODULE/E_SCHEMA otherwise. */
function moduleCall(obj: Mapping, scope: Scope, allowed: readonly string[], what: string): Call {
  const found: Call[] = [];
  const unknown: string[] = [];
  if (obj.action !== undefined) found.push(actionCall(obj, scope, 'action'));
  if (obj.local_action !== undefined) found.push(actionCall(obj, scope, 'local_action'));
  for (const key of Object.keys(obj)) {
    // with_<lookup> loops are keywords; loop() checks the lookup's name
    if (allowed.includes(key) || isWithLoop(key)) continue;
    const module = moduleOf(key, scope);
    if (module) found.push({ key, module, value: obj[key], pos: at(obj, key) });
    else unknown.push(key);
  }
  if (found.length > 1) {
    const [a, b] = found;
    throw new MusterError('E_SCHEMA', `a task runs one module, this one has two: "${a.key}" and "${b.key}"`, {
      pos: at(obj, b.key, 'key'),
      hint: 'split it into two tasks',
    });
  }
  const odd = unknown.find((k) => k in UNSUPPORTED) ?? (found.length ? unknown[0] : undefined);
  if (odd !== undefined) unknownKey(obj, odd, what, allowed, scope.env.moduleNames());
  if (unknown.length > 0) {
    const key = unknown[0];
    const short = key.split('.').pop() ?? key;
    throw new MusterError(
      'E_MODULE',
      `no module in task: "${key}" is neither a module nor a task keyword${didYouMean(short, [...allowed, ...scope.env.moduleNames()])}`,
      {
        pos: at(obj, key, 'key'),
        hint: 'check the spelling of the module name (ansible.builtin.NAME and short names both work)',
      },
    );
  }
  if (found.length === 0) {
    throw new MusterError('E_MODULE', 'no module in task', { pos: at(obj), hint: 'add the module to run, e.g. "debug: msg=hello"' });
  }
  return found[0];
}

/** muster's module for a name as written; for an Ansible module muster lacks, a stand-in that fails where it runs. */
function moduleOf(written: string, scope: Scope): Module | undefined {
  const short = scope.env.canonical(written);
  const module = short === undefined ? undefined : scope.env.module(short);
  if (module) return module;
  if (written in UNSUPPORTED) return undefined;
  return ansibleModule(written) === undefined ? undefined : notImplementedModule(written);
}

/** `action: copy src=a dest=b` or `action: {module: copy, src: a}` (local_action: the same, delegated to localhost). */
function actionCall(obj: Mapping, scope: Scope, key: 'action' | 'local_action'): Call {
  const v = obj[key];
  let written: unknown;
  let value: unknown;
  if (typeof v === 'string') {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(v);
    written = m?.[1];
    value = m?.[2] ?? '';
  } else if (isMapping(v)) {
    const { module: name, ...rest } = v;
    written = name;
    value = copyPos(v, rest);
  }
  if (typeof written !== 'string') {
    return schemaError(`"${key}" must name a module, got ${describe(v)}`, obj, key, `write ${key}: MODULE key=value, or a mapping with module:`);
  }
  const module = moduleOf(written, scope);
  if (!module) {
    throw new MusterError('E_MODULE', `unknown module "${written}"${didYouMean(written.split('.').pop() ?? written, scope.env.moduleNames())}`, {
      pos: at(obj, key),
      hint: 'check the spelling of the module name',
    });
  }
  return { key, module, value, pos: at(obj, key), written };
}

/** The module's arguments: `args:` first, then the module's own (which win), names checked. */
function taskArgs(obj: Mapping, call: Call, where: { pos: Pos; task: string }): Record<string, unknown> {
  const own = argsValue(call, where);
  if (isTemplated(obj.args)) schemaError('templated "args" is not supported yet', obj, 'args', 'write args as a mapping');
  const extra = mapping(obj, 'args');
  checkArgNames(call.module, extra, where);
  checkArgNames(call.module, own, { pos: call.pos ?? where.pos, task: where.task });
  // meta is run by the runner itself, never through normalizeArgs: check its action now
  const bad = call.module.name === 'meta' ? call.module.validate?.(own) : undefined;
  if (bad) throw new MusterError('E_MODULE', bad, { pos: call.pos ?? where.pos, task: where.task, hint: 'fix the meta action' });
  if (Object.keys(extra).length === 0) return own;
  return setPos({ ...extra, ...own }, at(obj, 'args') ?? where.pos);
}

function argsValue(call: Call, where: { pos: Pos }): Record<string, unknown> {
  const v = call.value;
  if (v === null || v === undefined) return setPos({}, call.pos ?? where.pos);
  if (isMapping(v)) return v;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    return parseKv(String(v), call.pos ?? where.pos, call.module.freeForm ? optionNames(call.module) : undefined);
  }
  throw new MusterError('E_SCHEMA', `arguments of ${call.module.name} must be a mapping or key=value text, got ${describe(v)}`, {
    pos: call.pos ?? where.pos,
    hint: 'write the arguments indented under the module name, as name: value lines',
  });
}

/**
 * For free-form modules, the `k=v` words taken as options (chdir=, creates=...); every other word is command
 * text. The text's own aliases (cmd) and list/dict arguments (argv) are never taken from `k=v`, as in Ansible.
 */
function optionNames(module: Module): Set<string> {
  const scalar = Object.entries(module.args).filter(([k, s]) => !k.startsWith('_') && s.type !== 'list' && s.type !== 'dict');
  return new Set(scalar.flatMap(([k, s]) => [k, ...(s.aliases ?? [])]));
}

/** What a loop is made of (a task's, or an include_tasks/include_role entry's). */
export type Loop = Pick<Task, 'loop' | 'loopLookup' | 'loopVar' | 'loopLabel' | 'loopFlatten' | 'loopPause' | 'loopIndexVar' | 'loopExtended'>;

/** loop / with_<lookup> and loop_control. */
export function loop(obj: Mapping): Loop {
  const keys = Object.keys(obj).filter((k) => (k === 'loop' || isWithLoop(k)) && obj[k] !== undefined);
  if (keys.length > 1) schemaError(`"${keys[0]}" and "${keys[1]}" cannot be used together`, obj, keys[1], 'keep one of them');
  const control = mapping(obj, 'loop_control');
  checkKeys(control, LOOP_CONTROL_KEYS, 'loop_control');
  const loopVar = identifier(control, 'loop_var') ?? 'item';
  const base = {
    loopVar,
    loopLabel: control.label === undefined || control.label === null ? undefined : String(control.label),
    loopPause: num(control, 'pause'),
    loopIndexVar: identifier(control, 'index_var'),
    ...(bool(control, 'extended') ? { loopExtended: { allitems: bool(control, 'extended_allitems') ?? true } } : {}),
  };
  const key = keys[0];
  if (key === undefined) return base;
  const v = obj[key];
  if (key !== 'loop' && key !== 'with_items' && key !== 'with_list') return { ...base, ...withLoop(obj, key) };
  if (!Array.isArray(v) && typeof v !== 'string') {
    return schemaError(
      `"${key}" must be a list or a template giving one, got ${describe(v)}`,
      obj,
      key,
      isMapping(v) ? 'loop over a mapping with "{{ mydict | dict2items }}"' : 'write the items as a YAML list',
    );
  }
  if (key !== 'with_items') return { ...base, loop: v };
  // with_items flattens one level; a template item may render to a list, so then the runner flattens after rendering
  if (typeof v === 'string' || v.some(isTemplated)) return { ...base, loop: v, loopFlatten: true };
  return { ...base, loop: v.flatMap((item) => (Array.isArray(item) ? item : [item])) };
}

/** `with_<name>: terms`: the lookup's short name, checked now; its terms are rendered per host. */
function withLoop(obj: Mapping, key: string): Pick<Task, 'loop' | 'loopLookup'> {
  const written = key.slice('with_'.length);
  const short = canonicalLookup(written);
  if (short === undefined) {
    const names = lookupNames().map((n) => `with_${n}`);
    const lacking = unknownLookup(written)?.message.includes('not implemented');
    const what = lacking ? `lookup "${written}", which muster does not implement` : `an unknown lookup "${written}"${didYouMean(key, names)}`;
    throw new MusterError('E_SCHEMA', `"${key}" loops over ${what}`, { pos: at(obj, key, 'key'), hint: WITH_LOOKUP_HINT });
  }
  if (obj[key] === null) return schemaError(`"${key}" needs terms, got nothing`, obj, key, 'give the lookup its terms, e.g. with_fileglob: "files/*.conf"');
  return { loop: obj[key], loopLookup: short };
}

export function isWithLoop(key: string): boolean {
  return key.startsWith('with_') && key.length > 'with_'.length;
}

function identifier(obj: Mapping, key: string): string | undefined {
  const v = str(obj, key);
  if (v !== undefined && !IDENT.test(v))
    schemaError(`"${key}" must be a variable name, got "${v}"`, obj, key, 'use letters, digits and _ (not starting with a digit)');
  return v;
}
