/**
 * Dialling one SSH connection: the host key checked against the known_hosts files (and recorded under
 * accept-new), the user authenticated with the candidates ssh-auth.ts finds, keepalives set, and the
 * connection watched so the transport knows when it died.
 */
import type { Config, NodeSSH } from 'node-ssh';
import type { MusterError } from '../../shared/errors.js';
import { decideHostKey } from './host-key-policy.js';
import { appendKnownHost, loadKnownHosts } from './known-hosts-file.js';
import type { ConnectOptions } from './options.js';
import { authCandidates, keyCandidates } from './ssh-auth.js';
import { unreachable, type ConnectFailure } from './ssh-errors.js';
import { authHandler, hostKeyAlgorithms } from './ssh-handshake.js';
import type { Session } from './ssh-session.js';
import type { SshTarget } from './target.js';

/** A silent peer is declared gone after KEEPALIVE_MS * KEEPALIVE_COUNT (a long command sends nothing). */
const KEEPALIVE_MS = 15_000;
const KEEPALIVE_COUNT = 4;

/** How to dial: keysOnly offers no password (tryKeyLogin); `tried` collects what was offered, in order. */
export interface DialHow {
  keysOnly?: boolean;
  tried?: string[];
}

/** A new connection to the target; throws E_HOSTKEY for a refused host key, E_UNREACHABLE for the rest. */
export async function dial(t: SshTarget, opts: ConnectOptions, how: DialHow = {}): Promise<Session> {
  const trusted = [...(t.knownHostsFiles ?? opts.knownHostsFiles), opts.musterKnownHosts];
  const entries = await loadKnownHosts([...new Set(trusted)]);
  const all = await authCandidates(t);
  const candidates = how.keysOnly ? keyCandidates(all) : all;
  const tried = how.tried ?? [];
  let refusal: MusterError | undefined;
  let record: string | undefined;

  // loaded here, not with the CLI: ssh2's Poly1305 WebAssembly takes 16 MB, which `muster serve` never needs
  const ssh = new (await import('node-ssh')).NodeSSH();
  const config: Config = {
    host: t.address,
    port: t.port,
    username: t.user,
    readyTimeout: opts.connectTimeoutMs,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: KEEPALIVE_COUNT,
    algorithms: hostKeyAlgorithms(entries, t),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      const d = decideHostKey({
        host: t.host,
        address: t.address,
        port: t.port,
        key,
        entries,
        acceptNew: opts.acceptNewHostKeys,
        musterKnownHosts: opts.musterKnownHosts,
      });
      if (d.action === 'refuse') refusal = d.error;
      if (d.action === 'record') record = d.line;
      verify(d.action !== 'refuse');
    },
    authHandler: authHandler(t.user, candidates, tried),
  };
  try {
    await ssh.connect(config);
  } catch (err) {
    ssh.dispose();
    if (refusal) throw refusal;
    const failure = err as ConnectFailure;
    // An authentication failure comes after the key exchange proved the host key: keep it.
    if (record && failure.level === 'client-authentication') await appendKnownHost(opts.musterKnownHosts, record);
    throw unreachable(failure, t, { tried, timeoutMs: opts.connectTimeoutMs, verbosity: opts.verbosity });
  }
  if (record) await appendKnownHost(opts.musterKnownHosts, record);
  return watch(ssh);
}

// Keeps track of the connection's health so the next exec knows to reconnect.
function watch(ssh: NodeSSH): Session {
  const session: Session = { ssh, alive: true };
  const conn = ssh.connection!;
  conn.on('error', (err: Error) => {
    session.lastError = err;
  });
  conn.on('close', () => {
    session.alive = false;
  });
  return session;
}
