/**
 * Role argument specs (Ansible 2.11+): a role whose meta/argument_specs.yml (or an `argument_specs:` key in
 * meta/main.yml) has an entry for the entry point being loaded (main, or import_role's tasks_from) starts
 * with a validate_argument_spec task named "Validating arguments against arg spec 'ENTRY' - SHORT
 * DESCRIPTION", tagged always, that checks the role's variables before its first task runs.
 */
import { MusterError } from '../../shared/errors.js';
import { setPos } from '../../shared/yaml.js';
import { OPTION_TYPES } from '../modules/control/argument-spec-check.js';
import type { Vars } from '../modules/types.js';
import { at, describe, isMapping, type Mapping } from './fields.js';
import { isFile, readYaml, under, type Place, type Scope } from './scope.js';
import { parseTask } from './task.js';
import type { Task } from './types.js';

/** A role's argument specs by entry point, and the file they came from. */
export interface ArgumentSpecs {
  entries: Mapping;
  file: Place;
}

/**
 * Reads the role's argument specs as Ansible does: meta/argument_specs.yml (.yaml, .json) wins, even without
 * an argument_specs key (then the role has none); else meta/main.yml's argument_specs. Shapes are checked.
 */
export function readArgumentSpecs(dir: Place): ArgumentSpecs | undefined {
  const own = ['yml', 'yaml', 'json'].map((ext) => under(dir, `meta/argument_specs.${ext}`)).find(isFile);
  const file = own ?? ['main.yml', 'main.yaml', 'main'].map((f) => under(dir, `meta/${f}`)).find(isFile);
  if (!file) return undefined;
  const data = readYaml(file);
  if (!isMapping(data) || data.argument_specs === null || data.argument_specs === undefined) return undefined;
  const entries = data.argument_specs;
  if (!isMapping(entries))
    throw specError(
      `argument_specs must map entry points (main, ...) to their specs, got ${describe(entries)}`,
      data,
      'argument_specs',
      'write argument_specs:\n  main:\n    options: {...}',
    );
  for (const [name, spec] of Object.entries(entries)) checkEntry(name, spec, entries);
  return { entries, file };
}

/**
 * The validation task for loading the role at `entryPoint` with these role parameters (as Ansible passes
 * them: the entry's own keys, not its vars:), or none when the specs have no such entry point.
 */
export function validationTasks(specs: ArgumentSpecs | undefined, entryPoint: string, params: Vars, scope: Scope): Task[] {
  const spec = specs?.entries[entryPoint];
  if (!specs || !isMapping(spec)) return [];
  const role = scope.role;
  const suffix = 'short_description' in spec ? ` - ${spec.short_description ?? 'None'}` : '';
  const pos = at(specs.entries, entryPoint, 'key') ?? { file: specs.file.shown, line: 1, col: 1 };
  const args = setPos(
    {
      argument_spec: spec.options ?? {},
      provided_arguments: params,
      validate_args_context: { type: 'role', name: role?.name ?? '', argument_spec_name: entryPoint, path: role?.dir.abs ?? '' },
    },
    pos,
  );
  const task = setPos(
    { name: `Validating arguments against arg spec '${entryPoint}'${suffix}`, 'ansible.builtin.validate_argument_spec': args, tags: ['always'] },
    pos,
  );
  return [parseTask(task, scope)];
}

/** One entry point: a mapping whose options (if any) are option specs. */
function checkEntry(name: string, spec: unknown, holder: Mapping): void {
  if (spec === null) return;
  if (!isMapping(spec))
    throw specError(
      `the argument spec of entry point "${name}" must be a mapping, got ${describe(spec)}`,
      holder,
      name,
      'write short_description: and options: under it',
    );
  checkOptions(spec.options, spec, 'options', `entry point "${name}"`);
}

/** A mapping of option name -> option spec, each checked (nested options too). */
function checkOptions(options: unknown, holder: Mapping, key: string, whose: string): void {
  if (options === null || options === undefined) return;
  if (!isMapping(options))
    throw specError(`options of ${whose} must map option names to their specs, got ${describe(options)}`, holder, key, 'write options:\n  NAME: {type: str}');
  for (const [name, option] of Object.entries(options)) {
    if (!isMapping(option))
      throw specError(
        `option "${name}" of ${whose} must be a mapping (type, required, default...), got ${describe(option)}`,
        options,
        name,
        'write NAME: {type: str}',
      );
    for (const field of ['type', 'elements'] as const) {
      const type = option[field];
      if (type !== undefined && !(OPTION_TYPES as readonly unknown[]).includes(type))
        throw specError(`option "${name}" of ${whose} has an unknown ${field} ${describe(type)}`, option, field, `use one of: ${OPTION_TYPES.join(', ')}`);
    }
    if (option.choices !== undefined && !Array.isArray(option.choices))
      throw specError(`choices of option "${name}" must be a list, got ${describe(option.choices)}`, option, 'choices', 'write choices: [a, b]');
    checkOptions(option.options, option, 'options', `option "${name}"`);
  }
}

function specError(message: string, obj: unknown, key: string, hint: string): MusterError {
  return new MusterError('E_SCHEMA', `argument spec: ${message}`, { pos: at(obj, key), hint });
}
