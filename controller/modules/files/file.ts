/** file: a path's state (file, directory, link, hard link, touched, absent) and its mode/owner/group. */
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { argOf, known, truthy } from './checks.js';
import { planAbsent, planDirectory, planFileState, planHard, planLink, planTouch, type PathState } from './file-states.js';
import {
  contextLines,
  first,
  linkLine,
  parseContext,
  parseStat,
  probeFailure,
  probeLines,
  realLine,
  statLine,
  type FileStat,
  type HostContext,
} from './probe.js';

const args: ArgSpecs = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
  src: { type: 'path' },
  mode: { type: 'mode' },
  owner: { type: 'str' },
  group: { type: 'str' },
  recurse: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
  follow: { type: 'bool', default: true },
  modification_time: { type: 'str' },
  modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  access_time: { type: 'str' },
  access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
  seuser: { type: 'str', ignored: 'SELinux contexts are left as the host sets them' },
  serole: { type: 'str', ignored: 'SELinux contexts are left as the host sets them' },
  setype: { type: 'str', ignored: 'SELinux contexts are left as the host sets them' },
  selevel: { type: 'str', ignored: 'SELinux contexts are left as the host sets them' },
  unsafe_writes: { type: 'bool', ignored: 'nothing is written through a temp file here that could be unsafe' },
  attributes: { type: 'str', aliases: ['attr'], ignored: 'file attributes (chattr) are left as they are' },
};

/** Mode and ownership of one entry under a recursed directory. */
export type TreeEntry = Pick<FileStat, 'kind' | 'mode' | 'uid' | 'gid' | 'owner' | 'group'>;

/** What the file probe found. */
export interface FileState {
  error?: string;
  /** the path itself (a link is not followed) */
  lstat?: FileStat;
  /** the path with links followed (when follow) */
  stat?: FileStat;
  real?: string;
  /** where the path points, when it is a symlink */
  target?: string;
  /** the link/hard link source, followed */
  src?: FileStat;
  /** ancestors of the path (and the path) that do not exist, outermost first */
  missing: string[];
  /** a directory with entries (a link may only replace an empty one) */
  nonEmpty: boolean;
  /** distinct mode/owner combinations under a recursed directory */
  tree: TreeEntry[];
  host: HostContext;
}

/** Where a relative link source points: beside the link, as ln -s resolves it. */
export function linkSource(path: string, src: string): string {
  if (src.startsWith('/')) return src;
  const slash = path.replace(/\/+$/, '').lastIndexOf('/');
  return slash < 0 ? src : `${path.slice(0, slash + 1)}${src}`;
}

/** The path and each of its ancestors, outermost first (the root and "." excluded). */
export function ancestors(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const lead = path.startsWith('/') ? '/' : '';
  return parts.map((_, i) => lead + parts.slice(0, i + 1).join('/'));
}

const TREE_FORMAT = 'tree %f|%u|%g|%U|%G';

/** The probe: the path (followed and not), the link source, missing ancestors, a recursed tree, context. */
export function fileProbe(a: Args): Script {
  const path = String(a.path);
  const follow = a.follow !== false;
  const parts: Script[] = [statLine('lstat', path, false), linkLine('target', path)];
  if (follow) parts.push(statLine('stat', path, true), realLine('real', path));
  if (a.src !== undefined && a.src !== null) {
    const src = String(a.src);
    parts.push(statLine('src', a.state === 'hard' ? src : linkSource(path, src), true));
  }
  if (a.state === 'directory' || (a.state === undefined && a.recurse === true)) {
    const dirs = ancestors(path);
    if (dirs.length) parts.push(sh`for p in ${dirs}; do if [ ! -e "$p" ] && [ ! -L "$p" ]; then printf 'missing %s\\n' "$p"; fi; done`);
  }
  if (a.state === 'link') parts.push(sh`if [ -d ${path} ] && [ ! -L ${path} ] && [ -n "$(ls -A ${path})" ]; then echo 'nonempty 1'; fi`);
  if (a.recurse === true) parts.push(sh`if [ -d ${path} ]; then find -H ${path} -exec stat -c ${TREE_FORMAT} {} + | sort -u; fi`);
  parts.push(contextLines());
  return join(parts);
}

/** Parses one `tree` line. */
export function parseTreeEntry(text: string): TreeEntry | undefined {
  const s = parseStat(`${text}|0|0|0|0|0|0|0`);
  return s && { kind: s.kind, mode: s.mode, uid: s.uid, gid: s.gid, owner: s.owner, group: s.group };
}

/** Parses fileProbe's output. */
export function parseFileState(out: ExecResult): FileState {
  const lines = probeLines(out.stdout);
  return {
    error: probeFailure(out),
    lstat: parseStat(first(lines, 'lstat')),
    stat: parseStat(first(lines, 'stat')),
    real: first(lines, 'real'),
    target: first(lines, 'target'),
    src: parseStat(first(lines, 'src')),
    missing: lines.get('missing') ?? [],
    nonEmpty: lines.has('nonempty'),
    tree: (lines.get('tree') ?? []).map(parseTreeEntry).filter((e): e is TreeEntry => e !== undefined),
    host: parseContext(lines),
  };
}

/** Ansible's name for what is at a path: absent, link, directory, hard (more than one name) or file. */
export function stateOf(s: FileStat | undefined): 'absent' | 'link' | 'directory' | 'hard' | 'file' {
  if (!s) return 'absent';
  if (s.kind === 'link') return 'link';
  if (s.kind === 'directory') return 'directory';
  return s.nlink > 1 ? 'hard' : 'file';
}

/** Argument rules that need no probe. */
export function checkFileArgs(a: Args): string | undefined {
  const state = known(a, args, 'state');
  if (state !== undefined && truthy(a, args, 'recurse') && state !== 'directory') return "recurse option requires state to be 'directory'";
  if (state !== undefined && argOf(a, args, 'src') !== undefined && state !== 'link' && state !== 'hard')
    return "src option requires state to be 'link' or 'hard'";
  for (const f of ['modification_time_format', 'access_time_format']) {
    const v = known(a, args, f);
    if (v !== undefined && v !== '%Y%m%d%H%M.%S') return `${f} other than %Y%m%d%H%M.%S is not supported (touch -t takes that form)`;
  }
  return undefined;
}

/** Pure: (args, probed path) -> plan. */
export function planFile(a: Args, s: FileState): Plan {
  if (s.error) return { kind: 'fail', msg: s.error };
  const bad = checkFileArgs(a);
  if (bad) return { kind: 'fail', msg: bad, data: { path: a.path } };
  const prev = stateOf(s.lstat);
  const state = (a.state as string | undefined) ?? (prev !== 'absent' ? prev : a.recurse ? 'directory' : 'file');
  if (a.recurse && state !== 'directory') return { kind: 'fail', msg: "recurse option requires state to be 'directory'", data: { path: a.path } };
  if (a.src !== undefined && a.src !== null && state !== 'link' && state !== 'hard')
    return { kind: 'fail', msg: "src option requires state to be 'link' or 'hard'", data: { path: a.path } };
  const p: PathState = { ...s, prev };
  switch (state) {
    case 'absent':
      return planAbsent(a, p);
    case 'directory':
      return planDirectory(a, p);
    case 'touch':
      return planTouch(a, p);
    case 'link':
      return planLink(a, p);
    case 'hard':
      return planHard(a, p);
    default:
      return planFileState(a, p);
  }
}

/** The file module. */
export const file = planned<FileState>({
  name: 'file',
  args,
  checkMode: true,
  validate: checkFileArgs,
  probe: fileProbe,
  parse: parseFileState,
  plan: planFile,
});
