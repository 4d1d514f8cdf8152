/**
 * X.509 certificates of the fleet: the CA's (self-signed) and each node's (server certificate with its
 * names as subject alternative names), ECDSA P-256 with SHA-256. Built with der.ts and signed by
 * node:crypto; read back with Node's own X509Certificate. Pure but for the randomness of keys and serials.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, bool, explicit, implicit, int, octets, oid, seq, set, time, utf8 } from './der.js';

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** A key pair for a certificate (EC P-256: what Node, fastify and the OpenSSL of older Pi systems all take). */
export function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/** A private key as PKCS#8 PEM (what tls.key and ca.key hold). */
export const keyPem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** What to put in a certificate. */
export interface CertSpec {
  /** the subject's common name */
  name: string;
  /** the key the certificate vouches for */
  publicKey: KeyObject;
  /** the issuer: its certificate (absent = self-signed) and its private key */
  issuer: { cert?: X509Certificate; key: KeyObject };
  notBefore: Date;
  notAfter: Date;
  /** a CA certificate (may sign others) or a TLS server certificate */
  ca: boolean;
  /** DNS names and IP addresses (server certificates) */
  sans?: string[];
  /** serial number bytes (default: 16 random bytes) */
  serial?: Buffer;
}

/** The subject (or issuer) name: O=muster, CN=name. */
function dn(name: string): Buffer {
  const rdn = (type: string, value: string): Buffer => set(seq(oid(type), utf8(value)));
  return seq(rdn(OID.organization, 'muster'), rdn(OID.commonName, name));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** The key identifier: SHA-1 of the SubjectPublicKeyInfo (RFC 5280 allows any stable method; this is unique). */
export function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

/** An IP address as the 4 or 16 bytes an iPAddress GeneralName holds. */
export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) throw new RangeError(`not an IP address: ${ip}`);
  const [head, tail = ''] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  let left = groups(head);
  let right = tail === undefined ? [] : groups(tail);
  // an IPv4 tail (::ffff:1.2.3.4) is two groups
  const v4 = (gs: string[]): string[] => (gs.length && gs[gs.length - 1].includes('.') ? [...gs.slice(0, -1), ...v4Groups(gs[gs.length - 1])] : gs);
  left = v4(left);
  right = v4(right);
  const all = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function v4Groups(v4: string): string[] {
  const b = v4.split('.').map(Number);
  return [((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16)];
}

/** Subject alternative names: IP addresses as iPAddress, everything else as a (lower-case) dNSName. */
function altNames(sans: string[]): Buffer {
  return seq(...sans.map((s) => (isIP(s) ? implicit(7, ipBytes(s)) : implicit(2, Buffer.from(s.toLowerCase(), 'ascii')))));
}

/** A positive serial number of 16 random bytes (RFC 5280: at most 20 octets, unpredictable). */
export function newSerial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x40; // positive, and no leading zero byte to strip
  return b;
}

/** Makes and signs a certificate; returns it as PEM. */
export function issueCertificate(spec: CertSpec): string {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const issuerPublic = spec.issuer.cert ? spec.issuer.cert.publicKey : createPublicKey(spec.issuer.key);
  const issuerName = spec.issuer.cert ? dnOf(spec.issuer.cert) : dn(spec.name);
  const exts: Buffer[] = [
    extension(OID.subjectKeyId, false, octets(keyId(spec.publicKey))),
    extension(OID.authorityKeyId, false, seq(implicit(0, keyId(issuerPublic)))),
  ];
  if (spec.ca) {
    exts.push(extension(OID.basicConstraints, true, seq(bool(true), int(0))));
    // keyCertSign (bit 5) and cRLSign (bit 6): 0b0000011 with one unused bit
    exts.push(extension(OID.keyUsage, true, bits(Buffer.from([0x06]), 1)));
  } else {
    exts.push(extension(OID.basicConstraints, true, seq()));
    // digitalSignature (bit 0), all ECDSA TLS needs
    exts.push(extension(OID.keyUsage, true, bits(Buffer.from([0x80]), 7)));
    exts.push(extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))));
    if (spec.sans?.length) exts.push(extension(OID.subjectAltName, false, altNames(spec.sans)));
  }
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, int(2)), // v3
    int(spec.serial ?? newSerial()),
    algorithm,
    issuerName,
    seq(time(spec.notBefore), time(spec.notAfter)),
    dn(spec.name),
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, spec.issuer.key); // DER ECDSA-Sig-Value, as X.509 wants
  const der = seq(tbs, algorithm, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

/** The issuer's subject name, byte for byte, as its certificate holds it (chain building compares bytes). */
function dnOf(cert: X509Certificate): Buffer {
  // Certificate -> TBSCertificate -> [version, serial, algorithm, issuer, validity, subject, ...]
  const tbs = children(children(cert.raw)[0]);
  return tbs[5];
}

/** The encoded elements inside a DER SEQUENCE (its content split into TLVs). */
export function children(der: Buffer): Buffer[] {
  const { start, end } = header(der, 0);
  const out: Buffer[] = [];
  for (let i = start; i < end; ) {
    const h = header(der, i);
    out.push(der.subarray(i, h.end));
    i = h.end;
  }
  return out;
}

function header(der: Buffer, at: number): { start: number; end: number } {
  const first = der[at + 1];
  if (first < 0x80) return { start: at + 2, end: at + 2 + first };
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
  return { start: at + 2 + n, end: at + 2 + n + len };
}

/** A certificate's validity end as a Date. */
export const notAfter = (cert: X509Certificate): Date => new Date(cert.validTo);

/** A certificate's validity start as a Date. */
export const notBefore = (cert: X509Certificate): Date => new Date(cert.validFrom);

/** Whether the certificate names `name` (an IP address or a DNS name) among its subject alternative names. */
export function certNames(cert: X509Certificate, name: string): boolean {
  return isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name, { subject: 'never', wildcards: false }) !== undefined;
}
