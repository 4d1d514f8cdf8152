/**
 * A play's `roles:`. Each role is found as Ansible finds it (the playbook's roles/, MUSTER_ROLES_PATH and
 * roles_path, the directory of the role that depends on it, the playbook's directory; `ns.coll.role` under
 * the collections paths) and brings its dependencies' tasks, then its own (before the play's), handlers,
 * defaults and vars. A role runs once per play with the same parameters unless its meta allows duplicates.
 */
import { basename, dirname, join } from 'node:path';
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { at, describe, inheritable, isMapping, isTemplated, list, schemaError, type Mapping } from './fields.js';
import { ROLE_ENTRY_KEYS } from './keywords.js';
import { readArgumentSpecs, validationTasks } from './argument-specs.js';
import { applyModuleDefaults, moduleDefaults } from './module-defaults.js';
import { FQCN, inRoleOf, roleMagic, withIncludeParams } from './role-vars.js';
import { enter, isDir, isFile, readYaml, under, type Place, type Scope } from './scope.js';
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
    const role = loadRole(entry, scope, true);
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
  /** the entry's non-keyword keys: role parameters, which outrank set_fact (precedence 20) */
  params: Vars;
  /** a roles: entry's `vars:`: role vars, under the role's vars/main.yml (precedence 15) */
  vars?: Vars;
  /** include_role's `vars:`: include parameters, over role parameters (precedence 21) */
  includeParams?: Vars;
  /** a roles: entry or a dependency: its parameters go to the argument spec check (import_role's vars do not) */
  listed?: boolean;
  /** import_role's tasks_from: a file of the role's tasks/ instead of main */
  tasksFrom?: string;
  /** the entry's module_defaults: arguments its tasks get unless they set them */
  moduleDefaults?: Record<string, Vars>;
}

/**
 * Loads one role, its dependencies' tasks first. `once`: skipped (nothing returned) when the play already
 * has this role with the same parameters, unless its meta says allow_duplicates (roles: and dependencies;
 * import_role and include_role always run, as in Ansible).
 */
export function loadRole(entry: RoleEntry, scope: Scope, once = false): Roles {
  const dir = findRole(entry.name, scope, entry.pos);
  const meta = readMeta(dir);
  if (once && !meta.allowDuplicates && scope.roleCache) {
    const key = JSON.stringify([dir.abs, entry.params, entry.keywords.when.map((c) => c.expr), entry.keywords.tags, entry.tasksFrom ?? null]);
    if (scope.roleCache.has(key)) return noRoles();
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
    const loaded = loadRole(dep, depScope, true);
    // a dependency's tasks see the parameters of the role that depends on it, under their own
    out.tasks.push(...wrap(loaded.tasks, dep).map(inRole));
    addRole(out, { ...loaded, played: [], dependent: [...loaded.dependent, ...loaded.played] });
  }
  const taskFile = entry.tasksFrom === undefined ? mainFile(dir, 'tasks') : namedFile(dir, 'tasks', entry.tasksFrom, entry.pos);
  const check = validationTasks(readArgumentSpecs(dir), entry.tasksFrom ?? 'main', entry.listed ? entry.params : {}, inner);
  const tasks = [...check, ...readList(taskFile, inner, (data, s) => parseTaskList({ tasks: data }, 'tasks', s))];
  const handlers = readList(mainFile(dir, 'handlers'), inner, (data, s) => parseHandlers({ handlers: data }, 'handlers', s));
  const defaults = entry.moduleDefaults ?? {};
  const included = (t: TaskNode) => withIncludeParams(inRole(t), entry.includeParams);
  out.tasks.push(...applyModuleDefaults(tasks, defaults, scope.env).map(included));
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

/** A roles entry (or a dependency in meta/main.yml): a name, or a mapping with role: (or name:), keywords and parameters. */
function roleEntry(item: unknown, items: unknown[], i: number): RoleEntry {
  const pos = at(items, i) as Pos;
  if (typeof item === 'string') return { name: checkName(item, items, i), pos, keywords: inheritable({}), params: {} };
  if (!isMapping(item)) {
    return schemaError(`a roles entry must be a role name or a mapping with role:, got ${describe(item)}`, items, i, 'write "- NAME" or "- role: NAME"');
  }
  // a galaxy requirement ({src: URL or ns.role, version: ...}) names the role by its source, as ansible-galaxy does
  const key = 'role' in item || 'name' in item ? ('role' in item ? 'role' : 'name') : 'src' in item ? 'src' : 'role';
  const written = item[key];
  if (typeof written !== 'string') return schemaError('a roles entry needs "role: NAME"', item, key, 'write "- role: NAME" with the role\'s directory name');
  const name = key === 'src' ? sourceName(written) : written;
  const skip = key === 'src' ? [...ROLE_ENTRY_KEYS, 'src', 'version', 'scm'] : (ROLE_ENTRY_KEYS as readonly string[]);
  const params: Vars = {};
  for (const [k, v] of Object.entries(item)) if (!skip.includes(k)) params[k] = v;
  const keywords = inheritable(item);
  return {
    name: checkName(name, item, key),
    pos,
    keywords,
    params,
    vars: keywords.vars,
    listed: true,
    moduleDefaults: 'module_defaults' in item ? moduleDefaults(item) : undefined,
  };
}

/** The role name of a galaxy source: `https://host/team/ansible-role-x.git,v1` -> ansible-role-x; `ns.role` stays. */
function sourceName(src: string): string {
  const base = src.split(',')[0].replace(/\/+$/, '');
  if (!base.includes('/') && !base.includes(':')) return base;
  return (base.split(/[/:]/).pop() ?? base).replace(/\.(git|tar\.gz)$/, '');
}

function checkName(name: string, holder: unknown, key: string | number): string {
  if (isTemplated(name)) schemaError(`templated role names are not supported yet: ${name}`, holder, key, 'write the role name literally');
  return name;
}

/**
 * The name tasks are shown with, as Ansible's: the name as written (`k3s/prereq` too) when the role was found
 * under a roles directory; its directory name when NAME was a path from the working directory.
 */
function displayName(name: string, dir: Found): string {
  return dir.byPath ? basename(name.replace(/\/+$/, '')) : name.replace(/\/+$/, '');
}

/**
 * The role's directory, searched as Ansible does: NAME (which may hold a /) under the playbook's roles/,
 * MUSTER_ROLES_PATH and roles_path, the directory of the role depending on it, the playbook's directory,
 * then NAME as a path from the working directory. `ns.coll.role` is first looked for as
 * ansible_collections/ns/coll/roles/role under the playbook's collections/ and the collections paths.
 */
/** A role's directory, and whether it was found as a path from the working directory (the last resort). */
type Found = Place & { byPath?: boolean };

function findRole(name: string, scope: Scope, pos: Pos): Found {
  const fq = FQCN.exec(name);
  const inCollections = fq
    ? [under(scope.playbookDir, 'collections'), ...scope.env.collectionsPath.map((p) => ({ abs: p, shown: p }))].map((root) =>
        under(basename(root.abs) === 'ansible_collections' ? root : under(root, 'ansible_collections'), join(fq[1], fq[2], 'roles', fq[3])),
      )
    : [];
  const bases: Place[] = [
    under(scope.playbookDir, 'roles'),
    ...scope.env.rolesPath.map((p) => ({ abs: p, shown: p })),
    ...(scope.roleBase ? [{ abs: scope.roleBase, shown: scope.roleBase }] : []),
    scope.playbookDir,
  ];
  const asPath = under({ abs: process.cwd(), shown: '' }, name);
  const candidates = [...inCollections, ...bases.map((b) => under(b, name)), asPath];
  const found = candidates.find(isDir);
  if (found) return found === asPath ? { ...found, byPath: true } : found;
  const shown = [...new Set(candidates.map((c) => c.shown || '.'))];
  throw new MusterError('E_FILE', `role "${name}" not found`, {
    pos,
    hint: fq
      ? `looked in ${shown.join(', ')}; install the collection (ansible-galaxy collection install ${fq[1]}.${fq[2]}) or add its directory to collections_path in ansible.cfg (or ANSIBLE_COLLECTIONS_PATH)`
      : `looked in ${shown.join(', ')}; add directories to roles_path in ansible.cfg, ANSIBLE_ROLES_PATH or MUSTER_ROLES_PATH (colon-separated)`,
  });
}

/** What meta/main.yml says: dependencies to run first, and whether the role may run twice in a play. */
interface Meta {
  dependencies: RoleEntry[];
  allowDuplicates: boolean;
}

/** Keys of meta/main.yml; galaxy_info, collections and argument_specs are read by other tools and ignored here. */
const META_KEYS = ['dependencies', 'allow_duplicates', 'galaxy_info', 'collections', 'argument_specs'];

function readMeta(dir: Place): Meta {
  const file = mainFile(dir, 'meta');
  const data = file ? readYaml(file) : null;
  if (data === null || data === undefined) return { dependencies: [], allowDuplicates: false };
  if (!isMapping(data)) {
    throw new MusterError('E_SCHEMA', `a role's meta/main.yml must be a mapping, got ${describe(data)}`, {
      pos: at(data, undefined, 'value', { file: (file as Place).shown, line: 1, col: 1 }),
      hint: 'write dependencies: [...] and galaxy_info: at the top level',
    });
  }
  for (const k of Object.keys(data))
    if (!META_KEYS.includes(k))
      throw new MusterError('E_SCHEMA', `unknown key "${k}" in a role's meta/main.yml`, {
        pos: at(data, k, 'key'),
        hint: `valid keys here: ${META_KEYS.join(', ')}`,
      });
  const raw = data.dependencies ?? [];
  if (!Array.isArray(raw))
    return schemaError(
      `dependencies must be a list of roles, got ${describe(raw)}`,
      data,
      'dependencies',
      'write dependencies: [common, {role: web, port: 80}]',
    );
  const allow = data.allow_duplicates;
  if (allow !== undefined && typeof allow !== 'boolean' && !(typeof allow === 'string' && /^(yes|no|true|false)$/i.test(allow)))
    schemaError(`allow_duplicates must be true or false, got ${describe(allow)}`, data, 'allow_duplicates', 'write allow_duplicates: true');
  return {
    dependencies: raw.map((item, i) => roleEntry(item, raw, i)),
    allowDuplicates: allow === true || (typeof allow === 'string' && /^(yes|true)$/i.test(allow)),
  };
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
