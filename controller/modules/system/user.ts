/** `user`: a local account exists with the given properties (or not), through getent/useradd/usermod/userdel. */
import { sh, Secret, type Script } from '../../command.js';
import { planned } from '../planned.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Vars } from '../types.js';
import { generateKey, keyPath } from './user-ssh-key.js';
import { missingToolsMsg, parseGroup, parsePasswd, type GroupEntry, type PasswdEntry } from './accounts.js';
import { cmd, missingTools, plainText, section, sectionsOf, withSbin, words, type Word } from './probe.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true, aliases: ['user'] },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  uid: { type: 'int' },
  group: { type: 'str' },
  groups: { type: 'list', elements: 'str' },
  append: { type: 'bool', default: false },
  shell: { type: 'str' },
  home: { type: 'path' },
  system: { type: 'bool', default: false },
  create_home: { type: 'bool', default: true, aliases: ['createhome'] },
  move_home: { type: 'bool', default: false },
  comment: { type: 'str' },
  password: { type: 'str', secret: true },
  // true locks the password (usermod -L, or a "!" before a new hash), false unlocks it; unset leaves it
  password_lock: { type: 'bool' },
  // days between password changes, set with chage when the shadow entry says otherwise
  password_expire_min: { type: 'int' },
  password_expire_max: { type: 'int' },
  // Ansible 2.16's, days of warning before expiry
  password_expire_warn: { type: 'int' },
  update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always' },
  non_unique: { type: 'bool', default: false },
  remove: { type: 'bool', default: false },
  force: { type: 'bool', default: false },
  generate_ssh_key: { type: 'bool', default: false },
  ssh_key_type: { type: 'str', default: 'rsa' },
  ssh_key_bits: { type: 'int', default: 0 },
  ssh_key_file: { type: 'path' },
  ssh_key_comment: { type: 'str' },
  ssh_key_passphrase: { type: 'str', secret: true },
};

/** A shadow entry's password ages in days, -1 when empty (NaN: unknown, for a new account). */
export interface Ageing {
  min: number;
  max: number;
  warn: number;
}

/** What the probe found about the account. */
export interface UserState {
  /** shadow tools not on the host */
  missing: string[];
  user?: PasswdEntry;
  /** name of the user's primary group */
  primary?: string;
  /** supplementary groups (primary excluded) */
  groups: string[];
  /** each group the arguments name (by name or gid) -> its entry, undefined when it does not exist */
  lookup: Map<string, GroupEntry | undefined>;
  /** whether the stored hash equals `password`, leading "!"s aside (undefined: not asked, or unreadable) */
  passwordSame?: boolean;
  /** whether the stored hash starts with "!" (undefined: not asked, or unreadable) */
  locked?: boolean;
  /** the shadow entry's minimum and maximum password age in days, -1 when empty (undefined: not asked, or unreadable) */
  ageing?: Ageing;
  /** whether the SSH key file exists (only probed with generate_ssh_key) */
  sshKey?: boolean;
}

/** Groups the arguments refer to: `group`, each of `groups`, and the user's own name (for useradd -N). */
function namedGroups(a: Args): string[] {
  const list = [String(a.name), ...(typeof a.group === 'string' ? [a.group] : []), ...groupsArg(a)];
  return [...new Set(list)];
}

function groupsArg(a: Args): string[] {
  return Array.isArray(a.groups) ? a.groups.map((g) => String(g).trim()).filter((g) => g !== '') : [];
}

/** The probe: tools, the passwd entry, group memberships, the groups named, and a hash comparison made on the host. */
export function probeUser(a: Args): Script {
  const name = String(a.name);
  const password = plainText(a.password);
  const parts = [
    section('tools', missingTools(['getent', 'useradd', 'usermod', 'userdel'])),
    section('passwd', sh`getent passwd ${name}`),
    section('primary', sh`gid=$(getent passwd ${name} | cut -d: -f4); [ -z "$gid" ] || getent group "$gid"`),
    section('groups', sh`id -Gn ${name} 2>/dev/null`),
    section('lookup', sh`for g in ${namedGroups(a)}; do printf '%s\\t' "$g"; getent group "$g" || echo; done`),
  ];
  if (a.generate_ssh_key === true)
    parts.push(
      section(
        'sshkey',
        sh`${keyPath(a)}
[ ! -e "$f" ] || echo present`,
      ),
    );
  if (password !== undefined) {
    // Compared on the host so that no hash ever travels back in the output; a lock's "!"s are no difference
    // (a password of "!" alone, a locked account, is the same as an entry of "!": unknown only without one).
    const cmp = sh`h=$(getent shadow ${name} 2>/dev/null | cut -d: -f2)
while [ "\${h#!}" != "$h" ]; do h=\${h#!}; done
if ! getent shadow ${name} >/dev/null 2>&1; then echo unknown; elif [ "$h" = ${new Secret(password.replace(/^!+/, ''))} ]; then echo same; else echo differs; fi`;
    parts.push(section('password', cmp));
  }
  if (ageingAsked(a)) parts.push(section('ageing', sh`getent shadow ${name} 2>/dev/null | cut -d: -f4,5,6`));
  if (typeof a.password_lock === 'boolean') {
    const lock = sh`h=$(getent shadow ${name} 2>/dev/null | cut -d: -f2)
case "$h" in '') echo unknown;; '!'*) echo locked;; *) echo unlocked;; esac`;
    parts.push(section('lock', lock));
  }
  return withSbin(...parts);
}

/** Pure: probe output -> state. */
export function parseUser(stdout: string): UserState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  const user = parsePasswd(s.get('passwd')?.text ?? '');
  const primary = parseGroup(s.get('primary')?.text ?? '')?.name;
  const lookup = new Map<string, GroupEntry | undefined>();
  for (const line of (s.get('lookup')?.text ?? '').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) lookup.set(line.slice(0, tab), parseGroup(line.slice(tab + 1)));
  }
  const pw = s.get('password')?.text.trim();
  const lock = s.get('lock')?.text.trim();
  const ageing = /^(-?\d*):(-?\d*):(-?\d*)$/.exec(s.get('ageing')?.text.trim() ?? '');
  const age = (v: string) => (v === '' ? -1 : Number(v));
  return {
    missing: words(s.get('tools')),
    user,
    primary,
    groups: user ? words(s.get('groups')).filter((g) => g !== primary) : [],
    lookup,
    passwordSame: pw === 'same' ? true : pw === 'differs' ? false : undefined,
    locked: lock === 'locked' ? true : lock === 'unlocked' ? false : undefined,
    ageing: ageing ? { min: age(ageing[1]), max: age(ageing[2]), warn: age(ageing[3]) } : undefined,
    sshKey: s.has('sshkey') ? s.get('sshkey')?.text.trim() === 'present' : undefined,
  };
}

/** Pure: what to do about the account. */
export function planUser(a: Args, s: UserState): Plan {
  const name = String(a.name);
  const need = (tool: string): Plan | undefined =>
    s.missing.includes(tool) || s.missing.includes('getent') ? { kind: 'fail', msg: missingToolsMsg([tool]) } : undefined;
  if (a.state === 'absent') {
    const data = { name, state: 'absent', force: a.force, remove: a.remove };
    if (!s.user) return need('getent') ?? { kind: 'noop', reason: `user ${name} is absent`, data };
    return need('userdel') ?? { kind: 'change', steps: [{ exec: withSbin(cmd('userdel', a.force === true && '-f', a.remove === true && '-r', name)) }], data };
  }
  const missingGroup = [...(typeof a.group === 'string' ? [a.group] : []), ...groupsArg(a)].find((g) => !s.lookup.get(g));
  if (missingGroup !== undefined) return need('getent') ?? { kind: 'fail', msg: `Group ${missingGroup} does not exist` };
  const key = a.generate_ssh_key === true && s.sshKey !== true ? [{ exec: withSbin(generateKey(a)) }] : [];
  if (!s.user) {
    // a new account's ageing comes from login.defs: set what is asked for
    const age = chageFlags(a, { min: Number.NaN, max: Number.NaN, warn: Number.NaN });
    const chage = age.length ? [{ exec: withSbin(cmd('chage', ...age, name)) }] : [];
    return (
      need('useradd') ?? { kind: 'change', steps: [{ exec: withSbin(cmd('useradd', ...useraddFlags(a, s), name)) }, ...chage, ...key], data: result(a, s) }
    );
  }
  const flags = usermodFlags(a, s, s.user);
  // an unreadable shadow entry changes nothing, as in Ansible
  const age = s.ageing ? chageFlags(a, s.ageing) : [];
  if (!flags.length && !key.length && !age.length) return { kind: 'noop', reason: `user ${name} is in the desired state`, data: result(a, s) };
  const usermod = flags.length ? [{ exec: withSbin(cmd('usermod', ...flags, name)) }] : [];
  const chage = age.length ? [{ exec: withSbin(cmd('chage', ...age, name)) }] : [];
  return (flags.length ? need('usermod') : undefined) ?? { kind: 'change', steps: [...usermod, ...chage, ...key], data: result(a, s) };
}

function ageingAsked(a: Args): boolean {
  return typeof a.password_expire_min === 'number' || typeof a.password_expire_max === 'number' || typeof a.password_expire_warn === 'number';
}

/** chage's -m/-M/-W for the ages that differ from the shadow entry's. */
function chageFlags(a: Args, have: Ageing): Word[] {
  const out: Word[] = [];
  if (typeof a.password_expire_min === 'number' && a.password_expire_min !== have.min) out.push('-m', a.password_expire_min);
  if (typeof a.password_expire_max === 'number' && a.password_expire_max !== have.max) out.push('-M', a.password_expire_max);
  if (typeof a.password_expire_warn === 'number' && a.password_expire_warn !== have.warn) out.push('-W', a.password_expire_warn);
  return out;
}

// the hash to set: behind a "!" when password_lock asks for a locked account
function secretOf(a: Args): Secret | undefined {
  const p = plainText(a.password);
  if (p === undefined) return undefined;
  return new Secret(a.password_lock === true ? `!${p}` : p);
}

function useraddFlags(a: Args, s: UserState): Word[] {
  const groups = groupsArg(a).map((g) => s.lookup.get(g)?.name ?? g);
  const password = secretOf(a);
  return [
    typeof a.uid === 'number' && ['-u', a.uid, a.non_unique === true && '-o'],
    // A group named like the user already exists: -N stops useradd from trying to create it again.
    typeof a.group === 'string' ? ['-g', a.group] : s.lookup.get(String(a.name)) ? '-N' : false,
    groups.length > 0 && ['-G', groups.join(',')],
    typeof a.comment === 'string' && ['-c', a.comment],
    typeof a.home === 'string' && ['-d', a.home],
    typeof a.shell === 'string' && ['-s', a.shell],
    password !== undefined && ['-p', password],
    a.create_home === false ? '-M' : '-m',
    a.system === true && '-r',
  ];
}

function usermodFlags(a: Args, s: UserState, u: PasswdEntry): Word[] {
  const flags: Word[] = [];
  if (typeof a.uid === 'number' && a.uid !== u.uid) flags.push('-u', a.uid, a.non_unique === true && '-o');
  if (typeof a.group === 'string' && s.lookup.get(a.group)?.gid !== u.gid) flags.push('-g', a.group);
  const groups = groupFlags(a, s);
  if (groups) flags.push(...groups);
  if (typeof a.comment === 'string' && a.comment !== u.comment) flags.push('-c', a.comment);
  if (typeof a.home === 'string' && a.home !== u.home) flags.push('-d', a.home, a.move_home === true && '-m');
  if (typeof a.shell === 'string' && a.shell !== u.shell) flags.push('-s', a.shell);
  const password = secretOf(a);
  if (password !== undefined && a.update_password === 'always' && s.passwordSame !== true) flags.push('-p', password);
  // -p already carries the lock; usermod refuses -L/-U with it. An unreadable shadow entry changes nothing.
  else if (a.password_lock === true && s.locked === false) flags.push('-L');
  else if (a.password_lock === false && s.locked === true) flags.push('-U');
  return flags.filter((f) => f !== false);
}

/** -G (with -a when appending) when the supplementary groups must change; undefined when they are right. */
function groupFlags(a: Args, s: UserState): Word[] | undefined {
  if (!Array.isArray(a.groups)) return undefined;
  const want = groupsArg(a).map((g) => s.lookup.get(g)?.name ?? g);
  // The primary group is no supplementary membership: listing it must not make every run a change.
  const compared = new Set(want.filter((g) => g !== s.primary));
  const have = new Set(s.groups);
  if (a.append === true) {
    return [...compared].some((g) => !have.has(g)) ? ['-a', '-G', want.join(',')] : undefined;
  }
  const same = compared.size === have.size && [...compared].every((g) => have.has(g));
  return same ? undefined : ['-G', want.join(',')];
}

/** Ansible's return values for a present user: what is known after the change. */
function result(a: Args, s: UserState): Vars {
  const u = s.user;
  const out: Vars = {
    name: String(a.name),
    state: 'present',
    append: a.append,
    system: a.system,
    create_home: a.create_home,
    uid: typeof a.uid === 'number' ? a.uid : u?.uid,
    group: typeof a.group === 'string' ? s.lookup.get(a.group)?.gid : u?.gid,
    comment: typeof a.comment === 'string' ? a.comment : u?.comment,
    home: typeof a.home === 'string' ? a.home : u?.home,
    shell: typeof a.shell === 'string' ? a.shell : u?.shell,
  };
  if (Array.isArray(a.groups)) out.groups = groupsArg(a).join(',');
  if (a.password !== undefined) out.password = 'NOT_LOGGING_PASSWORD';
  return out;
}

const userPlanned: PlannedModule<UserState> = {
  name: 'user',
  args,
  checkMode: true,
  probe: probeUser,
  parse: (out) => parseUser(out.stdout),
  plan: planUser,
};

/** The `user` module. */
export const user = planned(userPlanned);
