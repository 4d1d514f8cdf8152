/** import_role and include_role: a role's tasks expanded into a Block where the entry stands (see includes.ts). */
import type { Pos } from '../../shared/errors.js';
import { at, bool, checkKeys, describe, inheritable, isMapping, isTemplated, schemaError, str, type Mapping } from './fields.js';
import { handDown, taskLevel } from './block-keywords.js';
import { listed, LOOP_KEYS, refuseLoop, withApply, withLoop, withoutLoop } from './includes.js';
import { INCLUDE_KEYS } from './keywords.js';
import { parseKv } from './kv.js';
import { addRole, loadRole } from './roles.js';
import type { Scope } from './scope.js';
import { withOwnDefaults } from './tasks.js';
import type { Block } from './types.js';

/**
 * import_role / include_role, both expanded now (as include_tasks is): the role's tasks in a Block carrying
 * the entry's keywords, its handlers, defaults and vars handed to the play. include_role's `vars:` are
 * include parameters, import_role's the block's vars.
 */
export function importRole(entry: Mapping, key: string, scope: Scope): Block {
  const looping = key.endsWith('include_role');
  if (!looping) refuseLoop(entry, key);
  checkKeys(withoutLoop(entry, looping), [...INCLUDE_KEYS, ...(looping ? LOOP_KEYS : []), key], key);
  const { name, tasksFrom, validate } = roleSpec(entry, key);
  const pos = at(entry) as Pos;
  if (!scope.roleSink) return schemaError(`${key} is not supported here`, entry, key, "import roles among a play's tasks, pre_tasks or post_tasks");
  const keywords = inheritable(entry);
  // include_role's vars are include parameters (above set_fact); import_role's are the block's vars (below it)
  const role = loadRole(
    { name, pos: at(entry, key) as Pos, keywords, params: {}, includeParams: looping ? keywords.vars : undefined, tasksFrom, validate },
    scope,
  );
  addRole(scope.roleSink, role);
  const block: Block = {
    kind: 'block',
    ...keywords,
    vars: looping ? {} : keywords.vars,
    name: str(entry, 'name'),
    pos,
    block: handDown(withOwnDefaults(entry, role.tasks, scope), taskLevel(entry, looping)),
    rescue: [],
    always: [],
  };
  return withApply(entry, withLoop(entry, key, listed(entry, key, block, scope)), scope);
}

/** `import_role: {name: x, tasks_from: y, rolespec_validate: false}` or `import_role: name=x tasks_from=y`. */
function roleSpec(entry: Mapping, key: string): { name: string; tasksFrom?: string; validate?: boolean } {
  const raw = entry[key];
  const v: unknown = typeof raw === 'string' ? parseKv(raw, at(entry, key) as Pos) : raw;
  if (!isMapping(v)) return schemaError(`${key} takes the role's name, got ${describe(raw)}`, entry, key, `write ${key}: {name: ROLE}`);
  const holder = isMapping(raw) ? raw : entry;
  const field = (k: string): string => (isMapping(raw) ? k : key);
  checkKeys(v as Mapping, ['name', 'role', 'tasks_from', 'rolespec_validate', ...(key.endsWith('include_role') ? ['apply'] : [])], key);
  const name = v.name ?? v.role;
  if (typeof name !== 'string' || name.trim() === '') return schemaError(`${key} needs the role's name`, holder, field('name'), `write ${key}: {name: ROLE}`);
  if (isTemplated(name))
    return schemaError(
      `templated role names are not supported yet: ${name}`,
      holder,
      field('name'),
      'write the role name literally (use when: to choose between roles)',
    );
  const tasksFrom = v.tasks_from;
  if (tasksFrom !== undefined && (typeof tasksFrom !== 'string' || isTemplated(tasksFrom))) {
    return schemaError(
      `tasks_from must name a file of the role's tasks/, got ${describe(tasksFrom)}`,
      holder,
      field('tasks_from'),
      'write tasks_from: install (for tasks/install.yml)',
    );
  }
  // rolespec_validate: false leaves out the argument spec check of this role (its dependencies keep theirs)
  return { name, tasksFrom, validate: bool(v as Mapping, 'rolespec_validate') };
}
