/** The fake manager's fleet data: its event feed, the default nodes, and the rows it shows for nodes and replicas. */
import type { NodeRow, NodeRowOk } from '../../../../controller/fleet/nodes-view.js';
import type { PsRow } from '../../../../controller/ops/ps.js';
import type { ServiceRow } from '../../../../controller/ops/services.js';
import type { EventFeed, ManagedNode, ManagerEvent, VersionSummary } from '../../../../controller/manager/view.js';

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

/** Event without its id and time (the feed gives them). */
type NewEvent = ManagerEvent extends infer E ? (E extends ManagerEvent ? Omit<E, 'id' | 'at'> : never) : never;

/** An EventFeed over an array. */
export class FakeFeed implements EventFeed {
  readonly all: ManagerEvent[] = [];
  private readonly listeners = new Set<(e: ManagerEvent) => void>();
  constructor(private readonly clock: () => Date) {}
  since(sinceId: number): ManagerEvent[] {
    return this.all.filter((e) => e.id > sinceId);
  }
  subscribe(listener: (e: ManagerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** subscribers now (a stream that closed has let go) */
  get subscribers(): number {
    return this.listeners.size;
  }
  emit(e: NewEvent): ManagerEvent {
    const full = { ...e, id: this.all.length + 1, at: this.clock().toISOString() } as ManagerEvent;
    this.all.push(full);
    for (const l of this.listeners) l(full);
    return full;
  }
}

/** A service as the fake holds it. */
export interface FakeService {
  stack: string;
  service: string;
  wanted: number;
  image: string;
  memoryReservation: number;
  versions: VersionSummary[];
  rollout: string;
}

/** A node as the fake builds it: name, arch, OS, memory in GiB, memory limits enforced or not. */
export interface FakeNodeSpec {
  name: string;
  arch: string;
  os: string;
  totalGiB: number;
  enforced: boolean;
}

/** The default fleet: a Raspberry Pi without memory limits, and two NUCs. */
export const DEFAULT_NODES: FakeNodeSpec[] = [
  { name: 'pi1', arch: 'arm64', os: 'Raspberry Pi OS 13', totalGiB: 1, enforced: false },
  { name: 'nuc1', arch: 'amd64', os: 'Debian 13', totalGiB: 16, enforced: true },
  { name: 'nuc2', arch: 'amd64', os: 'Debian 13', totalGiB: 8, enforced: true },
];

/** The fix text a node without memory limits shows. */
export const FIX = 'enable the memory cgroup: muster play -i INVENTORY pi (it edits the kernel command line and reboots)';

/** The row of a node as the fake builds it (up, nothing placed yet). */
export function nodeRow(s: FakeNodeSpec): NodeRow {
  const total = s.totalGiB * GiB;
  const row: NodeRowOk = {
    node: s.name,
    address: '127.0.0.1',
    port: 7380,
    status: 'ok',
    arch: s.arch,
    os: s.os,
    kernel: '6.12.0',
    hostname: s.name,
    memory: {
      totalBytes: total,
      availableBytes: Math.round(total * 0.7),
      baselineBytes: 180 * MiB,
      reserveBytes: 256 * MiB,
      allocatableBytes: total - 180 * MiB - 256 * MiB,
      reservedBytes: 0,
      usedBytes: 0,
    },
    memoryLimits: s.enforced ? { enforced: true } : { enforced: false, reason: 'the memory cgroup is disabled (cgroup_disable=memory)', fix: FIX },
    dockerVersion: '26.1.5',
    agentVersion: '0.1.0',
    containersRunning: 0,
    reportAgeS: 3,
  };
  return row;
}

/** The ps row of a replica. */
export function psRow(s: FakeService, slot: number, node: string, current: string, why: string): PsRow {
  return {
    replica: `${s.service}.${slot}`,
    stack: s.stack,
    service: s.service,
    slot,
    node,
    container: node === '-' ? null : `${s.stack}_${s.service}.${slot}.0123abcd`,
    desired: 'running',
    current,
    health: '-',
    since: current === 'running' ? '1m ago' : '-',
    why,
  };
}

/** The services row of a service, from its replicas. */
export function serviceRow(s: FakeService, mine: PsRow[]): ServiceRow {
  return {
    stack: s.stack,
    service: s.service,
    mode: 'replicated',
    running: mine.filter((r) => r.current === 'running').length,
    wanted: s.wanted,
    unknown: mine.filter((r) => r.current === 'unknown').length,
    image: s.image,
    ports: s.service === 'web' ? ['8080->80/tcp'] : [],
    memoryLimit: null,
    memoryReservation: s.memoryReservation,
    update: s.rollout,
  };
}

/** The manager's metrics, the few lines the fake keeps. */
export function fakeMetrics(nodes: ManagedNode[], replicas: PsRow[]): string {
  const count = (state: string) => nodes.filter((n) => n.state === state).length;
  return [
    '# HELP muster_manager_nodes Nodes by state.',
    '# TYPE muster_manager_nodes gauge',
    `muster_manager_nodes{state="up"} ${count('up')}`,
    `muster_manager_nodes{state="down"} ${count('down')}`,
    '# HELP muster_manager_replicas_running Replicas running.',
    '# TYPE muster_manager_replicas_running gauge',
    `muster_manager_replicas_running ${replicas.filter((r) => r.current === 'running').length}`,
    '',
  ].join('\n');
}
