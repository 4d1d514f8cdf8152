/** `known_hosts`: a host's SSH key present in (or absent from) a known_hosts file, edited here in TypeScript. */
import { sh, type Script } from '../../command.js';
import { planned } from '../planned.js';
import { replaceFile } from '../system/replace.js';
import { section, sectionsOf } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step, Vars } from '../types.js';
import { editHostKeys, matchesHost, parseHostLine, type HostLine } from './known-hosts-file.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true, aliases: ['host'] },
  key: { type: 'str' },
  path: { type: 'path', default: '~/.ssh/known_hosts' },
  hash_host: { type: 'bool', default: false },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
};

/** What the probe found. */
export interface KnownHostsState {
  /** the file, `~` resolved on the host */
  file: string;
  /** undefined when the file does not exist */
  content?: string;
  /** the file exists but could not be read */
  unreadable: boolean;
  /** whether the file's directory exists */
  dir: boolean;
}

/** A path with a leading `~/` resolved against $HOME on the host. */
export function homePath(path: string): Script {
  if (path === '~') return sh`"$HOME"`;
  if (path.startsWith('~/')) return sh`"$HOME"/${path.slice(2)}`;
  return sh`${path}`;
}

/** The probe: the resolved path, whether its directory exists, and its text. */
export function probeKnownHosts(a: Args): Script {
  return sh`f=${homePath(String(a.path))}
${section('file', sh`printf '%s' "$f"`)}
${section('dir', sh`test -d "$(dirname "$f")" && echo yes`)}
${section('exists', sh`test -e "$f" && echo yes`)}
${section('content', sh`cat "$f" 2>/dev/null`)}`;
}

/** Pure: probe output -> state. */
export function parseKnownHosts(stdout: string): KnownHostsState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const exists = s.get('exists')?.text.trim() === 'yes';
  const content = s.get('content');
  const read = content !== undefined && content.rc === 0;
  return {
    file: s.get('file')?.text ?? '',
    content: exists && read ? content.text : undefined,
    unreadable: exists && !read,
    dir: s.get('dir')?.text.trim() === 'yes',
  };
}

/** The host as known_hosts writes it: `[host]:port` stays, a bare name is lowercased as ssh does. */
function hostName(a: Args): string {
  return String(a.name).trim().toLowerCase();
}

/** The key argument as a line, checked against the name; a message when it is not usable. */
export function checkKey(a: Args): HostLine | string | undefined {
  if (a.key === undefined || a.key === null || String(a.key).trim() === '') {
    return a.state === 'absent' ? undefined : 'No key specified when adding a host';
  }
  const lines = String(a.key)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length !== 1) return 'key must be exactly one known_hosts line ("HOST KEYTYPE BASE64")';
  const line = parseHostLine(lines[0]);
  if (!line) return 'invalid key specified: it must be a known_hosts line ("HOST KEYTYPE BASE64"), with the host in front';
  if (!matchesHost(line.hosts, hostName(a))) {
    return line.hosts.startsWith('|1|')
      ? `Host parameter ${String(a.name)} does not match hashed host field in supplied key`
      : `Host parameter ${String(a.name)} does not match the host field "${line.hosts}" of the supplied key`;
  }
  return line;
}

/** Pure: what to do. */
export function planKnownHosts(a: Args, s: KnownHostsState, salt?: Buffer): Plan {
  const key = checkKey(a);
  if (typeof key === 'string') return { kind: 'fail', msg: key };
  if (s.unreadable) return { kind: 'fail', msg: `cannot read ${s.file}: run the task with become: true, or as the file's owner` };
  const name = hostName(a);
  const state = a.state === 'absent' ? 'absent' : 'present';
  const before = s.content ?? '';
  const after = editHostKeys(before, { name, key, state, hashHost: a.hash_host === true, salt });
  const data: Vars = { name: String(a.name), key: a.key ?? null, path: s.file, hash_host: a.hash_host === true, state };
  if (after === before) {
    return { kind: 'noop', reason: state === 'present' ? `${name} has this key in ${s.file}` : `${name} has no such key in ${s.file}`, data };
  }
  if (s.content === undefined && after === '') return { kind: 'noop', reason: `${s.file} does not exist`, data };
  const steps: Step[] = [];
  // ssh creates ~/.ssh itself as 0700: the same here when the directory is missing.
  if (!s.dir) steps.push({ exec: sh`d=$(dirname ${s.file}); mkdir -p "$d" && chmod 0700 "$d"` });
  steps.push({ exec: replaceFile(s.file, '0644'), stdin: after });
  return { kind: 'change', steps, diff: [{ path: s.file, before, after }], data };
}

const knownHostsPlanned: PlannedModule<KnownHostsState> = {
  name: 'known_hosts',
  args,
  checkMode: true,
  validate: (a) => {
    const k = checkKey(a);
    return typeof k === 'string' ? k : undefined;
  },
  probe: probeKnownHosts,
  parse: (out) => parseKnownHosts(out.stdout),
  plan: (a, s) => planKnownHosts(a, s),
};

/** The `known_hosts` module. */
export const knownHosts = planned(knownHostsPlanned);
