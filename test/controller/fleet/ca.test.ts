import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_DAYS, newCa, openCa, readCa } from '../../../controller/fleet/ca.js';
import { NODE_CERT_DAYS, nodeCredentials, readNodeFiles, reissueReason, RENEW_DAYS } from '../../../controller/fleet/node-credentials.js';
import { issueCertificate, newKeyPair } from '../../../controller/fleet/x509.js';
import { createFileAtomic } from '../../../shared/atomic.js';

const DAY = 86_400_000;
const now = new Date('2026-12-02T04:00:00Z');
const temp = () => mkdtempSync(join(tmpdir(), 'muster-ca-'));

t.test('openCa makes the CA once, 0600 key in a 0700 directory, then reads it back', async (t) => {
  const dir = join(temp(), 'state');
  const first = await openCa(dir, { persist: true, now });
  t.equal(first.created, true);
  t.equal(statSync(dir).mode & 0o777, 0o700);
  t.equal(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600);
  t.equal(new Date(first.ca.cert.validTo).getTime() - now.getTime(), CA_DAYS * DAY);
  const again = await openCa(dir, { persist: true, now });
  t.equal(again.created, false);
  t.equal(again.ca.certPem, first.ca.certPem);
  chmodSync(join(dir, 'ca.key'), 0o644);
  await readCa(dir);
  t.equal(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600, 'a loose key mode is tightened');
});

t.test('parallel first uses in one process make one CA', async (t) => {
  const dir = join(temp(), 'state');
  const all = await Promise.all([1, 2, 3, 4, 5].map(() => openCa(dir, { persist: true, now })));
  t.equal(new Set(all.map((a) => a.ca.certPem)).size, 1);
  t.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), all[0].ca.certPem);
});

t.test('another process that made the key first wins', async (t) => {
  const dir = temp();
  const theirs = newCa(now);
  t.equal(await createFileAtomic(dir, 'ca.key', theirs.keyPem), true);
  t.equal(await createFileAtomic(dir, 'ca.key', 'ours'), false, 'the link refuses to replace it');
  setTimeout(() => writeFileSync(join(dir, 'ca.crt'), theirs.certPem), 200);
  const started = Date.now();
  t.equal((await openCa(dir, { persist: true, now })).ca.certPem, theirs.certPem, 'theirs is used once its certificate is there');
  t.ok(Date.now() - started >= 150, 'it was waited for');
});

t.test('check mode makes a CA in memory only', async (t) => {
  const dir = join(temp(), 'state');
  const r = await openCa(dir, { persist: false, now });
  t.equal(r.created, true);
  t.equal(await readCa(dir), undefined);
});

t.test('a damaged CA is refused with what to do', async (t) => {
  const dir = temp();
  await openCa(dir, { persist: true, now });
  renameSync(join(dir, 'ca.crt'), join(dir, 'ca.crt.bak'));
  await t.rejects(readCa(dir), { code: 'E_FILE', message: /incomplete: ca\.crt is missing/, hint: /restore it from a backup/ });
  const started = Date.now();
  await t.rejects(openCa(dir, { persist: true, now }), { message: /incomplete/ }, 'a key alone for long is damage, not a CA being made');
  t.ok(Date.now() - started >= 4900);
  writeFileSync(join(dir, 'ca.crt'), newCa(now).certPem);
  await t.rejects(readCa(dir), { code: 'E_FILE', message: /is not the key of/ });
  writeFileSync(join(dir, 'ca.crt'), 'garbage');
  await t.rejects(readCa(dir), { code: 'E_FILE', message: /cannot be read/ });
});

t.test('reissueReason on both sides of each limit', async (t) => {
  const ca = newCa(now);
  const other = newCa(now);
  const leaf = (issuer = ca, days = NODE_CERT_DAYS, start = now, sans = ['h1', '10.0.0.5']) => {
    const k = newKeyPair();
    const pem = issueCertificate({
      name: 'h1',
      publicKey: k.publicKey,
      issuer: { cert: issuer.cert, key: issuer.key },
      notBefore: start,
      notAfter: new Date(+start + days * DAY),
      ca: false,
      sans,
    });
    return { cert: new X509Certificate(pem), keyMatches: true };
  };
  const names = ['h1', '10.0.0.5'];
  const good = leaf();
  const at = (days: number) => new Date(+now + days * DAY);
  const rows: [string, ReturnType<typeof reissueReason>, RegExp | undefined][] = [
    ['none yet', reissueReason(undefined, ca.cert, names, now), /no certificate yet/],
    ['good', reissueReason(good, ca.cert, names, now), undefined],
    ['key does not match', reissueReason({ ...good, keyMatches: false }, ca.cert, names, now), /key does not match/],
    ['another CA', reissueReason(leaf(other), ca.cert, names, now), /not issued by the current fleet CA/],
    ['renewal window not reached', reissueReason(good, ca.cert, names, at(NODE_CERT_DAYS - RENEW_DAYS - 1)), undefined],
    ['inside the renewal window', reissueReason(good, ca.cert, names, at(NODE_CERT_DAYS - RENEW_DAYS + 1)), /expires on/],
    ['expired', reissueReason(good, ca.cert, names, at(NODE_CERT_DAYS + 1)), /expired on/],
    ['not valid yet', reissueReason(leaf(ca, NODE_CERT_DAYS, at(2)), ca.cert, names, now), /not valid before/],
    ['a name missing', reissueReason(good, ca.cert, [...names, 'h1.lan'], now), /does not name h1\.lan/],
    ['an address missing', reissueReason(good, ca.cert, ['h1', '10.0.0.6'], now), /does not name 10\.0\.0\.6/],
    ['a name fewer', reissueReason(good, ca.cert, ['h1'], now), undefined],
  ];
  for (const [name, got, want] of rows) want ? t.match(got, want, name) : t.equal(got, undefined, name);
});

t.test('nodeCredentials reuses what is good and replaces what is not', async (t) => {
  const dir = temp();
  const { ca } = await openCa(dir, { persist: true, now });
  const first = await nodeCredentials(ca, dir, 'h1', ['h1'], { rotateToken: false, persist: true, now });
  t.equal(first.issued, 'no certificate yet');
  t.equal(first.tokenMade, 'no token yet');
  const kept = await readNodeFiles(dir, 'h1');
  t.equal(kept.token, first.credentials.token);
  t.equal(statSync(join(dir, 'nodes', 'h1', 'tls.key')).mode & 0o777, 0o600);
  t.equal(statSync(join(dir, 'nodes', 'h1', 'token')).mode & 0o777, 0o600);
  const second = await nodeCredentials(ca, dir, 'h1', ['h1'], { rotateToken: false, persist: true, now });
  t.same([second.issued, second.tokenMade], [undefined, undefined]);
  t.same(second.credentials, first.credentials);
  writeFileSync(join(dir, 'nodes', 'h1', 'token'), 'short\n');
  const third = await nodeCredentials(ca, dir, 'h1', ['h1'], { rotateToken: false, persist: true, now });
  t.equal(third.tokenMade, 'no token yet', 'a token too short to use is replaced');
  t.equal(third.issued, undefined);
  const renewed = await nodeCredentials(ca, dir, 'h1', ['h1'], { rotateToken: false, persist: true, now: new Date(+now + (NODE_CERT_DAYS - 10) * DAY) });
  t.match(renewed.issued, /expires on/);
  t.not(renewed.credentials.keyPem, first.credentials.keyPem, 'a new key with the new certificate');
});
