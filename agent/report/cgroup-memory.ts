/** Pure parsers of a cgroup's memory files, v1 (`memory.*_in_bytes`, `memory.oom_control`) and v2 (`memory.max`...). */

import type { MemoryLimit } from '../../shared/wire.js';

/** What the kernel enforces and counts for one cgroup. */
export interface CgroupMemory {
  limit: MemoryLimit;
  usageBytes: number | null;
  /** processes the OOM killer killed in this cgroup; null on kernels that do not count them (v1 before 4.13) */
  oomKills: number | null;
}

/** The file names that hold limit, usage and OOM counts, per cgroup version. */
export const MEMORY_FILES = {
  v1: { limit: 'memory.limit_in_bytes', usage: 'memory.usage_in_bytes', events: 'memory.oom_control' },
  v2: { limit: 'memory.max', usage: 'memory.current', events: 'memory.events' },
} as const;

// v1 has no "max": an unset limit reads as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages,
// other values with 16 or 64 KiB pages). Anything from 2^62 up is "no limit".
const V1_UNLIMITED = 2 ** 62;

function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** v1 memory.limit_in_bytes -> bytes or unlimited; null when the text is not a number. */
export function parseV1Limit(text: string): MemoryLimit | null {
  const n = wholeNumber(text);
  if (n === null) return null;
  return n >= V1_UNLIMITED ? 'unlimited' : n;
}

/** v2 memory.max -> bytes or unlimited (`max`); null when the text is neither. */
export function parseV2Max(text: string): MemoryLimit | null {
  return text.trim() === 'max' ? 'unlimited' : wholeNumber(text);
}

/** v1 memory.usage_in_bytes or v2 memory.current -> bytes. */
export function parseUsage(text: string): number | null {
  return wholeNumber(text);
}

/** `key value` lines (v1 memory.oom_control, v2 memory.events) -> the `oom_kill` count, null when absent. */
export function parseOomKills(text: string): number | null {
  const m = /^oom_kill\s+(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** The three memory files of one cgroup (as read; undefined when unreadable) -> what they say; null without a limit file. */
export function parseCgroupMemory(version: 'v1' | 'v2', files: { limit?: string; usage?: string; events?: string }): CgroupMemory | null {
  if (files.limit === undefined) return null;
  const limit = version === 'v1' ? parseV1Limit(files.limit) : parseV2Max(files.limit);
  if (limit === null) return null;
  return {
    limit,
    usageBytes: files.usage === undefined ? null : parseUsage(files.usage),
    oomKills: files.events === undefined ? null : parseOomKills(files.events),
  };
}
