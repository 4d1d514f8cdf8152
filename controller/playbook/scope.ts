/**
 * Where the loader stands while it reads: which file, which role, which playbook directory, and the chain
 * of files being expanded (to refuse include cycles). Also the loader's only file-system edge.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Module } from '../modules/types.js';
import { loadYamlFile } from '../../shared/yaml.js';
import type { LoadErrors } from './load-errors.js';
import type { Roles } from './roles.js';

/** A file or directory: the absolute path to read and the path as shown to people. */
export interface Place {
  abs: string;
  shown: string;
}

/** What the loader needs from outside: module lookups, where roles and collections live, the gathering default. */
export interface LoaderEnv {
  module(name: string): Module | undefined;
  canonical(written: string): string | undefined;
  moduleNames(): string[];
  /** directories searched for roles after the playbook's roles/ (absolute) */
  rolesPath: string[];
  /** directories holding ansible_collections/ (absolute) */
  collectionsPath: string[];
  /** whether a play without gather_facts gathers: ansible.cfg's gathering */
  gathering: 'implicit' | 'explicit' | 'smart';
  /** where units that fail to load are noted, so that loading goes on (absent: the first error throws) */
  errors?: LoadErrors;
}

/** The role a task file belongs to. */
export interface RoleScope {
  name: string;
  dir: Place;
}

/** The loader's position: current file, playbook directory, role, expansion chain. */
export interface Scope {
  env: LoaderEnv;
  file: Place;
  playbookDir: Place;
  role?: RoleScope;
  /** absolute paths of the files being expanded, outermost first */
  stack: string[];
  /** where roles imported among a play's tasks leave their handlers, defaults and vars */
  roleSink?: Roles;
  /** the play's roles so far (directory and parameters): one already there with the same parameters runs once */
  roleCache?: Set<string>;
  /** directories of the roles being loaded, outermost first (to refuse dependency cycles) */
  roleChain?: string[];
  /** the directory holding the role whose dependencies are being loaded: they are looked for there too */
  roleBase?: string;
}

/** A place for the file's directory. */
export function dirOf(file: Place): Place {
  return { abs: dirname(file.abs), shown: dirname(file.shown) };
}

/** `rel` resolved against a directory (absolute paths stay as written). */
export function under(dir: Place, rel: string): Place {
  if (isAbsolute(rel)) return { abs: resolve(rel), shown: rel };
  return { abs: resolve(dir.abs, rel), shown: join(dir.shown, rel) };
}

/** Whether a regular file exists there. */
export function isFile(p: Place): boolean {
  return existsSync(p.abs) && statSync(p.abs).isFile();
}

/** Whether a directory exists there. */
export function isDir(p: Place): boolean {
  return existsSync(p.abs) && statSync(p.abs).isDirectory();
}

/** The first candidate that is a file, or E_FILE at `pos` listing what was tried. */
export function firstFile(candidates: Place[], what: string, pos: Pos | undefined): Place {
  const found = candidates.find(isFile);
  if (found) return found;
  throw new MusterError('E_FILE', `${what} not found`, {
    pos,
    hint: `looked for ${[...new Set(candidates.map((c) => c.shown))].join(', ')}`,
  });
}

/** The scope for reading `file`, refusing a cycle (E_SCHEMA at `pos`, showing the chain). */
export function enter(scope: Scope, file: Place, pos: Pos | undefined): Scope {
  if (scope.stack.includes(file.abs)) {
    const chain = [...scope.stack.slice(scope.stack.indexOf(file.abs)), file.abs].map((p) => p.split('/').pop());
    throw new MusterError('E_SCHEMA', `include cycle: ${chain.join(' -> ')}`, {
      pos,
      hint: 'a file must not import or include itself, directly or through others',
    });
  }
  return { ...scope, file, stack: [...scope.stack, file.abs] };
}

/** Reads a YAML file; errors without a position get the position of what asked for the file. */
export function readYaml(file: Place, pos?: Pos): unknown {
  try {
    return loadYamlFile(file.abs, file.shown);
  } catch (e) {
    if (e instanceof MusterError && !e.pos && pos) throw e.withContext({ pos });
    throw e;
  }
}

/** Controller-side directories searched for files/templates: the role, the task file's, the playbook's. */
export function searchDirs(scope: Scope): string[] {
  const dirs = [scope.role?.dir.abs, scope.role ? undefined : dirname(scope.file.abs), scope.playbookDir.abs];
  return [...new Set(dirs.filter((d): d is string => d !== undefined))];
}
