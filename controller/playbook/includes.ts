/**
 * What includes and imports become: `import_tasks`/`include_tasks` and `import_role`/`include_role`, read
 * at load time into a Block that carries the entry's keywords (and `apply:`, a loop, the line --list-tasks
 * shows for a dynamic include); a templated include_tasks path is read when it runs.
 */
import { MusterError, type Pos } from '../../shared/errors.js';
import { copyPos } from '../../shared/yaml.js';
import { at, checkKeys, describe, inheritable, isMapping, isTemplated, schemaError, str, type Mapping } from './fields.js';
import { INCLUDE_KEYS } from './keywords.js';
import { dirOf, enter, firstFile, readYaml, under, type Place, type Scope } from './scope.js';
import { handDown, taskLevel } from './block-keywords.js';
import { isWithLoop, loop } from './task.js';
import { parseTaskList, withOwnDefaults } from './tasks.js';
import type { Block, Inheritable, Task, TaskNode } from './types.js';

const INCLUDE = /^(?:ansible\.(?:builtin|legacy)\.)?(import_tasks|include_tasks)$/;
export const LOOP_KEYS = ['loop', 'loop_control'];
/** import_role / include_role, short or with their collection */
export const ROLE = /^(?:ansible\.(?:builtin|legacy)\.)?(import_role|include_role)$/;

/**
 * `include_tasks: x.yml` with `args: {apply: ...}` (or `args: {file: x.yml}`), as Ansible accepts on
 * include_tasks and include_role: the args merged into the include's own mapping, which wins.
 */
export function includeArgs(entry: Mapping, key: string): Mapping {
  const args = entry.args;
  if (args === undefined || !/include_(?:tasks|role)$/.test(key)) return entry;
  if (!isMapping(args)) return schemaError(`"args" of ${key} must be a mapping, got ${describe(args)}`, entry, 'args', 'write args: {apply: {tags: [x]}}');
  const own = entry[key];
  const spec = isMapping(own)
    ? copyPos(own, { ...args, ...own })
    : own === undefined || own === null
      ? args
      : copyPos(args, { ...args, [key.endsWith('role') ? 'name' : 'file']: own });
  const { args: _, ...rest } = entry;
  return copyPos(entry, { ...rest, [key]: spec });
}

/** import_tasks / include_tasks with a literal path: the file's tasks in a Block carrying the entry's keywords. */
export function staticInclude(entry: Mapping, include: string, scope: Scope): Block {
  const { tasks, keywords, pos } = readInclude(entry, include, scope, (file, inner) => parseTaskList({ tasks: file }, 'tasks', inner), true);
  const block: Block = {
    kind: 'block',
    ...keywords,
    name: str(entry, 'name'),
    pos,
    block: handDown(withOwnDefaults(entry, tasks, scope), taskLevel(entry, include.endsWith('include_tasks'))),
    rescue: [],
    always: [],
  };
  return withApply(entry, withLoop(entry, include, listed(entry, include, block, scope)), scope);
}

export function refuseLoop(entry: Mapping, key: string): void {
  for (const k of Object.keys(entry).filter((k) => k === 'loop' || k.startsWith('with_'))) {
    schemaError(
      `${key} cannot loop: imports are read before the play runs`,
      entry,
      k,
      `use ${key.replace('import_', 'include_')} for a loop, or put the loop on the tasks inside`,
    );
  }
}

/** The entry without its with_<lookup> keys (read by loop()), when it may loop. */
export function withoutLoop(entry: Mapping, looping: boolean): Mapping {
  if (!looping) return entry;
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !isWithLoop(k)));
}

/**
 * include_tasks / include_role (not the imports): listed as the include task itself, as Ansible does: its
 * name (include_tasks': after the role's, in a role), or unnamed, the action as written with no role before it.
 */
export function listed(entry: Mapping, key: string, block: Block, scope: Scope): Block {
  if (!/(?:^|\.)include_(?:tasks|role)$/.test(key)) return block;
  const name = str(entry, 'name');
  // include_role's own name has no role before it (IncludeRole.get_name); include_tasks' has, in a role
  const title = name ? (scope.role && !key.endsWith('role') ? `${scope.role.name} : ${name}` : name) : key;
  return { ...block, listed: { title, tags: block.tags } };
}

/** include_tasks / include_role with loop or with_<lookup>: the block runs once per item (loop_control as on a task). */
export function withLoop(entry: Mapping, key: string, block: Block): Block {
  if (!key.startsWith('include') && !/\.include/.test(key)) return block;
  const l = loop(entry);
  if (l.loop === undefined) return block;
  return { ...block, loop: { ...l, module: key } };
}

/**
 * `apply:` on include_tasks / include_role: keywords for the included tasks. The include's own keywords
 * reach them already here (muster expands includes into a block), so apply's are added on top: its
 * conditions and tags add up, the rest wins.
 */
export function withApply(entry: Mapping, block: Block, scope: Scope): Block {
  const key = includeKey(entry) ?? Object.keys(entry).find((k) => ROLE.test(k));
  const spec = key === undefined ? undefined : entry[key];
  const v = isMapping(spec) ? spec.apply : undefined;
  if (v === undefined || v === null) return block;
  if (!isMapping(v))
    return schemaError(`"apply" must be a mapping of task keywords, got ${describe(v)}`, spec, 'apply', 'write apply: {tags: [x], become: true}');
  checkKeys(
    v,
    INCLUDE_KEYS.filter((k) => k !== 'name'),
    'apply',
  );
  const k = inheritable(v);
  // apply's run_once, notify, delegate_to and timeout go to the tasks inside, as a block's do
  const down = taskLevel(v);
  const include = block.include && { ...block.include, expand: (rel: string) => handDown(withOwnDefaults(v, block.include!.expand(rel), scope), down) };
  return {
    ...block,
    block: handDown(withOwnDefaults(v, block.block, scope), down),
    ...(include ? { include } : {}),
    when: [...block.when, ...k.when],
    tags: [...new Set([...block.tags, ...k.tags])],
    vars: { ...block.vars, ...k.vars },
    environment: { ...block.environment, ...k.environment },
    environmentTemplate: k.environmentTemplate ?? block.environmentTemplate,
    become: k.become ?? block.become,
    becomeUser: k.becomeUser ?? block.becomeUser,
    ignoreErrors: k.ignoreErrors ?? block.ignoreErrors,
    ignoreUnreachable: k.ignoreUnreachable ?? block.ignoreUnreachable,
    noLog: k.noLog ?? block.noLog,
    checkMode: k.checkMode ?? block.checkMode,
    throttle: k.throttle ?? block.throttle,
    remoteUser: k.remoteUser ?? block.remoteUser,
    connection: k.connection ?? block.connection,
  };
}

export function includeKey(entry: Mapping): string | undefined {
  return Object.keys(entry).find((k) => INCLUDE.test(k));
}

interface Included<T> {
  tasks: T[];
  keywords: Inheritable;
  pos: Pos;
}

/** Reads the file an include names (relative to the including file, or the role's tasks/) and parses it. */
export function readInclude<T>(entry: Mapping, key: string, scope: Scope, parse: (file: unknown, inner: Scope) => T[], mayLoop = false): Included<T> {
  const looping = mayLoop && key.endsWith('include_tasks');
  if (!looping) refuseLoop(entry, key);
  checkKeys(withoutLoop(entry, looping), [...INCLUDE_KEYS, ...(looping ? LOOP_KEYS : []), key], key);
  const rel = includePath(entry, key);
  return { tasks: readTaskFile(rel, at(entry, key) as Pos, key, scope, parse), keywords: inheritable(entry), pos: at(entry) as Pos };
}

/** Finds an included task file (the role's tasks/ first, then beside the including file) and parses it. */
function readTaskFile<T>(rel: string, pos: Pos, key: string, scope: Scope, parse: (file: unknown, inner: Scope) => T[]): T[] {
  const candidates: Place[] = [under(dirOf(scope.file), rel)];
  if (scope.role) candidates.unshift(under(under(scope.role.dir, 'tasks'), rel));
  const file = firstFile(candidates, `${key} file "${rel}"`, pos);
  const inner = enter(scope, file, pos);
  const data = readYaml(file, pos);
  if (data !== null && !Array.isArray(data)) {
    throw new MusterError('E_SCHEMA', `a task file must be a list of tasks, got ${describe(data)}`, {
      pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
      hint: 'start each task with "- "',
    });
  }
  return parse(data, inner);
}

/**
 * `include_tasks: "{{ ansible_os_family }}.yml"`: a dynamic include. The path is rendered per host when the
 * include runs; the block carries how to read the file it names then (each file read once).
 */
export function dynamicInclude(entry: Mapping, key: string, scope: Scope): Block | undefined {
  const raw = rawPath(entry, key);
  if (!key.endsWith('include_tasks') || typeof raw.value !== 'string') return undefined;
  // a file that includes itself (a retry, ended by a condition when it runs) is read each time it runs, as in Ansible
  const recursive = !isTemplated(raw.value) && includesItself(raw.value, scope);
  if (!isTemplated(raw.value) && !recursive) return undefined;
  const from = recursive ? { ...scope, stack: [] } : scope;
  checkKeys(withoutLoop(entry, true), [...INCLUDE_KEYS, ...LOOP_KEYS, key], key);
  const pos = at(entry, key) as Pos;
  const cache = new Map<string, TaskNode[]>();
  const expand = (rel: string): TaskNode[] => {
    let nodes = cache.get(rel);
    if (!nodes) {
      const tasks = readTaskFile(rel, pos, key, from, (file, inner) => parseTaskList({ tasks: file }, 'tasks', inner));
      nodes = handDown(withOwnDefaults(entry, tasks, scope), taskLevel(entry, true));
      cache.set(rel, nodes);
    }
    return nodes;
  };
  const block: Block = {
    kind: 'block',
    ...inheritable(entry),
    name: str(entry, 'name'),
    pos: at(entry) as Pos,
    block: [],
    rescue: [],
    always: [],
    include: { path: (raw.value as string).trim(), pos, expand },
  };
  return withApply(entry, withLoop(entry, key, listed(entry, key, block, scope)), scope);
}

/** Whether the task file `rel` names is one being read already (an include of itself, directly or through others). */
function includesItself(rel: string, scope: Scope): boolean {
  const candidates: Place[] = [under(dirOf(scope.file), rel)];
  if (scope.role) candidates.unshift(under(under(scope.role.dir, 'tasks'), rel));
  try {
    return scope.stack.includes(firstFile(candidates, rel, undefined).abs);
  } catch {
    return false; // not found: the static include says so
  }
}

function rawPath(entry: Mapping, key: string): { value: unknown; holder: Mapping; k: string } {
  const v = entry[key];
  if (isMapping(v)) return { value: v.file, holder: v, k: 'file' };
  return { value: v, holder: entry, k: key };
}

function includePath(entry: Mapping, key: string): string {
  let v = entry[key];
  let holder: Mapping = entry;
  let k = key;
  if (isMapping(v)) {
    checkKeys(v, ['file', ...(key.endsWith('include_tasks') ? ['apply'] : [])], key);
    holder = v;
    k = 'file';
    v = v.file;
  }
  if (typeof v !== 'string' || v.trim() === '') {
    return schemaError(`${key} must name a file, got ${describe(v)}`, holder, k, `write ${key}: some_file.yml`);
  }
  if (isTemplated(v))
    return schemaError(
      key.endsWith('include_tasks')
        ? `templated include paths are not supported in handlers yet: ${v}`
        : `${key} is read before the play runs, so its path cannot be a template: ${v}`,
      holder,
      k,
      key.endsWith('include_tasks')
        ? 'write the file name literally (use when: to choose between includes)'
        : 'use include_tasks for a path that depends on variables',
    );
  return v;
}

/** A handler from an include takes the include's keywords: its own settings win, conditions and tags add up. */
export function inherit(t: Task, k: Inheritable): Task {
  return {
    ...t,
    when: [...k.when, ...t.when],
    tags: [...new Set([...k.tags, ...t.tags])],
    vars: { ...k.vars, ...t.vars },
    environment: { ...k.environment, ...t.environment },
    environmentTemplate: t.environmentTemplate ?? k.environmentTemplate,
    become: t.become ?? k.become,
    becomeUser: t.becomeUser ?? k.becomeUser,
    ignoreErrors: t.ignoreErrors ?? k.ignoreErrors,
    ignoreUnreachable: t.ignoreUnreachable ?? k.ignoreUnreachable,
    noLog: t.noLog ?? k.noLog,
    checkMode: t.checkMode ?? k.checkMode,
    throttle: t.throttle ?? k.throttle,
    remoteUser: t.remoteUser ?? k.remoteUser,
    connection: t.connection ?? k.connection,
  };
}
