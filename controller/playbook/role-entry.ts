/**
 * One entry of a play's `roles:` or of a role's meta dependencies: a role name, or a mapping with role:
 * (or name:, or a galaxy src:), its keywords and its parameters.
 */
import type { Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { at, describe, inheritable, isMapping, isTemplated, numOrTemplate, schemaError } from './fields.js';
import { ROLE_ENTRY_KEYS } from './keywords.js';
import { moduleDefaults } from './module-defaults.js';
import type { Inheritable } from './types.js';

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
  /** the entry's timeout: seconds (or a template) for each task and handler of the role and its dependencies */
  timeout?: number | string;
  /** import_role/include_role's rolespec_validate: false: no argument spec check before the role's tasks */
  validate?: boolean;
  /** the entry's module_defaults: arguments its tasks get unless they set them */
  moduleDefaults?: Record<string, Vars>;
}

/** A roles entry (or a dependency in meta/main.yml): a name, or a mapping with role: (or name:), keywords and parameters. */
export function roleEntry(item: unknown, items: unknown[], i: number): RoleEntry {
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
    timeout: numOrTemplate(item, 'timeout'),
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
