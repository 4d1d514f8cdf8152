/** How the SSH handshake is steered: host key algorithms to ask for, and the authentication order. Used by ssh-dial.ts only. */
import { createRequire } from 'node:module';
import type { AuthenticationType, ConnectConfig, NextAuthHandler, ServerHostKeyAlgorithm } from 'ssh2';
import { preferredHostKeyAlgorithms, type KnownHostEntry } from './known-hosts.js';
import type { AuthCandidate } from './ssh-auth.js';
import type { SshTarget } from './target.js';

// ssh2 is required when a key is first offered (ssh.ts loaded it by then, with node-ssh), not with the CLI
const require = createRequire(import.meta.url);
const parseKey = (key: Parameters<typeof import('ssh2').utils.parseKey>[0]) => (require('ssh2') as typeof import('ssh2')).utils.parseKey(key);

// Ask for the key types known_hosts holds first, so a host with several keys proves one we know.
export function hostKeyAlgorithms(entries: KnownHostEntry[], t: SshTarget): ConnectConfig['algorithms'] {
  const prefs = preferredHostKeyAlgorithms(entries, t.address, t.port);
  if (!prefs.length) return undefined;
  const algs = prefs as ServerHostKeyAlgorithm[];
  // ssh2 applies these in key order: take them out of the default list, then put them in front.
  return { serverHostKey: { remove: algs, prepend: algs, append: [] } };
}

// Offers each candidate in turn, skipping those the server does not take, and notes what was tried
// so that an authentication failure can say so. A password is offered as `password`, then as
// `keyboard-interactive` (servers that only let PAM ask for it).
export function authHandler(username: string, candidates: AuthCandidate[], tried: string[]) {
  type Attempt = AuthCandidate | { kind: 'kbdint'; password: string };
  const queue = candidates.flatMap((c): Attempt[] => (c.kind === 'password' ? [c, { kind: 'kbdint', password: c.password.value }] : [c]));
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler): void => {
    const allowed = (m: AuthenticationType) => !methodsLeft || methodsLeft.includes(m);
    for (let a = queue.shift(); a; a = queue.shift()) {
      if (a.kind === 'key' && allowed('publickey')) {
        const parsed = parseKey(a.key);
        if (parsed instanceof Error) {
          const why = /passphrase/i.test(parsed.message) ? 'needs a passphrase; add it to ssh-agent' : 'not a private key';
          tried.push(`key ${a.path} (skipped: ${why})`);
          continue;
        }
        tried.push(`key ${a.path}`);
        return next({ type: 'publickey', username, key: a.key });
      }
      if (a.kind === 'agent' && allowed('publickey')) {
        tried.push('ssh-agent');
        return next({ type: 'agent', username, agent: a.socket });
      }
      if (a.kind === 'password' && allowed('password')) {
        tried.push('password');
        return next({ type: 'password', username, password: a.password.value });
      }
      if (a.kind === 'kbdint' && allowed('keyboard-interactive')) {
        tried.push('keyboard-interactive');
        const pw = a.password;
        return next({ type: 'keyboard-interactive', username, prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => pw)) });
      }
    }
    // false means "nothing left to try" to ssh2, though its type declarations leave it out.
    return (next as unknown as (last: false) => void)(false);
  };
}
