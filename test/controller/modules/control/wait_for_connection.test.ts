import t from 'tap';
import { MusterError } from '../../../../shared/errors.js';
import { waitForConnection } from '../../../../controller/modules/control/wait_for_connection.js';
import { fakeContext, type FakeContext } from './fake-context.js';

const down = () => new MusterError('E_UNREACHABLE', 'connection refused');

t.test('a host that answers at once', async (t) => {
  const ctx = fakeContext();
  t.same(await waitForConnection.run({ timeout: 600, delay: 0, sleep: 1, connect_timeout: 5 }, ctx), { changed: false, data: { elapsed: 0 } });
  t.equal(ctx.execs.length, 1);
  t.equal(ctx.execs[0].script.text, 'true');
  t.equal(ctx.execs[0].opts?.timeoutMs, 5000);
});

t.test('a host that comes back after a while', async (t) => {
  const upAt = 1_700_000_000_000 + 20_000;
  const ctx = fakeContext({
    exec: (_s, _o, c: FakeContext) => {
      if (c.clock < upAt) throw down();
      return { rc: 0, stdout: '', stderr: '' };
    },
    reconnect: (ms, c: FakeContext) => {
      c.clock += ms;
      if (c.clock < upAt) throw down();
    },
  });
  const r = await waitForConnection.run({ timeout: 60, delay: 3, sleep: 2, connect_timeout: 5 }, ctx);
  t.match(r, { changed: false, data: { elapsed: Number } });
  const elapsed = r.data?.elapsed as number;
  t.ok(elapsed >= 20 && elapsed <= 25, `back within a poll of the host's return (${elapsed} s)`);
  t.notOk(r.failed);
  t.equal(ctx.sleeps[0], 3000, 'delay first');
  t.ok(
    ctx.reconnects.every((ms) => ms <= 5000),
    'each reconnect bounded by connect_timeout',
  );
});

t.test('timeout', async (t) => {
  const ctx = fakeContext({
    exec: () => {
      throw down();
    },
    reconnect: (ms, c: FakeContext) => {
      c.clock += ms;
      throw down();
    },
  });
  t.match(await waitForConnection.run({ timeout: 30, delay: 0, sleep: 1, connect_timeout: 5 }, ctx), {
    changed: false,
    failed: true,
    msg: 'timed out waiting for connection: connection refused',
  });
  t.ok(ctx.clock - 1_700_000_000_000 >= 30_000);
});

t.test('other errors are not retried', async (t) => {
  const ctx = fakeContext({
    exec: () => {
      throw new MusterError('E_BECOME', 'wrong sudo password');
    },
  });
  const err = await waitForConnection.run({}, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { code: 'E_BECOME' });
  t.equal(waitForConnection.checkMode, false, 'skipped in check mode, as in Ansible');
});
