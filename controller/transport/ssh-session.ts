/**
 * One live SSH connection and the channels opened on it: a one-off exec, a long-lived shell, a byte
 * stream (a Unix socket on the host or a command's stdin and stdout), and hanging up.
 */
import type { Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import type { Script } from '../command.js';
import type { RawOutcome } from './output.js';
import { RemoteShell } from './shell.js';
import type { ShellPool } from './shell-pool.js';
import { shellCommand } from './shell-protocol.js';
import { collect } from './ssh-channel.js';
import { dropped, sessionRefused } from './ssh-errors.js';
import type { SshTarget } from './target.js';
import type { Wrapped } from './wrap.js';

/** A dialled connection: alive until sshd or the network closes it; its shells once the first exec asked for one. */
export interface Session {
  ssh: NodeSSH;
  alive: boolean;
  lastError?: Error;
  shells?: ShellPool;
}

/**
 * Runs a wrapped command in a channel of its own and gathers its outcome. E_UNREACHABLE when the
 * connection is gone; a refused session (MaxSessions) says so. An outcome with neither exit status nor
 * signal (and no timeout) means the peer went away: the caller drops the connection.
 */
export async function execChannel(session: Session, target: SshTarget, wrapped: Wrapped, timeoutMs: number | undefined): Promise<RawOutcome> {
  const conn = session.ssh.connection;
  if (!conn || !session.alive) throw dropped(target, session.lastError);
  // Listeners go on in the exec callback itself: a quick command's output, exit status and close may
  // arrive in the same packet batch as the exec confirmation.
  return new Promise<RawOutcome>((resolve, reject) => {
    conn.exec(wrapped.script.text, (err, ch) => (err ? reject(err) : collect(ch, wrapped.stdin, timeoutMs).then(resolve)));
  }).catch((err: Error) => {
    throw session.alive ? sessionRefused(target, 'a command', err, 'sshd refused a new session; check MaxSessions in sshd_config') : dropped(target, err);
  });
}

/** Whether an outcome says the peer is gone: sshd always reports an exit status or signal before closing a channel. */
export function peerGone(out: RawOutcome): boolean {
  return out.code === null && out.signal === null && out.timedOutMs === undefined;
}

/** Opens a channel running the shell loop (as becomeUser when given) and waits until it is ready. */
export async function openShell(session: Session, target: SshTarget, becomeUser: string | undefined): Promise<RemoteShell> {
  const conn = session.ssh.connection;
  if (!conn || !session.alive) throw dropped(target, session.lastError);
  const shell = await new Promise<RemoteShell>((resolve, reject) => {
    // The shell's listeners go on in the callback itself, as in execChannel().
    conn.exec(shellCommand(becomeUser).text, (err, ch) => (err ? reject(err) : resolve(new RemoteShell(ch))));
  }).catch((err: Error) => {
    throw session.alive
      ? sessionRefused(target, 'a shell', err, 'sshd refused a new session; check MaxSessions in sshd_config (muster needs 8)')
      : dropped(target, err);
  });
  await shell.ready();
  return shell;
}

/** A byte stream to a Unix socket on the host (streamlocal forwarding) or to a command's stdin and stdout. */
export async function openStream(session: Session, target: SshTarget, to: { socket: string } | { command: Script }): Promise<Duplex> {
  const conn = session.ssh.connection;
  if (!conn || !session.alive) throw dropped(target, session.lastError);
  return new Promise((resolve, reject) => {
    const done = (err: Error | undefined, ch: Duplex) => (err ? reject(err) : resolve(ch));
    if ('socket' in to) conn.openssh_forwardOutStreamLocal(to.socket, done);
    else conn.exec(to.command.text, done);
  });
}

/** Closes the connection, waiting up to a second for it to close. */
export async function hangUp(s: Session): Promise<void> {
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
