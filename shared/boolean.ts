/**
 * Booleans as Ansible reads them (its `boolean()`), the one parser of muster and its agent.
 *
 * true:  true, yes, on, y, t, 1   false: false, no, off, n, f, 0   (text in any case, spaces trimmed),
 * plus YAML booleans and the numbers 1 and 0.
 *
 * Strict (parseBool, undefined for anything else, which the caller turns into an error naming the field):
 * playbook keywords, module arguments, the agent's config. Lenient (toBool, anything else is false, as
 * Ansible's `boolean(strict=False)`): connection variables such as ansible_become, and bool arguments read
 * at load time. The Jinja `bool` filter has narrower rules of its own in Ansible (boolFilter).
 */

const TRUE = new Set(['true', 'yes', 'on', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'off', 'n', 'f', '0']);

/** The accepted spellings, for error hints. */
export const BOOL_WORDS = 'true/false, yes/no, on/off, y/n, t/f, 1/0';

/** Strict: the boolean a value spells, or undefined when it spells none. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

/** Lenient: true only for what parseBool reads as true. */
export function toBool(v: unknown): boolean {
  return parseBool(v) === true;
}

const FILTER_TRUE = new Set(['yes', 'on', '1', 'true']);

/** The `| bool` filter as ansible-core 2.14 has it: only yes, on, 1, true (any case) and 1 are true; y and t are not. */
export function boolFilter(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  return typeof v === 'string' && FILTER_TRUE.has(v.toLowerCase());
}
