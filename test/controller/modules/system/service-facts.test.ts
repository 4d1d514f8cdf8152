import t from 'tap';
import { parseServices, probeServices, serviceFactsResult } from '../../../../controller/modules/system/service-facts.js';
import { dash, framed } from './fake.js';

const probe = {
  sysv: ' [ + ]  ntpsec\n [ - ]  procps\n',
  systemd: 'yes\n',
  units: [
    'ssh.service                   loaded    active   running SSH server',
    'ntpsec.service                loaded    active   running Network Time Service',
    'systemd-timesyncd.service     not-found inactive dead    systemd-timesyncd.service',
    'fail2ban.service              loaded    failed   failed  Fail2Ban Service',
    'cron.service                  loaded    inactive dead    Regular background program',
    '',
  ].join('\n'),
  files: [
    'ssh.service           enabled  enabled',
    'ntpsec.service        enabled  enabled',
    'fail2ban.service      enabled  enabled',
    'cron.service          disabled enabled',
    'getty@.service        enabled  enabled',
    'rsync.service         disabled enabled',
    '',
  ].join('\n'),
  active: 'Id=ssh.service\nActiveState=active\n\nId=rsync.service\nActiveState=inactive\n',
};

t.test('services as Ansible gathers them on a Debian host', async (t) => {
  const s = parseServices(framed(probe));
  t.same(s.ntpsec, { name: 'ntpsec', state: 'running', source: 'sysv' }, 'init scripts, without .service');
  t.same(s.procps, { name: 'procps', state: 'stopped', source: 'sysv' });
  t.same(s['ssh.service'], { name: 'ssh.service', state: 'running', status: 'enabled', source: 'systemd' }, 'the unit file gives the status');
  t.same(s['cron.service'], { name: 'cron.service', state: 'stopped', status: 'disabled', source: 'systemd' });
  t.same(s['systemd-timesyncd.service'], { name: 'systemd-timesyncd.service', state: 'stopped', status: 'not-found', source: 'systemd' });
  t.same(s['fail2ban.service'].status, 'failed', 'a bad state is kept over the unit file');
  t.same(s['rsync.service'], { name: 'rsync.service', state: 'inactive', status: 'disabled', source: 'systemd' }, 'a file not loaded: its ActiveState');
  t.same(s['getty@.service'], { name: 'getty@.service', state: 'unknown', status: 'enabled', source: 'systemd' }, 'a template cannot be shown');
});

t.test("without systemd only the init scripts; facts merged over the host's", async (t) => {
  const s = parseServices(framed({ ...probe, systemd: '' }));
  t.same(Object.keys(s).sort(), ['ntpsec', 'procps']);
  const r = serviceFactsResult(s, { os_family: 'Debian' });
  t.same(r.facts?.ansible_facts, { os_family: 'Debian', services: s });
  t.same(r.facts?.services, s);
  t.notOk(r.failed);
  const none = serviceFactsResult({}, {});
  t.match(none, { changed: false, msg: /Failed to find any services/ });
  t.same(none.facts, {});
});

t.test('the probe is valid sh and reads this machine', async (t) => {
  const r = dash(probeServices());
  t.equal(r.rc, 0, r.stderr);
  t.type(parseServices(r.stdout), 'object');
});
