/**
 * fstab and the kernel's mount table as data: the entry for one mount point set or removed the way
 * ansible.posix's mount module edits fstab (a changed entry is rewritten as `src path fstype opts dump
 * passno`, other lines are kept as they are), and /proc/self/mountinfo read into mount point -> source.
 */
import { linesOf, textOf } from './config-files.js';

/** One fstab entry. */
export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** Escapes what fstab cannot hold in a field: backslash, space and ampersand, as octal escapes. */
export function escapeFstab(v: string): string {
  return v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');
}

/** The line Ansible writes for an entry. */
export function fstabLine(e: FstabEntry): string {
  return [e.src, e.path, e.fstype, e.opts, e.dump, e.passno].map(escapeFstab).join(' ');
}

/** The fields of an entry line (4 to 6 fields; dump and passno default to 0), or undefined for anything else. */
function fieldsOf(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (!t || t.startsWith('#')) return undefined;
  const f = t.split('#')[0].trim().split(/\s+/);
  if (f.length < 4 || f.length > 6) return undefined;
  return { src: f[0], path: f[1], fstype: f[2], opts: f[3], dump: f[4] ?? '0', passno: f[5] ?? '0' };
}

/** Whether a line's entry is the one for `path` (a swap entry is told apart by its source). */
function isFor(e: FstabEntry, path: string, src: string | undefined): boolean {
  if (e.path !== escapeFstab(path)) return false;
  return !(src !== undefined && e.path === 'none' && e.fstype === 'swap' && e.src !== escapeFstab(src));
}

/** The entry fstab has for `path`, if any (the last one wins, as mount reads them). */
export function findEntry(text: string, path: string, src?: string): FstabEntry | undefined {
  let found: FstabEntry | undefined;
  for (const line of linesOf(text)) {
    const e = fieldsOf(line);
    if (e && isFor(e, path, src)) found = e;
  }
  return found;
}

/** Pure: fstab with the entry for `want.path` as wanted (changed lines rewritten, a missing entry appended). */
export function setEntry(text: string, want: FstabEntry): string {
  let exists = false;
  const wanted = fstabLine(want);
  const out = linesOf(text).map((line) => {
    const e = fieldsOf(line);
    if (!e || !isFor(e, want.path, want.src)) return line;
    exists = true;
    return fstabLine(e) === wanted ? line : wanted;
  });
  if (!exists) out.push(wanted);
  return textOf(out);
}

/** Pure: fstab without the entry for `path`. */
export function removeEntry(text: string, path: string, src?: string): string {
  return textOf(
    linesOf(text).filter((line) => {
      const e = fieldsOf(line);
      return !(e && isFor(e, path, src));
    }),
  );
}

/** A mounted file system: where it comes from, its type and options. */
export interface Mounted {
  src: string;
  fstype: string;
  /** the mount's own options (rw, relatime...) */
  opts: string;
  /** the file system's options (size=, mode=...) */
  superOpts: string;
}

/** Undoes the octal escapes of mountinfo and fstab (`\040` is a space). */
export function unescapeOctal(v: string): string {
  return v.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/**
 * Pure: /proc/self/mountinfo into mount point -> what is mounted there. A bind mount's source is the
 * directory it shows (its root inside the parent mount, under the parent's mount point), as Ansible reads it.
 */
export function parseMountinfo(text: string): Map<string, Mounted> {
  interface Row {
    id: number;
    parent: number;
    root: string;
    dst: string;
    opts: string;
    fstype: string;
    src: string;
    superOpts: string;
  }
  const rows = new Map<number, Row>();
  for (const line of linesOf(text)) {
    const f = line.trim().split(/\s+/);
    const dash = f.indexOf('-');
    if (f.length < 10 || dash < 6) continue;
    const row = {
      id: Number(f[0]),
      parent: Number(f[1]),
      root: f[3],
      dst: f[4],
      opts: f[5],
      fstype: f[dash + 1],
      src: f[dash + 2],
      superOpts: f[dash + 3] ?? '',
    };
    rows.set(row.id, row);
  }
  const out = new Map<string, Mounted>();
  for (const r of rows.values()) {
    const p = rows.get(r.parent);
    let src = r.src;
    if (p && r.parent !== 1 && r.root !== '/') {
      let root = r.root;
      if (p.root.length > 1 && root.startsWith(`${p.root}/`)) root = root.slice(p.root.length);
      src = p.dst !== '/' ? `${p.dst}${root}` : root;
    }
    out.set(unescapeOctal(r.dst), { src: unescapeOctal(src), fstype: r.fstype, opts: r.opts, superOpts: r.superOpts });
  }
  return out;
}

/** A size as the kernel may print it back (8m and 8192k are one size), or undefined. */
function bytes(v: string): number | undefined {
  const m = /^(\d+)([kmgt]?)$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
}

/**
 * Pure: whether a mount already has the wanted options. Flags must be shown; `key=value` options must be
 * shown with the same value (sizes and octal modes compared as numbers: 8m is 8192k, 0755 is 755), or not
 * shown at all (the kernel does not echo every option, and what it does not show cannot be compared).
 */
export function hasOptions(m: Mounted, wanted: string): boolean {
  const shown = [...m.opts.split(','), ...m.superOpts.split(',')].filter(Boolean);
  const values = new Map(shown.filter((o) => o.includes('=')).map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
  return wanted
    .split(',')
    .filter((o) => o && !['defaults', 'auto', 'noauto', 'nofail', 'bind'].includes(o))
    .every((o) => {
      const i = o.indexOf('=');
      if (i < 0) return shown.includes(o);
      const have = values.get(o.slice(0, i));
      const want = o.slice(i + 1);
      if (have === undefined || have === want) return true;
      const [a, b] = [bytes(have), bytes(want)];
      if (a !== undefined && a === b) return true;
      return /^[0-7]+$/.test(have) && /^[0-7]+$/.test(want) && Number.parseInt(have, 8) === Number.parseInt(want, 8);
    });
}
