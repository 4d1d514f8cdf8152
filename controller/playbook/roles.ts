/**
 * A play's `roles:`. Each role is found in the playbook's roles/ directory, then in MUSTER_ROLES_PATH, and
 * brings its tasks (run before the play's own), handlers, defaults and vars.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { at, describe, inheritable, isMapping, isTemplated, list, schemaError, type Mapping } from './fields.js';
import { ROLE_ENTRY_KEYS } from './keywords.js';
import { enter, isDir, isFile, readYaml, under, type Place, type Scope } from './scope.js';
import { parseHandlers, parseTaskList } from './tasks.js';
import type { Inheritable, Task, TaskNode } from './types.js';

/** What the roles of one play bring. */
export interface Roles {
  tasks: TaskNode[];
  handlers: Task[];
  defaults: Vars;
  vars: Vars;
}

/** Loads every role listed under the play's `roles:`, in order. */
export function loadRoles(play: Mapping, scope: Scope): Roles {
  const out: Roles = { tasks: [], handlers: [], defaults: {}, vars: {} };
  const entries = list(play, 'roles');
  entries.forEach((item, i) => {
    const entry = roleEntry(item, entries, i);
    const role = loadRole(entry, scope);
    out.tasks.push(...wrap(role.tasks, entry));
    addRole(out, role);
  });
  return out;
}

/** One role by name: its tasks (from tasks/main or `tasksFrom`) and handlers with the entry's parameters on them. */
export interface RoleEntry {
  name: string;
  pos: Pos;
  keywords: Inheritable;
  /** the entry's `vars:` and any other non-keyword keys: role parameters */
  params: Vars;
  /** import_role's tasks_from: a file of the role's tasks/ instead of main */
  tasksFrom?: string;
}

/** Loads one role. */
export function loadRole(entry: RoleEntry, scope: Scope): Roles {
  const dir = findRole(entry.name, scope, entry.pos);
  const role = { name: entry.name.split('/').pop() ?? entry.name, dir };
  const inner: Scope = { ...scope, role };
  refuseDependencies(dir);
  const taskFile = entry.tasksFrom === undefined ? mainFile(dir, 'tasks') : namedFile(dir, 'tasks', entry.tasksFrom, entry.pos);
  const tasks = readList(taskFile, inner, (data, s) => parseTaskList({ tasks: data }, 'tasks', s));
  const handlers = readList(mainFile(dir, 'handlers'), inner, (data, s) => parseHandlers({ handlers: data }, 'handlers', s));
  return {
    tasks: tasks.map((t) => withParams(t, entry.params)),
    handlers: handlers.map((h) => forHandler(withParams(h, entry.params), entry.keywords)),
    defaults: readVars(mainFile(dir, 'defaults')),
    vars: readVars(mainFile(dir, 'vars')),
  };
}

/** Adds a role's handlers, defaults and vars to what a play collects (its tasks go where the role was named). */
export function addRole(into: Roles, role: Roles): void {
  // A role imported twice brings its handlers once: a notify runs a handler once, however many copies exist.
  const known = new Set(into.handlers.map((h) => `${h.role}\0${h.name}`));
  into.handlers.push(...role.handlers.filter((h) => !known.has(`${h.role}\0${h.name}`)));
  Object.assign(into.defaults, role.defaults);
  Object.assign(into.vars, role.vars);
}

function roleEntry(item: unknown, items: unknown[], i: number): RoleEntry {
  const pos = at(items, i) as Pos;
  if (typeof item === 'string') return { name: checkName(item, items, i), pos, keywords: inheritable({}), params: {} };
  if (!isMapping(item)) {
    return schemaError(`a roles entry must be a role name or a mapping with role:, got ${describe(item)}`, items, i, 'write "- NAME" or "- role: NAME"');
  }
  const key = 'role' in item ? 'role' : 'name';
  const name = item[key];
  if (typeof name !== 'string') return schemaError('a roles entry needs "role: NAME"', item, key, 'write "- role: NAME" with the role\'s directory name');
  const params: Vars = {};
  for (const [k, v] of Object.entries(item)) if (!(ROLE_ENTRY_KEYS as readonly string[]).includes(k)) params[k] = v;
  return { name: checkName(name, item, key), pos, keywords: inheritable(item), params: { ...params, ...(item.vars as Vars | undefined) } };
}

function checkName(name: string, holder: unknown, key: string | number): string {
  if (isTemplated(name)) schemaError(`templated role names are not supported yet: ${name}`, holder, key, 'write the role name literally');
  if (/^[\w-]+\.[\w-]+\.[\w-]+$/.test(name))
    schemaError(`collection roles are not supported yet: ${name}`, holder, key, "copy the role into the playbook's roles/ directory");
  return name;
}

/** The role's directory: a path (when the name has a /) or roles/NAME beside the playbook, then MUSTER_ROLES_PATH. */
function findRole(name: string, scope: Scope, pos: Pos): Place {
  const candidates = name.includes('/')
    ? [under(scope.playbookDir, name)]
    : [under(scope.playbookDir, `roles/${name}`), ...scope.env.rolesPath.map((p) => under({ abs: p, shown: p }, name))];
  const found = candidates.find(isDir);
  if (found) return found;
  throw new MusterError('E_FILE', `role "${name}" not found`, {
    pos,
    hint: `looked in ${candidates.map((c) => c.shown).join(', ')}; add directories to MUSTER_ROLES_PATH (colon-separated)`,
  });
}

/** roles/NAME/SUB/FILE(.yml|.yaml); E_FILE when there is none. */
function namedFile(dir: Place, sub: string, name: string, pos: Pos): Place {
  const candidates = [name, `${name}.yml`, `${name}.yaml`].map((f) => under(dir, `${sub}/${f}`));
  const found = candidates.find(isFile);
  if (found) return found;
  throw new MusterError('E_FILE', `the role has no ${sub} file "${name}"`, { pos, hint: `looked for ${candidates.map((c) => c.shown).join(', ')}` });
}

/** roles/NAME/SUB/main.yml (or main.yaml, or main), if there is one. */
function mainFile(dir: Place, sub: string): Place | undefined {
  return ['main.yml', 'main.yaml', 'main'].map((f) => under(dir, `${sub}/${f}`)).find(isFile);
}

function readVars(file: Place | undefined): Vars {
  if (!file) return {};
  const data = readYaml(file);
  if (data === null) return {};
  if (isMapping(data)) return data;
  throw new MusterError('E_SCHEMA', `role variables must be a mapping, got ${describe(data)}`, {
    pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
    hint: 'write name: value lines',
  });
}

function readList<T>(file: Place | undefined, scope: Scope, parse: (data: unknown, inner: Scope) => T[]): T[] {
  if (!file) return [];
  const inner = enter(scope, file, undefined);
  const data = readYaml(file);
  if (data !== null && !Array.isArray(data)) {
    throw new MusterError('E_SCHEMA', `a role's task file must be a list of tasks, got ${describe(data)}`, {
      pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
      hint: 'start each task with "- "',
    });
  }
  return parse(data, inner);
}

function refuseDependencies(dir: Place): void {
  const meta = mainFile(dir, 'meta');
  if (!meta) return;
  const data = readYaml(meta);
  if (isMapping(data) && Array.isArray(data.dependencies) && data.dependencies.length > 0) {
    schemaError('role dependencies are not supported yet', data, 'dependencies', "list the dependency roles before this one under the play's roles:");
  }
}

/** Role parameters outrank the variables of the role's own tasks and blocks (as in Ansible), so they go on every node. */
function withParams<T extends TaskNode>(node: T, params: Vars): T {
  if (Object.keys(params).length === 0) return node;
  if (node.kind === 'task') return { ...node, vars: { ...node.vars, ...params } };
  const sub = (nodes: TaskNode[]) => nodes.map((n) => withParams(n, params));
  return { ...node, vars: { ...node.vars, ...params }, block: sub(node.block), rescue: sub(node.rescue), always: sub(node.always) };
}

/** The entry's when/tags/become/environment apply to every task of the role: a Block carries them. */
function wrap(tasks: TaskNode[], entry: RoleEntry): TaskNode[] {
  const k = entry.keywords;
  const keyed = k.when.length || k.tags.length || k.become !== undefined || k.becomeUser !== undefined || Object.keys(k.environment).length;
  if (!keyed || tasks.length === 0) return tasks;
  return [{ kind: 'block', ...k, vars: {}, name: undefined, pos: entry.pos, block: tasks, rescue: [], always: [] }];
}

/** Handlers run as the role's tasks do: become and environment from the entry unless the handler says otherwise. */
function forHandler(h: Task, k: Inheritable): Task {
  return { ...h, become: h.become ?? k.become, becomeUser: h.becomeUser ?? k.becomeUser, environment: { ...k.environment, ...h.environment } };
}
