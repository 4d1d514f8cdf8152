/** How the CLI opens transports: known_hosts files, accept-new policy, timeouts. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '../command.js';
import type { Vars } from '../modules/types.js';
import { openTransport } from '../transport/open.js';
import type { Transport } from '../transport/types.js';

export interface ConnectFlags {
  acceptNewHostKeys: boolean;
  timeoutS: number;
  becomePassword?: Secret;
  verbosity: number;
  user?: string;
  privateKey?: string;
}

/** muster's own known_hosts (MUSTER_KNOWN_HOSTS overrides). */
export function musterKnownHosts(): string {
  return process.env.MUSTER_KNOWN_HOSTS ?? join(homedir(), '.config', 'muster', 'known_hosts');
}

/** A `connect(host, vars)` for the runner. Command-line -u/--private-key fill in what the inventory leaves out. */
export function connector(f: ConnectFlags): (host: string, vars: Vars) => Transport {
  return (host, vars) => {
    const v = { ...vars };
    if (f.user && v.ansible_user === undefined) v.ansible_user = f.user;
    if (f.privateKey && v.ansible_ssh_private_key_file === undefined) v.ansible_ssh_private_key_file = f.privateKey;
    return openTransport(host, v, {
      knownHostsFiles: [join(homedir(), '.ssh', 'known_hosts')],
      musterKnownHosts: musterKnownHosts(),
      acceptNewHostKeys: f.acceptNewHostKeys,
      connectTimeoutMs: f.timeoutS * 1000,
      becomePassword: f.becomePassword,
      verbosity: f.verbosity,
    });
  };
}
