/** The agent's own domain: what Docker shows and the labels muster puts on containers (wire types: shared/wire.ts). */
import type { ContainerHealth, ContainerState } from '../shared/wire.js';

/** A container as Docker shows it, for containers carrying muster's labels. */
export interface ObservedContainer {
  id: string;
  name: string;
  /** the spec hash label it was created with */
  specHash: string;
  state: ContainerState;
  health?: ContainerHealth;
  restartCount: number;
  exitCode?: number;
  /** ms since epoch of the last finish, for backoff */
  finishedAt?: number;
  /** ms since epoch of the last start: a long run before a crash resets the backoff */
  startedAt?: number;
  pid?: number;
  image?: string;
  stack?: string;
  service?: string;
  replica?: number;
  /** what Docker was asked for when the container was created (its HostConfig) */
  limits?: { memory?: number; memoryReservation?: number; cpus?: number; pidsLimit?: number };
}

/** Labels muster puts on every container it manages; containers without them are never touched. */
export const LABELS = {
  /** its value is the agent's scope (`default`): agents sharing one engine in tests use different scopes */
  managed: 'io.muster.managed',
  name: 'io.muster.name',
  stack: 'io.muster.stack',
  service: 'io.muster.service',
  replica: 'io.muster.replica',
  specHash: 'io.muster.spec-hash',
} as const;
