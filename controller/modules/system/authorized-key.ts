/** `authorized_key`: SSH public keys present in (or absent from) a user's authorized_keys, with sshd's modes. */
import { sh, join, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Vars } from '../types.js';
import { parsePasswd, type PasswdEntry } from './accounts.js';
import { editKeys, wantedKeys } from './keys.js';
import { section, sectionsOf, withSbin } from './probe.js';

const args: ArgSpecs = {
  user: { type: 'str', required: true },
  key: { type: 'str', required: true },
  path: { type: 'path' },
  manage_dir: { type: 'bool', default: true },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  exclusive: { type: 'bool', default: false },
  key_options: { type: 'str' },
  comment: { type: 'str' },
};

/** Mode (octal digits as stat prints them) and owner of a path. */
export interface Stat {
  mode: string;
  uid: number;
  gid: number;
}

/** What the probe found. */
export interface KeyFileState {
  user?: PasswdEntry;
  /** the keys file, resolved on the host */
  file: string;
  dir?: Stat;
  stat?: Stat;
  /** undefined when the file does not exist */
  content?: string;
  /** the file exists but could not be read (no become?) */
  unreadable: boolean;
}

/** The probe: the user's passwd entry, the resolved file, its directory's and its own mode/owner, and its text. */
export function probeKeys(a: Args): Script {
  const user = String(a.user);
  const path = typeof a.path === 'string' && a.path ? a.path : undefined;
  let file: Script;
  if (path === undefined) file = sh`f="$home/.ssh/authorized_keys"`;
  else if (path === '~' || path.startsWith('~/')) file = sh`f="$home"${path.slice(1)}`;
  else file = sh`f=${path}`;
  return withSbin(
    section('passwd', sh`getent passwd ${user}`),
    sh`home=$(getent passwd ${user} | cut -d: -f6)`,
    file,
    section('file', sh`printf '%s' "$f"`),
    section('dir', sh`stat -c '%a %u %g' "$(dirname "$f")" 2>/dev/null`),
    section('stat', sh`stat -c '%a %u %g' "$f" 2>/dev/null`),
    section('content', sh`cat "$f" 2>/dev/null`),
  );
}

function parseStat(text: string | undefined): Stat | undefined {
  const m = /^([0-7]+) (\d+) (\d+)/.exec(text?.trim() ?? '');
  return m ? { mode: m[1].padStart(3, '0').slice(-4), uid: Number(m[2]), gid: Number(m[3]) } : undefined;
}

/** Pure: probe output -> state. */
export function parseKeys(stdout: string): KeyFileState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const stat = parseStat(s.get('stat')?.text);
  const content = s.get('content');
  const read = content !== undefined && content.rc === 0;
  return {
    user: parsePasswd(s.get('passwd')?.text ?? ''),
    file: s.get('file')?.text ?? '',
    dir: parseStat(s.get('dir')?.text),
    stat,
    content: read ? content.text : undefined,
    unreadable: stat !== undefined && !read,
  };
}

const ownedBy = (st: Stat | undefined, u: PasswdEntry, mode: string) =>
  st !== undefined && st.uid === u.uid && st.gid === u.gid && Number.parseInt(st.mode, 8) === Number.parseInt(mode, 8);

/** Pure: what to do about the keys file. */
export function planKeys(a: Args, s: KeyFileState): Plan {
  const user = String(a.user);
  if (!s.user) return { kind: 'fail', msg: `Failed to lookup user ${user}: no such user on the host` };
  if (/^https?:\/\//.test(String(a.key).trim())) {
    return { kind: 'fail', msg: 'keys given as a URL are not supported: put the key text in `key` (for example from a file lookup)' };
  }
  if (s.unreadable) return { kind: 'fail', msg: `cannot read ${s.file}: run the task with become: true` };
  const { keys, bad } = wantedKeys(String(a.key), {
    keyOptions: typeof a.key_options === 'string' ? a.key_options : undefined,
    comment: typeof a.comment === 'string' ? a.comment : undefined,
  });
  if (bad.length) return { kind: 'fail', msg: `invalid key specified: ${bad[0].slice(0, 60)}` };
  const state = a.state === 'absent' ? 'absent' : 'present';
  const before = s.content ?? '';
  const after = editKeys(before, keys, { state, exclusive: a.exclusive === true });
  const data: Vars = {
    user,
    key: String(a.key),
    keyfile: s.file,
    path: a.path ?? null,
    manage_dir: a.manage_dir,
    state,
    exclusive: a.exclusive,
    key_options: a.key_options ?? null,
    comment: a.comment ?? null,
  };
  const write = after !== before && (s.content !== undefined || after !== '');
  if (state === 'absent') {
    if (!write) return { kind: 'noop', reason: `key absent from ${s.file}`, data };
    return change(s, after, before, { dir: false, file: true }, data);
  }
  const fixDir = a.manage_dir !== false && !ownedBy(s.dir, s.user, '700');
  const fixFile = write || !ownedBy(s.stat, s.user, '600');
  if (!fixDir && !fixFile) return { kind: 'noop', reason: `key present in ${s.file}`, data };
  return change(s, write ? after : undefined, before, { dir: fixDir, file: fixFile }, data);
}

function change(s: KeyFileState, after: string | undefined, before: string, fix: { dir: boolean; file: boolean }, data: Vars): Plan {
  const u = s.user as PasswdEntry;
  const owner = `${u.uid}:${u.gid}`;
  const lines: Script[] = [sh`set -e`, sh`f=${s.file}; d=$(dirname "$f")`, sh`mkdir -p "$d"`];
  if (fix.dir) lines.push(sh`chown ${owner} "$d"; chmod 0700 "$d"`);
  if (after !== undefined) {
    // Written beside the target and renamed over it, so sshd never reads a half-written file.
    lines.push(sh`t="$f.muster-tmp"; cat > "$t"; chown ${owner} "$t"; chmod 0600 "$t"; mv -f "$t" "$f"`);
  } else if (fix.file) lines.push(sh`chown ${owner} "$f"; chmod 0600 "$f"`);
  const diff = after !== undefined ? [{ path: s.file, before, after }] : undefined;
  return { kind: 'change', steps: [{ exec: join(lines), stdin: after ?? '' }], diff, data };
}

const keysPlanned: PlannedModule<KeyFileState> = {
  name: 'authorized_key',
  args,
  checkMode: true,
  probe: probeKeys,
  parse: (out) => parseKeys(out.stdout),
  plan: planKeys,
};

/** The `authorized_key` module. */
export const authorizedKey = planned(keysPlanned);
