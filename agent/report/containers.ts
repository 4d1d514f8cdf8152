/** Pure: one managed container's report from what Docker shows, what was asked, and what its cgroup files say. */
import type { CgroupMemory } from './cgroup-memory.js';
import type { ContainerReport, ContainerSpec, EnforcedSource, MemoryLimit, ObservedContainer } from '../types.js';

/** The kernel rounds limits down to whole pages (4 to 64 KiB): closer than this counts as equal. */
export const LIMIT_TOLERANCE = 64 * 1024;

/** Whether the limit the kernel enforces differs from the one asked (undefined: none asked). */
export function limitMismatch(asked: number | undefined, enforced: MemoryLimit | null, source: EnforcedSource): boolean {
  if (source === 'not-running') return false; // nothing to compare until it runs
  if (enforced === null || enforced === 'unlimited') return asked !== undefined;
  return asked === undefined || Math.abs(enforced - asked) >= LIMIT_TOLERANCE;
}

/** What the cgroup reading gave for one container. */
export interface CgroupReading {
  source: EnforcedSource;
  dir: string | null;
  memory: CgroupMemory | null;
}

/** The report of one container; `asked` comes from what Docker was given, else from the desired spec. */
export function containerReport(c: ObservedContainer, spec: ContainerSpec | undefined, reading: CgroupReading): ContainerReport {
  const askedLimit = c.limits?.memory ?? spec?.memoryLimit;
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
    asked: {
      memoryLimit: askedLimit ?? null,
      memoryReservation: c.limits?.memoryReservation ?? spec?.memoryReservation ?? null,
      cpus: c.limits?.cpus ?? spec?.cpus ?? null,
      pidsLimit: c.limits?.pidsLimit ?? spec?.pidsLimit ?? null,
    },
    enforced: { memoryLimit: enforced, source: reading.source, cgroupDir: reading.dir },
    usageBytes: reading.memory?.usageBytes ?? null,
    oomKills: reading.memory?.oomKills ?? null,
    limitMismatch: limitMismatch(askedLimit, enforced, reading.source),
  };
}
