/** Pure: one managed container's report from what Docker shows, what was asked, and what its cgroup files say. */
import type { CgroupMemory } from './cgroup-memory.js';
import type { CpuLimit, PidsLimit } from './cgroup-limits.js';
import type { ObservedContainer } from '../types.js';
import type { ContainerReport, ContainerSpec, EnforcedSource } from '../../shared/wire.js';

/** The kernel rounds limits down to whole pages (4 to 64 KiB): closer than this counts as equal. */
export const LIMIT_TOLERANCE = 64 * 1024;

/** CPU limits are whole microseconds of quota per 100 ms period: closer than this counts as equal. */
export const CPU_TOLERANCE = 0.001;

/**
 * Whether the limit the kernel enforces differs from the one asked (undefined: none asked) by `tolerance`
 * or more; null enforced means no file says anything, so an asked limit is not enforced.
 */
export function limitMismatch(asked: number | undefined, enforced: number | 'unlimited' | null, source: EnforcedSource, tolerance = LIMIT_TOLERANCE): boolean {
  if (source === 'not-running') return false; // nothing to compare until it runs
  if (enforced === null || enforced === 'unlimited') return asked !== undefined;
  return asked === undefined || Math.abs(enforced - asked) >= tolerance;
}

/** What the cgroup reading gave for one container. */
export interface CgroupReading {
  source: EnforcedSource;
  dir: string | null;
  memory: CgroupMemory | null;
  /** the CFS quota in CPUs; null when no cpu controller file could be read */
  cpus: CpuLimit | null;
  pidsLimit: PidsLimit | null;
}

/** The report of one container; `asked` comes from what Docker was given, else from the desired spec. */
export function containerReport(c: ObservedContainer, spec: ContainerSpec | undefined, reading: CgroupReading): ContainerReport {
  const askedLimit = c.limits?.memory ?? spec?.memoryLimit;
  const askedCpus = c.limits?.cpus ?? spec?.cpus;
  const askedPids = c.limits?.pidsLimit ?? spec?.pidsLimit;
  const enforced = reading.memory?.limit ?? null;
  return {
    name: c.name,
    id: c.id,
    stack: c.stack ?? spec?.stack ?? null,
    service: c.service ?? spec?.service ?? null,
    replica: c.replica ?? spec?.replica ?? null,
    image: c.image ?? spec?.image ?? '',
    state: c.state,
    health: c.health ?? null,
    restarts: c.restartCount,
    exitCode: c.state === 'running' ? null : (c.exitCode ?? null),
    ...(c.startedAt ? { startedAt: new Date(c.startedAt).toISOString() } : {}),
    asked: {
      memoryLimit: askedLimit ?? null,
      memoryReservation: c.limits?.memoryReservation ?? spec?.memoryReservation ?? null,
      cpus: askedCpus ?? null,
      pidsLimit: askedPids ?? null,
    },
    enforced: { memoryLimit: enforced, cpus: reading.cpus, pidsLimit: reading.pidsLimit, source: reading.source, cgroupDir: reading.dir },
    usageBytes: reading.memory?.usageBytes ?? null,
    oomKills: reading.memory?.oomKills ?? null,
    limitMismatch: limitMismatch(askedLimit, enforced, reading.source),
    cpuMismatch: limitMismatch(askedCpus, reading.cpus, reading.source, CPU_TOLERANCE),
    pidsMismatch: limitMismatch(askedPids, reading.pidsLimit, reading.source, 1),
  };
}
