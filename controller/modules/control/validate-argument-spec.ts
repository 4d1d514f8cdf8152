/**
 * validate_argument_spec: checks variables against an argument spec. A role with meta/argument_specs.yml
 * gets it as its first task (controller/playbook/argument-specs.ts), as in Ansible 2.11+.
 */
import { evalExpr } from '../../expr/index.js';
import type { ModuleResult, Vars } from '../types.js';
import { checkArguments, type OptionSpec } from './argument-spec-check.js';
import type { ControlModule } from './spec.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pure: the result of checking `params` against `spec`; `context` says which role and entry point asked. */
export function validationResult(spec: Record<string, OptionSpec>, params: Vars, context: Vars = {}): ModuleResult {
  const errors = checkArguments(spec, params);
  const data: Vars = { validate_args_context: context };
  if (errors.length === 0) return { changed: false, msg: 'The arg spec validation passed', data };
  const whose = typeof context.name === 'string' ? ` for role "${context.name}"` : '';
  const entry = typeof context.argument_spec_name === 'string' ? ` (arg spec '${context.argument_spec_name}')` : '';
  const file = typeof context.path === 'string' ? `; the spec is in ${context.path}/meta/argument_specs.yml or meta/main.yml` : '';
  return {
    changed: false,
    failed: true,
    msg: `Validation of arguments failed${whose}${entry}:\n${errors.map((e) => `- ${e}`).join('\n')}\nFix the variables or role parameters named above${file}.`,
    data: { ...data, argument_errors: errors, argument_spec_data: spec },
  };
}

/**
 * The values to check: each option the host's variables define (templates rendered), then the provided
 * arguments (a role's parameters) over them, as Ansible's action combines them.
 */
export function valuesToCheck(spec: Record<string, OptionSpec>, provided: Vars, value: (name: string) => unknown, has: (name: string) => boolean): Vars {
  const fromVars: Vars = {};
  for (const name of Object.keys(spec)) if (has(name)) fromVars[name] = value(name);
  return { ...fromVars, ...provided };
}

/** The validate_argument_spec module. */
export const validateArgumentSpec: ControlModule = {
  name: 'validate_argument_spec',
  summary:
    "Fails unless the variables (and `provided_arguments`) match `argument_spec`: types, required, choices, nested options; a role's meta/argument_specs.yml runs it first.",
  args: {
    argument_spec: { type: 'dict', required: true },
    provided_arguments: { type: 'dict', default: {} },
    validate_args_context: { type: 'dict', default: {} },
  },
  local: true,
  checkMode: true,
  async run(args, ctx) {
    const spec = args.argument_spec as Record<string, OptionSpec>;
    const where = { host: ctx.host };
    const values = valuesToCheck(
      spec,
      args.provided_arguments as Vars,
      (name) => (IDENT.test(name) ? evalExpr(name, ctx.vars, where) : ctx.vars[name]),
      (name) => name in ctx.vars,
    );
    return validationResult(spec, values, args.validate_args_context as Vars);
  },
};
