/**
 * Building blocks of the files modules' probes: POSIX sh fragments that print one `key value` line each,
 * and the pure parsers of those lines. Only coreutils-level tools (stat -c, sha256sum, base64) are used,
 * so the same probes work with GNU coreutils and busybox.
 */
import { join, raw, sh, type Raw, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { parseUmask } from './mode.js';

/** What kind of file a path is. */
export type Kind = 'file' | 'directory' | 'link' | 'block' | 'char' | 'fifo' | 'socket';

/** One stat(2) of a path, as `stat -c` printed it. */
export interface FileStat {
  kind: Kind;
  /** permission bits including setuid/setgid/sticky (07777) */
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  atime: number;
  ctime: number;
  inode: number;
  dev: number;
  nlink: number;
}

/** A path as seen through a shell variable, e.g. pathVar('p') -> "$p". */
export type PathRef = string | Raw;

const STAT_FORMAT = '%f|%u|%g|%U|%G|%s|%Y|%X|%Z|%i|%d|%h';
const KINDS: Record<number, Kind> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'link',
  0o060000: 'block',
  0o020000: 'char',
  0o010000: 'fifo',
  0o140000: 'socket',
};

/** A reference to a shell variable holding a path, for use inside sh``. */
export function pathVar(name: string): Raw {
  return raw(`"$${name}"`);
}

/** Prints `key <stat fields>` for the path (the link's target when follow), or `key -` when there is none. */
export function statLine(key: string, path: PathRef, follow: boolean): Script {
  return sh`if s=$(stat ${[follow ? '-L' : undefined, '-c', STAT_FORMAT]} ${path} 2>/dev/null); then printf '%s %s\\n' ${key} "$s"; else printf '%s -\\n' ${key}; fi`;
}

/** Prints `key <hex digest>` when the path is a readable regular file. */
export function digestLine(key: string, path: PathRef, algo: 'sha1' | 'sha256' | 'sha224' | 'sha384' | 'sha512' | 'md5'): Script {
  const tool = raw(`${algo}sum`);
  return sh`if [ -f ${path} ] && [ -r ${path} ]; then printf '%s %s\\n' ${key} "$(${tool} < ${path} | cut -d' ' -f1)"; fi`;
}

/** Prints `key <base64>` (one line) when the path is a readable regular file of at most maxBytes. */
export function contentLine(key: string, path: PathRef, maxBytes?: number): Script {
  const size = maxBytes === undefined ? undefined : sh` && [ "$(stat -L -c %s ${path})" -le ${maxBytes} ]`;
  return sh`if [ -f ${path} ] && [ -r ${path} ]${size}; then printf '%s ' ${key}; base64 < ${path} | tr -d '\\n'; printf '\\n'; fi`;
}

/** Prints `key <target>` when the path is a symbolic link. */
export function linkLine(key: string, path: PathRef): Script {
  return sh`if [ -L ${path} ]; then printf '%s %s\\n' ${key} "$(readlink ${path})"; fi`;
}

/** Prints `key <path with every symlink resolved>`. */
export function realLine(key: string, path: PathRef): Script {
  return sh`printf '%s %s\\n' ${key} "$(readlink -f ${path} 2>/dev/null || printf '%s' ${path})"`;
}

/** Prints the context every writing module needs: umask, effective uid, and a pid.date stamp for backups. */
export function contextLines(): Script {
  return join([sh`printf 'umask %s\\n' "$(umask)"`, sh`printf 'uid %s\\n' "$(id -u)"`, sh`printf 'stamp %s.%s\\n' "$$" "$(date +%Y-%m-%d@%H:%M:%S)"`]);
}

/** Probe output split into `key -> values` (a key may repeat). */
export type ProbeLines = Map<string, string[]>;

/** Splits probe output into keyed lines. */
export function probeLines(stdout: string): ProbeLines {
  const lines: ProbeLines = new Map();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    lines.set(key, [...(lines.get(key) ?? []), value]);
  }
  return lines;
}

/** The first value of a key. */
export function first(lines: ProbeLines, key: string): string | undefined {
  return lines.get(key)?.[0];
}

/** Parses the fields statLine printed; undefined for `-` or garbage. */
export function parseStat(text: string | undefined): FileStat | undefined {
  if (!text || text === '-') return undefined;
  const f = text.split('|');
  if (f.length !== 12) return undefined;
  const raw = parseInt(f[0], 16);
  if (Number.isNaN(raw)) return undefined;
  const n = (i: number): number => Number(f[i]);
  return {
    kind: KINDS[raw & 0o170000] ?? 'file',
    mode: raw & 0o7777,
    uid: n(1),
    gid: n(2),
    owner: f[3],
    group: f[4],
    size: n(5),
    mtime: n(6),
    atime: n(7),
    ctime: n(8),
    inode: n(9),
    dev: n(10),
    nlink: n(11),
  };
}

/** The decoded content a contentLine printed. */
export function parseContent(text: string | undefined): Buffer | undefined {
  return text === undefined ? undefined : Buffer.from(text, 'base64');
}

/** What contextLines printed. */
export interface HostContext {
  umask: number;
  uid: number;
  stamp: string;
}

/** Parses what contextLines printed. */
export function parseContext(lines: ProbeLines): HostContext {
  const uid = Number(first(lines, 'uid'));
  return {
    umask: parseUmask(first(lines, 'umask')),
    uid: Number.isInteger(uid) ? uid : -1,
    stamp: first(lines, 'stamp') ?? '0.0',
  };
}

/** The message for a probe that failed outright (the shell itself, not a missing file). */
export function probeFailure(out: ExecResult): string | undefined {
  if (out.rc === 0) return undefined;
  const detail = (out.stderr.trim() || out.stdout.trim()).split('\n').slice(-3).join('\n');
  return `could not read the state of the host (rc ${out.rc})${detail ? `: ${detail}` : ''}`;
}
