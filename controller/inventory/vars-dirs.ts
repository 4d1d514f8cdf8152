/**
 * group_vars/ and host_vars/ of one directory. For a name N Ansible reads, in this order: a directory `N/`
 * (its files in lexical order, recursively), then the first of `N`, `N.yml`, `N.yaml`, `N.json`.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { parseYaml, posOf, readText } from '../../shared/yaml.js';
import type { VarsLayer } from './types.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/** Reads dir/group_vars and dir/host_vars for the names given; files for other names become warnings. */
export function readVarsLayer(dir: string, groups: Iterable<string>, hosts: Iterable<string>): { layer: VarsLayer; warnings: string[] } {
  const warnings: string[] = [];
  const layer: VarsLayer = {
    dir,
    groups: readKind(join(dir, 'group_vars'), new Set(groups), 'group', warnings),
    hosts: readKind(join(dir, 'host_vars'), new Set(hosts), 'host', warnings),
  };
  return { layer, warnings };
}

function readKind(base: string, known: Set<string>, kind: 'group' | 'host', warnings: string[]): Map<string, Vars> {
  const out = new Map<string, Vars>();
  if (!isDir(base)) return out;
  const names = new Set(visible(base).map((entry) => (EXTENSIONS.includes(extname(entry)) ? entry.slice(0, entry.length - extname(entry).length) : entry)));
  for (const name of names) {
    if (!known.has(name)) {
      warnings.push(`${join(base, name)}: no ${kind} named "${name}" in the inventory; its vars are ignored`);
      continue;
    }
    const vars: Vars = {};
    for (const file of varsFiles(base, name)) Object.assign(vars, readVarsFile(file));
    out.set(name, vars);
  }
  return out;
}

/** The files that hold one name's vars, in the order they apply. */
export function varsFiles(base: string, name: string): string[] {
  const found: string[] = [];
  for (const ext of EXTENSIONS) {
    const path = join(base, name + ext);
    if (ext === '' && isDir(path)) {
      found.push(...filesUnder(path));
      continue; // a directory N/ does not stop the search: N.yml is read after it
    }
    if (isFile(path)) {
      found.push(path);
      break;
    }
  }
  return found;
}

/** Reads one vars file: a mapping of names to values (an empty file is no vars). Throws E_SCHEMA. */
export function readVarsFile(path: string): Vars {
  const text = readText(path);
  if (text.startsWith('$ANSIBLE_VAULT')) {
    throw new MusterError('E_SCHEMA', `${path} is encrypted with Ansible Vault, which muster does not read`, {
      pos: { file: path, line: 1, col: 1 },
      hint: 'decrypt it (ansible-vault decrypt) or pass secrets with -e @file',
    });
  }
  const data = parseYaml(text, path);
  if (data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new MusterError('E_SCHEMA', `${path} must be a mapping of variable names to values`, {
      pos: posOf(data) ?? { file: path, line: 1, col: 1 },
      hint: 'write one `name: value` per line',
    });
  }
  return data as Vars;
}

/** Files under a vars directory, in lexical order, recursing into subdirectories without an extension. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of visible(dir)) {
    const path = join(dir, entry);
    const ext = extname(entry);
    if (!ext && isDir(path)) out.push(...filesUnder(path));
    else if (EXTENSIONS.includes(ext) && isFile(path)) out.push(path);
  }
  return out;
}

/** Directory entries that are neither hidden nor editor backups, in lexical order. */
function visible(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new MusterError('E_FILE', `cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'check its permissions' });
  }
  return entries.filter((e) => !e.startsWith('.') && !e.endsWith('~')).sort();
}

function isDir(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
