/** The agent's domain: what a node reports, what the controller wants it to run, what Docker shows. */

/** One container the controller wants on this node. */
export interface ContainerSpec {
  /** unique on the node: `<stack>_<service>.<replica>` */
  name: string;
  stack: string;
  service: string;
  replica: number;
  image: string;
  command?: string[];
  env?: Record<string, string>;
  /** host-mode port publishing */
  ports?: { container: number; host: number; protocol?: 'tcp' | 'udp' }[];
  /** bytes */
  memoryLimit?: number;
  memoryReservation?: number;
  /** number of CPUs, e.g. 0.5 */
  cpus?: number;
  pidsLimit?: number;
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  healthcheck?: { test: string[]; intervalS?: number; timeoutS?: number; retries?: number; startPeriodS?: number };
  labels?: Record<string, string>;
}

/** The whole set of containers one node must run. `generation` only moves forward. */
export interface DesiredSet {
  generation: number;
  containers: ContainerSpec[];
}

/** A container as Docker shows it, for containers carrying muster's labels. */
export interface ObservedContainer {
  id: string;
  name: string;
  /** the spec hash label it was created with */
  specHash: string;
  state: 'created' | 'running' | 'restarting' | 'exited' | 'paused' | 'dead' | 'removing';
  health?: 'starting' | 'healthy' | 'unhealthy';
  restartCount: number;
  exitCode?: number;
  /** ms since epoch of the last finish, for backoff */
  finishedAt?: number;
  /** ms since epoch of the last start: a long run before a crash resets the backoff */
  startedAt?: number;
  pid?: number;
}

/** Labels muster puts on every container it manages; containers without them are never touched. */
export const LABELS = {
  managed: 'io.muster.managed',
  stack: 'io.muster.stack',
  service: 'io.muster.service',
  replica: 'io.muster.replica',
  specHash: 'io.muster.spec-hash',
} as const;
