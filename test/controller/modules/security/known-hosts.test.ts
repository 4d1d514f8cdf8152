import t from 'tap';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHosts, parseKnownHosts, planKnownHosts, probeKnownHosts, type KnownHostsState } from '../../../../controller/modules/security/known-hosts.js';
import { argsFor, dash, fakeContext, framed, outcome } from '../system/fake.js';

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIFYagG7DRJbSFsyh4TSITR7K2rHhCmEVWUbqloDiA/Tr';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIOY3iXUGdu0LW+kCP8uDudLJ+lu6gZ6bDoDTUa2d/4zt';
const F = '/home/u/.ssh/known_hosts';
const WRITE = `set -e; f=${F}; t="$f.muster-tmp"\nif [ -e "$f" ]; then cp -p "$f" "$t"; else : > "$t"; chmod 0644 "$t"; fi\ncat > "$t"; mv -f "$t" "$f"`;
const MKDIR = `d=$(dirname ${F}); mkdir -p "$d" && chmod 0700 "$d"`;
const st = (content?: string, dir = true): KnownHostsState => ({ file: F, content, unreadable: false, dir });
const key = (host = 'git.lab', blob = K1) => `${host} ssh-ed25519 ${blob}`;

const table: [string, Record<string, unknown>, KnownHostsState, string | string[]][] = [
  ['new file', { name: 'git.lab', key: key() }, st(undefined, true), [WRITE]],
  ['new file, no .ssh', { name: 'git.lab', key: key() }, st(undefined, false), [MKDIR, WRITE]],
  ['key present', { name: 'git.lab', key: key() }, st(`${key()}\n`), `noop: git.lab has this key in ${F}`],
  ['name in another case', { name: 'Git.Lab', key: key() }, st(`${key()}\n`), `noop: git.lab has this key in ${F}`],
  ['key changed', { name: 'git.lab', key: key() }, st(`${key('git.lab', K2)}\n`), [WRITE]],
  ['absent, present', { name: 'git.lab', state: 'absent' }, st(`${key()}\n`), [WRITE]],
  ['absent, not there', { name: 'git.lab', state: 'absent' }, st('other ssh-rsa AAAA\n'), `noop: git.lab has no such key in ${F}`],
  ['absent, no file', { name: 'git.lab', state: 'absent' }, st(undefined), `noop: git.lab has no such key in ${F}`],
  ['present without key', { name: 'git.lab' }, st(''), 'fail: No key specified when adding a host'],
  [
    'key for another host',
    { name: 'git.lab', key: key('other.lab') },
    st(''),
    'fail: Host parameter git.lab does not match the host field "other.lab" of the supplied key',
  ],
  [
    'hashed key of another host',
    { name: 'git.lab', key: `|1|elmhJr9qYFB7cGEzo34HG3+Gxws=|9BaQG1jeh6Pzx4m1T2nhx6y150M= ssh-ed25519 ${K1}` },
    st(''),
    'fail: Host parameter git.lab does not match hashed host field in supplied key',
  ],
  [
    'a public key file line',
    { name: 'git.lab', key: `ssh-ed25519 ${K1} me@x` },
    st(''),
    'fail: invalid key specified: it must be a known_hosts line ("HOST KEYTYPE BASE64"), with the host in front',
  ],
  ['two lines', { name: 'git.lab', key: `${key()}\n${key()}` }, st(''), 'fail: key must be exactly one known_hosts line ("HOST KEYTYPE BASE64")'],
  [
    'unreadable',
    { name: 'git.lab', key: key() },
    { ...st(undefined), unreadable: true },
    `fail: cannot read ${F}: run the task with become: true, or as the file's owner`,
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planKnownHosts(argsFor(knownHosts, given), s)), want));
}

t.test('the write carries the new text, a diff and the data', async (t) => {
  const p = planKnownHosts(argsFor(knownHosts, { name: 'git.lab', key: key() }), st(`${key('git.lab', K2)}\n# keep\n`));
  if (p.kind !== 'change') return t.fail('expected a change');
  const step = p.steps[0];
  t.equal('exec' in step && step.stdin, `# keep\n${key()}\n`);
  t.same(p.diff, [{ path: F, before: `${key('git.lab', K2)}\n# keep\n`, after: `# keep\n${key()}\n` }]);
  t.same(p.data, { name: 'git.lab', key: key(), path: F, hash_host: false, state: 'present' });
});

t.test('validate rejects a key for another host at load time', async (t) => {
  t.equal(knownHosts.validate?.(argsFor(knownHosts, { name: 'a', key: key('b') })), 'Host parameter a does not match the host field "b" of the supplied key');
  t.equal(knownHosts.validate?.(argsFor(knownHosts, { name: 'git.lab', key: key() })), undefined);
});

t.test('parse: sections of the probe', async (t) => {
  t.same(parseKnownHosts(framed({ file: F, dir: 'yes\n', exists: 'yes\n', content: `${key()}\n` })), st(`${key()}\n`));
  t.same(parseKnownHosts(framed({ file: F, dir: '', exists: '', content: ['', 1] })), st(undefined, false));
  t.same(parseKnownHosts(framed({ file: F, dir: 'yes\n', exists: 'yes\n', content: ['', 1] })), { ...st(undefined), unreadable: true });
});

t.test('for real with dash: ~ resolves to $HOME, .ssh is made 0700, the second run is a no-op', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'muster-known-hosts-'));
  const local = { cwd: home, env: { HOME: home } };
  const probed = parseKnownHosts(dash(probeKnownHosts(argsFor(knownHosts, { name: 'x' })), local).stdout);
  t.same(probed, { file: join(home, '.ssh/known_hosts'), content: undefined, unreadable: false, dir: false });
  const args = argsFor(knownHosts, { name: '[10.0.0.5]:2222', key: key('[10.0.0.5]:2222'), hash_host: true });
  const r = await knownHosts.run(args, fakeContext({ local }));
  t.equal(r.changed, true, String(r.msg));
  t.equal(statSync(join(home, '.ssh')).mode & 0o777, 0o700);
  t.equal(statSync(join(home, '.ssh/known_hosts')).mode & 0o777, 0o644);
  const text = readFileSync(join(home, '.ssh/known_hosts'), 'utf8');
  t.match(text, /^\|1\|[^ ]+ ssh-ed25519 AAAA[^\n]+\n$/, 'hashed');
  const again = await knownHosts.run(args, fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
  writeFileSync(join(home, '.ssh/known_hosts'), `${text}${key('other.lab')}\n`);
  const gone = await knownHosts.run(argsFor(knownHosts, { name: '[10.0.0.5]:2222', state: 'absent' }), fakeContext({ local }));
  t.equal(gone.changed, true);
  t.equal(readFileSync(join(home, '.ssh/known_hosts'), 'utf8'), `${key('other.lab')}\n`);
  const check = await knownHosts.run(args, fakeContext({ local, check: true }));
  t.equal(check.changed, true, 'check mode reports the change');
  t.equal(readFileSync(join(home, '.ssh/known_hosts'), 'utf8'), `${key('other.lab')}\n`, 'and leaves the file alone');
});
