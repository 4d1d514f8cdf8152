/**
 * What the nodes hold now, for the scheduler: every container of the agents' desired sets with its state
 * from the node's report. A node that did not answer contributes only its replicas that hold data (named
 * volumes), from the set it held when it last answered: the scheduler makes them wait for their node. Its
 * stateless replicas are left out, so they get placed elsewhere.
 */
import type { ContainerReport, ContainerSpec, DesiredSet, NodeReport } from '../../shared/wire.js';
import type { Current, CurrentReplica } from '../scheduler/types.js';
import { parseReplicaName } from './names.js';

/** One node as read: its report and held desired set, or nothing when it did not answer. */
export interface HeldNode {
  node: string;
  report?: NodeReport;
  /** null when the agent never received a set; undefined when it did not answer */
  desired?: DesiredSet | null;
  /** when it did not answer: the set it held when it last did */
  lastDesired?: DesiredSet;
  /** containers a plan took away while it did not answer (fence.ts) */
  fenced?: string[];
}

/** Pure: a container's state as the scheduler and the deploy read it. */
export function replicaState(c: ContainerReport | undefined, report: NodeReport | undefined): CurrentReplica['state'] {
  if (!report) return 'unknown';
  if (!c) return 'starting';
  if (c.state === 'running') return c.health === 'unhealthy' ? 'failed' : c.health === 'starting' ? 'starting' : 'running';
  if (c.state === 'created') return 'starting';
  if (c.state === 'restarting' || c.state === 'exited' || c.state === 'dead') return 'failed';
  return 'unknown';
}

/** Pure: one held container as a current replica (its spec hash is the `hash8` of its name: the name is the identity). */
export function currentReplica(node: string, spec: ContainerSpec, report: NodeReport | undefined): CurrentReplica {
  const parsed = parseReplicaName(spec.name, spec.stack);
  return {
    stack: spec.stack,
    service: spec.service,
    slot: spec.replica,
    node,
    specHash: parsed?.hash8 ?? '',
    // a limit without a reservation counts as its reservation (as the scheduler counts new replicas)
    memoryReservationBytes: spec.memoryReservation ?? spec.memoryLimit ?? 0,
    cpuReservation: Number(spec.labels?.['io.muster.reserve.cpus'] ?? 0) || 0,
    hostPorts: (spec.ports ?? []).map((p) => ({ port: p.host, protocol: p.protocol ?? 'tcp' })),
    volumes: (spec.mounts ?? []).filter((m) => m.type === 'volume' && m.source).map((m) => m.source as string),
    state: replicaState(
      report?.containers.find((c) => c.name === spec.name),
      report,
    ),
  };
}

/**
 * Pure: the agents' desired sets and reports -> Current (of nodes that did not answer, the replicas holding
 * data). A fenced container whose slot another node holds is stale: the slot moved while its node was away.
 */
export function currentFrom(nodes: HeldNode[]): Current {
  const replicas: CurrentReplica[] = [];
  const fenced: CurrentReplica[] = [];
  for (const n of nodes) {
    if (n.report && n.desired)
      for (const spec of n.desired.containers) (n.fenced?.includes(spec.name) ? fenced : replicas).push(currentReplica(n.node, spec, n.report));
    else if (!n.report && n.lastDesired)
      for (const spec of n.lastDesired.containers) if (spec.mounts?.some((m) => m.type === 'volume')) replicas.push(currentReplica(n.node, spec, undefined));
  }
  const slot = (r: CurrentReplica) => `${r.stack}\0${r.service}\0${r.slot}`;
  const heldElsewhere = new Set(replicas.map(slot));
  const stale = fenced.filter((r) => heldElsewhere.has(slot(r)));
  replicas.push(...fenced.filter((r) => !heldElsewhere.has(slot(r))));
  return stale.length ? { replicas, stale } : { replicas };
}

/** Pure: the container name of a current replica, found back in its node's held set. */
export function heldName(nodes: HeldNode[], r: CurrentReplica): string | undefined {
  const set = nodes.find((n) => n.node === r.node)?.desired;
  return set?.containers.find((c) => c.stack === r.stack && c.service === r.service && c.replica === r.slot && c.name.endsWith(`.${r.specHash}`))?.name;
}
