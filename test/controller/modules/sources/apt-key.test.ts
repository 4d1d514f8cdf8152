import t from 'tap';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptKey, parseKeyring, parseStaged, planKnown, planStaged, type KeyringState } from '../../../../controller/modules/sources/apt-key.js';
import { hkpUrl, normalId, parseColons } from '../../../../controller/modules/sources/gpg.js';
import { argsFor, fakeContext, framed, outcome } from '../system/fake.js';

const FPR = 'D6999E18EA70126DD171918F45AA45CFB3499428';
const SUB = '1111111111111111111111111111111111111111';
const COLONS = `pub:-:255:22:45AA45CFB3499428:1796300842:::-:::scSC:::::ed25519:::0:\nfpr:::::::::${FPR}:\nuid:-::::1796300842::X::T <t@x>::::::::::0:\nsub:-:255:18:1111111111111111:1796300842::::::e:::::cv25519::\nfpr:::::::::${SUB}:\n`;
const ks = (files: Record<string, string[]>): KeyringState => ({
  files: new Map(Object.entries(files).map(([f, fprs]) => [f, fprs.map((fpr) => ({ fpr, subs: [] }))])),
  missing: [],
});

t.test('gpg colons, ids and key servers', async (t) => {
  t.same(parseColons(COLONS), [{ fpr: FPR, subs: [SUB] }]);
  t.equal(normalId('0x45aa45cfb3499428'), '45AA45CFB3499428');
  t.equal(normalId('D699 9E18 EA70 126D D171  918F 45AA 45CF B349 9428'), FPR);
  t.equal(normalId('xyz'), undefined);
  t.equal(normalId('1234567'), undefined, 'seven digits are too few');
  t.equal(hkpUrl('keyserver.ubuntu.com', 'AB12CD34'), 'http://keyserver.ubuntu.com:11371/pks/lookup?op=get&options=mr&search=0xAB12CD34');
  t.equal(hkpUrl('hkps://keys.openpgp.org', 'AB12CD34'), 'https://keys.openpgp.org/pks/lookup?op=get&options=mr&search=0xAB12CD34');
  t.equal(hkpUrl('hkp://127.0.0.1:8080/', 'AB12CD34'), 'http://127.0.0.1:8080/pks/lookup?op=get&options=mr&search=0xAB12CD34');
});

const first: [string, Record<string, unknown>, KeyringState, string | string[] | 'stage'][] = [
  [
    'id already there -> noop',
    { id: '0xb3499428', url: 'https://x/key' },
    ks({ '/etc/apt/trusted.gpg.d/a.gpg': [FPR] }),
    'noop: key B3499428 is already in /etc/apt/trusted.gpg.d/a.gpg',
  ],
  ['id missing -> stage', { id: '45AA45CF', url: 'https://x/key' }, ks({}), 'stage'],
  ['no id -> stage', { data: 'KEY' }, ks({ '/etc/apt/trusted.gpg.d/a.gpg': [FPR] }), 'stage'],
  ['id only, missing', { id: '45AA45CF' }, ks({}), 'fail: key 45AA45CF is not installed: give url, data, file or keyserver to install it'],
  ['absent, own file', { id: FPR, state: 'absent' }, ks({ '/etc/apt/trusted.gpg.d/a.gpg': [FPR] }), ['rm -f /etc/apt/trusted.gpg.d/a.gpg']],
  ['absent, not there', { id: FPR, state: 'absent' }, ks({ '/etc/apt/trusted.gpg.d/a.gpg': [SUB] }), `noop: key ${FPR} is in no keyring`],
  ['absent without id', { state: 'absent' }, ks({}), 'fail: id is required to remove a key (state=absent)'],
  ['two sources', { url: 'https://x', data: 'K' }, ks({}), 'fail: give only one of url, data, file and keyserver (got url and data)'],
  ['keyserver without id', { keyserver: 'keyserver.ubuntu.com' }, ks({}), 'fail: id is required with keyserver (it names the key to fetch)'],
  ['bad id', { id: 'nothex!', url: 'https://x' }, ks({}), 'fail: id must be a key id or fingerprint of 8 to 40 hex digits (got nothex!)'],
  ['no gpg', { data: 'K' }, { files: new Map(), missing: ['gpg'] }, 'fail: gpg not found on the host: install the "gpg" package first'],
];
for (const [title, given, s, want] of first) {
  t.test(title, async (t) => {
    const r = planKnown(argsFor(aptKey, given), s);
    t.same('stage' in r ? 'stage' : outcome(r.plan), want);
  });
}

const staged = { dir: '/tmp/k', keys: [{ fpr: FPR, subs: [] }] };
const second: [string, Record<string, unknown>, KeyringState, string | string[]][] = [
  ['new key -> trusted.gpg.d/KEYID.gpg', { data: 'K' }, ks({}), ['install -D -m 0644 /tmp/k/key /etc/apt/trusted.gpg.d/45AA45CFB3499428.gpg']],
  [
    'already there under another name -> noop',
    { data: 'K' },
    ks({ '/etc/apt/trusted.gpg.d/x.gpg': [FPR] }),
    `noop: key ${FPR} is already in /etc/apt/trusted.gpg.d/x.gpg`,
  ],
  [
    'keyring exists -> appended',
    { data: 'K', keyring: '/usr/share/keyrings/k.gpg' },
    ks({ '/usr/share/keyrings/k.gpg': [SUB] }),
    ['cat /tmp/k/key >> /usr/share/keyrings/k.gpg'],
  ],
  [
    'an armored keyring file is kept armored',
    { data: 'K', keyring: '/etc/apt/keyrings/k.asc' },
    ks({}),
    ['install -D -m 0644 /tmp/k/in /etc/apt/keyrings/k.asc'],
  ],
  ['wrong id', { url: 'https://x/k', id: 'DEADBEEF' }, ks({}), `fail: the key from https://x/k has fingerprint ${FPR}, not id DEADBEEF`],
];
for (const [title, given, s, want] of second) {
  t.test(title, async (t) => t.same(outcome(planStaged(argsFor(aptKey, given), s, staged)), want));
}

t.test('parse the probe and the staging output', async (t) => {
  const s = parseKeyring(framed({ tools: '', 'keys:/etc/apt/trusted.gpg.d/a.asc': COLONS }));
  t.same([...s.files], [['/etc/apt/trusted.gpg.d/a.asc', [{ fpr: FPR, subs: [SUB] }]]]);
  t.same(parseStaged(`dir=/tmp/x\n${framed({ keys: COLONS })}`), { nofetch: false, dir: '/tmp/x', keys: [{ fpr: FPR, subs: [SUB] }], ok: true });
  t.same(parseStaged('dir=/tmp/x\n@@muster:nofetch\n'), { nofetch: true, dir: '/tmp/x' });
});

/** Two fresh keys, armored, with their fingerprints (gpg in a temp home). */
function makeKeys(): { armored: string; fpr: string }[] {
  const home = mkdtempSync(join(tmpdir(), 'muster-gpg-'));
  return ['One <one@example.org>', 'Two <two@example.org>'].map((uid) => {
    execFileSync('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'], { env: { GNUPGHOME: home }, stdio: 'ignore' });
    const armored = execFileSync('gpg', ['--armor', '--export', uid], { env: { GNUPGHOME: home } }).toString();
    const fpr = parseColons(execFileSync('gpg', ['--with-colons', '--list-keys', uid], { env: { GNUPGHOME: home } }).toString())[0].fpr;
    return { armored, fpr };
  });
}

t.test('for real with dash: data, file, a fake key server; idempotent; absent', async (t) => {
  const [one, two] = makeKeys();
  const dir = mkdtempSync(join(tmpdir(), 'muster-aptkey-'));
  const keyring = join(dir, 'test.gpg');
  const local = { cwd: dir, env: { HOME: dir } };
  const run = (given: Record<string, unknown>, check = false) => aptKey.run(argsFor(aptKey, { keyring, ...given }), fakeContext({ check, local }));

  const checked = await run({ data: one.armored }, true);
  t.equal(checked.changed, true, 'check mode reports the change');
  t.notOk(existsSync(keyring), 'and writes nothing');
  const added = await run({ data: one.armored });
  t.equal(added.changed, true, added.msg ?? '');
  t.equal(added.data?.fp, one.fpr);
  t.equal(readFileSync(keyring).subarray(0, 1).toString('hex') !== '2d', true, 'stored dearmored (binary)');
  t.equal((await run({ data: one.armored })).changed, false, 'the same key again is a noop');
  t.equal((await run({ id: one.fpr.slice(-8), data: one.armored })).msg, `key ${one.fpr.slice(-8)} is already in ${keyring}`);

  writeFileSync(join(dir, 'two.asc'), two.armored);
  const wrong = await run({ id: 'DEADBEEF', file: join(dir, 'two.asc') });
  t.equal(wrong.failed, true);
  t.match(wrong.msg, `has fingerprint ${two.fpr}, not id DEADBEEF`);

  // The key server runs in another process: the dash runs block this one.
  const www = join(dir, 'www');
  mkdirSync(join(www, 'pks'), { recursive: true });
  writeFileSync(join(www, 'pks', 'lookup'), two.armored);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', www, String(port)], { stdio: 'ignore' });
  t.teardown(() => server.kill());
  for (let i = 0; i < 50 && spawnSync('curl', ['-fs', `http://127.0.0.1:${port}/pks/lookup`]).status !== 0; i++) await new Promise((ok) => setTimeout(ok, 100));
  const fromServer = await run({ id: two.fpr.slice(-16), keyserver: `hkp://127.0.0.1:${port}` });
  t.equal(fromServer.changed, true, fromServer.msg ?? '');
  const both = parseColons(execFileSync('gpg', ['--show-keys', '--with-colons', keyring], { env: { GNUPGHOME: dir } }).toString()).map((k) => k.fpr);
  t.same(both, [one.fpr, two.fpr], 'the keyring holds both keys');
  const other = await run({ id: 'ABCDEF0123456789', keyserver: `hkp://127.0.0.1:${port}` });
  t.equal(other.failed, true, 'a key server answering with another key fails');
  const down = await run({ id: 'ABCDEF0123456789', keyserver: `hkp://127.0.0.1:${port + 1}` });
  t.match(down.msg, /Failed to read the key from key server hkp:/, 'an unreachable key server fails');

  const removed = await run({ id: one.fpr, state: 'absent' });
  t.equal(removed.changed, true, removed.msg ?? '');
  const left = parseColons(execFileSync('gpg', ['--show-keys', '--with-colons', keyring], { env: { GNUPGHOME: dir } }).toString()).map((k) => k.fpr);
  t.same(left, [two.fpr], 'only the other key is left');
  t.equal((await run({ id: one.fpr, state: 'absent' })).changed, false, 'absent again is a noop');
  t.equal((await run({ id: two.fpr, state: 'absent' })).changed, true);
  t.notOk(existsSync(keyring), 'a keyring left empty is removed');
});
