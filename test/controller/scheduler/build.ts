/** Small builders for scheduler tests: nodes, services, stacks and current replicas as plain objects. */
import type { CurrentReplica, NodeView, Snapshot, TickOptions } from '../../../controller/scheduler/types.js';
import type { Constraint, Deploy, Service, Stack, UpdateConfig } from '../../../controller/stack/types.js';

export const MiB = 2 ** 20;

/** A ready, active worker with 1024 MiB and 4 CPUs allocatable, unless told otherwise. */
export function node(name: string, o: Omit<Partial<NodeView>, 'cpus'> & { mem?: number; cpus?: number; enforced?: boolean } = {}): NodeView {
  const { mem, cpus, enforced, ...rest } = o;
  return {
    name,
    hostname: name,
    ready: true,
    availability: 'active',
    role: 'worker',
    arch: 'amd64',
    os: 'linux',
    labels: {},
    memory:
      enforced === false
        ? { allocatableBytes: (mem ?? 1024) * MiB, enforced: false, fix: 'enable the memory cgroup: muster play -i INVENTORY pi' }
        : { allocatableBytes: (mem ?? 1024) * MiB, enforced: true },
    cpus: { allocatable: cpus ?? 4 },
    overcommit: 1,
    volumes: [],
    portsInUse: [],
    ...rest,
  };
}

const UPDATE: UpdateConfig = { parallelism: 1, delayS: 0, order: 'stop-first', failureAction: 'pause', monitorS: 5, maxFailureRatio: 0 };

/** A constraint from its text: `node.labels.disk==ssd`. */
export function constraint(text: string): Constraint {
  const m = /^\s*([\w.-]+)\s*(==|!=)\s*(.*?)\s*$/.exec(text);
  if (!m) throw new Error(`bad constraint ${text}`);
  return { key: m[1], op: m[2] as '==' | '!=', value: m[3], text };
}

/** Service options in test shorthand: sizes in MiB, constraints as text. */
export interface ServiceOpts {
  replicas?: number;
  global?: boolean;
  image?: string;
  limitMem?: number;
  reserveMem?: number;
  reserveCpus?: number;
  limitCpus?: number;
  constraints?: string[];
  spread?: string[];
  maxPerNode?: number;
  ports?: number[];
  volumes?: string[];
}

/** A replicated service of 1 replica and no resources unless told otherwise. */
export function service(name: string, o: ServiceOpts = {}): Service {
  const deploy: Deploy = {
    mode: o.global ? 'global' : 'replicated',
    replicas: o.replicas ?? 1,
    limits: { ...(o.limitMem !== undefined ? { memoryBytes: o.limitMem * MiB } : {}), ...(o.limitCpus !== undefined ? { cpus: o.limitCpus } : {}) },
    reservations: {
      ...(o.reserveMem !== undefined ? { memoryBytes: o.reserveMem * MiB } : {}),
      ...(o.reserveCpus !== undefined ? { cpus: o.reserveCpus } : {}),
    },
    constraints: (o.constraints ?? []).map(constraint),
    spread: o.spread ?? [],
    ...(o.maxPerNode !== undefined ? { maxReplicasPerNode: o.maxPerNode } : {}),
    update: UPDATE,
    rollback: UPDATE,
    restartPolicy: { condition: 'any', delayS: 5 },
    labels: {},
  };
  return {
    name,
    image: o.image ?? 'nginx:1',
    env: {},
    ports: (o.ports ?? []).map((p) => ({ target: p, published: p, protocol: 'tcp' })),
    mounts: (o.volumes ?? []).map((v) => ({ type: 'volume', source: v, target: `/data/${v}` })),
    labels: {},
    devices: [],
    privileged: false,
    capAdd: [],
    capDrop: [],
    networks: [{ key: 'default', aliases: [] }],
    extraHosts: [],
    secrets: [],
    configs: [],
    deploy,
  };
}

/** A stack of these services (its named volumes declared as local ones). */
export function stack(name: string, services: Service[]): Stack {
  const volumes: Stack['volumes'] = {};
  for (const s of services) for (const m of s.mounts) if (m.source) volumes[m.source] = { name: m.source, external: false, driverOpts: {}, labels: {} };
  return { name, file: `${name}.yaml`, services, networks: {}, volumes, secrets: {}, configs: {}, warnings: [] };
}

/** A running replica of `stack_service.slot` on a node, spec hash `h1`. */
export function replica(stack: string, service: string, slot: number, node: string, o: Partial<CurrentReplica> = {}): CurrentReplica {
  return { stack, service, slot, node, specHash: 'h1', memoryReservationBytes: 0, cpuReservation: 0, hostPorts: [], volumes: [], state: 'running', ...o };
}

/** A snapshot of these nodes. */
export function snapshot(nodes: NodeView[], imagePlatforms: Record<string, string[]> = {}): Snapshot {
  return { nodes, imagePlatforms };
}

/** Every service's spec hash is `h1` unless the map names another (`stack_service`). */
export function options(hashes: Record<string, string> = {}, allowMove?: string[]): TickOptions {
  return { specHash: (s, v) => hashes[`${s}_${v}`] ?? 'h1', ...(allowMove ? { allowMove } : {}) };
}

/** `service.slot@node action` lines of a plan's assignments, for compact assertions. */
export function where(plan: { assignments: { service: string; slot: number; node: string; action: string }[] }): string[] {
  return plan.assignments.map((a) => `${a.service}.${a.slot}@${a.node} ${a.action}`);
}
