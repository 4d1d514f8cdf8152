/**
 * What the scheduler reads and writes: a snapshot of the nodes and of what they run in, a plan out.
 * Plain data: `tick(stacks, snapshot, current, options) -> Plan` is a pure function of these.
 */
import type { Availability } from '../../shared/wire.js';

/** One node as the scheduler sees it: built from an agent report and the inventory (node-info.ts). */
export interface NodeView {
  /** the inventory name */
  name: string;
  /** what `node.hostname` compares with (the report's hostname) */
  hostname: string;
  /** the agent answered and Docker is reachable */
  ready: boolean;
  /** why not ready: "agent unreachable: connection refused", "Docker down" */
  notReady?: string;
  availability: Availability;
  role: 'manager' | 'worker';
  /** normalised: amd64, arm64, arm/v7, arm/v6, 386... */
  arch: string;
  /** linux */
  os: string;
  /** inventory `muster_labels` merged over the agent's labels */
  labels: Record<string, string>;
  memory: {
    /** total - measured baseline - reserve */
    allocatableBytes: number;
    /** the kernel enforces memory limits here (memory cgroup on, Docker can set limits) */
    enforced: boolean;
    /** when not enforced: why and what to do ("enable the memory cgroup: muster play -i INV pi") */
    fix?: string;
  };
  cpus: { allocatable: number };
  /** reservations may reach allocatable x overcommit (1 = never overcommit; `muster_overcommit` opts in) */
  overcommit: number;
  /** Docker volume names present on the node */
  volumes: string[];
  /** host ports bound by containers muster does not manage */
  portsInUse: { port: number; protocol: 'tcp' | 'udp' }[];
}

/** The fleet at one moment. */
export interface Snapshot {
  nodes: NodeView[];
  /** platforms each image is known to exist for (`os/arch`), by image reference; absent = unknown, not refused */
  imagePlatforms: Record<string, string[]>;
}

/** A replica the nodes hold now (from the agents' desired sets, and their reports for its state). */
export interface CurrentReplica {
  stack: string;
  service: string;
  /** 1..N for replicated services; 0 for global ones (one per node) */
  slot: number;
  node: string;
  /** hash of the service template it was made from (the `.hash8` in its name is its first 8 digits) */
  specHash: string;
  /** what it takes from the node, so that replicas of other stacks count */
  memoryReservationBytes: number;
  cpuReservation: number;
  hostPorts: { port: number; protocol: 'tcp' | 'udp' }[];
  /** names of the named volumes it mounts */
  volumes: string[];
  state: 'running' | 'starting' | 'failed' | 'unknown';
}

/** What the nodes run now. Replicas of stacks not given to tick are left alone but still take room. */
export interface Current {
  replicas: CurrentReplica[];
  /** replicas known to be stale (their slot moved while their node was away): always removed */
  stale?: CurrentReplica[];
}

/** How tick treats the given stacks. */
export interface TickOptions {
  /** the hash of a service's container template (stack/ computes it; equal hash = nothing to update) */
  specHash(stack: string, service: string): string;
  /** `stack_service` names whose volume-pinned replicas the user allows to move (`--move`) */
  allowMove?: string[];
}

/** One wanted replica and where it goes. */
export interface Assignment {
  stack: string;
  service: string;
  slot: number;
  node: string;
  /**
   * keep: same node, same spec; replace: same node, new spec; move: another node (the old one is in `from`);
   * create: nothing held it before
   */
  action: 'keep' | 'replace' | 'move' | 'create';
  from?: CurrentReplica;
  /** why this node, for `--dry-run` and the dashboard ("fewest replicas of web; memory 31% after") */
  reason: string;
}

/** A wanted replica no node can take, with Swarm-style reasons. */
export interface Unplaced {
  stack: string;
  service: string;
  slot: number;
  /** with the replica's name: `web.3: no suitable node (insufficient memory on 2 nodes; constraint node.labels.disk==ssd on 1 node)` */
  reason: string;
  /** filter name -> nodes it rejected */
  rejections: Record<string, number>;
  /** the replica stays where it is (a volume-pinned replica whose node is down waits for it) */
  waitingFor?: string;
}

/** The outcome of one tick. */
export interface Plan {
  assignments: Assignment[];
  /** replicas to stop: slots no longer wanted, services gone from a given stack, duplicates */
  removals: CurrentReplica[];
  unplaced: Unplaced[];
}
