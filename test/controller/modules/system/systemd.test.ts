import t from 'tap';
import { systemd, systemdProbe, systemdService, validateSystemd } from '../../../../controller/modules/system/systemd.js';
import { argsFor, fakeContext, framed } from './fake.js';

t.test('validateSystemd', async (t) => {
  const table: [Record<string, unknown>, string | undefined][] = [
    [{ name: 'x', state: 'started' }, undefined],
    [{ daemon_reload: true }, undefined],
    [{ state: 'started' }, 'name is required with state'],
    [{ name: 'x' }, 'one of the following is required: state, enabled, masked, daemon_reload, daemon_reexec'],
    [{ name: 'x', state: 'started', scope: 'user' }, 'scope=user is not supported by muster: only system units are managed'],
  ];
  for (const [a, want] of table) t.equal(validateSystemd(argsFor(systemd, a)), want, JSON.stringify(a));
});

t.test('daemon_reload runs before the unit is read, never in check mode', async (t) => {
  t.match(systemdProbe({ name: 'x', daemon_reload: true }, false).shown, /^systemctl daemon-reload \|\| exit 91\n/);
  t.notMatch(systemdProbe({ name: 'x', daemon_reload: true }, true).shown, /daemon-reload/);
});

const show = (active: string, enabled: string) =>
  framed({ systemd: 'yes\n', show: `Id=nginx.service\nLoadState=loaded\nActiveState=${active}\n`, 'is-enabled': `${enabled}\n` });

t.test('run: probe then one exec for every verb', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: show('inactive', 'disabled') }, { rc: 0 }] });
  const r = await systemd.run(argsFor(systemd, { name: 'nginx', state: 'started', enabled: true }), ctx);
  t.equal(r.changed, true);
  t.equal(ctx.scripts.length, 2);
  t.equal(ctx.scripts[1].shown, 'systemctl enable nginx && systemctl start nginx');
  t.match(r.data, { name: 'nginx', state: 'started', enabled: true, status: { ActiveState: 'inactive' } });
});

t.test('run: a failing systemctl fails the task with its message', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: show('inactive', 'enabled') }, { rc: 1, stderr: 'Job for nginx.service failed.' }] });
  const r = await systemd.run(argsFor(systemd, { name: 'nginx', state: 'started' }), ctx);
  t.same([r.failed, r.msg], [true, 'Job for nginx.service failed.']);
});

t.test('run: daemon_reload alone is not a change; a failed reload fails', async (t) => {
  const ok = await systemdService.run(argsFor(systemd, { daemon_reload: true }), fakeContext({ answers: [{ rc: 0 }] }));
  t.same([ok.changed, ok.failed], [false, undefined]);
  const bad = await systemd.run(argsFor(systemd, { daemon_reload: true }), fakeContext({ answers: [{ rc: 91, stderr: 'Access denied' }] }));
  t.same([bad.failed, bad.msg], [true, 'systemctl daemon-reload failed: Access denied']);
  t.equal(systemdService.name, 'systemd_service');
});

t.test('run: check mode reports without acting', async (t) => {
  const ctx = fakeContext({ check: true, answers: [{ stdout: show('active', 'enabled') }] });
  const r = await systemd.run(argsFor(systemd, { name: 'nginx', state: 'restarted' }), ctx);
  t.equal(r.changed, true);
  t.equal(ctx.scripts.length, 1);
});
