import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../../../controller/command.js';
import {
  opensshKeypair,
  parseKeyInfo,
  parseKeypair,
  planKeypair,
  probeKeypair,
  type KeypairState,
} from '../../../../controller/modules/security/openssh-keypair.js';
import { argsFor, dash, fakeContext, framed, outcome } from '../system/fake.js';

const P = '/k/id';
const BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIFYagG7DRJbSFsyh4TSITR7K2rHhCmEVWUbqloDiA/Tr';
const ED = { type: 'ed25519', size: 256, fingerprint: 'SHA256:8G4FZONnKcgKYlBMDX99a30rLQUSSIAVJb7/MMana8A', publicKey: `ssh-ed25519 ${BLOB}`, comment: 'me@x' };
const RSA = { type: 'rsa', size: 4096, fingerprint: 'SHA256:x', publicKey: 'ssh-rsa AAAAB3', comment: '' };
const STAT = { mode: '600', owner: 'root', group: 'root', uid: 0, gid: 0 };
const st = (over: Partial<KeypairState> = {}): KeypairState => ({
  missing: [],
  exists: true,
  pubExists: true,
  dir: true,
  key: ED,
  pub: `ssh-ed25519 ${BLOB} me@x`,
  stat: STAT,
  ...over,
});
const none = st({ exists: false, pubExists: false, key: undefined, pub: undefined, stat: undefined });
const ed = { path: P, type: 'ed25519' };
const GEN_ED = `rm -f ${P} ${P}.pub\nssh-keygen -q -t ed25519 -N '' -f ${P}`;
const GEN_RSA = `rm -f ${P} ${P}.pub\nssh-keygen -q -t rsa -b 4096 -N '' -f ${P}`;
const PUB = `ssh-keygen -y -P '' -f ${P} > ${P}.pub`;

const table: [string, Record<string, unknown>, KeypairState, string | string[]][] = [
  ['generate a missing key', ed, none, [GEN_ED]],
  ['rsa gets 4096 bits by default', { path: P }, none, [GEN_RSA]],
  [
    'size, comment, passphrase, format',
    { path: P, type: 'rsa', size: 2048, comment: 'a b', passphrase: new Secret('pw!'), private_key_format: 'pkcs1' },
    none,
    [`rm -f ${P} ${P}.pub\nssh-keygen -q -t rsa -b 2048 -C 'a b' -m PEM -N *** -f ${P}`],
  ],
  ['owner and mode of a new key', { ...ed, owner: 'u', group: 'g', mode: '0640' }, none, [GEN_ED, `chown u:g ${P} ${P}.pub`, `chmod 0640 ${P}`]],
  ['the key is right', ed, st(), `noop: ${P} is a ed25519 key of 256 bits`],
  ['the comment is right', { ...ed, comment: 'me@x' }, st(), `noop: ${P} is a ed25519 key of 256 bits`],
  ['the comment differs', { ...ed, comment: 'new' }, st(), [`ssh-keygen -q -c -C new -P '' -f ${P}`]],
  ['the public key is missing', ed, st({ pubExists: false, pub: undefined }), [PUB]],
  ['the public key is another key', ed, st({ pub: 'ssh-ed25519 AAAAother me@x' }), [PUB]],
  ['the public key lacks the comment', ed, st({ pub: `ssh-ed25519 ${BLOB}` }), [PUB]],
  ['owner and mode drifted', { ...ed, owner: 'root', group: '0', mode: '0400' }, st({ stat: { ...STAT, mode: '644' } }), [`chmod 0400 ${P}`]],
  ['owner by name', { ...ed, owner: 'u' }, st(), [`chown u ${P} ${P}.pub`]],
  ['group only', { ...ed, group: 'g' }, st(), [`chown :g ${P} ${P}.pub`]],
  ['force', { ...ed, force: true }, st(), [GEN_ED]],
  ['regenerate always', { ...ed, regenerate: 'always' }, st(), [GEN_ED]],
  ['wrong type: partial_idempotence regenerates', { path: P, type: 'rsa' }, st(), [GEN_RSA]],
  ['wrong size: regenerates', { path: P, type: 'rsa', size: 2048 }, st({ key: RSA }), [`rm -f ${P} ${P}.pub\nssh-keygen -q -t rsa -b 2048 -N '' -f ${P}`]],
  ['rsa of the default size', { path: P, type: 'rsa' }, st({ key: RSA, pub: 'ssh-rsa AAAAB3' }), `noop: ${P} is a rsa key of 4096 bits`],
  ['wrong type, regenerate never', { path: P, type: 'rsa', regenerate: 'never' }, st(), `noop: ${P} is a ed25519 key of 256 bits`],
  [
    'wrong type, regenerate fail',
    { path: P, type: 'rsa', regenerate: 'fail' },
    st(),
    'fail: Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `regenerate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.',
  ],
  [
    'unreadable (passphrase)',
    ed,
    st({ key: undefined }),
    'fail: Unable to read the key. The key is protected with another passphrase or broken. Will not proceed. To force regeneration, call the module with `regenerate` set to `full_idempotence` or `always`, or with `force=true`.',
  ],
  ['unreadable, full_idempotence regenerates', { ...ed, regenerate: 'full_idempotence' }, st({ key: undefined }), [GEN_ED]],
  ['unreadable, never', { ...ed, regenerate: 'never' }, st({ key: undefined }), `noop: ${P} exists and regenerate is never`],
  ['absent removes both', { path: P, state: 'absent' }, st(), [`rm -f ${P} ${P}.pub`]],
  ['absent, only the .pub left', { path: P, state: 'absent' }, { ...none, pubExists: true }, [`rm -f ${P} ${P}.pub`]],
  ['absent already', { path: P, state: 'absent' }, none, `noop: ${P} does not exist`],
  ['no directory', ed, { ...none, dir: false }, `fail: The directory of ${P} does not exist: create it first (file module, state: directory)`],
  ['no ssh-keygen', ed, { ...none, missing: ['ssh-keygen'] }, 'fail: ssh-keygen not found on the host (Debian: the "openssh-client" package)'],
  ['rsa1', { path: P, type: 'rsa1' }, none, 'fail: type rsa1 (SSH protocol 1) is not supported by current ssh-keygen: use rsa or ed25519'],
  [
    'ecdsa size',
    { path: P, type: 'ecdsa', size: 512 },
    none,
    'fail: For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits.',
  ],
  ['rsa too small', { path: P, type: 'rsa', size: 512 }, none, 'fail: For RSA keys, the minimum size is 1024 bits'],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planKeypair(argsFor(opensshKeypair, given), s)), want));
}

t.test('data: the key as Ansible returns it', async (t) => {
  t.same(planKeypair(argsFor(opensshKeypair, ed), st()).data, {
    filename: P,
    type: 'ed25519',
    size: 256,
    fingerprint: ED.fingerprint,
    public_key: ED.publicKey,
    comment: 'me@x',
  });
  t.same(planKeypair(argsFor(opensshKeypair, { path: P, size: 2048 }), none).data, {
    filename: P,
    type: 'rsa',
    size: 2048,
    fingerprint: null,
    public_key: null,
    comment: null,
  });
});

t.test('parse: real ssh-keygen -y and -l output', async (t) => {
  t.same(parseKeyInfo(`ssh-ed25519 ${BLOB} me@x\n256 SHA256:8G4FZONnKcgKYlBMDX99a30rLQUSSIAVJb7/MMana8A me@x (ED25519)\n`), ED);
  t.same(parseKeyInfo('ssh-rsa AAAAB3\n1024 SHA256:5tB7kDdAP7z6Ki/tgUvxBDIcxSsHMY6/re1f/kc+mzQ no comment (RSA)\n'), {
    type: 'rsa',
    size: 1024,
    fingerprint: 'SHA256:5tB7kDdAP7z6Ki/tgUvxBDIcxSsHMY6/re1f/kc+mzQ',
    publicKey: 'ssh-rsa AAAAB3',
    comment: '',
  });
  t.equal(parseKeyInfo(''), undefined, 'unreadable key: nothing printed');
  const s = parseKeypair(framed({ tools: '', exists: 'key\npub\ndir\n', pub: `ssh-ed25519 ${BLOB} me@x\n`, stat: '600 root root 0 0\n', key: '' }));
  t.same(s, { ...st({ key: undefined }) });
});

t.test('the passphrase never shows', async (t) => {
  const a = argsFor(opensshKeypair, { ...ed, passphrase: new Secret('hunter22') });
  t.notMatch(probeKeypair(a).shown, 'hunter22');
  t.match(probeKeypair(a).text, 'hunter22');
  const p = planKeypair(a, none);
  t.notMatch(JSON.stringify(outcome(p)), 'hunter22');
});

t.test('for real with dash and ssh-keygen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-keypair-'));
  const local = { cwd: dir };
  const path = join(dir, 'id');
  const args = argsFor(opensshKeypair, { path, type: 'ed25519', comment: 'first', passphrase: new Secret('s3cret phrase') });
  const r = await opensshKeypair.run(args, fakeContext({ local }));
  t.equal(r.changed, true, String(r.msg));
  t.equal(r.data?.filename, path);
  t.match(r.data?.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  t.match(r.data?.public_key, /^ssh-ed25519 AAAA\S+$/);
  t.equal(r.data?.comment, 'first');
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.equal(readFileSync(`${path}.pub`, 'utf8'), `${r.data?.public_key} first\n`);

  const again = await opensshKeypair.run(args, fakeContext({ local }));
  t.equal(again.changed, false, String(again.msg));
  t.equal(again.data?.fingerprint, r.data?.fingerprint, 'the same key');

  const renamed = await opensshKeypair.run({ ...args, comment: 'second' }, fakeContext({ local }));
  t.equal(renamed.changed, true);
  t.equal(renamed.data?.fingerprint, r.data?.fingerprint, 'a new comment keeps the key');
  t.match(readFileSync(`${path}.pub`, 'utf8'), / second\n$/);

  unlinkSync(`${path}.pub`);
  const pub = await opensshKeypair.run({ ...args, comment: 'second' }, fakeContext({ local }));
  t.equal(pub.changed, true, String(pub.msg));
  t.match(readFileSync(`${path}.pub`, 'utf8'), / second\n$/, 'the .pub file comes back from the private key');

  const wrong = await opensshKeypair.run({ ...args, passphrase: new Secret('other') }, fakeContext({ local }));
  t.equal(wrong.failed, true, 'another passphrase cannot read the key');
  const full = await opensshKeypair.run({ ...args, passphrase: new Secret('other'), regenerate: 'full_idempotence' }, fakeContext({ local }));
  t.equal(full.changed, true);
  t.not(full.data?.fingerprint, r.data?.fingerprint, 'full_idempotence made a new key');

  const rsa = argsFor(opensshKeypair, { path, type: 'rsa', size: 1024, passphrase: new Secret('other') });
  const check = await opensshKeypair.run(rsa, fakeContext({ local, check: true }));
  t.equal(check.changed, true, 'check mode: the type differs');
  t.match(dash(`ssh-keygen -l -f ${path}.pub`).stdout, /ED25519/, 'check mode changed nothing');
  const changed = await opensshKeypair.run(rsa, fakeContext({ local }));
  t.equal(changed.data?.type, 'rsa');
  t.equal(changed.data?.size, 1024);

  writeFileSync(join(dir, 'junk'), 'not a key\n');
  const junk = await opensshKeypair.run(argsFor(opensshKeypair, { path: join(dir, 'junk') }), fakeContext({ local }));
  t.equal(junk.failed, true, 'a file that is no key fails under partial_idempotence');

  const gone = await opensshKeypair.run(argsFor(opensshKeypair, { path, state: 'absent' }), fakeContext({ local }));
  t.equal(gone.changed, true);
  t.notOk(existsSync(path) || existsSync(`${path}.pub`));
  const goneAgain = await opensshKeypair.run(argsFor(opensshKeypair, { path, state: 'absent' }), fakeContext({ local }));
  t.equal(goneAgain.changed, false);
});
