import t from 'tap';
import {
  cfgDefault,
  cfgInventory,
  cfgRolesPath,
  collectionName,
  discoverUnits,
  exampleCopies,
  hostGroups,
  isPlaybook,
  roleName,
} from '../../bench/lib/compat-discover.mjs';

const reader = (files: Record<string, string>) => (p: string) => files[p];
const discover = (repo: string, files: Record<string, string>, seed = {}) => discoverUnits({ repo, files: Object.keys(files), read: reader(files), seed });

t.test('a playbook is a list of plays and imports, nothing else', async (t) => {
  t.ok(isPlaybook('- hosts: all\n  tasks: []\n'));
  t.ok(isPlaybook('- import_playbook: a.yml\n- hosts: web\n'));
  t.ok(isPlaybook('- ansible.builtin.import_playbook: a.yml\n'));
  t.notOk(isPlaybook('- name: a task\n  debug: msg=x\n'), 'a task file');
  t.notOk(isPlaybook('- hosts: all\n- name: a task\n'), 'one item is no play');
  t.notOk(isPlaybook('[]'), 'empty');
  t.notOk(isPlaybook('hosts: all\n'), 'a mapping');
  t.notOk(isPlaybook('- hosts: [unclosed\n'), 'not YAML');
});

t.test('host groups: named groups only', async (t) => {
  t.same(hostGroups('- hosts: master:node\n- hosts: all\n- hosts: localhost\n- hosts: k3s_cluster,!bad\n'), ['bad', 'k3s_cluster', 'master', 'node']);
  t.same(hostGroups('- hosts: "{{ target }}"\n- hosts: web*\n- hosts: [db, cache]\n- import_playbook: x.yml\n'), ['cache', 'db']);
  t.same(hostGroups('not: a list\n'), []);
});

t.test("ansible.cfg's inventory: [defaults] only, first of a list, comments cut", async (t) => {
  t.equal(cfgInventory('[defaults]\ninventory = hosts.ini ; local\n'), 'hosts.ini');
  t.equal(cfgInventory('[defaults]\nhostfile: inv/a, inv/b\n'), 'inv/a');
  t.equal(cfgInventory('[ssh_connection]\ninventory = x\n'), undefined);
  t.equal(cfgInventory(undefined), undefined);
  t.equal(cfgDefault('[defaults]\nforks=5\n', ['forks']), '5');
});

t.test("ansible.cfg's roles_path: the repo's own folders only", async (t) => {
  t.same(cfgRolesPath('[defaults]\nroles_path = ./roles:~/.ansible/roles:/etc/ansible/roles:../shared\n'), ['./roles', '../shared']);
  t.same(cfgRolesPath('[defaults]\nroles_path = $HOME/roles\n'), []);
  t.same(cfgRolesPath('[other]\nroles_path = roles\n'), []);
  t.same(cfgRolesPath(undefined), []);
});

t.test('example copies: example.X and X.example, unless X is there', async (t) => {
  t.same(exampleCopies(['example.config.yml', 'example.hosts.ini', 'hosts.ini', 'vars.yml.example', 'a/example.b']), [
    ['example.config.yml', 'config.yml'],
    ['vars.yml.example', 'vars.yml'],
    ['a/example.b', 'a/b'],
  ]);
  t.same(exampleCopies(['example', 'main.yml']), []);
});

t.test('galaxy names', async (t) => {
  t.equal(roleName('geerlingguy', 'ansible-role-node_exporter', 'galaxy_info:\n  role_name: node_exporter\n'), 'geerlingguy.node_exporter');
  t.equal(roleName('PyratLabs', 'ansible-role-k3s', 'galaxy_info:\n  role_name: k3s\n  namespace: xanmanning\n'), 'xanmanning.k3s');
  t.equal(roleName('Some-One', 'ansible-role-my-thing', undefined), 'some_one.my_thing');
  t.equal(collectionName('namespace: devsec\nname: hardening\n'), 'devsec.hardening');
  t.equal(collectionName('name: hardening\n'), undefined);
});

t.test('a role repository is one role unit', async (t) => {
  const d = discover('geerlingguy/ansible-role-ntp', {
    'tasks/main.yml': '- debug:\n',
    'meta/main.yml': 'galaxy_info:\n  role_name: ntp\n',
    'molecule/default/converge.yml': '- hosts: all\n',
  });
  t.same(d, {
    kind: 'role',
    base: '.',
    copies: [],
    role: 'geerlingguy.ntp',
    units: [{ id: 'geerlingguy/ansible-role-ntp:role geerlingguy.ntp', kind: 'role', role: 'geerlingguy.ntp' }],
    groups: [],
  });
});

t.test('a collection: each role by its FQCN, and its playbooks/', async (t) => {
  const d = discover('k3s-io/k3s-ansible', {
    'galaxy.yml': 'namespace: k3s\nname: orchestration\n',
    'roles/prereq/tasks/main.yml': '- debug:\n',
    'roles/k3s_server/tasks/main.yml': '- debug:\n',
    'roles/k3s_server/tasks/other.yml': '- debug:\n',
    'playbooks/site.yml': '- hosts: k3s_cluster\n',
    'inventory-sample.yml': 'k3s_cluster:\n',
  });
  t.equal(d.kind, 'collection');
  t.equal(d.collection, 'k3s.orchestration');
  t.same(
    d.units.map((u) => u.id),
    ['k3s-io/k3s-ansible:role k3s.orchestration.k3s_server', 'k3s-io/k3s-ansible:role k3s.orchestration.prereq', 'k3s-io/k3s-ansible:playbooks/site.yml'],
  );
  t.same(d.units[2], { id: 'k3s-io/k3s-ansible:playbooks/site.yml', kind: 'playbook', playbook: 'playbooks/site.yml', inventory: 'inventory-sample.yml' });
  t.same(d.groups, ['k3s_cluster']);
});

t.test('a playbook repository: top-level playbooks, the inventory ansible.cfg names after the example copies', async (t) => {
  const d = discover('geerlingguy/pi-cluster', {
    'ansible.cfg': '[defaults]\ninventory = hosts.ini\n',
    'example.hosts.ini': '[control_plane]\nnode1\n',
    'example.config.yml': 'x: 1\n',
    'main.yml': '- hosts: cluster\n  vars_files: [config.yml]\n',
    'requirements.yml': '- name: geerlingguy.docker\n',
    'tasks/storage.yml': '- hosts: not-a-playbook-here\n',
    'upgrade.yml': '- hosts: all\n',
    'notes.yml': 'a: b\n',
  });
  t.equal(d.kind, 'playbooks');
  t.same(d.copies, [
    ['example.hosts.ini', 'hosts.ini'],
    ['example.config.yml', 'config.yml'],
  ]);
  t.same(
    d.units.map((u) => (u.kind === 'playbook' ? [u.playbook, u.inventory] : [])),
    [
      ['main.yml', 'hosts.ini'],
      ['upgrade.yml', 'hosts.ini'],
    ],
  );
  t.same(d.groups, ['cluster']);
  t.equal(d.rolesPath, undefined, 'no roles_path in its ansible.cfg');
  const withRoles = discover('o/r', { 'ansible.cfg': '[defaults]\nroles_path = roles\n', 'playbooks/a.yml': '- hosts: all\n' });
  t.same(withRoles.rolesPath, ['roles']);
});

t.test('inventories: named ones first, inventories/*/hosts next, else generated (null)', async (t) => {
  const inv = (files: Record<string, string>) =>
    (discover('o/r', { 'site.yml': '- hosts: web\n', ...files }).units[0] as { inventory: string | null }).inventory;
  t.equal(inv({ 'inventory.yml': 'all:\n', hosts: '[web]\n' }), 'inventory.yml');
  t.equal(inv({ 'inventories/production/hosts': '[web]\n', 'inventories/lab/hosts.yml': 'all:\n' }), 'inventories/lab/hosts.yml');
  t.equal(
    inv({ 'ansible.cfg': '[defaults]\ninventory = ./inventories/production\n', 'inventories/production/hosts': '[web]\n', 'hosts.yml': 'all:\n' }),
    'inventories/production/hosts',
  );
  t.equal(inv({ 'ansible.cfg': '[defaults]\ninventory = ~/hosts\n' }), null);
  t.equal(inv({}), null);
});

t.test('seeds: a base folder, an inventory, -e, and files skipped', async (t) => {
  const files = { 'ansible/site.yml': '- hosts: web\n', 'ansible/other.yml': '- hosts: db\n', 'ansible/inventory.yml': 'all:\n', 'README.md': '' };
  const found = discover('o/r', files);
  t.equal(found.base, 'ansible', 'an ansible/ folder when the root has no playbook');
  const d = discover('o/r', files, { inventory: 'lab.yml', extraVars: ['a=1'], skip: { 'other.yml': 'needs a vault' } });
  t.same(d.units, [{ id: 'o/r:site.yml', kind: 'playbook', playbook: 'site.yml', inventory: 'lab.yml', extraVars: ['a=1'] }]);
  t.equal(discover('o/r', { 'site.yml': '- hosts: a\n', 'ansible/x.yml': '- hosts: b\n' }).base, '.');
});
