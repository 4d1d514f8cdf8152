import t from 'tap';
import type { Script } from '../../../../controller/command.js';
import { MusterError } from '../../../../shared/errors.js';
import { reboot, triggerScript } from '../../../../controller/modules/control/reboot.js';
import { fakeContext, type FakeContext } from './fake-context.js';

const stat = (start: number) => `1 (systemd) S 0 1 1 0 -1 4194560 1 1 1 1 1 1 1 1 20 0 1 0 ${start} 1 1`;
const markers = (bootId: string, start: number) => ({ rc: 0, stdout: `boot_id=${bootId}\npid1_stat=${stat(start)}\nmarkers=done\n`, stderr: '' });
const down = () => new MusterError('E_UNREACHABLE', 'connection refused', { host: 'h1' });

/** A host that goes down `downAfter` ms after the trigger and answers again `upAfter` ms after it, on a new PID 1. */
function lab(o: { downAfter: number; upAfter: number; root?: boolean; newBootId?: boolean; testFails?: number; neverBack?: boolean }) {
  let triggeredAt: number | undefined;
  let testFailures = o.testFails ?? 0;
  const phase = (ctx: FakeContext): 'old' | 'down' | 'new' => {
    if (triggeredAt === undefined || ctx.clock < triggeredAt + o.downAfter) return 'old';
    if (o.neverBack || ctx.clock < triggeredAt + o.upAfter) return 'down';
    return 'new';
  };
  return {
    exec(script: Script, _opts: unknown, ctx: FakeContext) {
      const p = phase(ctx);
      if (p === 'down') throw down();
      if (script.text.includes('markers=done')) return p === 'old' ? markers('boot-1', 100) : markers(o.newBootId ? 'boot-2' : 'boot-1', 9000);
      if (script.text.includes('muster-reboot: scheduled')) {
        if (o.root === false) return { rc: 1, stdout: 'muster-reboot: not root\n', stderr: '' };
        triggeredAt = ctx.clock;
        return { rc: 0, stdout: 'muster-reboot: scheduled\n', stderr: '' };
      }
      // the test command
      if (testFailures > 0) {
        testFailures--;
        return { rc: 1, stdout: '', stderr: 'docker: not ready' };
      }
      return { rc: 0, stdout: '', stderr: '' };
    },
    reconnect(ms: number, ctx: FakeContext) {
      const upAt = o.neverBack ? Infinity : (triggeredAt ?? 0) + o.upAfter;
      if (ctx.clock >= upAt) return;
      ctx.clock = Math.min(upAt, ctx.clock + ms);
      if (ctx.clock < upAt) throw down();
    },
  };
}

t.test('reboot of a container: same boot id, new PID 1', async (t) => {
  const ctx = fakeContext(lab({ downAfter: 1500, upAfter: 6000 }));
  const r = await reboot.run({ reboot_timeout: 600, connect_timeout: 10, test_command: 'true', post_reboot_delay: 2 }, ctx);
  t.match(r, { changed: true, data: { rebooted: true } });
  t.notOk(r.failed);
  t.ok((r.data?.elapsed as number) >= 6, `elapsed ${r.data?.elapsed}`);
  t.ok(ctx.reconnects.length >= 1, 'reconnected after the drop');
  t.ok(ctx.sleeps.includes(2000), 'post_reboot_delay');
  t.ok(
    ctx.execs.every((e) => e.opts?.timeoutMs === 10_000),
    'every exec bounded by connect_timeout',
  );
});

t.test('reboot of a VM: new boot id', async (t) => {
  const r = await reboot.run({}, fakeContext(lab({ downAfter: 1000, upAfter: 30_000, newBootId: true })));
  t.match(r, { changed: true, data: { rebooted: true } });
});

t.test('test_command is retried until it passes', async (t) => {
  const ctx = fakeContext(lab({ downAfter: 1000, upAfter: 4000, testFails: 2 }));
  const r = await reboot.run({ test_command: 'docker info' }, ctx);
  t.match(r, { changed: true, data: { rebooted: true } });
  t.equal(ctx.execs.filter((e) => e.script.text === 'docker info').length, 3);
});

t.test('failures', async (t) => {
  const notRoot = await reboot.run({}, fakeContext(lab({ downAfter: 0, upAfter: 0, root: false })));
  t.match(notRoot, { changed: false, failed: true, msg: /become: true/ });

  const lost = await reboot.run({ reboot_timeout: 60 }, fakeContext(lab({ downAfter: 1000, upAfter: 0, neverBack: true })));
  t.match(lost, { changed: true, failed: true, msg: /timed out waiting for h1 to come back on a new boot \(reboot_timeout 60 s\)/, data: { rebooted: false } });

  const badTest = await reboot.run({ reboot_timeout: 30, test_command: 'false' }, fakeContext(lab({ downAfter: 1000, upAfter: 3000, testFails: 1000 })));
  t.match(badTest, { failed: true, msg: /test_command failed after the reboot: docker: not ready/ });

  const noMarkers = await reboot.run({}, fakeContext({ exec: () => ({ rc: 1, stdout: '', stderr: 'boom' }) }));
  t.match(noMarkers, { failed: true, msg: /could not read the boot id/ });

  const other = fakeContext({
    exec: (s) => {
      if (s.text.includes('markers=done')) return markers('a', 1);
      throw new MusterError('E_BECOME', 'sudo: a password is required');
    },
  });
  const err = await reboot.run({}, other).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.match(err, { code: 'E_BECOME' }, 'a sudo refusal is not mistaken for a reboot');
});

t.test('the trigger drops its connection without failing', async (t) => {
  let triggered = false;
  let calls = 0;
  const ctx = fakeContext({
    exec: (s) => {
      calls++;
      if (s.text.includes('muster-reboot: scheduled')) {
        triggered = true;
        throw down();
      }
      if (s.text.includes('markers=done')) return triggered && calls > 3 ? markers('a', 2) : markers('a', 1);
      return { rc: 0, stdout: '', stderr: '' };
    },
  });
  t.match(await reboot.run({}, ctx), { changed: true, data: { rebooted: true } });
});

t.test('check mode reboots nothing', async (t) => {
  const ctx = fakeContext({}, { check: true });
  t.same(await reboot.run({}, ctx), { changed: true, data: { rebooted: true, elapsed: 0 } });
  t.equal(ctx.execs.length, 0);
});

t.test('the trigger script', async (t) => {
  const s = triggerScript({ pre_reboot_delay: 0, msg: "it's time" });
  t.match(s.text, /\[ "\$\(id -u\)" -eq 0 \]/);
  t.match(s.text, /trap '' HUP; sleep 1;/, 'at least one second so that the exec returns first');
  t.match(s.text, /systemctl reboot/);
  t.match(s.text, /shutdown -r now 'it'\\''s time'/);
  t.match(s.text, /\) <\/dev\/null >\/dev\/null 2>&1 &/);
  const custom = triggerScript({ pre_reboot_delay: 5, reboot_command: 'reboot -f' });
  t.match(custom.text, /sleep 5; reboot -f \)/);
  t.notMatch(custom.text, /id -u/);
});
