/** The manager's heartbeat socket: datagrams reach the callback; a port already bound is an error to report. */
import { createSocket } from 'node:dgram';
import t from 'tap';
import { listenHeartbeats } from '../../../controller/manager/heartbeat-socket.js';

t.test('datagrams sent to the bound port arrive; a second bind of the port fails', async (t) => {
  const got: string[] = [];
  let arrived: () => void = () => {};
  const socket = await listenHeartbeats('127.0.0.1', 0, (p) => {
    got.push(p.toString());
    arrived();
  });
  t.teardown(() => socket.close());
  t.ok(socket.port > 0, `bound on ${socket.port}`);
  const sender = createSocket('udp4');
  t.teardown(() => sender.close());
  await new Promise<void>((r) => {
    arrived = r;
    sender.send('one', socket.port, '127.0.0.1');
  });
  t.same(got, ['one']);
  await t.rejects(
    listenHeartbeats('127.0.0.1', socket.port, () => {}),
    { code: 'EADDRINUSE' },
    'the port is taken',
  );
});
