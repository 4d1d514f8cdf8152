/** Mount facts: device mounts from /proc/mounts with their sizes from `df -P -k`. */
import type { Vars } from '../modules/types.js';
import { lines, type Sections } from './sections.js';

/** One line of /proc/mounts. */
export interface MountEntry {
  device: string;
  mount: string;
  fstype: string;
  options: string;
}

/** The kernel writes space, tab, newline and backslash in mount paths as octal escapes. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/mounts text. */
export function parseMounts(text: string): MountEntry[] {
  return lines(text)
    .map((l) => l.split(/\s+/))
    .filter((w) => w.length >= 4)
    .map(([device, mount, fstype, options]) => ({ device: unescapeMount(device), mount: unescapeMount(mount), fstype, options }));
}

/** `df -P -k` sizes in bytes by mount point. */
export function parseDf(text: string): Map<string, { total: number; available: number }> {
  const out = new Map<string, { total: number; available: number }>();
  for (const line of text.split('\n')) {
    // The mount point is the rest of the line: it may hold spaces, which df prints as they are.
    const m = /^\S+\s+(\d+)\s+\d+\s+(\d+)\s+(?:\d+%|-)\s+(\/.*)$/.exec(line);
    if (m) out.set(m[3], { total: Number(m[1]) * 1024, available: Number(m[2]) * 1024 });
  }
  return out;
}

/** mounts: like Ansible, only block devices (`/dev/...`) and network shares (`host:/path`). */
export function mountFacts(s: Sections): Vars {
  const sizes = parseDf(s('df'));
  const mounts = parseMounts(s('mounts'))
    .filter((m) => m.device.startsWith('/') || m.device.includes(':/'))
    .map((m) => ({
      mount: m.mount,
      device: m.device,
      fstype: m.fstype,
      options: m.options,
      size_total: sizes.get(m.mount)?.total ?? null,
      size_available: sizes.get(m.mount)?.available ?? null,
    }));
  return { mounts };
}
