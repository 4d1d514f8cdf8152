/**
 * A node as the scheduler sees it, made from the agent's report and the inventory: what it may hand out
 * (memory, CPUs), what it is (arch, os, labels, role) and whether it takes work. Pure.
 */
import type { NodeReport } from '../../shared/wire.js';
import { allocatableBytes } from '../fleet/allocatable.js';
import { limitsEnforced } from '../fleet/summary.js';
import type { NodeView } from './types.js';

/** What nodeView needs to know about one inventory host. */
export interface NodeInput {
  /** the inventory name */
  name: string;
  /** the agent's answer, when it gave one */
  report?: NodeReport;
  /** why the agent did not answer ("agent unreachable: connection refused") */
  failure?: string;
  /** the host's `muster_labels` */
  inventoryLabels: Record<string, string>;
  role?: 'manager' | 'worker';
  /** memory kept back for the OS beyond the measured baseline */
  reserveBytes: number;
  /** `muster_overcommit`: reservations may reach allocatable x this (1 when absent) */
  overcommit?: number;
}

/** `uname -m` names -> the OCI names images use; for reports whose agent did not normalise. */
const ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  armv7l: 'arm/v7',
  armv7: 'arm/v7',
  armhf: 'arm/v7',
  armv6l: 'arm/v6',
  armel: 'arm/v6',
  i386: '386',
  i686: '386',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** An architecture name as images name it (`x86_64` -> `amd64`, `armv7l` -> `arm/v7`); unknown ones as given. */
export function normaliseArch(raw: string): string {
  const a = raw.trim().toLowerCase();
  return ARCH[a] ?? a;
}

/**
 * The node's view. CPUs are the whole count (nothing is held back for the system yet: the memory reserve is
 * what protects a small node). The os is `linux`: agents run on Linux only, and the report's os field is the
 * distribution's name. portsInUse: the host ports the agent saw bound by containers it does not manage.
 */
export function nodeView(input: NodeInput): NodeView {
  const overcommit = input.overcommit !== undefined && Number.isFinite(input.overcommit) && input.overcommit > 0 ? input.overcommit : 1;
  const r = input.report;
  if (!r)
    return {
      name: input.name,
      hostname: input.name,
      ready: false,
      notReady: input.failure ?? 'no report from its agent',
      availability: 'active',
      role: input.role ?? 'worker',
      arch: 'unknown',
      os: 'linux',
      labels: { ...input.inventoryLabels },
      memory: { allocatableBytes: 0, enforced: false },
      cpus: { allocatable: 0 },
      overcommit,
      volumes: [],
      portsInUse: [],
    };
  const limits = limitsEnforced(r);
  const dockerUp = r.docker?.reachable === true;
  return {
    name: input.name,
    hostname: r.node.hostname || input.name,
    ready: dockerUp,
    ...(dockerUp ? {} : { notReady: `Docker down${r.docker?.error ? `: ${r.docker.error}` : ''}` }),
    availability: r.node.availability ?? (r.node.available === false ? 'drain' : 'active'),
    role: input.role ?? 'worker',
    arch: r.node.arch?.normalised ?? normaliseArch(r.node.arch?.raw ?? 'unknown'),
    os: 'linux',
    labels: { ...(r.node.labels ?? {}), ...input.inventoryLabels },
    memory: {
      allocatableBytes: allocatableBytes(r.node.memory?.totalBytes ?? null, r.baseline?.totalBytes ?? 0, input.reserveBytes) ?? 0,
      enforced: limits.enforced,
      ...(limits.enforced ? {} : { fix: limits.fix }),
    },
    cpus: { allocatable: r.node.cpu?.count ?? 0 },
    overcommit,
    volumes: (r.volumes ?? []).map((v) => v.name).sort(),
    portsInUse: (r.portsInUse ?? []).map((p) => ({ port: p.port, protocol: p.protocol })),
  };
}
