/** What a lookup is, and the controller-side services (files, environment, processes) the runner lends it. */
import type { Secret } from '../../command.js';

/** A command's outcome, as `pipe` and `lines` read it. */
export interface Ran {
  rc: number;
  stdout: string;
  stderr: string;
}

/**
 * The controller's side of lookups, provided by the runner (runner/lookups.ts); tests give a fake. Every
 * method is synchronous: expressions evaluate synchronously, as Ansible's lookups do.
 */
export interface LookupIO {
  /** controller-side directories searched for relative paths, most specific first (role, task file's, playbook's) */
  readonly searchPath: readonly string[];
  /** the playbook's directory: where a relative `password` path lives */
  readonly playbookDir: string;
  /** A file's text, or undefined when there is no regular file there. */
  readText(path: string): string | undefined;
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  /** Names of the regular files directly in `dir` ([] when it is no directory). */
  listFiles(dir: string): string[];
  /** An environment variable of the controller. */
  env(name: string): string | undefined;
  /** Runs a shell command on the controller (in the playbook's directory). */
  run(command: string): Ran;
  /** Writes a file atomically (temp file, fsync, rename) with `mode`, creating its directory (0700). */
  writeAtomic(path: string, text: string, mode: number): void;
  /** Renders a template file's text with `vars` (the template lookup). */
  render(text: string, vars: Record<string, unknown>, source: string): string;
  /** A uniformly random integer in [0, n). */
  randomInt(n: number): number;
  /** The inventory's hosts a pattern selects (`web:&prod:!web3`), in inventory order; throws for a malformed one. */
  hosts(pattern: string): string[];
  /** A secret produced by a lookup: the reporter must mask it. */
  secret(s: Secret): void;
  /** A warning (errors='warn'). */
  warn(message: string): void;
}

/** What a lookup may ask of the evaluator. */
export interface LookupCtx {
  /** the controller services; undefined where none are lent (then lookups that need them fail) */
  io?: LookupIO;
  /** a variable's plain value (rendered), or undefined when it is not defined */
  variable(name: string): { value: unknown } | undefined;
  /** the current variables, for the template lookup */
  vars(): Record<string, unknown>;
  /** Throws a lookup error (its message names the lookup). */
  fail(message: string, hint?: string): never;
  /** where first_found looks under each search dir: files, or templates/vars for a with_first_found loop of template/include_vars */
  subdir?: string;
}

/** One lookup plugin: terms (positional arguments) and options (keywords) in, a list of results out. */
export interface Lookup {
  /** keyword options it accepts besides wantlist and errors */
  options: readonly string[];
  /** needs the controller's files, environment or processes */
  io?: boolean;
  run(terms: unknown[], options: Record<string, unknown>, ctx: LookupCtx): unknown[];
}
