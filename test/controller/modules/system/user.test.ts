import t from 'tap';
import { Secret } from '../../../../controller/command.js';
import { parseUser, planUser, probeUser, user, type UserState } from '../../../../controller/modules/system/user.js';
import { argsFor, dash, framed, outcome } from './fake.js';

const alice = { name: 'alice', uid: 1000, gid: 1000, comment: 'Alice', home: '/home/alice', shell: '/bin/sh' };
const g = (name: string, gid: number) => ({ name, gid, members: [] });
const lookup = (...entries: [string, ReturnType<typeof g> | undefined][]) => new Map(entries);
const exists = (over: Partial<UserState> = {}): UserState => ({
  missing: [],
  user: alice,
  primary: 'alice',
  groups: ['sudo'],
  lookup: lookup(['alice', g('alice', 1000)], ['sudo', g('sudo', 27)], ['docker', g('docker', 998)], ['users', g('users', 100)]),
  ...over,
});
const fresh = (over: Partial<UserState> = {}): UserState => ({ ...exists(over), user: undefined, primary: undefined, groups: [], ...over });

const table: [string, Record<string, unknown>, UserState, string | string[] | RegExp][] = [
  ['new user, defaults', { name: 'bob' }, fresh({ lookup: lookup(['bob', undefined]) }), ['useradd -m bob']],
  [
    'new user, everything',
    {
      name: 'bob',
      uid: 1500,
      group: 'users',
      groups: ['sudo', 'docker'],
      comment: 'Bob B',
      home: '/srv/bob',
      shell: '/bin/bash',
      system: true,
      password: new Secret('$6$x'),
    },
    fresh({ lookup: lookup(['bob', undefined], ['users', g('users', 100)], ['sudo', g('sudo', 27)], ['docker', g('docker', 998)]) }),
    [`useradd -u 1500 -g users -G sudo,docker -c 'Bob B' -d /srv/bob -s /bin/bash -p *** -m -r bob`],
  ],
  ['new user whose group exists -> -N', { name: 'alice' }, fresh(), ['useradd -N -m alice']],
  ['no home', { name: 'bob', create_home: false }, fresh({ lookup: lookup(['bob', undefined]) }), ['useradd -M bob']],
  ['unknown group', { name: 'bob', groups: ['nope'] }, fresh({ lookup: lookup(['bob', undefined], ['nope', undefined]) }), 'fail: Group nope does not exist'],
  ['in the desired state', { name: 'alice', shell: '/bin/sh', groups: ['sudo'] }, exists(), 'noop: user alice is in the desired state'],
  ['different shell -> usermod -s only', { name: 'alice', shell: '/bin/bash', comment: 'Alice' }, exists(), ['usermod -s /bin/bash alice']],
  ['groups append: missing one', { name: 'alice', groups: ['docker'], append: true }, exists(), ['usermod -a -G docker alice']],
  ['groups append: already member', { name: 'alice', groups: ['sudo'], append: true }, exists(), 'noop: user alice is in the desired state'],
  ['groups replace', { name: 'alice', groups: ['docker'] }, exists(), ['usermod -G docker alice']],
  ['groups emptied', { name: 'alice', groups: [] }, exists(), [`usermod -G '' alice`]],
  ['primary group listed does not churn', { name: 'alice', groups: ['alice', 'sudo'] }, exists(), 'noop: user alice is in the desired state'],
  ['uid and home moved', { name: 'alice', uid: 1001, home: '/srv/alice', move_home: true }, exists(), ['usermod -u 1001 -d /srv/alice -m alice']],
  ['primary group', { name: 'alice', group: 'users' }, exists(), ['usermod -g users alice']],
  ['password differs', { name: 'alice', password: new Secret('$6$new') }, exists({ passwordSame: false }), ['usermod -p *** alice']],
  ['password same', { name: 'alice', password: new Secret('$6$same') }, exists({ passwordSame: true }), 'noop: user alice is in the desired state'],
  [
    'password on_create',
    { name: 'alice', password: new Secret('$6$new'), update_password: 'on_create' },
    exists({ passwordSame: false }),
    'noop: user alice is in the desired state',
  ],
  ['password_lock locks an unlocked one', { name: 'alice', password_lock: true }, exists({ locked: false }), ['usermod -L alice']],
  ['password_lock: already locked', { name: 'alice', password_lock: true }, exists({ locked: true }), 'noop: user alice is in the desired state'],
  ['password_lock: false unlocks a locked one', { name: 'alice', password_lock: false }, exists({ locked: true }), ['usermod -U alice']],
  ['password_lock: false, already unlocked', { name: 'alice', password_lock: false }, exists({ locked: false }), 'noop: user alice is in the desired state'],
  ['password_lock, shadow unreadable', { name: 'alice', password_lock: true }, exists({ locked: undefined }), 'noop: user alice is in the desired state'],
  ['no password_lock leaves a lock alone', { name: 'alice' }, exists({ locked: true }), 'noop: user alice is in the desired state'],
  // a new hash carries the lock itself: -p without -L
  [
    'password_lock with a new password',
    { name: 'alice', password_lock: true, password: new Secret('$6$new') },
    exists({ passwordSame: false, locked: false }),
    ['usermod -p *** alice'],
  ],
  [
    'password_lock with the same password',
    { name: 'alice', password_lock: true, password: new Secret('$6$same') },
    exists({ passwordSame: true, locked: false }),
    ['usermod -L alice'],
  ],
  [
    'password ageing differs',
    { name: 'alice', password_expire_min: 1, password_expire_max: 90 },
    exists({ ageing: { min: 0, max: 99999, warn: 7 } }),
    ['chage -m 1 -M 90 alice'],
  ],
  [
    'password ageing: only max differs',
    { name: 'alice', password_expire_min: 0, password_expire_max: 90 },
    exists({ ageing: { min: 0, max: 99999, warn: 7 } }),
    ['chage -M 90 alice'],
  ],
  [
    'password ageing as asked',
    { name: 'alice', password_expire_min: 1, password_expire_max: 90 },
    exists({ ageing: { min: 1, max: 90, warn: 7 } }),
    'noop: user alice is in the desired state',
  ],
  ['password warning days differ', { name: 'alice', password_expire_warn: 14 }, exists({ ageing: { min: 0, max: 99999, warn: 7 } }), ['chage -W 14 alice']],
  [
    'password warning days as asked',
    { name: 'alice', password_expire_warn: 7 },
    exists({ ageing: { min: 0, max: 99999, warn: 7 } }),
    'noop: user alice is in the desired state',
  ],
  ['password ageing, shadow unreadable', { name: 'alice', password_expire_max: 90 }, exists(), 'noop: user alice is in the desired state'],
  [
    'password ageing with usermod',
    { name: 'alice', shell: '/bin/bash', password_expire_max: 90 },
    exists({ ageing: { min: -1, max: -1, warn: -1 } }),
    ['usermod -s /bin/bash alice', 'chage -M 90 alice'],
  ],
  [
    'new user with password ageing',
    { name: 'bob', password_expire_min: 7 },
    fresh({ lookup: lookup(['bob', undefined]) }),
    ['useradd -m bob', 'chage -m 7 bob'],
  ],
  ['absent', { name: 'alice', state: 'absent', remove: true }, exists(), ['userdel -r alice']],
  ['absent forced', { name: 'alice', state: 'absent', force: true }, exists(), ['userdel -f alice']],
  ['absent already', { name: 'bob', state: 'absent' }, fresh(), 'noop: user bob is absent'],
  ['no useradd', { name: 'bob' }, fresh({ missing: ['useradd'], lookup: lookup(['bob', undefined]) }), /^fail: useradd not found on the host/],
  ['no getent', { name: 'bob', state: 'absent' }, fresh({ missing: ['getent'] }), /^fail: getent not found/],
];

for (const [title, given, state, want] of table) {
  t.test(title, async (t) => {
    const got = outcome(planUser(argsFor(user, given), state));
    if (want instanceof RegExp) t.match(got, want);
    else t.same(got, want);
  });
}

t.test('results carry Ansible values and never the password', async (t) => {
  const p = planUser(argsFor(user, { name: 'alice', shell: '/bin/bash', password: new Secret('$6$x') }), exists({ passwordSame: false }));
  t.equal(p.kind, 'change');
  t.match(p.data, { name: 'alice', uid: 1000, group: 1000, shell: '/bin/bash', home: '/home/alice', password: 'NOT_LOGGING_PASSWORD' });
  t.notMatch(JSON.stringify(p.data), /\$6\$x/);
});

t.test('parseUser', async (t) => {
  const s = parseUser(
    framed({
      tools: 'userdel\n',
      passwd: 'alice:x:1000:1000:Alice:/home/alice:/bin/sh\n',
      primary: 'alice:x:1000:\n',
      groups: 'alice sudo docker\n',
      lookup: 'alice\talice:x:1000:\ndocker\tdocker:x:998:alice\nnope\t\n',
      password: 'same\n',
    }),
  );
  t.same(s.missing, ['userdel']);
  t.same(s.groups, ['sudo', 'docker'], 'primary group left out');
  t.equal(s.lookup.get('docker')?.gid, 998);
  t.ok(s.lookup.has('nope') && s.lookup.get('nope') === undefined, 'a missing group is known to be missing');
  t.equal(s.passwordSame, true);
  t.equal(parseUser(framed({ password: 'unknown\n' })).passwordSame, undefined);
});

t.test('the probe is valid POSIX sh, reads this machine, and never prints a hash', async (t) => {
  const root = parseUser(dash(probeUser({ name: 'root', groups: ['root'], password: new Secret('$6$nothing') })).stdout);
  t.equal(root.user?.uid, 0);
  t.equal(root.primary, 'root');
  t.equal(root.lookup.get('root')?.gid, 0);
  t.not(root.passwordSame, true);
  const r = dash(probeUser({ name: 'root', password: new Secret('$6$nothing') }));
  t.notMatch(r.stdout, /\$6\$nothing/);
  t.match(probeUser({ name: 'root', password: new Secret('$6$nothing') }).shown, /\*\*\*/);
  const none = parseUser(dash(probeUser({ name: 'no-such-user-xyz' })).stdout);
  t.equal(none.user, undefined);
  t.same(none.groups, []);
});

t.test('password_lock: the hash set goes behind a "!", and the lock state is read', async (t) => {
  const text = (a: Record<string, unknown>, st: UserState) => {
    const p = planUser(argsFor(user, a), st);
    return p.kind === 'change' ? p.steps.map((s) => ('exec' in s && s.exec ? s.exec.text : '')).join('\n') : '';
  };
  t.match(text({ name: 'alice', password_lock: true, password: new Secret('$6$new') }, exists({ passwordSame: false })), "-p '!$6$new' alice");
  t.match(text({ name: 'bob', password_lock: true, password: new Secret('$6$new') }, fresh({ lookup: lookup(['bob', undefined]) })), "-p '!$6$new'");
  t.match(text({ name: 'alice', password_lock: false, password: new Secret('$6$new') }, exists({ passwordSame: false })), "-p '$6$new' alice");
  t.equal(parseUser(framed({ lock: 'locked\n' })).locked, true);
  t.equal(parseUser(framed({ lock: 'unlocked\n' })).locked, false);
  t.equal(parseUser(framed({ lock: 'unknown\n' })).locked, undefined);
  t.equal(parseUser(framed({})).locked, undefined);
  t.same(parseUser(framed({ ageing: '1:90:7\n' })).ageing, { min: 1, max: 90, warn: 7 });
  t.same(parseUser(framed({ ageing: '::\n' })).ageing, { min: -1, max: -1, warn: -1 }, 'empty fields are -1, as spwd gives them');
  t.equal(parseUser(framed({ ageing: '\n' })).ageing, undefined, 'unreadable');
  const aged = parseUser(dash(probeUser({ name: 'root', password_expire_max: 5 })).stdout);
  if (process.getuid?.() === 0) t.type(aged.ageing?.max, 'number', "root reads root's ageing");
  t.notMatch(probeUser({ name: 'alice' }).text, 'locked', 'not asked without password_lock');
  const probed = parseUser(dash(probeUser({ name: 'root', password_lock: true, password: new Secret('!!$6$nothing') })).stdout);
  t.not(probed.passwordSame, true);
  if (process.getuid?.() === 0) t.type(probed.locked, 'boolean', 'root reads the shadow entry');
});

t.test('generate_ssh_key: a key only where none exists, never replaced', async (t) => {
  const key = { generate_ssh_key: true };
  const made = outcome(planUser(argsFor(user, { name: 'bob', ...key }), fresh({ lookup: lookup(['bob', undefined]) })));
  t.equal(made.length, 2, 'useradd, then the key');
  t.match(made[1], /ssh-keygen -q -t rsa {2}-C "ansible-generated on \$\(hostname\)" -N \*\*\* -f "\$f"/);
  t.match(made[1], /home=\/home\/bob/);
  t.same(outcome(planUser(argsFor(user, { name: 'alice', ...key }), exists({ sshKey: true }))), 'noop: user alice is in the desired state');
  const only = outcome(planUser(argsFor(user, { name: 'alice', ...key, ssh_key_type: 'ed25519', ssh_key_bits: 256 }), exists({ sshKey: false })));
  t.equal(only.length, 1, 'no usermod when the account is right');
  t.match(only[0], /id_ed25519/);
  t.match(only[0], /-t ed25519 -b 256/);
  t.same(outcome(planUser(argsFor(user, { name: 'alice' }), exists({ sshKey: false }))), 'noop: user alice is in the desired state', 'not asked for');
  t.equal(parseUser(framed({ sshkey: 'present\n' })).sshKey, true);
  t.equal(parseUser(framed({ sshkey: '' })).sshKey, false);
  t.equal(parseUser(framed({})).sshKey, undefined);
});

t.test('generate_ssh_key on this machine: made once, with its passphrase kept out of the shown text', async (t) => {
  const { mkdtempSync, statSync, existsSync, readFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'muster-user-key-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sub', 'k');
  const a = argsFor(user, {
    name: 'root',
    generate_ssh_key: true,
    ssh_key_type: 'ed25519',
    ssh_key_file: file,
    ssh_key_comment: 'c1',
    ssh_key_passphrase: new Secret('pw'),
  });
  t.equal(parseUser(dash(probeUser(a)).stdout).sshKey, false);
  const plan = planUser(a, exists({ user: { ...alice, name: 'root', uid: 0, gid: 0, home: '/root' }, primary: 'root', groups: [], sshKey: false }));
  t.equal(plan.kind, 'change');
  if (plan.kind !== 'change') return;
  const step = plan.steps[0];
  if (!('exec' in step)) return t.fail('an exec step');
  t.notMatch(step.exec.shown, /\bpw\b/);
  t.equal(dash(step.exec).rc, 0);
  t.ok(existsSync(file) && existsSync(`${file}.pub`));
  t.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
  t.match(readFileSync(`${file}.pub`, 'utf8'), /^ssh-ed25519 \S+ c1\n$/);
  const before = readFileSync(file, 'utf8');
  t.equal(parseUser(dash(probeUser(a)).stdout).sshKey, true);
  t.equal(dash(step.exec).rc, 0);
  t.equal(readFileSync(file, 'utf8'), before, 'an existing key is kept');
});

t.test('the password comparison on the host: a lock alone is the same as "!", no entry is unknown', async (t) => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const bin = mkdtempSync(join(tmpdir(), 'muster-getent-'));
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  // a getent that knows one shadow entry, with the hash given in $HASH (none when $HASH is unset)
  writeFileSync(join(bin, 'getent'), '#!/bin/sh\n[ "$1" = shadow ] && [ "${HASH+set}" = set ] || exit 2\necho "alice:$HASH:19000:0:99999:7:::"\n', {
    mode: 0o755,
  });
  const same = (password: string, env: Record<string, string>) =>
    parseUser(dash(probeUser({ name: 'alice', password: new Secret(password) }), { env: { PATH: `${bin}:${process.env.PATH}`, ...env } }).stdout).passwordSame;
  t.equal(same('!', { HASH: '!' }), true, 'a locked account without a password, wanted so: the same (second run changes nothing)');
  t.equal(same('!', { HASH: '!!' }), true, 'any number of "!"s');
  t.equal(same('$6$a', { HASH: '!' }), false, 'a password wanted where there is none: differs');
  t.equal(same('!', { HASH: '$6$a' }), false, 'a lock alone wanted where there is a password: differs');
  t.equal(same('$6$a', { HASH: '!$6$a' }), true, 'the lock in front of the same hash: the same');
  t.equal(same('$6$a', {}), undefined, 'no shadow entry to read: unknown');
});
