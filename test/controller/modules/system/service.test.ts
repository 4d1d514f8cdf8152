import t from 'tap';
import { parseSysv, planSysv, probeService, service, type SysvState } from '../../../../controller/modules/system/service.js';
import { argsFor, dash, fakeContext, framed, outcome } from './fake.js';

const sv = (over: Partial<SysvState> = {}): SysvState => ({ script: true, statusRc: 3, enabled: false, missing: [], ...over });

const table: [string, Record<string, unknown>, SysvState, string | string[]][] = [
  ['start and enable', { name: 'ssh', state: 'started', enabled: true }, sv(), ['update-rc.d ssh defaults && update-rc.d ssh enable && /etc/init.d/ssh start']],
  ['running -> noop', { name: 'ssh', state: 'started' }, sv({ statusRc: 0 }), 'noop: ssh is in the desired state'],
  ['stop', { name: 'ssh', state: 'stopped' }, sv({ statusRc: 0 }), ['/etc/init.d/ssh stop']],
  ['restart with sleep', { name: 'ssh', state: 'restarted', sleep: 2 }, sv({ statusRc: 0 }), ['/etc/init.d/ssh stop && sleep 2 && /etc/init.d/ssh start']],
  ['reload when stopped starts', { name: 'ssh', state: 'reloaded' }, sv(), ['/etc/init.d/ssh start']],
  ['arguments', { name: 'ssh', state: 'started', arguments: '--quiet -x' }, sv(), ['/etc/init.d/ssh start --quiet -x']],
  ['disable', { name: 'ssh', enabled: false }, sv({ enabled: true }), ['update-rc.d ssh disable']],
  [
    'no init script',
    { name: 'ssh', state: 'started' },
    sv({ script: false }),
    'fail: Could not find the requested service ssh: host h1 (no systemd, no /etc/init.d/ssh)',
  ],
  [
    'no update-rc.d',
    { name: 'ssh', enabled: true },
    sv({ missing: ['update-rc.d'] }),
    'fail: update-rc.d not found on the host (Debian: the "init-system-helpers" package)',
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planSysv(argsFor(service, given), s, 'h1')), want));
}

t.test('parseSysv', async (t) => {
  t.same(parseSysv(framed({ 'sysv-script': 'yes\n', 'sysv-status': '0\n', 'sysv-enabled': 'yes\n', tools: '' })), {
    script: true,
    statusRc: 0,
    enabled: true,
    missing: [],
  });
  t.same(parseSysv(''), { script: false, statusRc: 4, enabled: false, missing: [] });
});

t.test('on a systemd host the service module plans with systemctl', async (t) => {
  const stdout = framed({ systemd: 'yes\n', show: 'LoadState=loaded\nActiveState=inactive\n', 'is-enabled': 'enabled\n' });
  const ctx = fakeContext({ answers: [{ stdout }, { rc: 0 }] });
  const r = await service.run(argsFor(service, { name: 'ssh', state: 'started' }), ctx);
  t.equal(r.changed, true);
  t.equal(ctx.scripts[1].shown, 'systemctl start ssh');
});

t.test('the probe runs for real and picks a side', async (t) => {
  const r = dash(probeService(argsFor(service, { name: 'no-such-service-xyz', state: 'started' })));
  t.equal(r.rc, 0);
  const ctx = fakeContext({ check: true, local: { cwd: '/' } });
  const res = await service.run(argsFor(service, { name: 'no-such-service-xyz', state: 'started' }), ctx);
  t.equal(res.failed, true);
  t.match(res.msg, /Could not find the requested service no-such-service-xyz/);
});

t.test("service passes systemd's own arguments through, as Ansible's service does", async (t) => {
  const table: [Record<string, unknown>, string | undefined][] = [
    [{ daemon_reload: true }, undefined],
    [{ name: 'ssh', state: 'started', daemon_reload: true }, undefined],
    [{ name: 'ssh', masked: true }, undefined],
    [{}, 'one of the following is required: state, enabled (or, on systemd hosts, masked, daemon_reload, daemon_reexec)'],
    [{ state: 'started' }, 'missing required arguments: name'],
    [{ daemon_reload: true, state: 'started' }, 'missing required arguments: name'],
    [{ name: 'ssh', state: 'started', daemon_reload: true, use: 'sysvinit' }, "daemon_reload: systemd's arguments, but use=sysvinit"],
  ];
  for (const [a, want] of table) t.equal(service.validate?.(argsFor(service, a)), want, JSON.stringify(a));

  const reload = fakeContext({ answers: [{ rc: 0 }] });
  const r = await service.run(argsFor(service, { daemon_reload: true }), reload);
  t.equal(r.failed, undefined, 'a daemon reload alone runs');
  t.match(reload.scripts[0].shown, /^systemctl daemon-reload/);

  const systemdHost = framed({ systemd: 'yes\n', show: 'LoadState=loaded\nActiveState=active\n', 'is-enabled': 'enabled\n' });
  const both = fakeContext({ answers: [{ stdout: systemdHost }, { stdout: systemdHost }] });
  const r2 = await service.run(argsFor(service, { name: 'ssh', state: 'started', daemon_reload: true }), both);
  t.equal(r2.changed, false, 'running already: no change');
  t.match(both.scripts[1].shown, /^systemctl daemon-reload/, 'on a systemd host the reload runs before the unit is read');

  const sysvHost = framed({ 'sysv-script': 'yes\n', 'sysv-status': '0\n', tools: '' });
  const sysv = fakeContext({ answers: [{ stdout: sysvHost }] });
  const r3 = await service.run(argsFor(service, { name: 'ssh', state: 'started', daemon_reload: true }), sysv);
  t.same([r3.failed, r3.msg], [true, "daemon_reload: systemd's arguments, and host h1 does not run systemd"]);
  const plain = await service.run(argsFor(service, { name: 'ssh', state: 'started' }), fakeContext({ answers: [{ stdout: sysvHost }] }));
  t.equal(plain.failed, undefined, 'without them the init script serves');
});
