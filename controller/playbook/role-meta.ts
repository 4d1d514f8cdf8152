/** A role's meta/main.yml: the dependencies that run before it, and whether it may run twice in a play. */
import { MusterError } from '../../shared/errors.js';
import { at, describe, isMapping, schemaError } from './fields.js';
import { roleEntry, type RoleEntry } from './role-entry.js';
import { mainFile } from './role-files.js';
import { readYaml, type Place } from './scope.js';

/** What meta/main.yml says: dependencies to run first, and whether the role may run twice in a play. */
export interface Meta {
  dependencies: RoleEntry[];
  allowDuplicates: boolean;
}

/** Keys of meta/main.yml; galaxy_info, collections and argument_specs are read by other tools and ignored here. */
const META_KEYS = ['dependencies', 'allow_duplicates', 'galaxy_info', 'collections', 'argument_specs'];

/** Reads meta/main.yml (none: no dependencies); E_SCHEMA names the key that is wrong. */
export function readMeta(dir: Place): Meta {
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
