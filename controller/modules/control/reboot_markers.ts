/** How reboot tells a new boot from the old one: the kernel's boot id and the start time of PID 1. */
import { raw, sh, type Script } from '../../command.js';

/** What identifies one boot of a host (fields are undefined when the host would not say). */
export interface BootMarkers {
  bootId?: string;
  /** start time of PID 1 in clock ticks since the kernel booted (field 22 of /proc/1/stat) */
  pid1Start?: string;
  /** output of the user's boot_time_command, when given */
  custom?: string;
}

/**
 * Prints the markers as `key=value` lines. `bootTimeCommand` is shell text the user wrote for this purpose
 * (Ansible's boot_time_command), so it runs as written.
 */
export function markersScript(bootTimeCommand?: string): Script {
  return sh`printf 'boot_id=%s\\n' "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
printf 'pid1_stat=%s\\n' "$(cat /proc/1/stat 2>/dev/null)"
${bootTimeCommand === undefined ? raw(':') : sh`printf 'custom=%s\\n' "$( { ${raw(bootTimeCommand)}; } 2>/dev/null | tr '\\n' ' ')"`}
echo markers=done`;
}

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so count from the last ')'. */
export function startTimeOf(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/); // fields 3, 4, ...
  return fields[22 - 3];
}

/** Reads the markers script's output; undefined when it did not run to the end (a dropped connection). */
export function parseMarkers(stdout: string): BootMarkers | undefined {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) kv.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  if (kv.get('markers') !== 'done') return undefined;
  return {
    bootId: kv.get('boot_id') || undefined,
    pid1Start: startTimeOf(kv.get('pid1_stat') ?? ''),
    custom: kv.has('custom') ? kv.get('custom') : undefined,
  };
}

/**
 * Pure: has the host rebooted? The user's boot_time_command decides when given. Otherwise a new boot id or a
 * new PID 1 start time says so (a container restart keeps the kernel's boot id but starts a new PID 1).
 * With nothing to compare, having seen the host go away and come back is the best evidence there is.
 */
export function hasRebooted(before: BootMarkers, after: BootMarkers, sawDown: boolean): boolean {
  if (before.custom !== undefined && after.custom !== undefined) return before.custom !== after.custom;
  const ids = before.bootId !== undefined && after.bootId !== undefined;
  const starts = before.pid1Start !== undefined && after.pid1Start !== undefined;
  if ((ids && before.bootId !== after.bootId) || (starts && before.pid1Start !== after.pid1Start)) return true;
  return !ids && !starts ? sawDown : false;
}
