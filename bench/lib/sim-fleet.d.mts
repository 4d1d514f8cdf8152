// Types for sim-fleet.mjs, so TypeScript tests can import it.
import type { AgentTarget } from '../../controller/fleet/agent-request.js';
import type { ContainerState, DesiredSet } from '../../shared/wire.js';

export interface SimFleetOptions {
  /** how many simulated agents (sim0001..simNNNN) */
  nodes: number;
  /** the controller state directory to make (fleet CA, node credentials) and where inventory.yml goes */
  dir: string;
  /** the hardware mix's seed (bench/lib/sched-gen.mjs), default 1 */
  seed?: number;
  /** a container is `created` until this long after it was added, then `running` (default 0) */
  startDelayMs?: number;
  /**
   * a node collects its report again this long after it last did (default 10000, as the real agent); the nodes'
   * refresh moments are spread over one interval, and a change the report shows (a set taken, availability, a
   * container's start, a revive) collects it at once
   */
  reportIntervalMs?: number;
  /** the first port tried (default: defaultBasePort) */
  basePort?: number;
  /** images every node holds from the start (each node also holds the images of the sets it was given) */
  images?: string[];
  /** where the controller's and the agent's code is: dist/ by default; the repository root under tsx */
  codeRoot?: string;
  /** the clock, in milliseconds (default Date.now): reports, and when heartbeat registrations end (not the heartbeats' cadence) */
  now?: () => number;
}

export interface SimNode {
  name: string;
  address: string;
  port: number;
  token: string;
  /** the hardware model (pi3, nuc-16g...) */
  model: string;
}

export interface SimStats {
  /** requests by `METHOD /route` (`other` for no route or a wrong method) */
  requests: Record<string, number>;
  /** PUT /v1/desired requests with the node's token, by node (whatever their answer) */
  puts: Record<string, number>;
  /** desired sets taken (a newer generation), by node */
  accepted: Record<string, number>;
  /** reports collected (a GET or HEAD /v1/report that found the kept one too old or changed) */
  collected: number;
  /** GET or HEAD /v1/report answered 304 Not Modified: If-None-Match named the report kept */
  notModified: number;
  /** heartbeat datagrams sent (none while a node is frozen) */
  heartbeats: number;
  /** PUT /v1/heartbeat requests taken (a renewal counts again) */
  registrations: number;
}

export interface SimContainer {
  name: string;
  image: string;
  state: Extract<ContainerState, 'created' | 'running'>;
}

export interface SimFleet {
  dir: string;
  /** inventory.yml in dir */
  inventory: string;
  /** MUSTER_STATE_DIR=dir */
  env: { MUSTER_STATE_DIR: string };
  caPem: string;
  startupMs: number;
  nodes: SimNode[];
  /** how the controller's agent client reaches a node */
  target(name: string): AgentTarget;
  /** the node stops: its port refuses connections, and it forgets its heartbeat registration */
  kill(name: string): Promise<void>;
  /** the node is partitioned: connections are accepted and never answered, its heartbeats are lost */
  freeze(name: string): Promise<void>;
  /** the node answers again, with the desired set it held */
  revive(name: string): Promise<void>;
  state(name: string): 'up' | 'frozen' | 'dead';
  stats(): SimStats;
  desired(name: string): DesiredSet | null;
  /** what the node runs now */
  containers(name: string): SimContainer[];
  /** closes every server and connection */
  close(): Promise<void>;
}

export function defaultBasePort(count: number, random?: () => number): number;
export function simName(i: number, count: number): string;
export function inventoryYaml(nodes: { name: string; port: number }[]): string;
export function startSimFleet(opts: SimFleetOptions): Promise<SimFleet>;
