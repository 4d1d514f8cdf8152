/** Command-line parsing shared by the subcommands: util.parseArgs with our error style and exit codes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Parsed<T extends OptionSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
import { MusterError } from '../../shared/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parses argv for a subcommand; an unknown or malformed option is E_OPTION (exit 5) naming it. */
export function parse<T extends OptionSpec>(argv: string[], options: T, usage: string): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new MusterError('E_OPTION', msg, { hint: `usage: ${usage}` });
  }
}

/** Splits repeated, comma-separated list options (--tags a,b --tags c). */
export function listOption(v: string[] | string | undefined): string[] {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Counts -v flags (-vvv is three). */
export function verbosity(v: boolean[] | boolean | undefined): number {
  return Array.isArray(v) ? v.length : v ? 1 : 0;
}

/** A positive integer option or E_OPTION. */
export function intOption(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new MusterError('E_OPTION', `--${name} wants a positive whole number, got "${v}"`);
  return n;
}
