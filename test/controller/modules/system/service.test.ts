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
