/** The ways muster may log in to a host, in the order it offers them (as OpenSSH does). */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import { expandHome } from './home.js';
import type { SshTarget } from './target.js';

/** One way to authenticate. */
export type AuthCandidate = { kind: 'key'; path: string; key: Buffer } | { kind: 'agent'; socket: string } | { kind: 'password'; password: Secret };

/** OpenSSH's default identities, tried when the inventory names none. */
export const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The inventory's key file; then ssh-agent; then, when no key file is named, the default keys that
 * exist; then the password. A named key file that is missing is an error: skipping it would hide typos.
 */
export async function authCandidates(target: SshTarget, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): Promise<AuthCandidate[]> {
  const out: AuthCandidate[] = [];
  if (target.keyFile) {
    const path = expandHome(target.keyFile, home);
    const key = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new MusterError('E_UNREACHABLE', `cannot read the SSH key ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, {
        host: target.host,
        hint: 'fix ansible_ssh_private_key_file in the inventory',
        cause: err,
      });
    });
    out.push({ kind: 'key', path, key });
  }
  if (env.SSH_AUTH_SOCK) out.push({ kind: 'agent', socket: env.SSH_AUTH_SOCK });
  if (!target.keyFile) {
    for (const name of DEFAULT_KEYS) {
      const path = join(home, '.ssh', name);
      const key = await readFile(path).catch(() => undefined);
      if (key) out.push({ kind: 'key', path, key });
    }
  }
  if (target.password) out.push({ kind: 'password', password: target.password });
  return out;
}

/** The candidates that prove a key (key files, ssh-agent): what a login with passwords switched off could use. */
export function keyCandidates(candidates: AuthCandidate[]): AuthCandidate[] {
  return candidates.filter((c) => c.kind !== 'password');
}
