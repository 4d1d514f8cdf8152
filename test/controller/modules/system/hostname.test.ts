import t from 'tap';
import {
  hostname,
  hostnameFacts,
  parseHostname,
  planHostname,
  probeHostname,
  settle,
  type HostnameState,
} from '../../../../controller/modules/system/hostname.js';
import { dash, fakeContext, framed, outcome } from './fake.js';

const st = (over: Partial<HostnameState> = {}): HostnameState => ({ permanent: 'old', current: 'old', systemd: false, ...over });
const GENERIC = `printf '%s\\n' pi1 > /etc/hostname\nerr=$(hostname pi1 2>&1) || printf '%s %s\\n' @@muster:kernel-failed "$err"`;

const table: [string, Record<string, unknown>, HostnameState, string | string[]][] = [
  ['same name -> noop', { name: 'pi1' }, st({ permanent: 'pi1', current: 'pi1' }), 'noop: hostname is already pi1'],
  // hostnamectl first; in place when it cannot rename over a bind-mounted /etc/hostname (containers)
  ['systemd -> hostnamectl', { name: 'pi1' }, st({ systemd: true }), [`hostnamectl set-hostname pi1 2>/dev/null && exit 0\n${GENERIC}`]],
  ['no systemd -> file + hostname', { name: 'pi1' }, st(), [GENERIC]],
  ['use debian on a systemd host', { name: 'pi1', use: 'debian' }, st({ systemd: true }), [GENERIC]],
  ['only the kernel name differs', { name: 'pi1' }, st({ permanent: 'pi1' }), [GENERIC]],
  [
    'alpine reads the file back',
    { name: 'pi1', use: 'alpine' },
    st(),
    [`printf '%s\\n' pi1 > /etc/hostname\nerr=$(hostname -F /etc/hostname 2>&1) || printf '%s %s\\n' @@muster:kernel-failed "$err"`],
  ],
  [
    'unsupported strategy',
    { name: 'pi1', use: 'redhat' },
    st(),
    "fail: use=redhat is not supported by muster's hostname module (supported: systemd, debian, alpine, generic)",
  ],
];

for (const [title, given, s, want] of table) {
  t.test(title, async (t) => t.same(outcome(planHostname(given, s)), want));
}

t.test('hostnameFacts', async (t) => {
  t.same(hostnameFacts('pi1.lan.example'), {
    ansible_hostname: 'pi1',
    ansible_nodename: 'pi1.lan.example',
    ansible_fqdn: 'pi1.lan.example',
    ansible_domain: 'lan.example',
  });
  t.same(hostnameFacts('pi1').ansible_domain, '');
});

t.test('settle: a refused kernel hostname is a warning, not a failure', async (t) => {
  const refused = settle(
    { changed: true, data: { name: 'pi1', rc: 0, stdout: '@@muster:kernel-failed hostname: you must be root to change the host name\n' } },
    'pi1',
  );
  t.equal(refused.failed, undefined);
  t.equal(refused.changed, true);
  t.match(refused.msg, /\/etc\/hostname now says pi1, but the running hostname could not be set \(hostname: you must be root/);
  t.match(refused.data?.warnings, [/CAP_SYS_ADMIN/]);
  t.notOk('stdout' in (refused.data ?? {}), 'the apply output is not part of the result');
  const fine = settle({ changed: true, data: { name: 'pi1', rc: 0, stdout: '' } }, 'pi1');
  t.same(fine, { changed: true, data: { name: 'pi1' } });
});

t.test('parseHostname', async (t) => {
  t.same(parseHostname(framed({ etc: 'pi1\n', kernel: 'pi1\n', systemd: 'yes\n' })), { permanent: 'pi1', current: 'pi1', systemd: true });
  t.same(parseHostname(framed({ etc: ['', 1], kernel: 'box\n', systemd: ['', 1] })), { permanent: '', current: 'box', systemd: false });
});

t.test('the probe runs for real (read-only) and the module reports check mode without touching anything', async (t) => {
  const s = parseHostname(dash(probeHostname()).stdout);
  t.ok(s.current.length > 0, 'reads the running hostname');
  const ctx = fakeContext({ check: true, local: { cwd: '/' } });
  const r = await hostname.run({ name: 'muster-test-never-set' }, ctx);
  t.equal(r.changed, true);
  t.equal(ctx.scripts.length, 1, 'check mode ran only the probe');
  t.equal(r.facts?.ansible_hostname, 'muster-test-never-set');
});
