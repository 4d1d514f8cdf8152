/**
 * A node's credentials: its TLS certificate and key (signed by the fleet CA, its addresses as subject
 * alternative names) and its API token, kept in the state directory and reused while still good.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MusterError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../shared/atomic.js';
import { BACKDATE_MS, type FleetCa } from './ca.js';
import { ensurePrivateDir, statePaths } from './state-dir.js';
import { newToken, validToken } from './token.js';
import { certNames, issueCertificate, keyPem, newKeyPair, notAfter, notBefore } from './x509.js';

/** Days a node certificate is valid. */
export const NODE_CERT_DAYS = 730;
/** A node certificate is renewed when fewer days than this are left. */
export const RENEW_DAYS = 30;

const DAY_MS = 86_400_000;

/** What the controller keeps for one node. */
export interface NodeCredentials {
  certPem: string;
  keyPem: string;
  token: string;
}

/** What was done to a node's credentials, for the module's message (never the secrets themselves). */
export interface CredentialsOutcome {
  credentials: NodeCredentials;
  /** why the certificate was issued; undefined when the kept one was reused */
  issued?: string;
  /** why the token was made; undefined when the kept one was reused */
  tokenMade?: string;
}

/** A kept certificate and key, as read back. */
export interface KeptCert {
  cert: X509Certificate;
  /** the key in the state directory belongs to the certificate */
  keyMatches: boolean;
}

/** Pure: why the kept certificate must be replaced, or undefined when it can stay. */
export function reissueReason(kept: KeptCert | undefined, ca: X509Certificate, names: string[], now: Date): string | undefined {
  if (!kept) return 'no certificate yet';
  if (!kept.keyMatches) return 'its key does not match it';
  if (!kept.cert.checkIssued(ca) || !kept.cert.verify(ca.publicKey)) return 'it was not issued by the current fleet CA';
  if (+notBefore(kept.cert) > +now) return `it is not valid before ${notBefore(kept.cert).toISOString()}`;
  const left = +notAfter(kept.cert) - +now;
  if (left < RENEW_DAYS * DAY_MS)
    return left <= 0 ? `it expired on ${notAfter(kept.cert).toISOString()}` : `it expires on ${notAfter(kept.cert).toISOString()}`;
  // A name no longer wanted may stay until the next renewal: only a missing one forces a new certificate
  // (gathered facts come and go between plays, and a certificate should not churn with them).
  const missing = names.filter((n) => !certNames(kept.cert, n));
  if (missing.length) return `it does not name ${missing.join(', ')}`;
  return undefined;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MusterError('E_FILE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code}`, { hint: "check the state directory's permissions" });
  }
}

/** Reads a node's kept credentials (each part undefined when missing or unreadable as what it should be). */
export async function readNodeFiles(stateDir: string, node: string): Promise<{ certPem?: string; keyPem?: string; token?: string; kept?: KeptCert }> {
  return readCredentialFiles(statePaths(stateDir).node(node));
}

/** Reads the credentials kept in `dir` (tls.crt, tls.key, token): a node's, or the manager's. */
export async function readCredentialFiles(dir: string): Promise<{ certPem?: string; keyPem?: string; token?: string; kept?: KeptCert }> {
  const [certPem, keyText, tokenText] = await Promise.all(['tls.crt', 'tls.key', 'token'].map((f) => readOptional(`${dir}/${f}`)));
  const token = tokenText?.trim();
  let kept: KeptCert | undefined;
  if (certPem !== undefined && keyText !== undefined) {
    try {
      const cert = new X509Certificate(certPem);
      kept = { cert, keyMatches: cert.checkPrivateKey(createPrivateKey(keyText)) };
    } catch {
      kept = undefined; // garbage: made anew
    }
  }
  return { certPem, keyPem: keyText, token: token && validToken(token) ? token : undefined, kept };
}

/** Reads only a node's token (muster nodes); undefined when there is none yet. */
export async function readNodeToken(stateDir: string, node: string): Promise<string | undefined> {
  return (await readNodeFiles(stateDir, node)).token;
}

/**
 * The node's credentials: the kept ones when still good, else new ones (saved atomically unless `persist`
 * is false, as in check mode). `rotateToken` makes a new token whatever the kept one.
 */
export async function nodeCredentials(
  ca: FleetCa,
  stateDir: string,
  node: string,
  names: string[],
  opts: { rotateToken: boolean; persist: boolean; now: Date },
): Promise<CredentialsOutcome> {
  return credentialsIn(ca, statePaths(stateDir).node(node), node, names, opts);
}

/** The same for credentials kept in `dir` under the certificate name `name` (the manager's: state/manager). */
export async function credentialsIn(
  ca: FleetCa,
  dir: string,
  node: string,
  names: string[],
  opts: { rotateToken: boolean; persist: boolean; now: Date },
): Promise<CredentialsOutcome> {
  const kept = await readCredentialFiles(dir);
  const reason = reissueReason(kept.kept, ca.cert, names, opts.now);
  let certPem = kept.certPem as string;
  let key = kept.keyPem as string;
  if (reason) {
    const keys = newKeyPair();
    certPem = issueCertificate({
      name: node,
      publicKey: keys.publicKey,
      issuer: { cert: ca.cert, key: ca.key },
      notBefore: new Date(+opts.now - BACKDATE_MS),
      notAfter: new Date(+opts.now + NODE_CERT_DAYS * DAY_MS),
      ca: false,
      sans: names,
    });
    key = keyPem(keys.privateKey);
  }
  const tokenMade = opts.rotateToken ? 'rotate_token asked for it' : kept.token === undefined ? 'no token yet' : undefined;
  const token = tokenMade ? newToken() : (kept.token as string);
  if (opts.persist && (reason || tokenMade)) {
    await ensurePrivateDir(dir);
    // key before certificate: a crash in between leaves a pair that does not match, which is reissued
    if (reason) {
      await writeFileAtomic(dir, 'tls.key', key, 0o600);
      await writeFileAtomic(dir, 'tls.crt', certPem, 0o644);
    }
    if (tokenMade) await writeFileAtomic(dir, 'token', `${token}\n`, 0o600);
  }
  return { credentials: { certPem, keyPem: key, token }, issued: reason, tokenMade };
}
