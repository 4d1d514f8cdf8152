/**
 * What a module is. Most modules are *planned*: a probe script reads the host's state, a pure `plan`
 * turns (args, state) into commands or a no-op with its reason. A few (reboot, wait_for, set_fact...)
 * act through the context directly.
 */
import type { Script } from '../command.js';
import type { ExecOptions, ExecResult, KeyLogin } from '../transport/types.js';

export type Vars = Record<string, unknown>;

/** How one argument is checked and normalised at load time. */
export interface ArgSpec {
  type: 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'path' | 'raw' | 'mode';
  required?: boolean;
  default?: unknown;
  choices?: readonly (string | number | boolean)[];
  aliases?: readonly string[];
  /** element type for lists (a comma-separated string becomes a list) */
  elements?: 'str' | 'int' | 'dict';
  /** never printed (passwords) */
  secret?: boolean;
  /** accepted as Ansible accepts it, but changes nothing here: why (printed as a warning when given) */
  ignored?: string;
}

export type ArgSpecs = Record<string, ArgSpec>;

/** Validated, normalised module arguments (aliases resolved, defaults applied, types coerced). */
export type Args = Record<string, unknown>;

/** A before/after text for --diff. */
export interface Diff {
  path?: string;
  before: string;
  after: string;
}

/** What a module run produced. `data` is merged into the registered result (rc, stdout, path, ...). */
export interface ModuleResult {
  changed: boolean;
  failed?: boolean;
  /** nothing was done on purpose (debug below its verbosity) */
  skipped?: boolean;
  msg?: string;
  diff?: Diff[];
  data?: Vars;
  /** set_fact: variables at set_fact precedence for this host */
  setVars?: Vars;
  /** setup: facts (ansible_facts and the ansible_* names) */
  facts?: Vars;
  /** include_vars: variables at include_vars precedence (above task vars, below set_fact) for this host */
  includedVars?: Vars;
}

/** What a planned module decided. */
export type Plan =
  | { kind: 'noop'; reason: string; data?: Vars }
  | { kind: 'change'; steps: Step[]; diff?: Diff[]; data?: Vars; msg?: string }
  | { kind: 'fail'; msg: string; data?: Vars };

/** One thing to do on the host. A step failing (rc != 0) fails the task unless `allowRc` lists the rc. */
export type Step =
  | { exec: Script; stdin?: string | Buffer; allowRc?: number[]; capture?: boolean }
  | { put: { content: Buffer | string; dest: string; mode?: string; owner?: string; group?: string } };

/** File lookups on the controller side (role files/, templates/, the playbook's directory). */
export interface LocalFiles {
  /** Reads a controller-side file searched in the usual places; throws MusterError E_FILE. */
  read(path: string, kind: 'files' | 'templates'): Promise<{ path: string; content: Buffer }>;
  /** Writes a controller-side file atomically (fetch). */
  write(path: string, content: Buffer): Promise<void>;
  /** The first existing DIR/SUBDIR/PATH or DIR/PATH (file or directory) in the search dirs; an absolute path as given. */
  locate?(path: string, subdir: string): { path: string; dir: boolean } | undefined;
  /** The regular files under `dir` (links followed), '/'-separated paths relative to it, sorted. */
  walk?(dir: string): string[];
  /** A YAML or JSON file's data, positions kept; throws MusterError E_FILE/E_YAML. */
  loadData?(path: string): unknown;
}

/** What a module may touch while it runs: the host (through the runner, with become applied), files, time. */
export interface ModuleContext {
  readonly host: string;
  readonly check: boolean;
  readonly diff: boolean;
  readonly vars: Vars;
  exec(script: Script, opts?: ExecOptions): Promise<ExecResult>;
  put(content: Buffer | string, dest: string, opts?: { mode?: string; owner?: string; group?: string }): Promise<void>;
  get(path: string): Promise<Buffer>;
  /** Renders a template file (`.j2` Jinja, else Handlebars) with this host's variables and `extra` over them. */
  render(template: string, source: string, extra?: Vars): string;
  files: LocalFiles;
  /** Drops the connection and waits until the host answers again (reboot, wait_for_connection). */
  reconnect(timeoutMs: number): Promise<void>;
  /**
   * Tries a second, new login to the host with its connection settings but keys only (no password);
   * undefined when the host is not reached over SSH. Optional: contexts built elsewhere may lack it.
   */
  keyLogin?(): Promise<KeyLogin | undefined>;
  /** Gathers facts in one round trip (setup). */
  gatherFacts(): Promise<Vars>;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** A module: its arguments and how it runs. */
export interface Module {
  name: string;
  /** One line for the docs index. */
  summary?: string;
  args: ArgSpecs;
  /** Runs on the controller only (debug, set_fact, assert...): no connection needed. */
  local?: boolean;
  /** Whether --check is supported; when false the task is skipped in check mode. */
  checkMode: boolean;
  /** Arguments may also be given as free form (command, shell, raw): `_raw_params`. */
  freeForm?: boolean;
  /** Any argument name is accepted (set_fact: the names are the user's variables). */
  freeArgs?: boolean;
  /** Extra load-time checks across arguments; returns a message or undefined. */
  validate?(args: Args): string | undefined;
  run(args: Args, ctx: ModuleContext): Promise<ModuleResult>;
}

/** A module built from probe + parse + plan: the runner-facing `run` is derived. */
export interface PlannedModule<S> extends Omit<Module, 'run'> {
  /** Script that prints the state the plan needs (one round trip). */
  probe(args: Args): Script;
  /** Pure: probe output -> state. */
  parse(out: ExecResult, args: Args): S;
  /** Pure: args + state -> what to do. */
  plan(args: Args, state: S): Plan;
}
