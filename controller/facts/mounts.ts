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

/** One `stat -f -c '%b %a %S %s %c %d %n'` line: statvfs numbers by mount point. */
export interface StatFs {
  blocks: number;
  bavail: number;
  frsize: number;
  bsize: number;
  files: number;
  ffree: number;
}

/** `stat -f` lines; the mount point is the rest of the line (it may hold spaces). */
export function parseStatFs(text: string): Map<string, StatFs> {
  const out = new Map<string, StatFs>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\/.*)$/.exec(line);
    if (!m) continue;
    const [blocks, bavail, frsize, bsize, files, ffree] = m.slice(1, 7).map(Number);
    out.set(m[7], { blocks, bavail, frsize, bsize, files, ffree });
  }
  return out;
}

/** Ansible's size, block and inode figures of one statvfs. */
function sizeFacts(f: StatFs): Vars {
  return {
    size_total: f.frsize * f.blocks,
    size_available: f.frsize * f.bavail,
    block_size: f.bsize,
    block_total: f.blocks,
    block_available: f.bavail,
    block_used: f.blocks - f.bavail,
    inode_total: f.files,
    inode_available: f.ffree,
    inode_used: f.files - f.ffree,
  };
}

/** `lsblk --list --paths --output NAME,UUID`: the first UUID of each device that has one. */
function parseLsblk(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * mounts: like Ansible, only block devices (`/dev/...`) and network shares (`host:/path`), not type none;
 * sizes from `stat -f` (or `df` in older captures), UUIDs from lsblk, ",bind" added for what findmnt shows as one.
 */
export function mountFacts(s: Sections): Vars {
  const statfs = parseStatFs(s('statfs'));
  const sizes = parseDf(s('df'));
  const uuids = parseLsblk(s('lsblk'));
  const binds = new Set(lines(s('findmnt')));
  const mounts = parseMounts(s('mounts'))
    .filter((m) => (m.device.startsWith('/') || m.device.startsWith('\\') || m.device.includes(':/')) && m.fstype !== 'none')
    .map((m) => {
      const st = statfs.get(m.mount);
      const df = sizes.get(m.mount);
      // Ansible 2.14 means to skip options already saying bind, but its pattern needs a stray '"': it always appends
      const options = binds.has(m.mount) ? `${m.options},bind` : m.options;
      const size = st ? sizeFacts(st) : { size_total: df?.total ?? null, size_available: df?.available ?? null };
      return { mount: m.mount, device: m.device, fstype: m.fstype, options, ...size, uuid: uuids.get(m.device) ?? 'N/A' };
    });
  return { mounts };
}
