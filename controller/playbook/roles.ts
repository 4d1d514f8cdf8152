/**
 * A play's `roles:`. Each role is found as Ansible finds it (the playbook's roles/, MUSTER_ROLES_PATH and
 * roles_path, the directory of the role that depends on it, the playbook's directory; `ns.coll.role` under
 * the collections paths) and brings its dependencies' tasks, then its own (before the play's), handlers,
 * defaults and vars. A role runs once per play with the same parameters unless its meta allows duplicates.
 */
import { basename, dirname } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { inheritable, list, type Mapping } from './fields.js';
import { readArgumentSpecs, validationTasks } from './argument-specs.js';
import { handDown } from './block-keywords.js';
import { applyModuleDefaults } from './module-defaults.js';
import { roleEntry, type RoleEntry } from './role-entry.js';
import { mainFile, namedFile, readList, readVars } from './role-files.js';
import { readMeta } from './role-meta.js';
import { displayName, findRole } from './role-search.js';
import { inRoleOf, roleMagic, withIncludeParams } from './role-vars.js';
import type { Scope } from './scope.js';
import { parseHandlers, parseTaskList } from './tasks.js';
import type { Inheritable, Task, TaskNode } from './types.js';

/** What the roles of one play bring. */
export interface Roles {
  tasks: TaskNode[];
  handlers: Task[];
  defaults: Vars;
  vars: Vars;
  /** names of the roles the play lists or imports, in order (ansible_play_role_names) */
  played: string[];
  /** names of the roles brought in as dependencies (ansible_dependent_role_names) */
  dependent: string[];
}

/** Nothing yet. */
export function noRoles(): Roles {
  return { tasks: [], handlers: [], defaults: {}, vars: {}, played: [], dependent: [] };
}

/** Loads every role listed under the play's `roles:`, in order (one with the same parameters as an earlier one is skipped). */
export function loadRoles(play: Mapping, scope: Scope): Roles {
  const out = noRoles();
  const entries = list(play, 'roles');
  entries.forEach((item, i) => {
    const entry = roleEntry(item, entries, i);
    const role = timed(loadRole(entry, scope, true), entry);
    out.tasks.push(...wrap(role.tasks, entry));
    addRole(out, role);
  });
  return out;
}

/**
 * Loads one role, its dependencies' tasks first. `once`: when the play already has this role with the same
 * parameters, its tasks come back in a list-only Block (listed, not run) and nothing else, unless its meta
 * says allow_duplicates (roles: and dependencies; import_role and include_role always run, as in Ansible).
 */
export function loadRole(entry: RoleEntry, scope: Scope, once = false): Roles {
  const dir = findRole(entry.name, scope, entry.pos);
  const meta = readMeta(dir);
  let repeat = false;
  if (once && !meta.allowDuplicates && scope.roleCache) {
    const key = JSON.stringify([dir.abs, entry.params, entry.keywords.when.map((c) => c.expr), entry.keywords.tags, entry.tasksFrom ?? null]);
    repeat = scope.roleCache.has(key);
    scope.roleCache.add(key);
  }
  const chain = scope.roleChain ?? [];
  if (chain.includes(dir.abs)) {
    const names = [...chain.slice(chain.indexOf(dir.abs)), dir.abs].map((d) => basename(d));
    throw new MusterError('E_SCHEMA', `include cycle of roles: ${names.join(' -> ')}`, {
      pos: entry.pos,
      hint: 'a role must not depend on or import itself, directly or through others',
    });
  }
  const role = { name: displayName(entry.name, dir), dir };
  const inner: Scope = { ...scope, role, roleChain: [...chain, dir.abs] };
  // a dependency is looked for beside the role that names it too
  const depScope: Scope = { ...inner, role: undefined, roleBase: dirname(dir.abs) };
  const out = noRoles();
  const parent = scope.role && { name: scope.role.name, path: scope.role.dir.abs };
  const inRole = (t: TaskNode) => inRoleOf(t, entry.params, roleMagic({ name: role.name, path: dir.abs }, parent));
  for (const dep of meta.dependencies) {
    const loaded = timed(loadRole(dep, depScope, true), dep);
    // a dependency's tasks see the parameters of the role that depends on it, under their own
    out.tasks.push(...wrap(loaded.tasks, dep).map(inRole));
    addRole(out, { ...loaded, played: [], dependent: [...loaded.dependent, ...loaded.played] });
  }
  const taskFile = entry.tasksFrom === undefined ? mainFile(dir, 'tasks') : namedFile(dir, 'tasks', entry.tasksFrom, entry.pos);
  const specs = entry.validate === false ? undefined : readArgumentSpecs(dir);
  const check = validationTasks(specs, entry.tasksFrom ?? 'main', entry.listed ? entry.params : {}, inner);
  const tasks = [...check, ...readList(taskFile, inner, (data, s) => parseTaskList({ tasks: data }, 'tasks', s))];
  const handlers = readList(mainFile(dir, 'handlers'), inner, (data, s) => parseHandlers({ handlers: data }, 'handlers', s));
  const defaults = entry.moduleDefaults ?? {};
  const included = (t: TaskNode) => withIncludeParams(inRole(t), entry.includeParams);
  const own = applyModuleDefaults(tasks, defaults, scope.env).map(included);
  // a repeat's own tasks are listed by --list-tasks, as Ansible does, but not run again; its dependencies
  // decide for themselves (one that allows duplicates runs again)
  if (repeat) {
    out.tasks.push({ kind: 'block', ...inheritable({}), name: undefined, pos: entry.pos, block: own, rescue: [], always: [], listOnly: true });
    return out;
  }
  out.tasks.push(...own);
  addRole(out, {
    tasks: [],
    handlers: applyModuleDefaults(handlers, defaults, scope.env).map((h) => forHandler(included(h) as Task, entry.keywords)),
    defaults: readVars(mainFile(dir, 'defaults')),
    vars: { ...entry.vars, ...readVars(mainFile(dir, 'vars')) },
    played: [role.name],
    dependent: [],
  });
  return out;
}

/** Adds a role's handlers, defaults and vars to what a play collects (its tasks go where the role was named). */
export function addRole(into: Roles, role: Roles): void {
  // A role imported twice brings its handlers once: a notify runs a handler once, however many copies exist.
  const known = new Set(into.handlers.map((h) => `${h.role}\0${h.name}`));
  into.handlers.push(...role.handlers.filter((h) => !known.has(`${h.role}\0${h.name}`)));
  Object.assign(into.defaults, role.defaults);
  Object.assign(into.vars, role.vars);
  into.played.push(...role.played);
  for (const name of role.dependent) if (!into.dependent.includes(name)) into.dependent.push(name);
}

/** The entry's when/tags/become/environment apply to every task of the role: a Block carries them. */
function wrap(tasks: TaskNode[], entry: RoleEntry): TaskNode[] {
  const k = entry.keywords;
  const keyed = k.when.length || k.tags.length || k.become !== undefined || k.becomeUser !== undefined || Object.keys(k.environment).length;
  if (!keyed || tasks.length === 0) return tasks;
  return [{ kind: 'block', ...k, vars: {}, name: undefined, pos: entry.pos, block: tasks, rescue: [], always: [] }];
}

/** A roles entry's timeout goes to every task and handler the role brings (its dependencies' too), under their own. */
function timed(role: Roles, entry: RoleEntry): Roles {
  if (entry.timeout === undefined) return role;
  const k = { timeout: entry.timeout };
  return { ...role, tasks: handDown(role.tasks, k), handlers: handDown(role.handlers, k) };
}

/** Handlers run as the role's tasks do: become and environment from the entry unless the handler says otherwise. */
function forHandler(h: Task, k: Inheritable): Task {
  return { ...h, become: h.become ?? k.become, becomeUser: h.becomeUser ?? k.becomeUser, environment: { ...k.environment, ...h.environment } };
}
