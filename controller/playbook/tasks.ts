/**
 * Task lists: tasks and `block`/`rescue`/`always`; includes and imports (includes.ts) become Blocks.
 * Handlers are a flat list of tasks.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import { at, checkKeys, describe, inheritable, isMapping, list, schemaError, str, type Mapping } from './fields.js';
import { BLOCK_KEYS } from './keywords.js';
import { attempt } from './load-errors.js';
import type { Scope } from './scope.js';
import { applyModuleDefaults, moduleDefaults } from './module-defaults.js';
import { handDown, taskLevel } from './block-keywords.js';
import { dynamicInclude, includeArgs, includeKey, inherit, readInclude, ROLE, staticInclude } from './includes.js';
import { importRole } from './import-role.js';
import { parseTask } from './task.js';
import type { Block, Task, TaskNode } from './types.js';

const IMPORT_PLAYBOOK = /^(?:ansible\.(?:builtin|legacy)\.)?import_playbook$/;

/** Parses `obj[key]` (tasks, pre_tasks, block...) as a list of tasks and blocks. */
export function parseTaskList(obj: Mapping, key: string, scope: Scope): TaskNode[] {
  const items = list(obj, key);
  // each entry on its own: one that fails to load is noted (see load-errors.ts) and the next is read
  return items.flatMap((item, i) => attempt(scope.env.errors, () => [parseNode(item, items, i, scope)], []));
}

/** Parses `obj[key]` as handlers: tasks with `listen`; includes are flattened into their tasks. */
export function parseHandlers(obj: Mapping, key: string, scope: Scope): Task[] {
  const items = list(obj, key);
  return items.flatMap((item, i) => attempt(scope.env.errors, () => handlerEntry(item, items, i, scope), []));
}

function handlerEntry(item: unknown, items: unknown[], i: number, scope: Scope): Task[] {
  const entry = entryOf(item, items, i, 'handler');
  const role = Object.keys(entry).find((k) => ROLE.test(k));
  if (role)
    schemaError(`${role} is not supported in handlers`, entry, role, 'import the role among the tasks (or list it under roles:): its handlers come with it');
  const include = includeKey(entry);
  if (include) {
    const { tasks, keywords } = readInclude(entry, include, scope, (file, inner) => parseHandlers({ handlers: file }, 'handlers', inner));
    return withOwnDefaults(
      entry,
      handDown(tasks, taskLevel(entry, include.endsWith('include_tasks'))).map((t) => inherit(t, keywords)),
      scope,
    );
  }
  if ('block' in entry) return handlerBlock(entry, scope);
  return [parseTask(entry, scope, true)];
}

/** A block among handlers: each of its tasks is a handler (notified by its own name) with the block's keywords. */
function handlerBlock(entry: Mapping, scope: Scope): Task[] {
  checkKeys(entry, BLOCK_KEYS, 'block');
  for (const k of ['rescue', 'always']) {
    if (entry[k] !== undefined && entry[k] !== null)
      schemaError(
        `"${k}" is not supported in a block of handlers`,
        entry,
        k,
        'write the handlers as plain tasks in the block (or a handler that includes a task file with a block)',
      );
  }
  const keywords = inheritable(entry);
  const tasks = handDown(parseHandlers(entry, 'block', scope), taskLevel(entry)).map((t) => inherit(t, keywords));
  return withOwnDefaults(entry, tasks, scope);
}

/** The entry's own module_defaults merged under the tasks' arguments. */
export function withOwnDefaults<T extends TaskNode>(entry: Mapping, nodes: T[], scope: Scope): T[] {
  return 'module_defaults' in entry ? applyModuleDefaults(nodes, moduleDefaults(entry), scope.env) : nodes;
}

function parseNode(item: unknown, items: unknown[], i: number, scope: Scope): TaskNode {
  let entry = entryOf(item, items, i, 'task');
  if ('block' in entry) return parseBlock(entry, scope);
  for (const k of ['rescue', 'always']) {
    if (k in entry) {
      throw new MusterError('E_SCHEMA', `"${k}" without "block"`, { pos: at(entry, k, 'key'), hint: `put ${k}: beside a block: in the same entry` });
    }
  }
  const role = Object.keys(entry).find((k) => ROLE.test(k));
  if (role) return importRole(includeArgs(entry, role), role, scope);
  const include = includeKey(entry);
  if (include) entry = includeArgs(entry, include);
  const dynamic = include ? dynamicInclude(entry, include, scope) : undefined;
  if (dynamic) return dynamic;
  if (include) return staticInclude(entry, include, scope);
  const misplaced = Object.keys(entry).find((k) => IMPORT_PLAYBOOK.test(k));
  if (misplaced) {
    schemaError('import_playbook belongs at the top level of a playbook, not among tasks', entry, misplaced, 'move it out of the task list, beside the plays');
  }
  return parseTask(entry, scope);
}

function entryOf(item: unknown, items: unknown[], i: number, what: string): Mapping {
  if (isMapping(item)) return item;
  return schemaError(`a ${what} must be a mapping, got ${describe(item)}`, items, i, `write the ${what} as "- name: ..." followed by its module and keywords`);
}

function parseBlock(entry: Mapping, scope: Scope): Block {
  checkKeys(entry, BLOCK_KEYS, 'block');
  const down = taskLevel(entry);
  return {
    kind: 'block',
    ...inheritable(entry),
    name: str(entry, 'name'),
    pos: at(entry) as Pos,
    block: handDown(withOwnDefaults(entry, parseTaskList(entry, 'block', scope), scope), down),
    rescue: handDown(withOwnDefaults(entry, parseTaskList(entry, 'rescue', scope), scope), down),
    always: handDown(withOwnDefaults(entry, parseTaskList(entry, 'always', scope), scope), down),
  };
}
