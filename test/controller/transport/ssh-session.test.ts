/** The channels of one SSH session, without sshd: a dead session opens nothing, and when a peer counts as gone. */
import t from 'tap';
import { sh } from '../../../controller/command.js';
import { execChannel, hangUp, openShell, openStream, peerGone, type Session } from '../../../controller/transport/ssh-session.js';
import type { SshTarget } from '../../../controller/transport/target.js';
import { wrapCommand } from '../../../controller/transport/wrap.js';

const target: SshTarget = { host: 'pi1', address: '10.0.0.5', port: 2222, user: 'pi' };

t.test('peerGone: no exit status and no signal, unless the command timed out', async (t) => {
  const out = (code: number | null, signal: string | null, timedOutMs?: number) => ({ code, signal, timedOutMs, stdout: [], stderr: [] });
  t.equal(peerGone(out(null, null)), true);
  t.equal(peerGone(out(0, null)), false);
  t.equal(peerGone(out(255, null)), false);
  t.equal(peerGone(out(null, 'KILL')), false);
  t.equal(peerGone(out(null, null, 1000)), false, 'a timed-out command has no status either, and the peer is still there');
});

t.test('a dead session opens no channel: E_UNREACHABLE names the connection and the last error', async (t) => {
  let opened = 0;
  const connection = { exec: () => opened++, openssh_forwardOutStreamLocal: () => opened++ };
  const dead = { ssh: { connection, dispose: () => opened++ }, alive: false, lastError: new Error('read ECONNRESET') } as unknown as Session;
  const gone = { code: 'E_UNREACHABLE', message: /pi@10\.0\.0\.5:2222 dropped while a command ran: read ECONNRESET/ };
  await t.rejects(execChannel(dead, target, wrapCommand(sh`true`, {}), undefined), gone);
  await t.rejects(openShell(dead, target, undefined), gone);
  await t.rejects(openStream(dead, target, { socket: '/run/app.sock' }), gone);
  await hangUp(dead);
  t.equal(opened, 0, 'nothing was opened or disposed');
  const none = { ssh: { connection: null }, alive: true } as unknown as Session;
  await t.rejects(execChannel(none, target, wrapCommand(sh`true`, {}), undefined), { code: 'E_UNREACHABLE' }, 'no connection at all');
});
