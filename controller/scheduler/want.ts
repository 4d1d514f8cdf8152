/** What one replica of a service asks of a node, read once per service from the stack model. Pure. */
import type { Constraint, Service, Stack } from '../stack/types.js';

/** A replica's needs, as every filter and the ranking read them. */
export interface Want {
  stack: string;
  service: string;
  /** `stack_service`: the key of per-service counts and of `allowMove` */
  key: string;
  image: string;
  /** the memory reservation, else the memory limit (so a limit alone takes room), else 0 */
  memoryBytes: number;
  /** the CPU reservation only: a CPU limit throttles and never kills, so it takes no room */
  cpus: number;
  /** the service sets a memory limit: only nodes that enforce one may run it */
  memoryLimited: boolean;
  constraints: Constraint[];
  /** published host ports as `80/tcp` */
  ports: string[];
  maxPerNode?: number;
  /** spread keys in order (`node.labels.zone`) */
  spread: string[];
  /** node-local named volumes it mounts (Docker names) */
  volumes: string[];
  global: boolean;
  /** this check is for a replica already on the node (a paused node keeps it) */
  existing: boolean;
  /** the only nodes this replica may use, because its data is there (volume-pin) */
  pin?: { nodes: string[]; volume: string };
}

/** A published port as the key the ledger and the filters compare: `80/tcp`. */
export function portKey(port: number, protocol: 'tcp' | 'udp'): string {
  return `${port}/${protocol}`;
}

/**
 * The want of a service. Named volumes whose top-level definition names a driver other than `local` live
 * elsewhere than on the node, so they pin nothing.
 */
export function wantOf(stack: Stack, service: Service): Want {
  const d = service.deploy;
  const remote = new Set(
    Object.values(stack.volumes)
      .filter((v) => v.driver !== undefined && v.driver !== 'local')
      .map((v) => v.name),
  );
  const volumes = [...new Set(service.mounts.filter((m) => m.type === 'volume' && m.source && !remote.has(m.source)).map((m) => m.source as string))].sort();
  const ports = [...new Set(service.ports.filter((p) => p.published > 0).map((p) => portKey(p.published, p.protocol)))];
  return {
    stack: stack.name,
    service: service.name,
    key: `${stack.name}_${service.name}`,
    image: service.image,
    memoryBytes: d.reservations.memoryBytes ?? d.limits.memoryBytes ?? 0,
    cpus: d.reservations.cpus ?? 0,
    memoryLimited: d.limits.memoryBytes !== undefined,
    constraints: d.constraints,
    ports,
    ...(d.maxReplicasPerNode !== undefined && d.maxReplicasPerNode > 0 ? { maxPerNode: d.maxReplicasPerNode } : {}),
    spread: d.spread,
    volumes,
    global: d.mode === 'global',
    existing: false,
  };
}
