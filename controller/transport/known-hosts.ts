/**
 * OpenSSH known_hosts files as data: parsing, host matching (plain, wildcard, hashed `|1|salt|hash`,
 * `[host]:port`), the verdict on a presented host key, and fingerprints. Pure: no file or socket I/O.
 */
import { createHash, createHmac } from 'node:crypto';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  file: string;
  line: number; // 1-based
  marker?: 'cert-authority' | 'revoked';
  hosts: string; // the host pattern field as written (comma list, or one hashed `|1|salt|hash`)
  keyType: string; // the type named inside the key blob (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256...)
  key: Buffer; // the public key blob
}

/** What to make of the key a host presented. */
export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; entries: KnownHostEntry[] } // known keys of this host, none of them the presented one
  | { kind: 'revoked'; entry: KnownHostEntry };

/** Parses a known_hosts file; comments, blank and malformed lines are skipped (as OpenSSH does). */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const entry = parseLine(raw.trim(), file, i + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(text: string, file: string, line: number): KnownHostEntry | undefined {
  if (text === '' || text.startsWith('#')) return undefined;
  const fields = text.split(/\s+/);
  let marker: KnownHostEntry['marker'];
  if (fields[0].startsWith('@')) {
    const m = fields.shift()!;
    if (m !== '@cert-authority' && m !== '@revoked') return undefined;
    marker = m === '@revoked' ? 'revoked' : 'cert-authority';
  }
  if (fields.length < 3) return undefined;
  const [hosts, , b64] = fields;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const key = Buffer.from(b64, 'base64');
  const keyType = keyTypeOf(key);
  if (keyType === undefined) return undefined;
  return { file, line, marker, hosts, keyType, key };
}

/** The key type written at the start of an SSH public key blob, or undefined if the blob is malformed. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function lookupName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Whether a host field (pattern list or hashed entry) names this host and port. */
export function hostMatches(hosts: string, host: string, port: number): boolean {
  const name = lookupName(host, port);
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    if (!wildcardMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false; // a matching negation vetoes the whole line
    matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && want.equals(got);
}

function wildcardMatches(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`).test(name);
}

/** Decides on a presented key: revoked beats known, known beats changed, and no entry at all is unknown. */
export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  // CA lines vouch for certificates, which are not plain host keys: they neither accept nor refuse one.
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && hostMatches(e.hosts, host, port));
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = mine.filter((e) => e.marker === undefined);
  const known = plain.find((e) => e.key.equals(blob));
  if (known) return { kind: 'known', entry: known };
  // Any known key for this host means the host has an identity; a different key, even of another
  // type, is not silently trusted (a man in the middle could offer just a type we never saw).
  if (!plain.length) return { kind: 'unknown' };
  const type = keyTypeOf(blob);
  // The key of the presented type is the one that changed: it goes first.
  return { kind: 'changed', entries: [...plain.filter((e) => e.keyType === type), ...plain.filter((e) => e.keyType !== type)] };
}

/** OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A known_hosts line recording a key for a host (plain, not hashed, so people can read and edit it). */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${lookupName(host, port)} ${keyTypeOf(blob) ?? 'unknown'} ${blob.toString('base64')}`;
}

// Signature algorithms that prove a key of each type (RSA keys sign with several).
const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key algorithms to ask for first, so the server proves a key we already know (as OpenSSH does)
 * instead of one of another type we would have to refuse.
 */
export function preferredHostKeyAlgorithms(entries: KnownHostEntry[], host: string, port: number): string[] {
  const types = new Set(entries.filter((e) => e.marker === undefined && hostMatches(e.hosts, host, port)).map((e) => e.keyType));
  // In ALGORITHMS' order (strongest first, as ssh2 and OpenSSH prefer), not the file's.
  return Object.entries(ALGORITHMS).flatMap(([type, algs]) => (types.has(type) ? algs : []));
}
