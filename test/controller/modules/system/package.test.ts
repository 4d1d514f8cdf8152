import t from 'tap';
import { aptArgsFrom, managerFromFacts, parseManager, pkg, probeManager } from '../../../../controller/modules/system/package.js';
import { dash, fakeContext, framed } from './fake.js';

t.test('managerFromFacts', async (t) => {
  t.equal(managerFromFacts({ ansible_pkg_mgr: 'apt' }), 'apt');
  t.equal(managerFromFacts({ ansible_facts: { pkg_mgr: 'dnf' } }), 'dnf');
  t.equal(managerFromFacts({}), undefined);
});

t.test('aptArgsFrom fills apt defaults', async (t) => {
  const a = aptArgsFrom({ name: ['curl'], state: 'present', use: 'auto' }) as Record<string, unknown>;
  t.match(a, { name: ['curl'], state: 'present', update_cache: false, dpkg_options: 'force-confdef,force-confold', lock_timeout: 60 });
  t.notOk('use' in a);
});

t.test('aptArgsFrom hands arguments package does not know on to apt', async (t) => {
  const a = aptArgsFrom({ name: ['docker.io'], state: 'present', use: 'auto', allow_downgrade: 'yes' });
  t.match(a, { name: ['docker.io'], allow_downgrade: true });
  const alias = aptArgsFrom({ name: ['curl'], state: 'present', use: 'auto', 'update-cache': true });
  t.match(alias, { update_cache: true });
  const rejected = aptArgsFrom({ name: ['fail2ban'], state: 'present', use: 'auto', enablerepo: 'epel' });
  t.type(rejected, 'string');
  t.match(rejected, /unknown argument "enablerepo" for module apt/);
});

t.test('an argument apt does not take fails the task when it runs, not when it loads', async (t) => {
  t.equal(pkg.freeArgs, true);
  const ctx = fakeContext({ vars: { ansible_pkg_mgr: 'apt' } });
  const r = await pkg.run({ name: ['fail2ban'], state: 'present', use: 'auto', enablerepo: 'epel' }, ctx);
  t.same([r.changed, r.failed], [false, true]);
  t.match(r.msg, /enablerepo.*apt/);
  t.equal(ctx.scripts.length, 0);
});

t.test('hands over to apt when facts say apt', async (t) => {
  const stdout = framed({ tools: '', dpkg: 'curl\tamd64\tinstall ok installed\t8\n' });
  const ctx = fakeContext({ vars: { ansible_pkg_mgr: 'apt' }, answers: [{ stdout }] });
  const r = await pkg.run({ name: ['curl'], state: 'present', use: 'auto' }, ctx);
  t.same([r.changed, r.msg], [false, 'curl is installed']);
  t.match(ctx.scripts[0].shown, /dpkg-query/);
});

t.test('other families fail naming the family', async (t) => {
  const ctx = fakeContext({ vars: { ansible_pkg_mgr: 'dnf', ansible_os_family: 'RedHat' } });
  const r = await pkg.run({ name: ['curl'], state: 'present', use: 'auto' }, ctx);
  t.same([r.failed, r.msg], [true, 'package: the dnf package manager (os family: RedHat) is not supported by muster: only apt on Debian-family hosts']);
});

t.test('without facts, one probe finds the manager', async (t) => {
  const ctx = fakeContext({ answers: [{ stdout: framed({ manager: 'apk\n', family: 'alpine\n' }) }] });
  const r = await pkg.run({ name: ['curl'], state: 'present', use: 'auto' }, ctx);
  t.match(r.msg, /the apk package manager \(os family: alpine\)/);
  const here = parseManager(dash(probeManager()).stdout);
  t.equal(here.manager, 'apt', 'this Debian machine is found to use apt');
  t.not(here.family, 'unknown');
});
