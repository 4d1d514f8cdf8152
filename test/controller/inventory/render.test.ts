import t from 'tap';
import { inventoryGraph, inventoryHost, inventoryList, loadInventory } from '../../../controller/inventory/index.js';
import { fixture } from '../../fixtures/inventory/paths.js';

const inv = loadInventory(fixture('basic/hosts.yml'));

t.test('--graph draws the tree as ansible-inventory does', async (t) => {
  t.equal(
    inventoryGraph(inv),
    [
      '@all:',
      '  |--@ungrouped:',
      '  |  |--nas',
      '  |--@pis:',
      '  |  |--pi01',
      '  |  |--pi02',
      '  |  |--pi03',
      '  |  |--pi-a',
      '  |  |--pi-b',
      '  |--@nucs:',
      '  |  |--nuc1',
      '  |  |--nuc2',
      '  |--@docker:',
      '  |  |--@pis:',
      '  |  |  |--pi01',
      '  |  |  |--pi02',
      '  |  |  |--pi03',
      '  |  |  |--pi-a',
      '  |  |  |--pi-b',
      '  |  |--@nucs:',
      '  |  |  |--nuc1',
      '  |  |  |--nuc2',
      '  |--@dmz:',
      '  |  |--nuc2',
    ].join('\n'),
  );
});

t.test('--graph GROUP starts at that group; an unknown group is E_OPTION', async (t) => {
  t.equal(inventoryGraph(inv, 'nucs'), '@nucs:\n  |--nuc1\n  |--nuc2');
  t.throws(() => inventoryGraph(inv, 'nuc'), { code: 'E_OPTION', message: '--graph: no group named "nuc" (did you mean "nucs"?)' });
});

t.test('--graph shows an empty ungrouped, as ansible-inventory does', async (t) => {
  const noall = loadInventory(fixture('noall/hosts.yml'));
  t.match(inventoryGraph(noall), /^@all:\n {2}\|--@ungrouped:\n {2}\|--@web:\n/);
});

t.test('--list: groups with hosts, children and vars; hostvars under _meta', async (t) => {
  const common = { ansible_user: 'pi', ntp_server: 'pool.ntp.org' };
  const list = inventoryList(inv);
  t.same(list, {
    all: { children: ['ungrouped', 'pis', 'nucs', 'docker', 'dmz'], vars: common },
    ungrouped: { hosts: ['nas'] },
    pis: { hosts: ['pi01', 'pi02', 'pi03', 'pi-a', 'pi-b'], vars: { cgroup_memory: true } },
    nucs: { hosts: ['nuc1', 'nuc2'], vars: { ansible_user: 'admin' } },
    docker: { children: ['pis', 'nucs'], vars: { docker_version: '27' } },
    dmz: { hosts: ['nuc2'] },
    _meta: {
      hostvars: {
        nas: { ...common, ansible_host: '192.168.1.5', ansible_user: 'root' },
        pi01: { ...common, docker_version: '27', cgroup_memory: true },
        pi02: { ...common, docker_version: '27', cgroup_memory: true },
        pi03: { ...common, docker_version: '27', cgroup_memory: true },
        'pi-a': { ...common, docker_version: '27', cgroup_memory: true },
        'pi-b': { ...common, docker_version: '27', cgroup_memory: true },
        nuc1: { ...common, ansible_user: 'admin', docker_version: '27', ansible_port: 2222, ansible_host: '192.168.1.21' },
        nuc2: { ...common, ansible_user: 'admin', docker_version: '27' },
      },
    },
  });
  t.same(Object.keys(list as object), ['all', 'ungrouped', 'pis', 'nucs', 'docker', 'dmz', '_meta'], 'groups in tree order, _meta last');
});

t.test('--list leaves empty groups out but keeps them among all.children', async (t) => {
  const list = inventoryList(loadInventory('h1,')) as Record<string, unknown>;
  t.same(list, { all: { children: ['ungrouped'] }, ungrouped: { hosts: ['h1'] }, _meta: { hostvars: {} } });
  const empty = inventoryList(loadInventory(fixture('noall/hosts.yml'))) as Record<string, unknown>;
  t.notOk('ungrouped' in empty);
  t.same((empty.all as { children: string[] }).children, ['ungrouped', 'web', 'db', 'solo']);
});

t.test('--host: the merged vars of one host, the implicit localhost too', async (t) => {
  t.same(inventoryHost(inv, 'nuc2'), { ansible_user: 'admin', ntp_server: 'pool.ntp.org', docker_version: '27' });
  t.same(inventoryHost(inv, 'localhost'), { ansible_user: 'pi', ntp_server: 'pool.ntp.org', ansible_connection: 'local' });
  t.throws(() => inventoryHost(inv, 'nuc3'), { code: 'E_PATTERN', message: /no host named "nuc3"/, hint: /did you mean "nuc1"/ });
});

t.test('renderings are copies: changing them leaves the inventory alone', async (t) => {
  const host = inventoryHost(inv, 'nas') as Record<string, unknown>;
  host.ansible_user = 'changed';
  t.equal(inv.hosts.get('nas')!.vars.ansible_user, 'root');
});
