import t from 'tap';
import { dropped, unreachable, type ConnectFailure } from '../../../controller/transport/ssh-errors.js';
import type { SshTarget } from '../../../controller/transport/target.js';

const target: SshTarget = { host: 'pi1', address: '10.0.0.5', port: 2222, user: 'pi' };
const err = (message: string, code?: string, level?: string): ConnectFailure => Object.assign(new Error(message), { code, level });

t.test('unreachable says why in a few words, and what to check', async (t) => {
  const tried = ['key /home/me/.ssh/id_ed25519', 'ssh-agent'];
  const cases: [ConnectFailure, string, string][] = [
    [err('connect ECONNREFUSED', 'ECONNREFUSED', 'client-socket'), 'connection refused', 'is sshd running on 10.0.0.5:2222'],
    [err('connect ETIMEDOUT', 'ETIMEDOUT', 'client-socket'), 'timed out after 10 s', 'is the host up'],
    [err('Timed out while waiting for handshake', undefined, 'client-timeout'), 'timed out after 10 s during the SSH handshake', 'is the host up'],
    [err('getaddrinfo ENOTFOUND x', 'ENOTFOUND', 'client-dns'), 'cannot resolve host name 10.0.0.5', 'DNS'],
    [err('connect EHOSTUNREACH', 'EHOSTUNREACH'), 'no route to host', 'on this network'],
    [err('read ECONNRESET', 'ECONNRESET'), 'connection reset by the server', 'MaxStartups'],
    [
      err('All configured authentication methods failed', undefined, 'client-authentication'),
      'authentication failed (tried: key /home/me/.ssh/id_ed25519, ssh-agent)',
      'ansible_user',
    ],
    [err('No response from server', 'ETIMEDOUT'), 'the server closed the connection before login', 'SSH server'],
    [err('No response from server'), 'the server closed the connection before login', 'SSH server'],
    [err('Handshake failed: no matching host key format', undefined, 'handshake'), 'SSH failed: Handshake failed: no matching host key format', 'SSH server'],
  ];
  for (const [e, reason, hint] of cases) {
    const m = unreachable(e, target, { tried, timeoutMs: 10_000 });
    t.equal(m.code, 'E_UNREACHABLE');
    t.equal(m.host, 'pi1');
    t.equal(m.message, `cannot connect to pi@10.0.0.5:2222: ${reason}`, reason);
    t.match(m.hint, hint, `${reason}: hint`);
    t.equal(m.cause, e, 'the original error is kept as the cause');
  }
});

t.test('authentication failure with nothing to offer says so', async (t) => {
  const m = unreachable(err('All configured authentication methods failed', undefined, 'client-authentication'), target, { tried: [], timeoutMs: 1000 });
  t.match(m.message, 'tried: no method (no key, agent or password available)');
});

t.test('at -vvv the library words are kept', async (t) => {
  const m = unreachable(err('connect ECONNREFUSED 10.0.0.5:2222', 'ECONNREFUSED'), target, { tried: [], timeoutMs: 1000, verbosity: 3 });
  t.match(m.message, '[ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:2222]');
});

t.test('dropped names the host and what may have happened', async (t) => {
  const m = dropped(target, err('read ECONNRESET', 'ECONNRESET'));
  t.equal(m.code, 'E_UNREACHABLE');
  t.equal(m.message, 'connection to pi@10.0.0.5:2222 dropped while a command ran: read ECONNRESET');
  t.match(m.hint, 'rebooted');
  t.equal(dropped(target).message, 'connection to pi@10.0.0.5:2222 dropped while a command ran');
});
