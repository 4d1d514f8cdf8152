/** What the runner knows about each host during a run, and the options every part of the run reads. */
import { MIN_MASKED_LENGTH, Secret } from '../command.js';
import type { Inventory } from '../inventory/index.js';
import type { ModuleResult, Vars } from '../modules/types.js';
import type { Transport } from '../transport/types.js';
import type { Emit, HostStats } from './events.js';

/** Options of one `muster play` run (already parsed from the command line). */
export interface RunOptions {
  check: boolean;
  diff: boolean;
  forks: number;
  tags: string[];
  skipTags: string[];
  extraVars: Vars;
  startAtTask?: string;
  becomePassword?: Secret;
  verbosity: number;
}

/** Edges the runner reaches through (injected so tests can fake them). */
export interface RunDeps {
  inventory: Inventory;
  /** Opens (lazily) the transport of a host from its variables. */
  connect(host: string, vars: Vars): Transport;
  emit: Emit;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** Per-host state across the whole playbook. */
export interface HostState {
  name: string;
  facts: Vars;
  /** set_fact and register results */
  hostVars: Vars;
  /** include_vars results (below set_fact, above task vars) */
  includedVars?: Vars;
  transport?: Transport;
  unreachable: boolean;
  failed: boolean;
  stats: HostStats;
  /** background jobs (async, poll: 0) muster runs in its own process for modules that cannot run detached, by job id */
  jobs?: Map<string, InProcessJob>;
}

/** A background job running inside muster: its module and, once it ended, its result. */
export interface InProcessJob {
  module: string;
  result?: ModuleResult;
}

/** Per-play state for one host. */
export interface PlayHost {
  state: HostState;
  notified: Set<string>;
  /** ended by meta: end_host / end_play */
  ended: boolean;
}

/** Values collected to mask in all output (passwords, secret args). */
export class SecretStore {
  readonly values = new Set<string>();
  add(v: string | Secret): void {
    const text = v instanceof Secret ? v.value : v;
    if (text.length >= MIN_MASKED_LENGTH) this.values.add(text);
  }
}
