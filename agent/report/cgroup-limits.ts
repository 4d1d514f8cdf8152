/**
 * Pure parsers of the CPU and pids limits a cgroup enforces: v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`,
 * v2 `cpu.max`, and `pids.max` (the same format in both). Docker turns `--cpus` into a CFS quota per
 * period; a kernel built without CFS bandwidth control (some boards' kernels) has no such files, and then
 * the limit Docker accepted is not enforced.
 */

/** A CPU limit in CPUs (0.25 = a quarter of one CPU's time), or none. */
export type CpuLimit = number | 'unlimited';
/** A limit on the number of processes and threads, or none. */
export type PidsLimit = number | 'unlimited';

/** The file names, per cgroup version. */
export const CPU_FILES = {
  v1: { quota: 'cpu.cfs_quota_us', period: 'cpu.cfs_period_us' },
  v2: { max: 'cpu.max' },
} as const;
export const PIDS_FILE = 'pids.max';

const integer = (s: string): number | null => (/^-?\d+$/.test(s) ? Number(s) : null);
// quota / period in CPUs, without the float noise of the division (quotas are whole microseconds).
const cpus = (quota: number, period: number): number => Math.round((quota / period) * 1e6) / 1e6;

/** v1 quota and period -> CPUs; a quota of -1 is no limit; null when either is missing or not a number. */
export function parseV1Cpu(quota: string | undefined, period: string | undefined): CpuLimit | null {
  const q = integer(quota?.trim() ?? '');
  const p = integer(period?.trim() ?? '');
  if (q === null || p === null || p <= 0) return null;
  if (q < 0) return 'unlimited';
  return cpus(q, p);
}

/** v2 `cpu.max` ("$MAX $PERIOD", MAX being `max` for none) -> CPUs; null when it says neither. */
export function parseV2CpuMax(text: string | undefined): CpuLimit | null {
  const [max, period, extra] = (text ?? '').trim().split(/\s+/);
  const p = integer(period ?? '');
  if (extra !== undefined || p === null || p <= 0) return null;
  if (max === 'max') return 'unlimited';
  const q = integer(max ?? '');
  return q === null || q <= 0 ? null : cpus(q, p);
}

/** `pids.max` -> a count or unlimited (`max`); null when it says neither. */
export function parsePidsMax(text: string | undefined): PidsLimit | null {
  const t = (text ?? '').trim();
  if (t === 'max') return 'unlimited';
  const n = integer(t);
  return n === null || n < 0 ? null : n;
}
