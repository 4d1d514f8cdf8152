/**
 * One play mapping -> Play: hosts, play keywords, vars_files read now, roles before the play's tasks,
 * module_defaults merged into the tasks' arguments.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import {
  at,
  bool,
  boolOrTemplate,
  checkKeys,
  describe,
  environment,
  environmentTemplate,
  isMapping,
  isTemplated,
  list,
  mapping,
  num,
  schemaError,
  str,
  tags,
  type Mapping,
  numOrTemplate,
} from './fields.js';
import { handDown } from './block-keywords.js';
import { PLAY_KEYS, TASK_KEYS } from './keywords.js';
import { applyModuleDefaults, moduleDefaults } from './module-defaults.js';
import { roleNames } from './role-vars.js';
import { addRole, loadRoles, noRoles, type Roles } from './roles.js';
import { firstFile, readYaml, under, type Place, type Scope } from './scope.js';
import { parseHandlers, parseTaskList } from './tasks.js';
import type { HostOrder, Play, TaskNode, VarsPrompt } from './types.js';

/** Parses one play; `scope.file` is the playbook file it was written in. */
export function parsePlay(obj: Mapping, scope: Scope): Play {
  refuseTaskAtTop(obj, scope);
  checkKeys(obj, PLAY_KEYS, 'play');
  const hosts = hostsOf(obj);
  // Roles imported among the tasks (import_role/include_role) leave their handlers, defaults and vars here.
  const imported = noRoles();
  const inPlay: Scope = { ...scope, roleSink: imported, roleCache: new Set() };
  const roles = loadRoles(obj, inPlay);
  collections(obj);
  sudoOnly(obj);
  const defaults = moduleDefaults(obj);
  // the play's timeout goes to every task and handler under their own (block-keywords.ts)
  const timeout = numOrTemplate(obj, 'timeout');
  const timed = timeout === undefined ? {} : { timeout };
  const withDefaults = <T extends TaskNode>(nodes: T[]) => handDown(applyModuleDefaults(nodes, defaults, scope.env), timed);
  const preTasks = withDefaults(parseTaskList(obj, 'pre_tasks', inPlay));
  const tasks = withDefaults([...roles.tasks, ...parseTaskList(obj, 'tasks', inPlay)]);
  const postTasks = withDefaults(parseTaskList(obj, 'post_tasks', inPlay));
  const gathering = scope.env.gathering;
  return {
    name: str(obj, 'name') ?? hosts,
    hosts,
    hostList: Array.isArray(obj.hosts) ? obj.hosts.map(String) : undefined,
    pos: at(obj) as Pos,
    file: scope.file.shown,
    become: boolOrTemplate(obj, 'become'),
    becomeUser: str(obj, 'become_user'),
    gatherFacts: bool(obj, 'gather_facts') ?? gathering !== 'explicit',
    gatherOnce: gathering === 'smart' || undefined,
    remoteUser: str(obj, 'remote_user'),
    varsPrompt: varsPrompt(obj),
    order: order(obj),
    forceHandlers: bool(obj, 'force_handlers'),
    vars: mapping(obj, 'vars') as Vars,
    varsFiles: varsFiles(obj, scope),
    roleDefaults: { ...roles.defaults, ...imported.defaults },
    roleVars: { ...roles.vars, ...imported.vars },
    roleNames: roleNames(both(roles, imported)),
    serial: serial(obj),
    maxFailPercentage: num(obj, 'max_fail_percentage'),
    anyErrorsFatal: bool(obj, 'any_errors_fatal') ?? false,
    ignoreUnreachable: boolOrTemplate(obj, 'ignore_unreachable'),
    connection: str(obj, 'connection'),
    tags: tags(obj),
    environment: environment(obj),
    environmentTemplate: environmentTemplate(obj),
    preTasks,
    tasks,
    postTasks,
    handlers: withDefaults([...roles.handlers, ...imported.handlers, ...parseHandlers(obj, 'handlers', inPlay)]),
    dir: scope.playbookDir.abs,
  };
}

/** A task written where a play belongs is a common slip: say so instead of "unknown key". */
function refuseTaskAtTop(obj: Mapping, scope: Scope): void {
  if ('hosts' in obj) return;
  const taskOnly = (k: string) => (TASK_KEYS as readonly string[]).includes(k) && !(PLAY_KEYS as readonly string[]).includes(k);
  const moduleKey = Object.keys(obj).find((k) => scope.env.canonical(k) !== undefined || taskOnly(k));
  if (moduleKey) {
    throw new MusterError('E_SCHEMA', 'this looks like a task, but the top level of a playbook is a list of plays', {
      pos: at(obj),
      hint: 'put it under "tasks:" of a play that has "hosts:"',
    });
  }
}

function hostsOf(obj: Mapping): string {
  const v = obj.hosts;
  if (v === undefined || v === null || v === '') {
    throw new MusterError('E_SCHEMA', 'play has no "hosts"', { pos: at(obj), hint: 'add hosts: with a group, a host or "all"' });
  }
  if (Array.isArray(v)) {
    return v
      .map((h, i) =>
        typeof h === 'string' || typeof h === 'number'
          ? String(h)
          : schemaError(`hosts entries must be names, got ${describe(h)}`, v, i, 'write host or group names'),
      )
      .join(',');
  }
  return str(obj, 'hosts') as string;
}

/** serial: a count, "30%", or a list of them (batch sizes in order, the last one repeating). */
function serial(obj: Mapping): (number | string)[] | undefined {
  const v = obj.serial;
  if (v === undefined || v === null) return undefined;
  const items = Array.isArray(v) ? v : [v];
  const holder = Array.isArray(v) ? v : obj;
  return items.map((item, i) => {
    const k = Array.isArray(v) ? i : 'serial';
    if (typeof item === 'number' && Number.isInteger(item) && item >= 0) return item;
    if (typeof item === 'string' && /^\s*\d+\s*$/.test(item)) return Number(item);
    if (typeof item === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(item)) return item.replace(/\s/g, '');
    return schemaError(
      `"serial" must be a count, a percentage like "30%" or a list of them, got ${describe(item)}`,
      holder,
      k,
      'write serial: 2, serial: "30%" or serial: [1, 5, "50%"]',
    );
  });
}

/** vars_files, read now relative to the playbook's directory and merged in order. */
function varsFiles(obj: Mapping, scope: Scope): Vars {
  const merged: Vars = {};
  const entries = list(obj, 'vars_files');
  entries.forEach((entry, i) => {
    // a list entry means "the first of these that exists", as in Ansible
    const names = Array.isArray(entry) ? entry : [entry];
    const holder = Array.isArray(entry) ? entry : entries;
    const written = names.map((n, j) => vfName(n, holder, Array.isArray(entry) ? j : i));
    const pos = at(entries, i) as Pos;
    const file = firstFile(
      written.map((n) => under(scope.playbookDir, n)),
      `vars file "${written.join('" or "')}"`,
      pos,
    );
    Object.assign(merged, readVarsFile(file, pos));
  });
  return merged;
}

function vfName(n: unknown, holder: unknown, k: number): string {
  if (typeof n !== 'string' || n === '')
    return schemaError(`vars_files entries must be file names, got ${describe(n)}`, holder, k, 'write a path relative to the playbook');
  if (isTemplated(n))
    return schemaError(
      `templated vars_files are not supported yet: ${n}`,
      holder,
      k,
      'write the path literally, or use group_vars/ and host_vars/ beside the inventory or the playbook',
    );
  return n;
}

function readVarsFile(file: Place, pos: Pos): Vars {
  const data = readYaml(file, pos);
  if (data === null) return {};
  if (isMapping(data)) return data;
  throw new MusterError('E_SCHEMA', `a vars file must be a mapping of variables, got ${describe(data)}`, {
    pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
    hint: 'write name: value lines at the top level',
  });
}

/** `collections:` is accepted and changes nothing: module names already resolve short or in full. */
function collections(obj: Mapping): void {
  const v = obj.collections;
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.some((c) => typeof c !== 'string'))
    schemaError(`collections must be a list of collection names, got ${describe(v)}`, obj, 'collections', 'write collections: [community.general]');
}

/** `become_method:` sudo is what muster does anyway; any other method is refused. */
function sudoOnly(obj: Mapping): void {
  const v = str(obj, 'become_method');
  if (v !== undefined && v !== 'sudo')
    schemaError(
      `become_method "${v}" is not supported: muster becomes with sudo only`,
      obj,
      'become_method',
      'remove become_method (or write sudo) and give the remote user sudo rights',
    );
}

const ORDERS: HostOrder[] = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'];

/** `order:` the order the play's hosts run in. */
function order(obj: Mapping): HostOrder | undefined {
  const v = str(obj, 'order');
  if (v === undefined) return undefined;
  if ((ORDERS as string[]).includes(v)) return v as HostOrder;
  return schemaError(`order "${v}" is not one of ${ORDERS.join(', ')}`, obj, 'order', `write order: ${ORDERS.join(' | ')}`);
}

const PROMPT_KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt', 'salt_size', 'unsafe'];

/** `vars_prompt:` the variables asked for before the play runs (the CLI asks; -e wins). */
function varsPrompt(obj: Mapping): VarsPrompt[] {
  const entries = list(obj, 'vars_prompt');
  return entries.map((e, i) => {
    if (!isMapping(e)) return schemaError(`a vars_prompt entry must be a mapping, got ${describe(e)}`, entries, i, 'write - name: VAR\n    prompt: TEXT');
    checkKeys(e, PROMPT_KEYS, 'vars_prompt entry');
    const name = str(e, 'name');
    if (!name || !/^[A-Za-z_]\w*$/.test(name))
      return schemaError(`a vars_prompt entry needs a variable name, got ${describe(e.name)}`, e, 'name', 'write name: a variable name');
    const encrypt = str(e, 'encrypt');
    if (encrypt !== undefined && !ENCRYPT.includes(encrypt))
      schemaError(`vars_prompt encrypt "${encrypt}" is not supported`, e, 'encrypt', `write one of ${ENCRYPT.join(', ')}`);
    const def = e.default;
    return {
      name,
      prompt: str(e, 'prompt') ?? name,
      default: def === undefined || def === null ? undefined : String(def),
      private: bool(e, 'private') ?? true,
      confirm: bool(e, 'confirm') ?? false,
      encrypt,
      salt: str(e, 'salt'),
      saltSize: num(e, 'salt_size'),
      pos: at(e) as Pos,
    };
  });
}

/** The hash schemes vars_prompt's encrypt can make. */
const ENCRYPT = ['sha512_crypt', 'sha256_crypt'];

// the play's roles, then those its tasks import
function both(roles: Roles, imported: Roles): Roles {
  const out = noRoles();
  addRole(out, roles);
  addRole(out, imported);
  return out;
}
