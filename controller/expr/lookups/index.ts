/**
 * Lookups, as `lookup()`, `query()`/`q()` and `with_<name>:` use them. The pure ones reshape their terms;
 * the others reach the controller through the LookupIO the runner lends (runner/lookups.ts).
 */
import { Secret } from '../../command.js';
import { didYouMean } from '../../../shared/errors.js';
import type { CallCtx } from '../filters/types.js';
import { percentFormat } from '../filters/text.js';
import { fileLookups } from './files.js';
import { iniLookups } from './ini.js';
import { listLookups } from './lists.js';
import { passwordLookup } from './password.js';
import { sequenceLookup } from './sequence.js';
import { variableLookups } from './variables.js';
import type { Lookup, LookupCtx, LookupIO } from './types.js';

export type { Lookup, LookupCtx, LookupIO, Ran } from './types.js';

/** Python's `%` formatting of one number (sequence's format=). */
export type NumberFormat = (fmt: string, n: number, ctx: LookupCtx) => string;

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.', 'community.general.'];

/** Every lookup, by short name; `format` serves sequence. */
export function lookupTable(format: NumberFormat): Record<string, Lookup> {
  return { ...listLookups, ...fileLookups, ...iniLookups, ...variableLookups, password: passwordLookup, sequence: sequenceLookup(format) };
}

/** Every lookup, sequence formatting numbers as Python's % does (filters/text.ts). */
export const LOOKUPS = lookupTable((fmt, n, c) => percentFormat({ fail: c.fail } as CallCtx, fmt, [n]));

const NAMES = Object.keys(LOOKUPS).sort();

// the community.general lookups muster has (the others of that collection are not implemented)
const COMMUNITY = ['cartesian', 'flattened', 'merge_variables'];

/** The short name of a lookup as written (`ansible.builtin.file` -> `file`), or undefined when unknown. */
export function canonicalLookup(written: string): string | undefined {
  const short = PREFIXES.reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), written);
  if (written.startsWith('community.general.') && !COMMUNITY.includes(short)) return undefined;
  return NAMES.includes(short) ? short : undefined;
}

/** Every lookup name muster knows, for hints and the docs. */
export function lookupNames(): string[] {
  return [...NAMES];
}

// ansible.builtin's lookups muster lacks (ansible-doc -t lookup -l, ansible-core 2.14)
const NOT_IMPLEMENTED = ['config', 'csvfile', 'unvault', 'url'];

/** Why `written` is no lookup muster knows, or undefined when it is one. */
export function unknownLookup(written: string): { message: string; hint: string } | undefined {
  if (canonicalLookup(written) !== undefined) return undefined;
  const short = written.replace(/^ansible\.(?:builtin|legacy)\./, '');
  const collection = short === written && /^[a-z0-9_]+\.[a-z0-9_]+\.\w+$/.test(written);
  if (NOT_IMPLEMENTED.includes(short) || collection) {
    return {
      message: `lookup "${written}" is not implemented by muster`,
      hint: `read the value into a variable instead (vars_files, include_vars, or a register:ed command); muster's lookups: ${NAMES.join(', ')}`,
    };
  }
  return {
    message: `unknown lookup "${written}"${didYouMean(written.split('.').pop() ?? written, NAMES)}`,
    hint: `muster's lookups: ${NAMES.join(', ')}`,
  };
}

/** Where the runner puts its LookupIO on a task's variables (a symbol: no template can name it, copies keep it). */
export const LOOKUP_IO = Symbol('muster.lookupIO');

/** The variables with the runner's LookupIO attached (kept by `{ ...vars }` copies). */
export function withLookupIO<V extends object>(vars: V, io: LookupIO): V {
  return Object.assign({ ...vars }, { [LOOKUP_IO]: io });
}

/** The LookupIO attached to variables, if any. */
export function lookupIOOf(vars: object): LookupIO | undefined {
  return (vars as { [LOOKUP_IO]?: LookupIO })[LOOKUP_IO];
}

/** How a lookup call reports its failures. */
export type ErrorMode = 'strict' | 'warn' | 'ignore';

/** One lookup call: the name as written, terms, options (wantlist and errors taken out here). */
export interface LookupCall {
  name: string;
  terms: unknown[];
  options: Record<string, unknown>;
  /** query()/q() and with_* loops: always a list */
  wantlist: boolean;
  /** how messages name the call (default `lookup('NAME')`; loops say `with_NAME`) */
  label?: string;
}

/**
 * Runs a lookup with Ansible's result rules: a list when `wantlist`, else text results joined with ","
 * (one non-text result as itself, several as the list). errors='warn'|'ignore' turn a failure into none.
 */
export function runLookup(call: LookupCall, ctx: LookupCtx, table: Record<string, Lookup> = LOOKUPS): unknown {
  const { wantlist: wl, errors, ...options } = call.options;
  const wantlist = call.wantlist || wl === true;
  const mode = errors ?? 'strict';
  if (mode !== 'strict' && mode !== 'warn' && mode !== 'ignore') return ctx.fail(`errors must be strict, warn or ignore, got ${JSON.stringify(errors)}`);
  const short = canonicalLookup(call.name);
  if (short === undefined) {
    const u = unknownLookup(call.name) as { message: string; hint: string };
    return ctx.fail(u.message, u.hint);
  }
  const lookup = table[short];
  const label = call.label ?? `lookup('${call.name}')`;
  const named: LookupCtx = { ...ctx, fail: (message, hint) => ctx.fail(`${label}: ${message}`, hint) };
  const unknown = Object.keys(options).filter((k) => !lookup.options.includes(k));
  if (unknown.length) {
    const known = ['wantlist', 'errors', ...lookup.options];
    return named.fail(`unknown option "${unknown[0]}"${didYouMean(unknown[0], known)}`, `${short} takes: ${known.join(', ')}`);
  }
  let ran: unknown[];
  try {
    ran = lookup.run(call.terms, options, named);
  } catch (e) {
    if (mode === 'strict') throw e;
    if (mode === 'warn') ctx.io?.warn(`${label} failed and errors='warn': ${messageOf(e)}`);
    return null;
  }
  if (wantlist) return ran;
  if (ran.length === 0) return [];
  if (ran.every((x) => typeof x === 'string' || x instanceof Secret)) {
    if (ran.length === 1) return ran[0];
    const joined = ran.map((x) => (x instanceof Secret ? x.value : (x as string))).join(',');
    if (!ran.some((x) => x instanceof Secret)) return joined;
    const secret = new Secret(joined);
    ctx.io?.secret(secret);
    return secret;
  }
  return ran.length === 1 ? ran[0] : ran;
}

function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}
