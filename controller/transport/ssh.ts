/**
 * SSH transport: one node-ssh (ssh2) connection per host, opened on first use and shared by every exec.
 * An exec runs in a long-lived shell of that connection (shell.ts: a round trip instead of a new sshd
 * session), or, with a sudo password or MUSTER_SSH_SHELL=0, in a channel of its own.
 * With ssh-channel.ts and ssh-handshake.ts, the only files that talk to node-ssh or ssh2.
 */
import type { Config, NodeSSH } from 'node-ssh';
import type { Script } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import { decideHostKey } from './host-key-policy.js';
import { appendKnownHost, loadKnownHosts } from './known-hosts-file.js';
import type { ConnectOptions } from './options.js';
import { toExecResult, type RawOutcome } from './output.js';
import { Slots } from './slots.js';
import { authCandidates, keyCandidates } from './ssh-auth.js';
import { collect } from './ssh-channel.js';
import { authHandler, hostKeyAlgorithms } from './ssh-handshake.js';
import { RemoteShell, ShellGone } from './shell.js';
import { ShellPool } from './shell-pool.js';
import { shellCommand } from './shell-protocol.js';
import { dropped, sessionRefused, unreachable, type ConnectFailure } from './ssh-errors.js';
import type { SshTarget } from './target.js';
import type { Become, ExecOptions, ExecResult, KeyLogin, Transport } from './types.js';
import { innerScript, newRunId, reapScript, tagScript, wrapCommand, type Wrapped } from './wrap.js';

/**
 * Channels open at once per connection. sshd refuses sessions beyond MaxSessions (10 by default),
 * so later execs wait their turn instead of failing.
 */
export const MAX_CHANNELS = 8;
/** Long-lived shells per connection (all users together); the rest of MAX_CHANNELS is for one-off execs. */
export const MAX_SHELLS = 6;
/** How long a shell may take to answer after a command timed out before it is dropped. */
const SHELL_GRACE_MS = 5_000;
/** Shells tried for one exec when each is found dead before it took the command. */
const SHELL_ATTEMPTS = 3;
/** A silent peer is declared gone after KEEPALIVE_MS * KEEPALIVE_COUNT (a long command sends nothing). */
const KEEPALIVE_MS = 15_000;
const KEEPALIVE_COUNT = 4;
/** How long cleaning up after a timed-out command may take. */
const REAP_TIMEOUT_MS = 10_000;

interface Session {
  ssh: NodeSSH;
  alive: boolean;
  lastError?: Error;
  shells?: ShellPool;
}

/** A host reached over SSH; see the module comment. */
export class SshTransport implements Transport {
  readonly host: string;
  private session?: Promise<Session>;
  private readonly useShells: boolean;
  private readonly slots: Slots;

  constructor(
    private readonly target: SshTarget,
    private readonly opts: ConnectOptions,
  ) {
    this.host = target.host;
    this.useShells = opts.shells ?? process.env.MUSTER_SSH_SHELL !== '0';
    this.slots = new Slots(this.useShells ? MAX_CHANNELS - MAX_SHELLS : MAX_CHANNELS);
  }

  /** Opens the connection once; concurrent callers share the same attempt. Throws E_UNREACHABLE / E_HOSTKEY. */
  async connect(): Promise<void> {
    await this.open();
  }

  /** Runs the script in a long-lived shell, or a channel of its own (see the module comment); reconnects if dropped. */
  async exec(script: Script, opts: ExecOptions = {}): Promise<ExecResult> {
    const become: Become | undefined = opts.become && {
      user: opts.become.user || 'root',
      password: opts.become.password ?? this.opts.becomePassword,
    };
    // A sudo password goes through stdin before the command: that stays a one-off exec.
    if (this.useShells && !become?.password) {
      const raw = await this.execInShell(script, opts, become?.user);
      if (raw) return toExecResult(raw, { host: this.host, become });
    }
    const runId = become && opts.timeoutMs ? newRunId() : undefined;
    const wrapped = wrapCommand(runId ? tagScript(script, runId) : script, { ...opts, become });
    const raw = await this.slots.run(async () => this.run(await this.open(), wrapped, opts.timeoutMs));
    if (raw.timedOutMs !== undefined && runId) await this.reap(runId, become);
    return toExecResult(raw, { host: this.host, become, marker: wrapped.marker });
  }

  // Our signal cannot reach a command sudo runs as root: sudo itself, by tag, kills what timed out.
  private async reap(runId: string, become: Become | undefined): Promise<void> {
    const wrapped = wrapCommand(reapScript(runId), { become });
    await this.slots.run(async () => this.run(await this.open(), wrapped, REAP_TIMEOUT_MS)).catch(() => undefined);
  }

  // Undefined when no shell can serve this user (sudo refused it, say): the caller takes the one-off path.
  private async execInShell(script: Script, opts: ExecOptions, becomeUser: string | undefined): Promise<RawOutcome | undefined> {
    const session = await this.open();
    session.shells ??= new ShellPool((user) => this.startShell(session, user), MAX_SHELLS);
    const req = {
      script: Buffer.from(innerScript(script, opts).text),
      stdin: opts.stdin === undefined ? undefined : Buffer.from(opts.stdin),
      timeoutMs: opts.timeoutMs,
    };
    // A shell found dead before it took the command (killed while idle) is replaced, and the command sent again.
    for (let attempt = 1; ; attempt++) {
      try {
        return (await session.shells.use(becomeUser, (shell) => shell.run(req, SHELL_GRACE_MS)))?.value;
      } catch (err) {
        const unsent = err instanceof ShellGone && err.exited && !err.ran && session.alive;
        if (!unsent || attempt >= SHELL_ATTEMPTS) return this.shellDied(session, err as Error);
      }
    }
  }

  // A shell gone with the connection is a dropped connection, as for a one-off exec; a shell that died on
  // its own (killed, out of memory) is reported like a killed command, and the next exec opens a new one.
  private shellDied(session: Session, err: Error): RawOutcome {
    if (err instanceof MusterError) throw err;
    if (!session.alive || (err instanceof ShellGone && !err.exited)) {
      session.alive = false;
      void this.reset();
      throw dropped(this.target, session.lastError);
    }
    const gone = err instanceof ShellGone ? err : undefined;
    const note = `muster: the remote shell died while the command ran (${err.message})\n${gone?.stderr ?? ''}`;
    return { code: gone?.code ?? (gone?.signal ? null : 255), signal: gone?.signal ?? null, stdout: [], stderr: [Buffer.from(note)] };
  }

  // Opens a channel running the shell loop and waits until it is ready.
  private async startShell(session: Session, becomeUser: string | undefined): Promise<RemoteShell> {
    const conn = session.ssh.connection;
    if (!conn || !session.alive) throw dropped(this.target, session.lastError);
    const shell = await new Promise<RemoteShell>((resolve, reject) => {
      // The shell's listeners go on in the callback itself, as in run().
      conn.exec(shellCommand(becomeUser).text, (err, ch) => (err ? reject(err) : resolve(new RemoteShell(ch))));
    }).catch((err: Error) => {
      throw session.alive
        ? sessionRefused(this.target, 'a shell', err, 'sshd refused a new session; check MaxSessions in sshd_config (muster needs 8)')
        : dropped(this.target, err);
    });
    await shell.ready();
    return shell;
  }

  /**
   * A new connection with this host's settings offering keys only, closed at once: whether sshd would
   * still let this user in with password logins switched off. A refused host key propagates (E_HOSTKEY).
   */
  async tryKeyLogin(): Promise<KeyLogin> {
    const user = this.target.user;
    if (!keyCandidates(await authCandidates(this.target)).length) {
      return {
        ok: false,
        user,
        reason: 'no key to offer: no ansible_ssh_private_key_file, no ssh-agent, no ~/.ssh/id_* key (this host is reached with a password)',
      };
    }
    const tried: string[] = [];
    try {
      const s = await this.dial({ keysOnly: true, tried });
      await hangUp(s);
      return { ok: true, user, via: tried.at(-1) ?? 'a key' };
    } catch (err) {
      if (!(err instanceof MusterError) || err.code !== 'E_UNREACHABLE') throw err;
      return { ok: false, user, reason: err.message };
    }
  }

  /**
   * A byte stream over this connection: to a Unix socket on the host (sshd's streamlocal forwarding, as
   * `ssh -L ...:/var/run/docker.sock`), or to a command's stdin and stdout (`{ command }`, a channel of its
   * own). No port is opened on either side; the caller ends the stream.
   */
  async openStream(to: { socket: string } | { command: Script }): Promise<import('node:stream').Duplex> {
    const session = await this.open();
    const conn = session.ssh.connection;
    if (!conn || !session.alive) throw dropped(this.target, session.lastError);
    return new Promise((resolve, reject) => {
      const done = (err: Error | undefined, ch: import('node:stream').Duplex) => (err ? reject(err) : resolve(ch));
      if ('socket' in to) conn.openssh_forwardOutStreamLocal(to.socket, done);
      else conn.exec(to.command.text, done);
    });
  }

  /** Drops the connection and its shells; the next exec opens a new one. */
  async reset(): Promise<void> {
    const pending = this.session;
    this.session = undefined;
    const s = await pending?.catch(() => undefined);
    s?.shells?.close();
    if (s) await hangUp(s);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.reset();
  }

  // The live session, dialling when there is none or the last one died (concurrent callers share one dial).
  private async open(): Promise<Session> {
    for (;;) {
      let attempt = this.session;
      if (!attempt) {
        attempt = this.dial();
        this.session = attempt;
        const mine = attempt;
        mine.catch(() => {
          if (this.session === mine) this.session = undefined;
        });
      }
      const s = await attempt;
      if (s.alive) return s;
      if (this.session === attempt) this.session = undefined;
    }
  }

  // keysOnly: offer no password (tryKeyLogin); `tried` collects what was offered, in order.
  private async dial(how: { keysOnly?: boolean; tried?: string[] } = {}): Promise<Session> {
    const t = this.target;
    const trusted = [...(t.knownHostsFiles ?? this.opts.knownHostsFiles), this.opts.musterKnownHosts];
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
      readyTimeout: this.opts.connectTimeoutMs,
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
          acceptNew: this.opts.acceptNewHostKeys,
          musterKnownHosts: this.opts.musterKnownHosts,
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
    });
    return session;
  }

  private async run(session: Session, wrapped: Wrapped, timeoutMs: number | undefined): Promise<RawOutcome> {
    const conn = session.ssh.connection;
    if (!conn || !session.alive) throw dropped(this.target, session.lastError);
    // Listeners go on in the exec callback itself: a quick command's output, exit status and close may
    // arrive in the same packet batch as the exec confirmation.
    const out = await new Promise<RawOutcome>((resolve, reject) => {
      conn.exec(wrapped.script.text, (err, ch) => (err ? reject(err) : collect(ch, wrapped.stdin, timeoutMs).then(resolve)));
    }).catch((err: Error) => {
      throw session.alive
        ? sessionRefused(this.target, 'a command', err, 'sshd refused a new session; check MaxSessions in sshd_config')
        : dropped(this.target, err);
    });
    // sshd always reports an exit status or signal before closing a channel; without one, the peer is gone.
    if (out.code === null && out.signal === null && out.timedOutMs === undefined) {
      session.alive = false;
      void this.reset();
      throw dropped(this.target, session.lastError);
    }
    return out;
  }
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
