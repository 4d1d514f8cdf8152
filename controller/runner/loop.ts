/** A task's loop: its items for one host (`loop:` rendered, or a `with_<lookup>` run), and how each is labelled. */
import { MusterError } from '../../shared/errors.js';
import { lookupIOOf, runLookup, type LookupCtx } from '../expr/lookups/index.js';
import type { Vars } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import { newScope, renderDeep, renderString, type Where } from '../template/index.js';
import { isUndefined } from '../template/undefined.js';

/** A loop's items for one host (undefined: no loop), rendered with its variables. */
export function loopItems(task: Pick<Task, 'loop' | 'loopLookup' | 'loopFlatten' | 'module'>, vars: Vars, where: Where): unknown[] | undefined {
  if (task.loop === undefined) return undefined;
  if (task.loopLookup !== undefined) return lookupLoopItems(task.loopLookup, task.loop, vars, where, loopSubdir(task.module));
  const value = typeof task.loop === 'string' ? renderString(task.loop, vars, where) : renderDeep(task.loop, vars, where);
  if (!Array.isArray(value)) {
    throw new MusterError('E_SCHEMA', `loop must be a list, got ${describe(value)}`, { ...where, hint: 'give loop a YAML list or a variable holding one' });
  }
  // with_items flattens one level (the loader flattens literal lists already); loop does not
  return task.loopFlatten ? value.flat(1) : value;
}

/** `with_<name>: terms`: Ansible's rule, items = lookup(name, terms, wantlist=True), the terms rendered first. */
// Ansible's rule: a with_ loop of a template task looks in templates/, of include_vars in vars/, else files/
function loopSubdir(module: string): string {
  return module.includes('template') ? 'templates' : module.includes('var') ? 'vars' : 'files';
}

function lookupLoopItems(name: string, raw: unknown, vars: Vars, where: Where, subdir: string): unknown[] {
  const rendered = typeof raw === 'string' ? renderString(raw, vars, where) : renderDeep(raw, vars, where);
  const terms = Array.isArray(rendered) ? rendered : [rendered];
  const scope = newScope(vars, where, 'E_TEMPLATE');
  const root = scope.root as Record<string, unknown>;
  const ctx: LookupCtx = {
    io: lookupIOOf(vars),
    variable(n) {
      const v = root[n];
      return isUndefined(v) ? undefined : { value: scope.materialize(v) };
    },
    vars: () => vars,
    fail(message, hint) {
      throw new MusterError('E_TEMPLATE', message, { ...where, hint });
    },
    subdir,
  };
  const items = runLookup({ name, terms, options: {}, wantlist: true, label: `with_${name}` }, ctx);
  return Array.isArray(items) ? items : [];
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
