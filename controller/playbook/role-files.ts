/** The files of a role's directory: tasks/, handlers/, defaults/ and vars/ (main or a named file), read as YAML. */
import { MusterError, type Pos } from '../../shared/errors.js';
import type { Vars } from '../modules/types.js';
import { at, describe, isMapping } from './fields.js';
import { enter, isFile, readYaml, under, type Place, type Scope } from './scope.js';

/** roles/NAME/SUB/FILE(.yml|.yaml); E_FILE when there is none. */
export function namedFile(dir: Place, sub: string, name: string, pos: Pos): Place {
  const candidates = [name, `${name}.yml`, `${name}.yaml`].map((f) => under(dir, `${sub}/${f}`));
  const found = candidates.find(isFile);
  if (found) return found;
  throw new MusterError('E_FILE', `the role has no ${sub} file "${name}"`, { pos, hint: `looked for ${candidates.map((c) => c.shown).join(', ')}` });
}

/** roles/NAME/SUB/main.yml (or main.yaml, or main), if there is one. */
export function mainFile(dir: Place, sub: string): Place | undefined {
  return ['main.yml', 'main.yaml', 'main'].map((f) => under(dir, `${sub}/${f}`)).find(isFile);
}

/** A role's variables file (defaults/ or vars/) as a mapping; none or empty: no variables. */
export function readVars(file: Place | undefined): Vars {
  if (!file) return {};
  const data = readYaml(file);
  if (data === null) return {};
  if (isMapping(data)) return data;
  throw new MusterError('E_SCHEMA', `role variables must be a mapping, got ${describe(data)}`, {
    pos: at(data, undefined, 'value', { file: file.shown, line: 1, col: 1 }),
    hint: 'write name: value lines',
  });
}

/** A role's task or handler file, parsed by `parse` in the file's scope; none: nothing. */
export function readList<T>(file: Place | undefined, scope: Scope, parse: (data: unknown, inner: Scope) => T[]): T[] {
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
