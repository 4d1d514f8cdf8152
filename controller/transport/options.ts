/** What every transport of a run shares: where host keys are trusted from, and connection limits. */
import type { Secret } from '../command.js';

/** Connection settings decided by the CLI for the whole run. */
export interface ConnectOptions {
  /** known_hosts files to trust (normally ~/.ssh/known_hosts), read only. */
  knownHostsFiles: string[];
  /** muster's own known_hosts: trusted too, and where --accept-new-host-keys records new keys. */
  musterKnownHosts: string;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  /** -K: the sudo password when neither the task nor ansible_become_password gives one. */
  becomePassword?: Secret;
  /** -v count; at 3 and more, connection errors carry the library's own words. */
  verbosity?: number;
  /** Run execs in long-lived remote shells (default: unless env MUSTER_SSH_SHELL=0). */
  shells?: boolean;
}
