/** set_fact: host variables at set_fact precedence, from the task's own argument names. */
import type { Args, ModuleResult } from '../types.js';
import type { ControlModule } from './spec.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Load-time check: at least one variable, every name a valid identifier (Ansible's rule). */
export function checkSetFact(args: Args): string | undefined {
  const names = Object.keys(args).filter((k) => k !== 'cacheable');
  if (names.length === 0) return 'set_fact needs at least one variable to set, e.g. `set_fact: {answer: 42}`';
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) return `"${bad}" is not a valid variable name: use letters, digits and underscores, not starting with a digit`;
  return undefined;
}

/** The variables to set (`cacheable` is accepted and ignored: muster keeps no fact cache). */
export function setFactResult(args: Args): ModuleResult {
  const { cacheable: _ignored, ...vars } = args;
  return { changed: false, setVars: vars, data: { ansible_facts: vars } };
}

/** The set_fact module. */
export const setFact: ControlModule = {
  name: 'set_fact',
  summary: 'Sets host variables (any argument name is a variable; `cacheable` is accepted and ignored).',
  args: { cacheable: { type: 'bool', default: false } },
  freeArgs: true,
  local: true,
  checkMode: true,
  validate: checkSetFact,
  async run(args) {
    return setFactResult(args);
  },
};
