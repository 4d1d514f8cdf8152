import t from 'tap';
import { parse } from 'yaml';
import { commandFor, generatedInventory, rolePlaybook, slug, unitRun, unitSlug, workLayout } from '../../bench/lib/compat-units.mjs';

t.test('names on disk', async (t) => {
  t.equal(slug('geerlingguy/pi-cluster'), 'geerlingguy+pi-cluster');
  t.equal(unitSlug('k3s-io/k3s-ansible:role k3s.orchestration.prereq'), 'k3s-io_k3s-ansible_role_k3s.orchestration.prereq');
  const w = workLayout('/w');
  t.equal(w.repoDir('a/b'), '/w/repos/a+b');
  t.equal(w.rolesPath, '/w/roles');
  t.equal(w.collectionsPath, '/w/collections');
  t.equal(w.generatedInventory('a/b'), '/w/inventories/a+b.yml');
});

t.test('the role playbook runs the role on all hosts', async (t) => {
  t.same(parse(rolePlaybook('geerlingguy.docker')), [{ name: 'compat geerlingguy.docker', hosts: 'all', roles: [{ role: 'geerlingguy.docker' }] }]);
});

t.test('generated inventories: one host per group, or one ungrouped host', async (t) => {
  t.same(parse(generatedInventory([])), { all: { hosts: { host1: null } } });
  t.same(parse(generatedInventory(['master', 'node'])), {
    all: { children: { master: { hosts: { host1: null } }, node: { hosts: { host2: null } } } },
  });
  t.same(Object.keys(parse(generatedInventory(['a:b', 'yes'])).all.children), ['a:b', 'yes'], 'odd names stay names');
});

t.test('a playbook unit runs in its base with its inventory; a generated one when it ships none', async (t) => {
  const entry = { repo: 'r/p', base: 'ansible' };
  const run = unitRun(entry, { id: 'r/p:site.yml', kind: 'playbook', playbook: 'site.yml', inventory: 'inventory.yml', extraVars: ['a=1'] }, '/w');
  t.equal(run.cwd, '/w/repos/r+p/ansible');
  t.equal(run.playbook, '/w/repos/r+p/ansible/site.yml');
  t.equal(run.inventory, '/w/repos/r+p/ansible/inventory.yml');
  t.same(run.extra, ['-e', 'a=1']);
  const generated = unitRun({ repo: 'r/p', base: '.' }, { id: 'x', kind: 'playbook', playbook: 'site.yml', inventory: null }, '/w');
  t.equal(generated.inventory, '/w/inventories/r+p.yml');
  t.same(generated.extra, []);
});

t.test('a role unit runs in its own folder; both tools get the same roles path', async (t) => {
  const run = unitRun({ repo: 'g/d', base: '.' }, { id: 'g/d:role g.d', kind: 'role', role: 'g.d' }, '/w', { KEEP: '1' });
  t.equal(run.cwd, '/w/units/g_d_role_g.d');
  t.equal(run.playbook, '/w/units/g_d_role_g.d/play.yml');
  t.equal(run.inventory, '/w/units/g_d_role_g.d/hosts.yml');
  t.equal(run.env.ANSIBLE_ROLES_PATH, '/w/roles');
  t.equal(run.env.MUSTER_ROLES_PATH, '/w/roles');
  t.equal(run.env.ANSIBLE_COLLECTIONS_PATH, '/w/collections:/usr/share/ansible/collections');
  t.equal(run.env.ANSIBLE_VAULT_PASSWORD_FILE, '/w/vault-password');
  t.equal(run.env.KEEP, '1');
  const cfg = unitRun(
    { repo: 'r/p', base: 'ansible', rolesPath: ['roles', '../shared'] },
    { id: 'x', kind: 'playbook', playbook: 'p/a.yml', inventory: null },
    '/w',
  );
  t.equal(cfg.env.ANSIBLE_ROLES_PATH, '/w/repos/r+p/ansible/roles:/w/repos/r+p/shared:/w/roles', "the repo's roles_path first");
  t.equal(cfg.env.MUSTER_ROLES_PATH, cfg.env.ANSIBLE_ROLES_PATH);
});

t.test('the four commands differ only in the tool and the mode', async (t) => {
  const run = { cwd: '/c', playbook: '/c/site.yml', inventory: '/c/hosts', extra: ['-e', 'a=1'], env: {} };
  t.same(commandFor('ansible', 'syntax-check', run, '/m'), ['ansible-playbook', '-i', '/c/hosts', '-e', 'a=1', '--syntax-check', '/c/site.yml']);
  t.same(commandFor('muster', 'list-tasks', run, '/m'), [
    process.execPath,
    '/m/bin/muster.js',
    'play',
    '-i',
    '/c/hosts',
    '-e',
    'a=1',
    '--list-tasks',
    '/c/site.yml',
  ]);
});
