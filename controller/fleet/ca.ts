/**
 * The fleet CA: made on first use in the state directory (ca.key 0600, ca.crt), valid ten years; every
 * agent's certificate is signed by it and the controller trusts an agent only through it.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MusterError } from '../../shared/errors.js';
import { createFileAtomic, writeFileAtomic } from '../../shared/atomic.js';
import { ensurePrivateDir, statePaths } from './state-dir.js';
import { issueCertificate, keyPem, newKeyPair } from './x509.js';

/** Days a new CA is valid. */
export const CA_DAYS = 3650;
/** Certificates start this long before they are made, for clocks a little behind. */
export const BACKDATE_MS = 5 * 60_000;

const DAY_MS = 86_400_000;

/** The CA, ready to sign. */
export interface FleetCa {
  cert: X509Certificate;
  certPem: string;
  key: KeyObject;
}

/** Makes a new CA in memory. */
export function newCa(now: Date): FleetCa & { keyPem: string } {
  const keys = newKeyPair();
  const certPem = issueCertificate({
    name: 'muster fleet CA',
    publicKey: keys.publicKey,
    issuer: { key: keys.privateKey },
    notBefore: new Date(+now - BACKDATE_MS),
    notAfter: new Date(+now + CA_DAYS * DAY_MS),
    ca: true,
  });
  return { cert: new X509Certificate(certPem), certPem, key: keys.privateKey, keyPem: keyPem(keys.privateKey) };
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MusterError('E_FILE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code}`, { hint: "check the state directory's permissions" });
  }
}

/** Reads the CA from the state directory; undefined when there is none yet. */
export async function readCa(dir: string): Promise<FleetCa | undefined> {
  const p = statePaths(dir);
  const [certPem, keyText] = await Promise.all([readIfThere(p.caCert), readIfThere(p.caKey)]);
  if (certPem === undefined && keyText === undefined) return undefined;
  if (certPem === undefined || keyText === undefined) {
    throw new MusterError('E_FILE', `the fleet CA in ${dir} is incomplete: ${certPem === undefined ? 'ca.crt' : 'ca.key'} is missing`, {
      hint: 'restore it from a backup; or, to start a new CA, move ca.crt and ca.key away (every agent then needs `muster play -i INV agent` again)',
    });
  }
  let ca: FleetCa;
  try {
    ca = { cert: new X509Certificate(certPem), certPem, key: createPrivateKey(keyText) };
  } catch (e) {
    throw new MusterError('E_FILE', `the fleet CA in ${dir} cannot be read: ${(e as Error).message}`, { hint: 'restore ca.crt and ca.key from a backup' });
  }
  if (!ca.cert.ca || !ca.cert.checkPrivateKey(ca.key)) {
    throw new MusterError('E_FILE', `${p.caKey} is not the key of ${p.caCert}, or that is no CA certificate`, {
      hint: 'restore ca.crt and ca.key from a backup',
    });
  }
  // A key copied in by hand may have come with a loose mode: nobody but the user may read it.
  if (((await stat(p.caKey)).mode & 0o077) !== 0) await chmod(p.caKey, 0o600);
  return ca;
}

const CERT_WAIT_MS = 5000;

/**
 * readCa, but a key without its certificate is given a few seconds: another process that is making the
 * CA writes ca.key first and ca.crt right after. A key alone for longer is a damaged CA (readCa's error).
 */
async function readCaPatiently(dir: string): Promise<FleetCa | undefined> {
  const end = Date.now() + CERT_WAIT_MS;
  for (;;) {
    try {
      return await readCa(dir);
    } catch (e) {
      if (!(e instanceof MusterError && e.message.endsWith('ca.crt is missing')) || Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// One creation at a time per directory in this process (hosts run in parallel and all want the CA).
const creating = new Map<string, Promise<FleetCa>>();

/**
 * The CA of the state directory, made on first use. With `persist` false (check mode) a missing CA is
 * made in memory only. Two processes making it at once: the first ca.key written wins, the other reads it.
 */
export async function openCa(dir: string, opts: { persist: boolean; now: Date }): Promise<{ ca: FleetCa; created: boolean }> {
  const existing = await readCaPatiently(dir);
  if (existing) return { ca: existing, created: false };
  if (!opts.persist) return { ca: newCa(opts.now), created: true };
  let pending = creating.get(dir);
  if (!pending) {
    pending = createCa(dir, opts.now).finally(() => creating.delete(dir));
    creating.set(dir, pending);
  }
  return { ca: await pending, created: true };
}

async function createCa(dir: string, now: Date): Promise<FleetCa> {
  await ensurePrivateDir(dir);
  const p = statePaths(dir);
  const ca = newCa(now);
  if (!(await createFileAtomic(dirname(p.caKey), 'ca.key', ca.keyPem, 0o600))) {
    // another process made the key first: its certificate follows within moments
    const theirs = await readCaPatiently(dir);
    if (theirs) return theirs;
    throw new MusterError('E_FILE', `the fleet CA in ${dir} vanished while it was being made`, { hint: 'run again' });
  }
  await writeFileAtomic(dirname(p.caCert), 'ca.crt', ca.certPem, 0o644);
  return ca;
}
