/**
 * SSH transport: one connection per host (ssh-dial.ts), opened on first use and shared by every exec.
 * An exec runs in a long-lived shell of that connection (shell.ts: a round trip instead of a new sshd
 * session), or, with a sudo password or MUSTER_SSH_SHELL=0, in a channel of its own (ssh-session.ts).
 * ssh-dial.ts, ssh-session.ts, ssh-channel.ts and ssh-handshake.ts are the only files that talk to node-ssh or ssh2.
 */
import type { Duplex } from 'node:stream';
import type { Script } from '../command.js';
import { MusterError } from '../../shared/errors.js';
import type { ConnectOptions } from './options.js';
import { toExecResult, type RawOutcome } from './output.js';
import { Slots } from './slots.js';
import { authCandidates, keyCandidates } from './ssh-auth.js';
import { dial } from './ssh-dial.js';
import { execChannel, hangUp, openShell, openStream, peerGone, type Session } from './ssh-session.js';
import { ShellGone } from './shell.js';
import { ShellPool } from './shell-pool.js';
import { dropped } from './ssh-errors.js';
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
/** How long cleaning up after a timed-out command may take. */
const REAP_TIMEOUT_MS = 10_000;

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
    session.shells ??= new ShellPool((user) => openShell(session, this.target, user), MAX_SHELLS);
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
      const s = await dial(this.target, this.opts, { keysOnly: true, tried });
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
  async openStream(to: { socket: string } | { command: Script }): Promise<Duplex> {
    return openStream(await this.open(), this.target, to);
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
        attempt = dial(this.target, this.opts);
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

  private async run(session: Session, wrapped: Wrapped, timeoutMs: number | undefined): Promise<RawOutcome> {
    const out = await execChannel(session, this.target, wrapped, timeoutMs);
    if (peerGone(out)) {
      session.alive = false;
      void this.reset();
      throw dropped(this.target, session.lastError);
    }
    return out;
  }
}
