/** Why an SSH connection failed, in a few words and with what to do about it. Pure. */
import { MusterError } from '../../shared/errors.js';
import type { SshTarget } from './target.js';

/** The parts of a Node or ssh2 error that tell failures apart. */
export interface ConnectFailure {
  message: string;
  code?: string; // Node's errno code (ECONNREFUSED...)
  level?: string; // ssh2's stage (client-socket, client-timeout, client-authentication, handshake...)
}

/** Turns a failed connect into E_UNREACHABLE; `tried` lists the authentication methods offered. */
export function unreachable(err: ConnectFailure, target: SshTarget, ctx: { tried: string[]; timeoutMs: number; verbosity?: number }): MusterError {
  const dest = `${target.user}@${target.address}:${target.port}`;
  const [reason, hint] = explain(err, target, ctx);
  const detail = (ctx.verbosity ?? 0) >= 3 ? ` [${err.code ?? err.level ?? 'error'}: ${err.message}]` : '';
  return new MusterError('E_UNREACHABLE', `cannot connect to ${dest}: ${reason}${detail}`, { host: target.host, hint, cause: err });
}

function explain(err: ConnectFailure, t: SshTarget, ctx: { tried: string[]; timeoutMs: number }): [string, string] {
  const where = `${t.address}:${t.port}`;
  // node-ssh's words (with code ETIMEDOUT) when the socket closed before login without any error.
  if (/No response from server/i.test(err.message)) {
    return ['the server closed the connection before login', `is ${where} an SSH server, and does it let this client in?`];
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return ['connection refused', `is sshd running on ${where}? check ansible_host and ansible_port`];
    case 'ETIMEDOUT':
      return [`timed out after ${ctx.timeoutMs / 1000} s`, `is the host up and reachable at ${where}?`];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return [`cannot resolve host name ${t.address}`, 'check ansible_host (or the inventory name) and DNS'];
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return ['no route to host', `is the host up and on this network (${t.address})?`];
    case 'ECONNRESET':
    case 'EPIPE':
      return ['connection reset by the server', 'sshd dropped the connection: check its logs (MaxStartups, AllowUsers, fail2ban)'];
  }
  if (err.level === 'client-timeout') {
    return [`timed out after ${ctx.timeoutMs / 1000} s during the SSH handshake`, `is the host up and reachable at ${where}?`];
  }
  if (err.level === 'client-dns') return [`cannot resolve host name ${t.address}`, 'check ansible_host and DNS'];
  if (err.level === 'client-authentication') {
    const tried = ctx.tried.length ? ctx.tried.join(', ') : 'no method (no key, agent or password available)';
    return [
      `authentication failed (tried: ${tried})`,
      'check ansible_user, and give a key the host accepts (ansible_ssh_private_key_file, ssh-agent) or ansible_password',
    ];
  }
  return [`SSH failed: ${err.message}`, `check that ${where} runs an SSH server`];
}

/** E_UNREACHABLE for a connection that went away while a command was running. */
export function dropped(target: SshTarget, err?: ConnectFailure): MusterError {
  const why = err ? `: ${err.message}` : '';
  return new MusterError('E_UNREACHABLE', `connection to ${target.user}@${target.address}:${target.port} dropped while a command ran${why}`, {
    host: target.host,
    hint: 'the host may have rebooted or lost its network; the command may or may not have finished',
    cause: err,
  });
}

/** E_UNREACHABLE for a session sshd would not open (a command, or the long-lived shell) on a live connection. */
export function sessionRefused(target: SshTarget, what: string, err: Error, hint: string): MusterError {
  return new MusterError('E_UNREACHABLE', `cannot start ${what} on ${target.address}: ${err.message}`, { host: target.host, hint, cause: err });
}
