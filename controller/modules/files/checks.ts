/**
 * Cross-argument checks. They run at load time (arguments as written: aliases not yet resolved, values
 * possibly templates) and again in the plan (arguments rendered and normalised), so they look arguments
 * up through their aliases and skip value checks on anything still templated.
 */
import { toBool } from '../../../shared/boolean.js';
import type { ArgSpecs, Args } from '../types.js';

/** An argument's value under its name or any of its aliases. */
export function argOf(args: Args, specs: ArgSpecs, name: string): unknown {
  if (args[name] !== undefined && args[name] !== null) return args[name];
  for (const alias of specs[name]?.aliases ?? []) if (args[alias] !== undefined && args[alias] !== null) return args[alias];
  return undefined;
}

/** Whether a value is still a template (its real value is not known yet). */
export function templated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

/** The first pair of arguments given together though they exclude each other, as a message. */
export function exclusive(args: Args, specs: ArgSpecs, pairs: [string, string][]): string | undefined {
  for (const [a, b] of pairs)
    if (argOf(args, specs, a) !== undefined && argOf(args, specs, b) !== undefined) return `parameters are mutually exclusive: ${a}|${b}`;
  return undefined;
}

/** A string argument's value, or undefined when absent or not yet rendered. */
export function known(args: Args, specs: ArgSpecs, name: string): string | undefined {
  const v = argOf(args, specs, name);
  return v === undefined || templated(v) ? undefined : String(v);
}

/** A boolean argument as written (YAML or k=v) or normalised. */
export function truthy(args: Args, specs: ArgSpecs, name: string): boolean {
  const v = argOf(args, specs, name);
  return toBool(v);
}
