import t from 'tap';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { authorizedKey, parseKeys, planKeys, probeKeys, type KeyFileState } from '../../../../controller/modules/system/authorized-key.js';
import { argsFor, dash, fakeContext, outcome } from './fake.js';

const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc alice@laptop';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC bob@desk';
const alice = { name: 'alice', uid: 1000, gid: 1000, comment: '', home: '/home/alice', shell: '/bin/sh' };
const good = { mode: '600', uid: 1000, gid: 1000 };
const dir = { mode: '700', uid: 1000, gid: 1000 };
const state = (over: Partial<KeyFileState> = {}): KeyFileState => ({
  user: alice,
  file: '/home/alice/.ssh/authorized_keys',
  dir,
  stat: good,
  content: `${ED}\n`,
  unreadable: false,
  ...over,
});

const WRITE = [
  'set -e\nf=/home/alice/.ssh/authorized_keys; d=$(dirname "$f")\nmkdir -p "$d"\nt="$f.muster-tmp"; cat > "$t"; chown 1000:1000 "$t"; chmod 0600 "$t"; mv -f "$t" "$f"',
];

const table: [string, Record<string, unknown>, KeyFileState, string | string[] | RegExp][] = [
  ['present already -> noop', { user: 'alice', key: ED }, state(), 'noop: key present in /home/alice/.ssh/authorized_keys'],
  ['new key -> write', { user: 'alice', key: RSA }, state(), WRITE],
  [
    'no file, no dir -> dir fixed and file written',
    { user: 'alice', key: ED },
    state({ dir: undefined, stat: undefined, content: undefined }),
    [
      'set -e\nf=/home/alice/.ssh/authorized_keys; d=$(dirname "$f")\nmkdir -p "$d"\nchown 1000:1000 "$d"; chmod 0700 "$d"\nt="$f.muster-tmp"; cat > "$t"; chown 1000:1000 "$t"; chmod 0600 "$t"; mv -f "$t" "$f"',
    ],
  ],
  [
    'wrong file mode only -> chmod',
    { user: 'alice', key: ED },
    state({ stat: { ...good, mode: '644' } }),
    ['set -e\nf=/home/alice/.ssh/authorized_keys; d=$(dirname "$f")\nmkdir -p "$d"\nchown 1000:1000 "$f"; chmod 0600 "$f"'],
  ],
  [
    'manage_dir false ignores the dir mode',
    { user: 'alice', key: ED, manage_dir: false },
    state({ dir: { ...dir, mode: '755' } }),
    'noop: key present in /home/alice/.ssh/authorized_keys',
  ],
  ['absent -> write without the key', { user: 'alice', key: ED, state: 'absent' }, state(), WRITE],
  [
    'absent, no file -> noop',
    { user: 'alice', key: ED, state: 'absent' },
    state({ stat: undefined, content: undefined }),
    'noop: key absent from /home/alice/.ssh/authorized_keys',
  ],
  ['unknown user', { user: 'zed', key: ED }, state({ user: undefined }), 'fail: Failed to lookup user zed: no such user on the host'],
  ['unreadable file', { user: 'alice', key: ED }, state({ unreadable: true, content: undefined }), /^fail: cannot read .* become: true/],
  ['URL keys', { user: 'alice', key: 'https://github.com/alice.keys' }, state(), /^fail: keys given as a URL are not supported/],
  ['invalid key', { user: 'alice', key: 'ssh-rsa' }, state(), 'fail: invalid key specified: ssh-rsa'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => {
    const got = outcome(planKeys(argsFor(authorizedKey, given), s));
    if (want instanceof RegExp) t.match(got, want);
    else t.same(got, want);
  });
}

t.test('a change carries the new content on stdin and a diff', async (t) => {
  const p = planKeys(argsFor(authorizedKey, { user: 'alice', key: RSA }), state());
  t.equal(p.kind, 'change');
  if (p.kind !== 'change') return;
  const step = p.steps[0];
  t.equal('exec' in step && step.stdin, `${ED}\n${RSA}\n`);
  t.same(p.diff, [{ path: '/home/alice/.ssh/authorized_keys', before: `${ED}\n`, after: `${ED}\n${RSA}\n` }]);
  t.match(p.data, { user: 'alice', keyfile: '/home/alice/.ssh/authorized_keys', state: 'present', exclusive: false });
});

t.test('for real with dash: probe, write, then nothing to do', async (t) => {
  const me = userInfo().username;
  const root = mkdtempSync(join(tmpdir(), 'muster-keys-'));
  const file = join(root, 'ssh dir', 'authorized_keys');
  const args = argsFor(authorizedKey, { user: me, key: `${ED}\n${RSA}`, path: file });
  const ctx = () => fakeContext({ local: { cwd: root } });
  const first = await authorizedKey.run(args, ctx());
  t.equal(first.changed, true);
  t.equal(first.failed, undefined, String(first.msg));
  t.equal(readFileSync(file, 'utf8'), `${ED}\n${RSA}\n`);
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.equal(statSync(join(root, 'ssh dir')).mode & 0o777, 0o700);
  const again = await authorizedKey.run(args, ctx());
  t.equal(again.changed, false, 'idempotent');

  chmodSync(file, 0o644);
  const fixed = await authorizedKey.run(args, ctx());
  t.equal(fixed.changed, true, 'a wrong mode is a change');
  t.equal(statSync(file).mode & 0o777, 0o600);

  const removed = await authorizedKey.run({ ...args, key: RSA, state: 'absent' }, ctx());
  t.equal(removed.changed, true);
  t.equal(readFileSync(file, 'utf8'), `${ED}\n`);
});

t.test('the probe reports a missing file and a missing user', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'muster-keys-'));
  mkdirSync(join(root, 'd'));
  writeFileSync(join(root, 'd', 'k'), 'x');
  const me = userInfo().username;
  const s = parseKeys(dash(probeKeys({ user: me, path: join(root, 'nope', 'k') })).stdout);
  t.same([s.content, s.stat, s.dir, s.unreadable], [undefined, undefined, undefined, false]);
  const found = parseKeys(dash(probeKeys({ user: me, path: join(root, 'd', 'k') })).stdout);
  t.same([found.content, found.file], ['x', join(root, 'd', 'k')]);
  t.equal(parseKeys(dash(probeKeys({ user: 'no-such-user-xyz' })).stdout).user, undefined);
  const tilde = parseKeys(dash(probeKeys({ user: 'root', path: '~/.ssh/other' })).stdout);
  t.equal(tilde.file, '/root/.ssh/other', "~ is the target user's home");
});
