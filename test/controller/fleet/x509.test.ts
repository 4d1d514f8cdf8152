import t from 'tap';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certNames, ipBytes, issueCertificate, keyPem, newKeyPair, notAfter, notBefore } from '../../../controller/fleet/x509.js';

const DAY = 86_400_000;
const now = new Date('2026-12-02T04:00:00Z');

function makeCa(name = 'muster fleet CA') {
  const keys = newKeyPair();
  const pem = issueCertificate({
    name,
    publicKey: keys.publicKey,
    issuer: { key: keys.privateKey },
    notBefore: now,
    notAfter: new Date(+now + 3650 * DAY),
    ca: true,
  });
  return { pem, cert: new X509Certificate(pem), key: keys.privateKey };
}

function makeLeaf(ca: ReturnType<typeof makeCa>, sans: string[]) {
  const keys = newKeyPair();
  const pem = issueCertificate({
    name: 'h01',
    publicKey: keys.publicKey,
    issuer: { cert: ca.cert, key: ca.key },
    notBefore: now,
    notAfter: new Date(+now + 730 * DAY),
    ca: false,
    sans,
  });
  return { pem, cert: new X509Certificate(pem), key: keys.privateKey };
}

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

t.test('the CA certificate is a self-signed CA valid for ten years', async (t) => {
  const ca = makeCa();
  t.equal(ca.cert.ca, true);
  t.match(ca.cert.subject, /CN=muster fleet CA/);
  t.equal(ca.cert.subject, ca.cert.issuer);
  t.ok(ca.cert.verify(ca.cert.publicKey), 'signed by its own key');
  t.equal(notBefore(ca.cert).toISOString(), '2026-12-02T04:00:00.000Z');
  t.equal(notAfter(ca.cert).toISOString(), '2036-11-29T04:00:00.000Z');
  t.ok(ca.cert.checkPrivateKey(ca.key));
});

t.test('a node certificate names its SANs, is issued by the CA and refused by another CA', async (t) => {
  const ca = makeCa();
  const other = makeCa('someone else');
  const leaf = makeLeaf(ca, ['h01', '127.0.0.1', 'Pi-1.LAN', '::1', '192.168.1.20']);
  t.equal(leaf.cert.ca, false);
  t.ok(leaf.cert.checkIssued(ca.cert), 'issued by the fleet CA');
  t.ok(leaf.cert.verify(ca.cert.publicKey), 'signature verifies with the CA key');
  t.notOk(leaf.cert.verify(other.cert.publicKey), 'another CA key does not verify it');
  t.notOk(leaf.cert.checkIssued(other.cert), 'not issued by another CA');
  for (const name of ['h01', '127.0.0.1', 'pi-1.lan', '::1', '192.168.1.20']) t.ok(certNames(leaf.cert, name), `names ${name}`);
  for (const name of ['h02', '127.0.0.2', 'pi-1', '::2', '192.168.1.2']) t.notOk(certNames(leaf.cert, name), `does not name ${name}`);
  t.same(leaf.cert.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: TLS server');
  t.equal(notAfter(leaf.cert).getTime() - notBefore(leaf.cert).getTime(), 730 * DAY);
});

t.test('two certificates get different serials', async (t) => {
  const ca = makeCa();
  t.not(makeLeaf(ca, ['a']).cert.serialNumber, makeLeaf(ca, ['a']).cert.serialNumber);
});

t.test('openssl verifies the chain and refuses it against another CA', { skip: !haveOpenssl() && 'no openssl' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'muster-x509-'));
  const ca = makeCa();
  const other = makeCa('someone else');
  const leaf = makeLeaf(ca, ['h01', '127.0.0.1']);
  writeFileSync(join(dir, 'ca.crt'), ca.pem);
  writeFileSync(join(dir, 'other.crt'), other.pem);
  writeFileSync(join(dir, 'tls.crt'), leaf.pem);
  writeFileSync(join(dir, 'tls.key'), keyPem(leaf.key));
  const verify = (caFile: string, ...more: string[]) => {
    try {
      return execFileSync(
        'openssl',
        [
          'verify',
          '-x509_strict',
          '-purpose',
          'sslserver',
          '-attime',
          String(Math.floor(+now / 1000) + 60),
          ...more,
          '-CAfile',
          join(dir, caFile),
          join(dir, 'tls.crt'),
        ],
        { stdio: 'pipe' },
      ).toString();
    } catch (e) {
      return `failed: ${(e as { stderr: Buffer }).stderr}`;
    }
  };
  t.match(verify('ca.crt'), /tls\.crt: OK/);
  t.match(verify('ca.crt', '-verify_ip', '127.0.0.1'), /OK/);
  t.match(verify('ca.crt', '-verify_ip', '127.0.0.2'), /failed/);
  t.match(verify('other.crt'), /failed/);
  const text = execFileSync('openssl', ['x509', '-in', join(dir, 'tls.crt'), '-noout', '-text']).toString();
  t.match(text, /DNS:h01, IP Address:127\.0\.0\.1/);
  t.match(text, /Public Key Algorithm: id-ecPublicKey/);
  t.match(text, /NIST CURVE: P-256/);
});

t.test('ipBytes', async (t) => {
  const rows: [string, string][] = [
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['2001:db8:0:0:0:0:0:1', '20010db8000000000000000000000001'],
  ];
  for (const [ip, hex] of rows) t.equal(ipBytes(ip).toString('hex'), hex, ip);
  t.throws(() => ipBytes('h01'));
});
