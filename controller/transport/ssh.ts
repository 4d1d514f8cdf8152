/**
 * SSH transport: one node-ssh (ssh2) connection per host, opened on first use and shared by every exec
 * as separate channels. The only file that talks to node-ssh or ssh2.
 */
import { Readable } from 'node:stream';
import { NodeSSH, type Config } from 'node-ssh';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ClientChannel, ConnectConfig, NextAuthHandler } from 'ssh2';
import type { Script } from '../command.js';
import { MusterError } from '../errors.js';
import { decideHostKey } from './host-key-policy.js';
import { preferredHostKeyAlgorithms, type KnownHostEntry } from './known-hosts.js';
import { appendKnownHost, loadKnownHosts } from './known-hosts-file.js';
import type { ConnectOptions } from './options.js';
import { toExecResult, type RawOutcome } from './output.js';
import { Slots } from './slots.js';
import { authCandidates, type AuthCandidate } from './ssh-auth.js';
import { dropped, unreachable, type ConnectFailure } from './ssh-errors.js';
import type { SshTarget } from './target.js';
import type { Become, ExecOptions, ExecResult, Transport } from './types.js';
import { wrapCommand, type Wrapped } from './wrap.js';

/**
 * Channels open at once per connection. sshd refuses sessions beyond MaxSessions (10 by default),
 * so later execs wait their turn instead of failing.
 */
export const MAX_CHANNELS = 8;
/** A silent peer is declared gone after KEEPALIVE_MS * KEEPALIVE_COUNT (a long command sends nothing). */
const KEEPALIVE_MS = 15_000;
const KEEPALIVE_COUNT = 4;

interface Session {
  ssh: NodeSSH;
  alive: boolean;
  lastError?: Error;
}

/** A host reached over SSH; see the module comment. */
export class SshTransport implements Transport {
  readonly host: string;
  private session?: Promise<Session>;
  private readonly slots = new Slots(MAX_CHANNELS);

  constructor(
    private readonly target: SshTarget,
    private readonly opts: ConnectOptions,
  ) {
    this.host = target.host;
  }

  /** Opens the connection once; concurrent callers share the same attempt. Throws E_UNREACHABLE / E_HOSTKEY. */
  async connect(): Promise<void> {
    await this.open();
  }

  /** Runs the script in a new channel of the shared connection (reconnecting if it was dropped). */
  async exec(script: Script, opts: ExecOptions = {}): Promise<ExecResult> {
    const become = opts.become && { user: opts.become.user || 'root', password: opts.become.password ?? this.opts.becomePassword };
    const wrapped = wrapCommand(script, { ...opts, become });
    const raw = await this.slots.run(async () => this.run(await this.open(), wrapped, opts.timeoutMs));
    return toExecResult(raw, { host: this.host, become: become as Become | undefined, marker: wrapped.marker });
  }

  /** Drops the connection; the next exec opens a new one. */
  async reset(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    const s = await pending?.catch(() => undefined);
    if (s) await hangUp(s);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.reset();
  }

  private open(): Promise<Session> {
    if (!this.session) {
      const attempt = this.dial();
      this.session = attempt;
      attempt.catch(() => {
        if (this.session === attempt) this.session = undefined;
      });
    }
    return this.session;
  }

  private async dial(): Promise<Session> {
    const t = this.target;
    const trusted = [...(t.knownHostsFiles ?? this.opts.knownHostsFiles), this.opts.musterKnownHosts];
    const entries = await loadKnownHosts([...new Set(trusted)]);
    const candidates = await authCandidates(t);
    const tried: string[] = [];
    let refusal: MusterError | undefined;
    let record: string | undefined;

    const ssh = new NodeSSH();
    const config: Config = {
      host: t.address,
      port: t.port,
      username: t.user,
      readyTimeout: this.opts.connectTimeoutMs,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_COUNT,
      algorithms: hostKeyAlgorithms(entries, t),
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const d = decideHostKey({
          host: t.host, address: t.address, port: t.port, key, entries,
          acceptNew: this.opts.acceptNewHostKeys, musterKnownHosts: this.opts.musterKnownHosts,
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
      if (record && failure.level === 'client-authentication') await appendKnownHost(this.opts.musterKnownHosts, record);
      throw unreachable(failure, t, { tried, timeoutMs: this.opts.connectTimeoutMs, verbosity: this.opts.verbosity });
    }
    if (record) await appendKnownHost(this.opts.musterKnownHosts, record);
    return this.watch(ssh);
  }

  // Keeps track of the connection's health so the next exec knows to reconnect.
  private watch(ssh: NodeSSH): Session {
    const session: Session = { ssh, alive: true };
    const conn = ssh.connection!;
    conn.on('error', (err: Error) => {
      session.lastError = err;
    });
    conn.on('close', () => {
      session.alive = false;
      void this.session?.then((s) => {
        if (s === session) this.session = undefined;
      }, () => undefined);
    });
    return session;
  }

  private async run(session: Session, wrapped: Wrapped, timeoutMs: number | undefined): Promise<RawOutcome> {
    const out: RawOutcome = { code: null, signal: null, stdout: [], stderr: [] };
    let timer: NodeJS.Timeout | undefined;
    const onChannel = (ch: ClientChannel) => {
      if (!timeoutMs || timeoutMs <= 0) return;
      timer = setTimeout(() => {
        out.timedOutMs = timeoutMs;
        ch.signal('KILL');
        ch.close();
      }, timeoutMs);
    };
    try {
      const res = await session.ssh.execCommand(wrapped.script.text, {
        noTrim: true,
        stdin: wrapped.stdin && Readable.from([wrapped.stdin]),
        onChannel,
        onStdout: (b) => out.stdout.push(b),
        onStderr: (b) => out.stderr.push(b),
      });
      out.code = res.code;
      out.signal = res.signal;
    } catch (err) {
      if (!session.alive || !session.ssh.isConnected()) throw dropped(this.target, err as Error);
      throw new MusterError('E_UNREACHABLE', `cannot start a command on ${this.target.address}: ${(err as Error).message}`, {
        host: this.host,
        hint: 'sshd refused a new session; check MaxSessions in sshd_config',
        cause: err,
      });
    } finally {
      clearTimeout(timer);
    }
    // sshd always reports an exit status or signal before closing a channel; without one, the peer is gone.
    if (out.code === null && out.signal === null && out.timedOutMs === undefined) {
      session.alive = false;
      void this.reset();
      throw dropped(this.target, session.lastError);
    }
    return out;
  }
}

// Ask for the key types known_hosts holds first, so a host with several keys proves one we know.
function hostKeyAlgorithms(entries: KnownHostEntry[], t: SshTarget): ConnectConfig['algorithms'] {
  const prefs = preferredHostKeyAlgorithms(entries, t.address, t.port);
  if (!prefs.length) return undefined;
  return { serverHostKey: { remove: prefs, prepend: prefs } as never };
}

// Offers each candidate in turn, skipping those the server does not take, and notes what was tried
// so that an authentication failure can say so. A password is offered as `password`, then as
// `keyboard-interactive` (servers that only let PAM ask for it).
function authHandler(username: string, candidates: AuthCandidate[], tried: string[]) {
  type Attempt = AuthCandidate | { kind: 'kbdint'; password: string };
  const queue = candidates.flatMap((c): Attempt[] =>
    c.kind === 'password' ? [c, { kind: 'kbdint', password: c.password.value }] : [c],
  );
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler): void => {
    const allowed = (m: AuthenticationType) => !methodsLeft || methodsLeft.includes(m);
    for (let a = queue.shift(); a; a = queue.shift()) {
      if (a.kind === 'key' && allowed('publickey')) {
        const parsed = ssh2.utils.parseKey(a.key);
        if (parsed instanceof Error) {
          const why = /passphrase/i.test(parsed.message) ? 'needs a passphrase; add it to ssh-agent' : 'not a private key';
          tried.push(`key ${a.path} (skipped: ${why})`);
          continue;
        }
        tried.push(`key ${a.path}`);
        return next({ type: 'publickey', username, key: a.key } as AnyAuthMethod);
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
    return next(false as never);
  };
}

async function hangUp(s: Session): Promise<void> {
  const conn = s.ssh.connection;
  if (!conn || !s.alive) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    conn.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    s.ssh.dispose();
  });
}
