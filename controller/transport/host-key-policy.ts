/**
 * What muster does with a presented SSH host key: accept a known one, record a new one only when told to,
 * and always refuse a changed or revoked one. Pure: the caller reads the files and writes the record.
 */
import { MusterError } from '../../shared/errors.js';
import { checkHostKey, fingerprint, keyTypeOf, knownHostsLine, type KnownHostEntry } from './known-hosts.js';

/** The decision on one presented key. */
export type HostKeyDecision =
  | { action: 'accept' }
  | { action: 'record'; line: string } // accept, and append `line` to muster's known_hosts
  | { action: 'refuse'; error: MusterError };

/** Everything the decision depends on. */
export interface HostKeyQuestion {
  host: string; // inventory name, for the error
  address: string; // what known_hosts is searched for (ansible_host)
  port: number;
  key: Buffer;
  entries: KnownHostEntry[];
  acceptNew: boolean;
  musterKnownHosts: string; // where a new key would be recorded
}

/** Decides on a presented host key (see the module comment). */
export function decideHostKey(q: HostKeyQuestion): HostKeyDecision {
  const verdict = checkHostKey(q.entries, q.address, q.port, q.key);
  const presented = `${keyTypeOf(q.key) ?? 'unknown'} key ${fingerprint(q.key)}`;
  const target = q.port === 22 ? q.address : `${q.address}:${q.port}`;
  switch (verdict.kind) {
    case 'known':
      return { action: 'accept' };
    case 'unknown':
      if (q.acceptNew) return { action: 'record', line: knownHostsLine(q.address, q.port, q.key) };
      return refuse(
        q.host,
        `unknown SSH host key for ${target}: ${presented}`,
        `check the fingerprint (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${shortType(q.key)}_key.pub), ` +
          `then rerun with --accept-new-host-keys to record it in ${q.musterKnownHosts}`,
      );
    case 'revoked':
      return refuse(
        q.host,
        `revoked SSH host key for ${target}: ${presented} (marked @revoked at ${where(verdict.entry)})`,
        'the host presents a key that was revoked; find out why before trusting this host',
      );
    case 'changed': {
      const expected = verdict.entries.map((e) => `${e.keyType} ${fingerprint(e.key)} at ${where(e)}`);
      return refuse(
        q.host,
        `SSH host key for ${target} has CHANGED: presented ${presented}, expected ${expected.join('; or ')}`,
        'someone may be intercepting the connection; if the host was reinstalled or its keys regenerated, ' +
          `remove the old entry (${where(verdict.entries[0])}; e.g. ssh-keygen -R ${quoteIfNeeded(knownName(q))} -f ${verdict.entries[0].file}) ` +
          'and connect again',
      );
    }
  }
}

function refuse(host: string, message: string, hint: string): HostKeyDecision {
  return { action: 'refuse', error: new MusterError('E_HOSTKEY', message, { host, hint }) };
}

function where(e: KnownHostEntry): string {
  return `${e.file}:${e.line}`;
}

function knownName(q: HostKeyQuestion): string {
  return q.port === 22 ? q.address : `[${q.address}]:${q.port}`;
}

function quoteIfNeeded(word: string): string {
  return /^[A-Za-z0-9_.:-]+$/.test(word) ? word : `'${word}'`;
}

// The file name part OpenSSH uses for each key type's host key.
function shortType(key: Buffer): string {
  const t = keyTypeOf(key) ?? '';
  if (t.startsWith('ecdsa')) return 'ecdsa';
  if (t === 'ssh-ed25519') return 'ed25519';
  if (t === 'ssh-rsa') return 'rsa';
  return '*';
}
