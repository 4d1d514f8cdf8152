import t from 'tap';
import { groupsVar, hostOf, loadInventory, selectHosts, withVarsDir, type Inventory } from '../../../controller/inventory/index.js';
import { fixture } from '../../fixtures/inventory/paths.js';

const basic = loadInventory(fixture('basic/hosts.yml'));

t.test('groupsVar: every group with its hosts, descendants included, in inventory order', async (t) => {
  t.same(groupsVar(basic), {
    all: ['nas', 'pi01', 'pi02', 'pi03', 'pi-a', 'pi-b', 'nuc1', 'nuc2'],
    ungrouped: ['nas'],
    pis: ['pi01', 'pi02', 'pi03', 'pi-a', 'pi-b'],
    nucs: ['nuc1', 'nuc2'],
    docker: ['pi01', 'pi02', 'pi03', 'pi-a', 'pi-b', 'nuc1', 'nuc2'],
    dmz: ['nuc2'],
  });
  t.equal(groupsVar(basic), groupsVar(basic), 'computed once per inventory');
  t.ok(Object.isFrozen(groupsVar(basic)) && Object.isFrozen(groupsVar(basic).all), 'shared, so frozen');
});

t.test('hostOf: inventory hosts, and localhost names not in the inventory', async (t) => {
  t.equal(hostOf(basic, 'nuc1').vars.ansible_port, 2222);
  for (const name of ['localhost', '127.0.0.1', '::1']) {
    const h = hostOf(basic, name);
    t.equal(h.name, 'localhost', name);
    t.same(h.groups, [], `${name}: in no group, not even all`);
    t.equal(h.vars.ansible_connection, 'local', `${name}: local connection`);
    t.equal(h.vars.ntp_server, 'pool.ntp.org', `${name}: gets the vars of all`);
  }
  t.throws(() => hostOf(basic, 'nope'), { code: 'E_PATTERN', message: `no host named "nope" in the inventory ${fixture('basic/hosts.yml')}`, hint: /--graph/ });
});

t.test('the implicit localhost reads host_vars/localhost, including the playbook side', async (t) => {
  const inv = withVarsDir(loadInventory(fixture('merge/hosts.yml')), fixture('merge/playbook'));
  t.same(hostOf(inv, 'localhost').vars, {
    lvl_inline: 'all-inline',
    lvl_file: 'all-file',
    layered: 'pb-all',
    dict: { c: 3 },
    ansible_connection: 'local',
    local_only: 'from-playbook',
  });
  t.notOk(inv.hosts.has('localhost'));
  t.notOk(
    inv.warnings.some((w) => w.includes('localhost')),
    'host_vars/localhost is not an unknown host',
  );
});

t.test('an inventory built by hand works with every lookup', async (t) => {
  const inv: Inventory = {
    source: 'test',
    hosts: new Map([['a', { name: 'a', vars: { x: 1 }, groups: ['all', 'g'] }]]),
    groups: new Map([
      ['all', { name: 'all', hosts: [], children: ['g'], vars: { v: 'all' } }],
      ['g', { name: 'g', hosts: ['a'], children: [], vars: {} }],
    ]),
    warnings: [],
  };
  t.same(selectHosts(inv, 'g'), ['a']);
  t.same(groupsVar(inv), { all: ['a'], g: ['a'] });
  t.same(hostOf(inv, 'localhost').vars, { v: 'all', ansible_connection: 'local' });
  const dir = t.testdir({ group_vars: { 'g.yml': 'gv: 1' } });
  t.same(withVarsDir(inv, dir).hosts.get('a')!.vars, { v: 'all', gv: 1, x: 1 });
});
