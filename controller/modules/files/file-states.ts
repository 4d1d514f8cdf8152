/** The file module's planners, one per state; each follows Ansible's file module's rules and messages. */
import { sh, type Script } from '../../command.js';
import type { Args, Diff, Plan, Step } from '../types.js';
import { describe, finalAttrs, planAttrs, sameId, wantAttrs, type AttrPlan, type WantAttrs } from './attrs.js';
import type { FileState, TreeEntry } from './file.js';
import { defaultMode, formatMode, octalMode, resolveMode } from './mode.js';
import type { FileStat, Kind } from './probe.js';

/** The probed state plus Ansible's name for what is at the path now. */
export interface PathState extends FileState {
  prev: 'absent' | 'link' | 'directory' | 'hard' | 'file';
}

/** A change (or a no-op) from the commands and before/after descriptions collected for a path. */
function outcome(
  path: string,
  scripts: Script[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  data: Record<string, unknown>,
  reason: string,
): Plan {
  if (scripts.length === 0) return { kind: 'noop', reason, data };
  const diff: Diff[] = [{ path, before: describe({ path, ...before }), after: describe({ path, ...after }) }];
  return { kind: 'change', steps: scripts.map((exec): Step => ({ exec })), diff, data };
}

function modeAfter(after: Record<string, unknown>, stat: FileStat | undefined): number | undefined {
  return typeof after.mode === 'string' ? parseInt(after.mode, 8) : stat?.mode;
}

type Acc = { scripts: Script[]; before: Record<string, unknown>; after: Record<string, unknown> };

function acc0(): Acc {
  return { scripts: [], before: {}, after: {} };
}

function merge(into: Acc, p: AttrPlan): void {
  into.scripts.push(...p.scripts);
  Object.assign(into.before, p.before);
  Object.assign(into.after, p.after);
}

/** touch -t / -m / -a commands for modification_time and access_time ('now', 'preserve' or YYYYMMDDhhmm.SS). */
export function timeScripts(path: string, a: Args, touchDefault: boolean): Script[] | string {
  const def = touchDefault ? 'now' : 'preserve';
  const mtime = a.modification_time === undefined || a.modification_time === null ? def : String(a.modification_time);
  const atime = a.access_time === undefined || a.access_time === null ? def : String(a.access_time);
  for (const t of [mtime, atime])
    if (t !== 'now' && t !== 'preserve' && !/^\d{12}\.\d{2}$/.test(t)) return `Error while obtaining timestamp for time ${t} using format %Y%m%d%H%M.%S`;
  if (mtime === 'now' && atime === 'now') return [sh`touch -c ${path}`];
  const scripts: Script[] = [];
  for (const [flag, t] of [
    ['-m', mtime],
    ['-a', atime],
  ] as const) {
    if (t === 'now') scripts.push(sh`touch -c ${flag} ${path}`);
    else if (t !== 'preserve') scripts.push(sh`touch -c ${flag} -t ${t} ${path}`);
  }
  return scripts;
}

/** The path a state applies to (the link's target when following a link), its stat and Ansible state name. */
function subject(a: Args, s: PathState): { path: string; stat?: FileStat; prev: PathState['prev'] } {
  const path = String(a.path);
  if (a.follow !== false && s.prev === 'link') {
    const prev = !s.stat ? 'absent' : s.stat.kind === 'directory' ? 'directory' : s.stat.nlink > 1 ? 'hard' : 'file';
    return { path: s.real ?? path, stat: s.stat, prev };
  }
  return { path, stat: s.lstat, prev: s.prev };
}

function common(path: string, stat: FileStat | undefined, want: WantAttrs, mode: number | undefined, state: string): Record<string, unknown> {
  return { path, state, ...finalAttrs(stat, want, mode), ...(stat ? { size: stat.size } : {}) };
}

/** state=absent: remove the file, link or whole directory. */
export function planAbsent(a: Args, s: PathState): Plan {
  const path = String(a.path);
  if (s.prev === 'absent') return { kind: 'noop', reason: 'path is already absent', data: { path, state: 'absent' } };
  const rm = s.prev === 'directory' ? sh`rm -rf ${path}` : sh`rm -f ${path}`;
  return outcome(path, [rm], { state: s.prev }, { state: 'absent' }, { path, state: 'absent' }, '');
}

/** state=file: the path must already be a file; only its attributes change. */
export function planFileState(a: Args, s: PathState): Plan {
  const target = subject(a, s);
  if (target.prev !== 'file' && target.prev !== 'hard')
    return { kind: 'fail', msg: `file (${target.path}) is ${target.prev}, cannot continue`, data: { path: target.path } };
  return attrsOnly(a, s, target.path, target.stat as FileStat, 'file', 'file already as wanted');
}

function attrsOnly(a: Args, s: PathState, path: string, stat: FileStat, state: string, reason: string): Plan {
  const want = wantAttrs(a);
  const acc = acc0();
  merge(acc, planAttrs(path, want, stat, { umask: s.host.umask }));
  const times = timeScripts(path, a, state === 'touch');
  if (typeof times === 'string') return { kind: 'fail', msg: times, data: { path } };
  acc.scripts.push(...times);
  return outcome(path, acc.scripts, acc.before, acc.after, common(String(a.path), stat, want, modeAfter(acc.after, stat), state), reason);
}

/** state=directory: mkdir -p (attributes on each created directory), or attributes, optionally recursive. */
export function planDirectory(a: Args, s: PathState): Plan {
  const want = wantAttrs(a);
  const target = subject(a, s);
  const prev = target.prev;
  if (prev === 'absent') {
    const created = target.path === String(a.path) && s.missing.length ? s.missing : [target.path];
    const scripts: Script[] = [sh`mkdir -p ${target.path}`];
    const fresh: FileStat = { ...blankStat('directory', s), mode: defaultMode(true, s.host.umask) };
    for (const dir of created) scripts.push(...planAttrs(dir, want, fresh, { umask: s.host.umask }).scripts);
    const mode = want.mode === undefined ? fresh.mode : resolveMode(want.mode, fresh.mode, true, s.host.umask);
    return outcome(target.path, scripts, { state: 'absent' }, { state: 'directory' }, common(target.path, undefined, want, mode, 'directory'), '');
  }
  if (prev !== 'directory') return { kind: 'fail', msg: `${target.path} already exists as a ${prev}`, data: { path: target.path } };
  const stat = target.stat as FileStat;
  if (!a.recurse || s.tree.length === 0) return attrsOnly(a, s, target.path, stat, 'directory', 'directory already as wanted');
  const acc = acc0();
  acc.scripts.push(...recursiveScripts(target.path, want, s.tree, s.host.umask));
  if (acc.scripts.length) acc.after.recurse = 'applied';
  const times = timeScripts(target.path, a, false);
  if (typeof times === 'string') return { kind: 'fail', msg: times, data: { path: target.path } };
  acc.scripts.push(...times);
  const mode = want.mode === undefined ? stat.mode : resolveMode(want.mode, stat.mode, true, s.host.umask);
  return outcome(target.path, acc.scripts, acc.before, acc.after, common(target.path, stat, want, mode, 'directory'), 'directory tree already as wanted');
}

/** chown -R / chmod -R when any entry of the tree (the top included) differs. */
export function recursiveScripts(path: string, want: WantAttrs, tree: TreeEntry[], umask: number): Script[] {
  const scripts: Script[] = [];
  const ownerOff = want.owner !== undefined && tree.some((e) => !sameId(want.owner as string, e.uid, e.owner));
  const groupOff = want.group !== undefined && tree.some((e) => !sameId(want.group as string, e.gid, e.group));
  if (ownerOff) scripts.push(sh`chown -R -h ${groupOff ? `${want.owner}:${want.group}` : want.owner} ${path}`);
  else if (groupOff) scripts.push(sh`chgrp -R -h ${want.group} ${path}`);
  if (want.mode !== undefined) {
    const spec = want.mode;
    const off = tree.some((e) => e.kind !== 'link' && resolveMode(spec, e.mode, e.kind === 'directory', umask) !== e.mode);
    const octal = octalMode(spec);
    if (off) scripts.push(sh`chmod -R ${octal === undefined ? spec : formatMode(octal)} ${path}`);
  }
  return scripts;
}

function blankStat(kind: Kind, s: PathState): FileStat {
  return { kind, mode: 0, uid: s.host.uid, gid: -1, owner: '', group: '', size: 0, mtime: 0, atime: 0, ctime: 0, inode: 0, dev: 0, nlink: 1 };
}

/** state=touch: create an empty file or update its times (always a change unless both times are preserved). */
export function planTouch(a: Args, s: PathState): Plan {
  const path = String(a.path);
  const want = wantAttrs(a);
  if (s.prev !== 'absent') {
    const target = subject(a, s);
    return attrsOnly(a, s, target.path, (target.stat ?? s.lstat) as FileStat, 'touch', 'times preserved and attributes as wanted');
  }
  const fresh: FileStat = { ...blankStat('file', s), mode: defaultMode(false, s.host.umask) };
  const attrs = planAttrs(path, want, fresh, { umask: s.host.umask });
  const times = timeScripts(path, a, true);
  if (typeof times === 'string') return { kind: 'fail', msg: times, data: { path } };
  const explicit = times.filter((t) => t.text.includes(' -t '));
  const mode = attrs.after.mode ? parseInt(attrs.after.mode, 8) : fresh.mode;
  return outcome(
    path,
    [sh`touch ${path}`, ...attrs.scripts, ...explicit],
    { state: 'absent' },
    { state: 'file' },
    common(path, undefined, want, mode, 'file'),
    '',
  );
}

/** state=link: a symbolic link to src (replacing a file, hard link or empty directory only with force). */
export function planLink(a: Args, s: PathState): Plan {
  const path = String(a.path);
  const follow = a.follow !== false;
  const src = a.src === undefined || a.src === null ? (s.prev === 'link' ? s.target : undefined) : String(a.src);
  if (src === undefined) return { kind: 'fail', msg: 'src is required for creating new symlinks', data: { path } };
  const data = { path, dest: path, src, state: 'link' };
  // without src an existing link keeps its target, which the followed stat describes
  const srcStat = a.src === undefined || a.src === null ? s.stat : s.src;
  if (!a.force && !srcStat) return { kind: 'fail', msg: `src file does not exist, use "force=yes" if you really want to create the link: ${src}`, data };
  if (s.prev === 'directory' && !a.force) return { kind: 'fail', msg: `refusing to convert from directory to symlink for ${path}`, data };
  if (s.prev === 'directory' && s.nonEmpty) return { kind: 'fail', msg: `the directory ${path} is not empty, refusing to convert it`, data };
  if ((s.prev === 'file' || s.prev === 'hard') && !a.force) return { kind: 'fail', msg: `refusing to convert from ${s.prev} to symlink for ${path}`, data };
  const acc = acc0();
  if (s.prev !== 'link' || s.target !== src) {
    // rm + ln rather than mv over the old link: mv would move into a directory the old link points to
    if (s.prev === 'absent') acc.scripts.push(sh`ln -s ${src} ${path}`);
    else if (s.prev === 'directory') acc.scripts.push(sh`rmdir ${path} && ln -s ${src} ${path}`);
    else acc.scripts.push(sh`rm -f ${path} && ln -s ${src} ${path}`);
    Object.assign(acc.before, s.prev === 'link' ? { src: s.target } : { state: s.prev });
    Object.assign(acc.after, s.prev === 'link' ? { src } : { state: 'link' });
  }
  const want = wantAttrs(a);
  if (follow && srcStat) merge(acc, planAttrs(path, want, srcStat, { umask: s.host.umask }));
  else if (!follow)
    merge(
      acc,
      planAttrs(path, { owner: want.owner, group: want.group }, s.lstat ?? { ...blankStat('link', s), mode: 0o777 }, { umask: s.host.umask, noDeref: true }),
    );
  const attrStat = follow ? srcStat : s.lstat;
  return outcome(
    path,
    acc.scripts,
    acc.before,
    acc.after,
    { ...data, ...finalAttrs(attrStat, want, modeAfter(acc.after, attrStat)) },
    'link already points to src',
  );
}

/** state=hard: a hard link to src (replacing another file only with force). */
export function planHard(a: Args, s: PathState): Plan {
  const path = String(a.path);
  if (a.src === undefined || a.src === null) return { kind: 'fail', msg: 'src is required for creating new hardlinks', data: { path } };
  const src = String(a.src);
  const data = { path, dest: path, src, state: 'hard' };
  if (!s.src) return { kind: 'fail', msg: 'src does not exist', data };
  const acc = acc0();
  const same = s.lstat !== undefined && s.lstat.inode === s.src.inode && s.lstat.dev === s.src.dev;
  if (s.prev === 'directory') return { kind: 'fail', msg: `Cannot link: ${path} is a directory`, data };
  if (!same && (s.prev === 'hard' || s.prev === 'file') && !a.force)
    return {
      kind: 'fail',
      msg: s.prev === 'hard' ? 'Cannot link, different hard link exists at destination' : 'Cannot link, file exists at destination',
      data,
    };
  const linkOk = s.prev === 'link' && s.target === src;
  if (!same && !linkOk) {
    acc.scripts.push(s.prev === 'absent' ? sh`ln ${src} ${path}` : sh`ln -f ${src} ${path}`);
    Object.assign(acc.before, { state: s.prev }, s.prev === 'link' ? { src: s.target } : {});
    Object.assign(acc.after, { state: 'hard', src });
  }
  const want = wantAttrs(a);
  merge(acc, planAttrs(path, want, s.src, { umask: s.host.umask }));
  return outcome(path, acc.scripts, acc.before, acc.after, { ...data, ...finalAttrs(s.src, want, modeAfter(acc.after, s.src)) }, 'hard link already in place');
}
