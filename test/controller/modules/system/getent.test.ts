import t from 'tap';
import { getent, getentResult, getentScript } from '../../../../controller/modules/system/getent.js';
import { argsFor, dash } from './fake.js';

const a = (given: Record<string, unknown>) => argsFor(getent, given);

t.test('colon databases split on ":", others on white space, unless split says otherwise', async (t) => {
  const g = getentResult(a({ database: 'group', key: 'docker' }), 0, 'docker:x:998:alice,bob\n', { os_family: 'Debian' });
  t.same(g.facts?.getent_group, { docker: ['x', '998', 'alice,bob'] });
  t.same(g.facts?.ansible_facts, { os_family: 'Debian', getent_group: { docker: ['x', '998', 'alice,bob'] } }, 'earlier facts kept');
  t.same(g.data, { ansible_facts: { getent_group: { docker: ['x', '998', 'alice,bob'] } } });
  t.notOk(g.failed);
  const h = getentResult(a({ database: 'hosts' }), 0, '127.0.0.1       localhost\n::1  localhost ip6-localhost\n', {});
  t.same(h.facts?.getent_hosts, { '127.0.0.1': ['localhost'], '::1': ['localhost', 'ip6-localhost'] });
  const s = getentResult(a({ database: 'passwd', split: ',' }), 0, 'a,b,c\n', {});
  t.same(s.facts?.getent_passwd, { a: ['b', 'c'] });
});

t.test('a key on several lines holds them all, in order', async (t) => {
  const r = getentResult(a({ database: 'services' }), 0, 'x 1/tcp\nx 1/udp\nx 2/sctp\ny 3/tcp\n', {});
  t.same(r.facts?.getent_services, { x: [['1/tcp'], ['1/udp'], ['2/sctp']], y: ['3/tcp'] });
});

t.test("exit codes: a missing key fails unless fail_key is false; others fail with getent's meaning", async (t) => {
  const missing = getentResult(a({ database: 'passwd', key: 'nobody-here' }), 2, '', {});
  t.same([missing.failed, missing.msg], [true, 'One or more supplied key could not be found in the database.']);
  const soft = getentResult(a({ database: 'passwd', key: 'nobody-here', fail_key: false }), 2, '', {});
  t.notOk(soft.failed);
  t.same(soft.facts?.getent_passwd, { 'nobody-here': null });
  t.match(getentResult(a({ database: 'nope' }), 1, '', {}), { failed: true, msg: 'Missing arguments, or database unknown.' });
  t.match(getentResult(a({ database: 'shadow' }), 3, '', {}), { failed: true, msg: 'Enumeration not supported on this database.' });
});

t.test('the command on this machine', async (t) => {
  t.match(getentScript(a({ database: 'passwd', key: 'root', service: 'files' })).shown, /getent passwd root -s files/);
  const r = dash(getentScript(a({ database: 'passwd', key: 'root' })));
  t.equal(r.rc, 0);
  const tree = getentResult(a({ database: 'passwd', key: 'root' }), r.rc, r.stdout, {}).facts?.getent_passwd as Record<string, string[]>;
  t.same(tree.root.slice(0, 2), ['x', '0']);
  t.equal(dash(getentScript(a({ database: 'passwd', key: 'no-such-user-xyz' }))).rc, 2);
  t.equal(getent.checkMode, true);
});
