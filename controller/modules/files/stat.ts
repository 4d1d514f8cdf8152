/** stat: facts about one path, in Ansible's `stat` result shape. Never changes anything. */
import { join, sh, type Script } from '../../command.js';
import type { ExecResult } from '../../transport/types.js';
import { planned } from '../planned.js';
import type { ArgSpecs, Args, Plan } from '../types.js';
import { formatMode } from './mode.js';
import { digestLine, first, linkLine, parseStat, probeFailure, probeLines, realLine, statLine, type FileStat } from './probe.js';

const args: ArgSpecs = {
  path: { type: 'path', required: true, aliases: ['dest', 'name'] },
  follow: { type: 'bool', default: false },
  get_checksum: { type: 'bool', default: true },
  checksum_algorithm: {
    type: 'str',
    default: 'sha1',
    choices: ['sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'md5'],
    aliases: ['checksum', 'checksum_algo'],
  },
  get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
  get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
  get_md5: { type: 'bool', ignored: 'removed from Ansible: ask for checksum_algorithm: md5 instead' },
};

/** What the stat probe found. */
export interface StatState {
  error?: string;
  stat?: FileStat;
  target?: string;
  real?: string;
  checksum?: string;
  access: { readable: boolean; writeable: boolean; executable: boolean };
}

type Algo = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';

/** The probe: stat (followed or not), link target and real path, access for the running user, checksum. */
export function statProbe(a: Args): Script {
  const path = String(a.path);
  const follow = a.follow === true;
  const parts = [
    statLine('stat', path, follow),
    linkLine('target', path),
    realLine('real', path),
    sh`if [ -r ${path} ]; then echo 'access r'; fi; if [ -w ${path} ]; then echo 'access w'; fi; if [ -x ${path} ]; then echo 'access x'; fi`,
  ];
  // a link that is not followed has no checksum in Ansible (it is not a regular file)
  if (a.get_checksum !== false) {
    const check = digestLine('checksum', path, (a.checksum_algorithm as Algo | undefined) ?? 'sha1');
    parts.push(follow ? check : sh`if [ ! -L ${path} ]; then ${check}; fi`);
  }
  return join(parts);
}

/** Parses statProbe's output. */
export function parseStatState(out: ExecResult): StatState {
  const lines = probeLines(out.stdout);
  const access = lines.get('access') ?? [];
  return {
    error: probeFailure(out),
    stat: parseStat(first(lines, 'stat')),
    target: first(lines, 'target'),
    real: first(lines, 'real'),
    checksum: first(lines, 'checksum'),
    access: { readable: access.includes('r'), writeable: access.includes('w'), executable: access.includes('x') },
  };
}

/** Ansible's `stat` dictionary for a probed path. */
export function statResult(path: string, s: StatState): Record<string, unknown> {
  const st = s.stat;
  if (!st) return { exists: false };
  const m = st.mode;
  const bit = (b: number): boolean => (m & b) !== 0;
  const result: Record<string, unknown> = {
    exists: true,
    path,
    mode: formatMode(m),
    isdir: st.kind === 'directory',
    ischr: st.kind === 'char',
    isblk: st.kind === 'block',
    isreg: st.kind === 'file',
    isfifo: st.kind === 'fifo',
    islnk: st.kind === 'link',
    issock: st.kind === 'socket',
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    atime: st.atime,
    mtime: st.mtime,
    ctime: st.ctime,
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o020),
    rgrp: bit(0o040),
    xgrp: bit(0o010),
    woth: bit(0o002),
    roth: bit(0o004),
    xoth: bit(0o001),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    pw_name: st.owner,
    gr_name: st.group,
    ...s.access,
  };
  if (st.kind === 'link') Object.assign(result, { lnk_source: s.real, lnk_target: s.target });
  if (s.checksum !== undefined && st.kind === 'file') result.checksum = s.checksum;
  return result;
}

/** Pure: always a no-op that carries the `stat` result. */
export function planStat(a: Args, s: StatState): Plan {
  if (s.error) return { kind: 'fail', msg: s.error };
  const path = String(a.path);
  return { kind: 'noop', reason: s.stat ? `${path} exists` : `${path} does not exist`, data: { stat: statResult(path, s) } };
}

/** The stat module. */
export const stat = planned<StatState>({
  name: 'stat',
  args,
  checkMode: true,
  probe: statProbe,
  parse: parseStatState,
  plan: planStat,
});
