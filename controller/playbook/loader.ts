/**
 * The loader's core, module lookups passed in. A playbook file is a list of plays and `import_playbook`
 * entries (relative to the importing file, recursive). Task files, roles and vars_files are read now;
 * nothing is rendered.
 */
import { resolve } from 'node:path';
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Module, Vars } from '../modules/types.js';
import { at, checkKeys, conditions, describe, isMapping, isTemplated, mapping, schemaError, tags, type Mapping } from './fields.js';
import { checkExpressions } from './expressions.js';
import { attempt, LoadErrors } from './load-errors.js';
import { IMPORT_PLAYBOOK_KEYS } from './keywords.js';
import { parsePlay } from './play.js';
import { dirOf, enter, firstFile, readYaml, under, type LoaderEnv, type Place, type Scope } from './scope.js';
import type { Condition, Play, Playbook, Task, TaskNode } from './types.js';

/** Module lookups and extra role directories. */
export interface LoadOptions {
  modules?: (name: string) => Module | undefined;
  canonical?: (written: string) => string | undefined;
  moduleNames?: () => string[];
  /** directories searched for roles after the playbook's roles/ (default: MUSTER_ROLES_PATH, colon-separated) */
  rolesPath?: string[];
  /** directories holding ansible_collections/, for `ns.coll.role` (default: none besides the playbook's collections/) */
  collectionsPath?: string[];
  /** ansible.cfg's gathering: whether a play without gather_facts gathers (default implicit: it does) */
  gathering?: 'implicit' | 'explicit' | 'smart';
}

/** LoadOptions with the module lookups given (the registry, or fakes in tests). */
export type Lookups = LoadOptions & Required<Pick<LoadOptions, 'modules' | 'canonical' | 'moduleNames'>>;

/** Loads and checks a playbook and everything it imports, with the given module lookups. */
export function loadPlaybookWith(path: string, opts: Lookups): Playbook {
  const env: LoaderEnv = {
    module: opts.modules,
    canonical: opts.canonical,
    moduleNames: opts.moduleNames,
    rolesPath: (opts.rolesPath ?? (process.env.MUSTER_ROLES_PATH ?? '').split(':').filter((p) => p !== '')).map((p) => resolve(p)),
    collectionsPath: (opts.collectionsPath ?? []).map((p) => resolve(p)),
    gathering: opts.gathering ?? 'implicit',
    errors: new LoadErrors(),
  };
  const file = under({ abs: process.cwd(), shown: '' }, path);
  const scope: Scope = { env, file, playbookDir: dirOf(file), stack: [] };
  const book = { file: path, plays: attempt(env.errors, () => loadFile(file, scope, undefined), []) };
  const errors = env.errors;
  checkExpressions(book, errors);
  // loading is over: a file read when a task runs (a dynamic include) throws its errors as they come
  env.errors = undefined;
  errors?.check();
  return book;
}

const IMPORT = /^(?:ansible\.(?:builtin|legacy)\.)?import_playbook$/;

function loadFile(file: Place, outer: Scope, pos: Pos | undefined): Play[] {
  const scope = { ...enter(outer, file, pos), playbookDir: dirOf(file), role: undefined };
  const data = readYaml(file, pos);
  if (data === null) return [];
  if (!Array.isArray(data)) {
    throw new MusterError('E_SCHEMA', `a playbook must be a list of plays, got ${describe(data)}`, {
      pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
      hint: 'start each play with "- hosts: ..."',
    });
  }
  // each entry on its own: one that fails to load is noted and the others are still read
  return data.flatMap((item, i) => attempt(scope.env.errors, () => entryPlays(item, data, i, scope), []));
}

function entryPlays(item: unknown, data: unknown[], i: number, scope: Scope): Play[] {
  if (!isMapping(item)) {
    return schemaError(`a play must be a mapping, got ${describe(item)}`, data, i, 'start each play with "- hosts: ..."');
  }
  const key = Object.keys(item).find((k) => IMPORT.test(k));
  return key ? importPlaybook(item, key, scope) : [parsePlay(item, scope)];
}

/** `- import_playbook: other.yml` with optional vars, tags and when, which apply to every imported play. */
function importPlaybook(item: Mapping, key: string, scope: Scope): Play[] {
  checkKeys(item, [...IMPORT_PLAYBOOK_KEYS, key], 'import_playbook entry');
  const rel = item[key];
  if (typeof rel !== 'string' || rel.trim() === '') {
    return schemaError(`import_playbook must name a file, got ${describe(rel)}`, item, key, 'write import_playbook: other.yml');
  }
  if (isTemplated(rel)) return schemaError(`templated import_playbook paths are not supported yet: ${rel}`, item, key, 'write the file name literally');
  const pos = at(item, key) as Pos;
  const file = firstFile([under(dirOf(scope.file), rel)], `playbook "${rel}"`, pos);
  const vars = mapping(item, 'vars') as Vars;
  const extraTags = tags(item);
  const when = conditions(item, 'when') ?? [];
  return loadFile(file, scope, pos).map((play) => ({
    ...play,
    vars: { ...play.vars, ...vars },
    tags: [...new Set([...extraTags, ...play.tags])],
    ...(when.length ? guarded(play, when, pos) : {}),
  }));
}

/** An import's `when` on every task and handler of a play, as Ansible applies it (facts are still gathered). */
function guarded(play: Play, when: Condition[], pos: Pos): Pick<Play, 'preTasks' | 'tasks' | 'postTasks' | 'handlers'> {
  const block = (nodes: TaskNode[]): TaskNode[] =>
    nodes.length ? [{ kind: 'block', when, tags: [], vars: {}, environment: {}, pos, block: nodes, rescue: [], always: [] }] : [];
  const handler = (h: Task): Task => ({ ...h, when: [...when, ...h.when] });
  return { preTasks: block(play.preTasks), tasks: block(play.tasks), postTasks: block(play.postTasks), handlers: play.handlers.map(handler) };
}
