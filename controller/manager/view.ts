/**
 * The manager as its HTTP API and dashboard see it: what they read (rows built by the same pure builders as
 * `muster nodes`, `services` and `ps`), what they ask (deploy, scale, rollback, drain: accepted at once, the
 * manager's loop does the work), and the events it streams. The API (api/) depends on this interface only,
 * so it is tested with a fake view; the manager (manager.ts) implements it.
 */
import type { HistoryOp, StoredStack } from '../deploy/history.js';
import type { NodeRow } from '../fleet/nodes-view.js';
import type { PsRow } from '../ops/ps.js';
import type { ServiceRow } from '../ops/services.js';
import type { Availability } from '../../shared/wire.js';

/** What the manager knows of a node beyond its report: up or down since when, its availability. */
export interface ManagedNode {
  /** the node's last report as a `muster nodes` row (a failed row when it never answered) */
  row: NodeRow;
  /** up: answering; down: missed its heartbeats; unknown: not asked yet since the manager started */
  state: 'up' | 'down' | 'unknown';
  /** ISO time of the last change of state */
  since: string;
  /** ISO time of its last answer, if any */
  lastSeen?: string;
  availability: Availability;
  /** the inventory's labels and the agent's, as placement constraints read them */
  labels: Record<string, string>;
  role: string;
}

/** One node with the replicas it holds. */
export interface NodeDetail {
  node: ManagedNode;
  replicas: PsRow[];
}

/** One version of a stack, as the service page lists them. */
export interface VersionSummary {
  version: number;
  at: string;
  op: HistoryOp;
  services?: string[];
}

/** One service: its row, replicas (running and pending, with why), history, recent events. */
export interface ServiceDetail {
  service: ServiceRow;
  replicas: PsRow[];
  versions: VersionSummary[];
  events: ManagerEvent[];
  /** the rollout in progress, if any: `updating 2/4`, `rolling back 1/4`, or `completed` */
  rollout: string;
}

/** Something that happened, in order (`id` grows by one; SSE resumes from Last-Event-ID). */
export type ManagerEvent = { id: number; at: string } & (
  | { type: 'node-down'; node: string; reason: string }
  | { type: 'node-up'; node: string }
  | { type: 'availability'; node: string; availability: Availability }
  /** a replica started on `node`: a new one, or moved from `from` (failover, drain, rebalance) */
  | { type: 'placed'; stack: string; service: string; replica: string; node: string; from?: string; reason: string }
  | { type: 'removed'; stack: string; service: string; replica: string; node: string; reason: string }
  /** a replica no node takes now, or waiting for its node (its data is there) */
  | { type: 'pending'; stack: string; service: string; replica: string; reason: string; waitingFor?: string }
  | { type: 'deploy'; stack: string; version: number; op: HistoryOp; phase: 'started' | 'done' | 'failed'; message?: string }
  | { type: 'progress'; stack: string; service: string; running: number; wanted: number }
);

/** The event types, for schemas and the dashboard's filters. */
export const EVENT_TYPES = ['node-down', 'node-up', 'availability', 'placed', 'removed', 'pending', 'deploy', 'progress'] as const;

/** A recent-events buffer with subscribers (the manager appends; the API lists and streams). */
export interface EventFeed {
  /** events with id > sinceId, oldest first (at most the buffer's size) */
  since(sinceId: number): ManagerEvent[];
  /** called for every new event until the returned function is called */
  subscribe(listener: (e: ManagerEvent) => void): () => void;
}

/** A stack sent to the manager: the loaded, normalised stack (file contents base64), as history stores it. */
export interface DeployRequest {
  stack: StoredStack;
  /** the stack file as the user named it (for history and messages) */
  file: string;
  /** `stack_service` names whose volume-pinned replicas may move (deploy's --move) */
  move?: string[];
}

/** An action's answer: accepted (the loop applies it; events tell the progress) or refused with the reason. */
export type ActionResult =
  | { ok: true; message: string; version?: number }
  | { ok: false; status: 400 | 404 | 409 | 503; code: string; message: string; hint?: string };

/** One line of a service's logs. */
export interface LogLine {
  replica: string;
  node: string;
  /** the agent sends a container's stdout and stderr as one text: its lines are stdout; stderr marks the manager's own notes */
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Everything the API reads and asks. Reads are synchronous (the manager's current picture). */
export interface ManagerView {
  nodes(): ManagedNode[];
  node(name: string): NodeDetail | undefined;
  services(): ServiceRow[];
  service(stack: string, service: string): ServiceDetail | undefined;
  ps(filter?: { stack?: string; service?: string }): PsRow[];
  events: EventFeed;
  /** the last `tail` lines of each replica of the service (asked of the agents) */
  logs(stack: string, service: string, tail: number): Promise<LogLine[] | ActionResult>;
  deploy(req: DeployRequest): Promise<ActionResult>;
  remove(stack: string): Promise<ActionResult>;
  scale(stack: string, service: string, replicas: number): Promise<ActionResult>;
  rollback(stack: string, service: string): Promise<ActionResult>;
  setAvailability(node: string, availability: Availability): Promise<ActionResult>;
  /** Prometheus text: nodes up/down, replicas wanted/running/pending by reason, tick duration, failovers */
  metrics(): string;
}
