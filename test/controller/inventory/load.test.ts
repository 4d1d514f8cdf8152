import { join } from 'node:path';
import t from 'tap';
import { MusterError } from '../../../shared/errors.js';
import { loadInventory } from '../../../controller/inventory/index.js';
import { fixture } from '../../fixtures/inventory/paths.js';

t.test('a YAML inventory: groups, children, ranges, ports, ungrouped', async (t) => {
  const file = fixture('basic/hosts.yml');
  const inv = loadInventory(file);
  t.equal(inv.source, file);
  t.same([...inv.hosts.keys()], ['nas', 'pi01', 'pi02', 'pi03', 'pi-a', 'pi-b', 'nuc1', 'nuc2']);
  t.same([...inv.groups.keys()], ['all', 'ungrouped', 'pis', 'nucs', 'docker', 'dmz']);
  t.same(inv.groups.get('all')!.children, ['ungrouped', 'pis', 'nucs', 'docker', 'dmz']);
  t.same(inv.groups.get('all')!.hosts, ['nas']);
  t.same(inv.groups.get('ungrouped')!.hosts, ['nas']);
  t.same(inv.groups.get('docker')!.children, ['pis', 'nucs']);
  t.same(inv.groups.get('docker')!.hosts, []);
  t.same(inv.groups.get('dmz')!.hosts, ['nuc2'], 'hosts: as a lone string');
  t.same(inv.groups.get('pis')!.pos, { file, line: 10, col: 5 });
  t.same(inv.hosts.get('nuc2')!.groups, ['all', 'dmz', 'docker', 'nucs']);
  t.same(inv.hosts.get('nas')!.groups, ['all', 'ungrouped']);
  t.same(inv.hosts.get('nuc1')!.vars, {
    ansible_user: 'admin',
    ntp_server: 'pool.ntp.org',
    docker_version: '27',
    ansible_port: 2222,
    ansible_host: '192.168.1.21',
  });
  t.equal(inv.hosts.get('pi02')!.vars.cgroup_memory, true, 'group_vars/pis.yml');
  t.equal(inv.hosts.get('nas')!.vars.ansible_user, 'root', 'host_vars/nas.yaml beats inline');
  t.equal(inv.hosts.get('nas')!.vars.ansible_host, '192.168.1.5');
  t.match(inv.warnings, [/group_vars\/lab: no group named "lab"/]);
});

t.test('a root without all: makes every top-level group a child of all', async (t) => {
  const inv = loadInventory(fixture('noall/hosts.yml'));
  t.same(inv.groups.get('all')!.children, ['ungrouped', 'web', 'db', 'solo']);
  t.same(inv.groups.get('ungrouped')!.hosts, []);
  t.same(inv.hosts.get('web2')!.groups, ['all', 'db', 'web']);
  t.same(inv.hosts.get('web2')!.vars, { http_port: 80, role: 'both' }, 'a host in two groups gets the vars of both');
});

t.test('a host listed twice keeps both listings of its vars, the later winning', async (t) => {
  const dir = t.testdir({ 'h.yml': 'a:\n  hosts:\n    h:\n      x: 1\n      z: 1\nb:\n  hosts:\n    h:\n      z: 2\n' });
  t.same(loadInventory(join(dir, 'h.yml')).hosts.get('h')!.vars, { x: 1, z: 2 });
});

t.test('ungrouped holds hosts in no group but all, and loses hosts that joined one', async (t) => {
  const dir = t.testdir({
    'h.yml':
      'all:\n  hosts:\n    a:\n    b:\n  children:\n    ungrouped:\n      hosts:\n        c:\n        d:\n    g:\n      hosts:\n        b:\n        d:\n',
  });
  const inv = loadInventory(join(dir, 'h.yml'));
  t.same(inv.groups.get('ungrouped')!.hosts, ['a', 'c']);
  t.same(inv.groups.get('all')!.children, ['ungrouped', 'g']);
});

t.test('a comma-separated host list', async (t) => {
  const inv = loadInventory('web1, web2:2222,');
  t.same([...inv.hosts.keys()], ['web1', 'web2']);
  t.same(inv.groups.get('ungrouped')!.hosts, ['web1', 'web2']);
  t.same(inv.hosts.get('web2')!.vars, { ansible_port: 2222 });
  t.same(loadInventory('solo,').hosts.get('solo')!.groups, ['all', 'ungrouped']);
});

t.test('a directory of YAML files, read in lexical order, with its group_vars', async (t) => {
  const dir = fixture('dir');
  const inv = loadInventory(dir);
  t.same([...inv.hosts.keys()], ['web1', 'web2', 'db1']);
  t.same(inv.groups.get('web')!.hosts, ['web1', 'web2']);
  t.equal(inv.hosts.get('web2')!.vars.x, 'from-dir');
  t.match(inv.warnings, [/README\.md: skipped, as Ansible skips \.md files in an inventory directory/]);
});

t.test('unknown keys in a group are warned about with their position', async (t) => {
  const dir = t.testdir({ 'h.yml': 'web:\n  host:\n    a:\n  vars:\n    x: 1\n' });
  const inv = loadInventory(join(dir, 'h.yml'));
  t.same(inv.warnings, [
    `${join(dir, 'h.yml')}:2:3: unknown key "host" in group "web" ignored (a group takes hosts, vars and children) (did you mean "hosts"?)`,
  ]);
  t.same(inv.groups.get('web')!.vars, { x: 1 });
});

t.test('an empty inventory is a warning, not an error', async (t) => {
  const dir = t.testdir({ 'h.yml': '# nothing yet\n' });
  const inv = loadInventory(join(dir, 'h.yml'));
  t.equal(inv.hosts.size, 0);
  t.match(inv.warnings, [/the inventory is empty/]);
});

// [name, file text, code, message, line, col]
const errors: [string, string, string, RegExp, number, number][] = [
  ['group not a mapping', 'all:\n  children:\n    web:\n      - a\n      - b\n', 'E_SCHEMA', /group "web" must be a mapping, found a list/, 4, 7],
  ['group is a string', 'web: a b c\n', 'E_SCHEMA', /group "web" must be a mapping, found the text "a b c"/, 1, 6],
  ['hosts as a list', 'web:\n  hosts:\n    - a\n', 'E_SCHEMA', /"hosts" of group "web" must be a mapping, found a list/, 3, 5],
  ['vars as a string', 'web:\n  vars: x=1\n', 'E_SCHEMA', /"vars" of group "web" must be a mapping/, 2, 9],
  ['host vars not a mapping', 'web:\n  hosts:\n    a:\n    b: yes\n', 'E_SCHEMA', /variables of host "b" must be a mapping, found a boolean/, 4, 8],
  ['bad range', 'web:\n  hosts:\n    ok:\n    w[01:100]:\n', 'E_SCHEMA', /bad host range in "w\[01:100\]": zero-padded bounds/, 4, 5],
  [
    'child cycle',
    'a:\n  children:\n    b:\n      children:\n        c:\n          children:\n            a:\n',
    'E_SCHEMA',
    /group "a" cannot be a child of "c": that makes a loop \(c -> a -> b -> c\)/,
    7,
    13,
  ],
  ['group its own child', 'a:\n  children:\n    a:\n', 'E_SCHEMA', /group "a" cannot be a child of "a"/, 3, 5],
  ['all as a child', 'web:\n  children:\n    all:\n', 'E_SCHEMA', /group "all" cannot be a child of "web"/, 3, 5],
  ['bad priority', 'web:\n  vars:\n    ansible_group_priority: high\n', 'E_SCHEMA', /ansible_group_priority of group "web" must be a whole number/, 3, 29],
  ['root is a list', '- web1\n- web2\n', 'E_SCHEMA', /must be a mapping of group names, found a list/, 1, 1],
  ['plugin config', 'plugin: aws_ec2\nregions: [eu-west-1]\n', 'E_SCHEMA', /plugin configuration files are not supported/, 1, 1],
  ['bad YAML', 'web:\n  hosts:\n    a: [\n', 'E_YAML', /malformed YAML/, 4, 1],
];

t.test('bad inventories throw MusterError with file:line:col and a hint', async (t) => {
  for (const [name, text, code, message, line, col] of errors) {
    const file = join(t.testdir({ 'hosts.yml': text }), 'hosts.yml');
    try {
      loadInventory(file);
      t.fail(`${name}: no error`);
    } catch (e) {
      t.ok(e instanceof MusterError, `${name}: a MusterError`);
      const err = e as MusterError;
      t.equal(err.code, code, `${name}: code`);
      t.match(err.message, message, `${name}: message`);
      t.same(err.pos, { file, line, col }, `${name}: position`);
      t.ok(err.hint, `${name}: hint`);
    }
  }
});

const ini: [string, string, number, string[]][] = [
  ['sections', '# fleet\n[web]\nweb1\nweb2\n\n[web:vars]\nhttp_port=80\n', 2, ['web1', 'web2']],
  ['host lines only', 'web1\nweb2\n', 1, ['web1', 'web2']],
  ['host with vars', 'web1 ansible_host=10.0.0.1\n', 1, ['web1']],
  ['one section', '[web]\n', 1, []],
];

t.test('INI inventories load from a file not named as YAML, and are refused by name in one that is', async (t) => {
  for (const [name, text, line, hosts] of ini) {
    t.same([...loadInventory(join(t.testdir({ hosts: text }), 'hosts')).hosts.keys()], hosts, name);
    const file = join(t.testdir({ 'hosts.yml': text }), 'hosts.yml');
    t.throws(
      () => loadInventory(file),
      { code: 'E_SCHEMA', message: `${file} looks like an INI inventory but is named as YAML`, pos: { file, line, col: 1 } },
      name,
    );
  }
  t.same(
    [...loadInventory(join(t.testdir({ hosts: 'all:\n  hosts:\n    y1:\n' }), 'hosts')).hosts.keys()],
    ['y1'],
    'a YAML mapping without an extension is YAML',
  );
});

t.test('a missing file that is not a host list is E_FILE with a hint about host lists', async (t) => {
  t.throws(() => loadInventory('/nonexistent/hosts.yml'), { code: 'E_FILE', message: /no such file/, hint: /comma-separated host list/ });
  t.throws(() => loadInventory('web1'), { code: 'E_FILE', hint: /trailing comma/ });
});
