/** The security modules: host firewalls (ufw, iptables), SSH known hosts and key pairs. */
import type { Module } from '../types.js';
import { iptables } from './iptables.js';
import { knownHosts } from './known-hosts.js';
import { opensshKeypair } from './openssh-keypair.js';
import { ufwModule } from './ufw.js';

/** One line each for the modules reference page (docs.ts reads `summary`). */
const summaries: Record<string, string> = {
  ufw: 'ufw enabled/disabled/reloaded/reset, default policies, log level, and one rule added or deleted (ufw --dry-run decides); reloaded and reset always change.',
  iptables: 'One iptables/ip6tables rule present or absent (`iptables -C` decides), a chain policy, a flush, or a user chain created/deleted.',
  known_hosts: "A host's SSH key present in (or absent from) a known_hosts file, hashed entries (|1|salt|hash) read and, with hash_host, written.",
  openssh_keypair: 'An SSH key pair made by ssh-keygen on the host, regenerated only as `regenerate` says; returns filename, fingerprint, public_key, comment.',
};

/** Every security module, for the registry. */
export const modules: Module[] = [ufwModule, iptables, knownHosts, opensshKeypair].map((m) => ({ ...m, summary: summaries[m.name] }));
