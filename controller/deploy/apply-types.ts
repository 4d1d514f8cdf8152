/** What a deploy's apply works with and reports: the agents' port, the clock, the events, the result. */
import type { DesiredSet } from '../../shared/wire.js';
import type { AgentReport, PutDesiredAnswer } from '../fleet/agent-client.js';
import type { AgentFailure } from '../fleet/agent-request.js';
import type { Stack } from '../stack/types.js';
import type { HeldSets } from './edits.js';
import type { Delivery } from './files.js';
import type { Step } from './waves.js';

/** The agents, by node name. */
export interface AgentPort {
  putDesired(node: string, set: DesiredSet): Promise<PutDesiredAnswer | AgentFailure>;
  getReport(node: string): Promise<AgentReport | AgentFailure>;
  putFile(node: string, d: Delivery): Promise<{ ok: true } | AgentFailure>;
}

/** Time, so that tests run without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** A replica the deploy wants running at the end: counted per service in the progress. */
export interface Wanted {
  stack: string;
  service: string;
  node: string;
  name: string;
}

/** Per service: how many of its wanted replicas run. */
export interface ServiceProgress {
  stack: string;
  service: string;
  running: number;
  wanted: number;
}

/** What the reporter is told. */
export type DeployEvent =
  | { type: 'files'; node: string; count: number }
  | { type: 'step'; index: number; total: number; step: Step }
  | { type: 'wrote'; node: string; generation: number; edits: string }
  | { type: 'progress'; services: ServiceProgress[] }
  | { type: 'failed'; replica: string; node: string; reason: string }
  | { type: 'rollback'; stack: string; service: string }
  | { type: 'delay'; seconds: number };

/** A replica that failed, with why. */
export interface Failure {
  replica: string;
  node: string;
  reason: string;
}

/** How a deploy ended. */
export interface ApplyResult {
  /** 0 all running; 2 a replica failed, a service was rolled back, or another deploy raced; 4 an agent did not answer */
  code: 0 | 2 | 4;
  failures: Failure[];
  /** agents that did not answer a write or, to the end, the polls */
  unreachable: { node: string; message: string; hint: string }[];
  /** another deploy wrote first: the node and the generation it holds */
  raced?: { node: string; generation: number };
  rolledBack: string[];
  /** what was written, for people: `h01 generation 4: +demo_web.1.0123abcd -demo_web.1.89abcdef` */
  written: string[];
  /** set when the deploy stopped before its last step */
  stoppedAt?: string;
}

/** Inputs of one apply. */
export interface ApplyInput {
  steps: Step[];
  held: HeldSets;
  wanted: Wanted[];
  stacks: Stack[];
  files: Delivery[];
  /** how long one step may take to come up */
  timeoutMs: number;
  pollMs?: number;
  /** an agent error about a replica that lasts this long fails it (the agent retries with backoff before) */
  errorGraceMs?: number;
  /** asked between polls: a reason stops the apply there (the manager's, when a node goes down mid-change) */
  stop?: () => string | undefined;
}
