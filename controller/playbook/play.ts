/** One play mapping -> Play: hosts, play keywords, vars_files read now, roles before the play's tasks. */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { at, bool, checkKeys, describe, environment, isMapping, isTemplated, list, mapping, num, schemaError, str, tags, type Mapping } from './fields.js';
import { PLAY_KEYS, TASK_KEYS } from './keywords.js';
import { loadRoles, type Roles } from './roles.js';
import { firstFile, readYaml, under, type Place, type Scope } from './scope.js';
import { parseHandlers, parseTaskList } from './tasks.js';
import type { Play } from './types.js';

/** Parses one play; `scope.file` is the playbook file it was written in. */
export function parsePlay(obj: Mapping, scope: Scope): Play {
  refuseTaskAtTop(obj, scope);
  checkKeys(obj, PLAY_KEYS, 'play');
  const hosts = hostsOf(obj);
  // Roles imported among the tasks (import_role/include_role) leave their handlers, defaults and vars here.
  const imported: Roles = { tasks: [], handlers: [], defaults: {}, vars: {} };
  const inPlay: Scope = { ...scope, roleSink: imported };
  const roles = loadRoles(obj, inPlay);
  const preTasks = parseTaskList(obj, 'pre_tasks', inPlay);
  const tasks = [...roles.tasks, ...parseTaskList(obj, 'tasks', inPlay)];
  const postTasks = parseTaskList(obj, 'post_tasks', inPlay);
  return {
    name: str(obj, 'name') ?? hosts,
    hosts,
    pos: at(obj) as Pos,
    file: scope.file.shown,
    become: bool(obj, 'become'),
    becomeUser: str(obj, 'become_user'),
    gatherFacts: bool(obj, 'gather_facts') ?? true,
    vars: mapping(obj, 'vars') as Vars,
    varsFiles: varsFiles(obj, scope),
    roleDefaults: { ...roles.defaults, ...imported.defaults },
    roleVars: { ...roles.vars, ...imported.vars },
    serial: serial(obj),
    maxFailPercentage: num(obj, 'max_fail_percentage'),
    anyErrorsFatal: bool(obj, 'any_errors_fatal') ?? false,
    ignoreUnreachable: bool(obj, 'ignore_unreachable'),
    tags: tags(obj),
    environment: environment(obj),
    preTasks,
    tasks,
    postTasks,
    handlers: [...roles.handlers, ...imported.handlers, ...parseHandlers(obj, 'handlers', inPlay)],
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
