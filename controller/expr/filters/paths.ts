/** Path filters beyond basename/dirname: home expansion and symlinks on the controller, relative paths, Windows paths. */
import { readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';
import { toStr } from '../values.js';
import type { Filter } from './types.js';

/** Python's os.path.expanduser on the controller: `~` is $HOME, `~name` that user's home from /etc/passwd. */
export function expandUser(path: string, home = process.env.HOME ?? homedir(), passwd = readPasswd): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/', 1);
  const name = path.slice(1, slash < 0 ? undefined : slash);
  let dir: string | undefined = home;
  if (name) dir = passwd().find((f) => f[0] === name)?.[5];
  if (dir === undefined) return path;
  return dir.replace(/\/+$/, '') + (slash < 0 ? '' : path.slice(slash)) || '/';
}

function readPasswd(): string[][] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** Python's os.path.realpath (not strict): symlinks resolved where they exist, the rest kept as written. */
export function realPath(path: string, cwd = process.cwd(), readlink: (p: string) => string | undefined = tryReadlink): string {
  const todo = posix.resolve(cwd, path).split('/').filter(Boolean);
  let done = '';
  let hops = 0;
  while (todo.length) {
    const part = todo.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done = posix.dirname(done || '/');
      if (done === '/') done = '';
      continue;
    }
    const next = `${done}/${part}`;
    const target = hops < 40 ? readlink(next) : undefined;
    if (target === undefined) {
      done = next;
      continue;
    }
    hops++;
    if (target.startsWith('/')) done = '';
    todo.unshift(...target.split('/').filter(Boolean));
  }
  return done || '/';
}

function tryReadlink(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

/** Python's os.path.relpath: `path` seen from `start` (the current directory by default). */
export function relPath(path: string, start = '.', cwd = process.cwd()): string {
  return posix.relative(posix.resolve(cwd, start), posix.resolve(cwd, path)) || '.';
}

/** ntpath.splitdrive: a drive letter or a UNC share, and the rest. */
export function winSplitDrive(p: string): [string, string] {
  if (p.length >= 2) {
    const norm = p.replace(/\//g, '\\');
    if (norm.startsWith('\\\\') && norm[2] !== '\\') {
      const a = norm.indexOf('\\', 2);
      if (a < 0) return ['', p];
      let b = norm.indexOf('\\', a + 1);
      if (b === a + 1) return ['', p];
      if (b < 0) b = p.length;
      return [p.slice(0, b), p.slice(b)];
    }
    if (p[1] === ':') return [p.slice(0, 2), p.slice(2)];
  }
  return ['', p];
}

function winSplit(p: string): [string, string] {
  const [drive, rest] = winSplitDrive(p);
  let i = rest.length;
  while (i > 0 && !'/\\'.includes(rest[i - 1])) i--;
  const head = rest.slice(0, i);
  const trimmed = head.replace(/[/\\]+$/, '');
  return [drive + (trimmed || head), rest.slice(i)];
}

/** Path filters that Ansible maps onto os.path and ntpath. */
export const pathFilters: Record<string, Filter> = {
  expanduser: { params: [], fn: (v) => expandUser(toStr(v)) },
  realpath: { params: [], fn: (v) => realPath(toStr(v)) },
  relpath: { params: ['start'], fn: (v, [start]) => relPath(toStr(v), start === undefined || start === null ? '.' : toStr(start)) },
  win_basename: { params: [], fn: (v) => winSplit(toStr(v))[1] },
  win_dirname: { params: [], fn: (v) => winSplit(toStr(v))[0] },
  win_splitdrive: { params: [], fn: (v) => winSplitDrive(toStr(v)) },
};
