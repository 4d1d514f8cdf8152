import t from 'tap';
import { parseUnit, planUnit, unitProbe, type UnitState } from '../../../../controller/modules/system/units.js';
import { dash, framed, outcome } from './fake.js';

const unit = (ActiveState: string, enabled: string, LoadState = 'loaded'): UnitState => ({
  running: true,
  status: { Id: 'nginx.service', ActiveState, LoadState, UnitFileState: enabled },
  enabled,
});

const table: [string, Record<string, unknown>, UnitState, string | string[]][] = [
  [
    'started+enabled when inactive+disabled -> enable and start',
    { name: 'nginx', state: 'started', enabled: true },
    unit('inactive', 'disabled'),
    ['systemctl enable nginx && systemctl start nginx'],
  ],
  ['started when active -> noop', { name: 'nginx', state: 'started' }, unit('active', 'enabled'), 'noop: nginx is in the desired state'],
  ['activating counts as started', { name: 'nginx', state: 'started' }, unit('activating', 'enabled'), 'noop: nginx is in the desired state'],
  ['stopped when active', { name: 'nginx', state: 'stopped' }, unit('active', 'enabled'), ['systemctl stop nginx']],
  ['stopped when deactivating', { name: 'nginx', state: 'stopped' }, unit('deactivating', 'enabled'), ['systemctl stop nginx']],
  ['stopped when inactive -> noop', { name: 'nginx', state: 'stopped' }, unit('inactive', 'enabled'), 'noop: nginx is in the desired state'],
  ['restarted always changes', { name: 'nginx', state: 'restarted' }, unit('active', 'enabled'), ['systemctl restart nginx']],
  ['reloaded always changes', { name: 'nginx', state: 'reloaded' }, unit('active', 'enabled'), ['systemctl reload nginx']],
  ['restarted when stopped starts', { name: 'nginx', state: 'restarted' }, unit('inactive', 'enabled'), ['systemctl start nginx']],
  ['no_block', { name: 'nginx', state: 'started', no_block: true }, unit('inactive', 'enabled'), ['systemctl start --no-block nginx']],
  ['disable', { name: 'nginx', enabled: false }, unit('active', 'enabled'), ['systemctl disable nginx']],
  ['static cannot be disabled', { name: 'nginx', enabled: false }, unit('active', 'static'), 'noop: nginx is static and cannot be disabled'],
  ['static counts as enabled', { name: 'nginx', enabled: true }, unit('active', 'static'), 'noop: nginx is in the desired state'],
  ['indirect counts as disabled', { name: 'nginx', enabled: true }, unit('active', 'indirect'), ['systemctl enable nginx']],
  ['mask', { name: 'nginx', masked: true, state: 'stopped' }, unit('active', 'enabled'), ['systemctl mask nginx && systemctl stop nginx']],
  ['masked already', { name: 'nginx', masked: true }, unit('inactive', 'masked', 'masked'), 'noop: nginx is in the desired state'],
  [
    'unmask then start',
    { name: 'nginx', masked: false, state: 'started' },
    unit('inactive', 'masked', 'masked'),
    ['systemctl unmask nginx && systemctl start nginx'],
  ],
  ['force enable', { name: 'nginx', enabled: true, force: true }, unit('inactive', 'disabled'), ['systemctl enable --force nginx']],
  ['not found', { name: 'nope', state: 'started' }, unit('inactive', '', 'not-found'), 'fail: Could not find the requested service nope: host h1'],
  ['masking a unit that does not exist is fine', { name: 'nope', masked: true }, unit('inactive', '', 'not-found'), ['systemctl mask nope']],
  [
    'no systemd',
    { name: 'nginx', state: 'started' },
    { running: false, status: {}, enabled: '' },
    'fail: systemd is not running on this host (PID 1 is another init), so systemctl cannot manage units',
  ],
];

for (const [title, given, u, want] of table) {
  t.test(title, async (t) => t.same(outcome(planUnit(given, u, 'h1')), want));
}

t.test('results carry status and the state Ansible reports', async (t) => {
  const p = planUnit({ name: 'nginx', state: 'restarted' }, unit('active', 'enabled'), 'h1');
  t.match(p.data, { name: 'nginx', state: 'started', status: { ActiveState: 'active', Id: 'nginx.service' } });
});

t.test('parseUnit', async (t) => {
  const u = parseUnit(
    framed({
      systemd: 'yes\n',
      show: 'Id=ssh.service\nActiveState=active\nExecStart={ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D }\n',
      'is-enabled': 'enabled\n',
    }),
  );
  t.same(u, {
    running: true,
    status: { Id: 'ssh.service', ActiveState: 'active', ExecStart: '{ path=/usr/sbin/sshd ; argv[]=/usr/sbin/sshd -D }' },
    enabled: 'enabled',
  });
});

t.test('the probe runs for real; without systemd the parser says so', async (t) => {
  const r = dash(unitProbe('ssh'));
  const u = parseUnit(r.stdout);
  if (u.running) t.ok(u.status.LoadState, 'systemd answers');
  else t.same([u.running, u.enabled], [false, ''], 'no systemd: not running, nothing enabled');
});
