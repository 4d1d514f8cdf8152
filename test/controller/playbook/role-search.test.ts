import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { fakeOptions } from './fakes.js';
import { names, role, site } from './role-fixtures.js';

t.test('roles are searched as Ansible does: roles/, the roles path, beside the depending role, the playbook directory', async (t) => {
  const dir = t.testdir({
    'site.yml': '- hosts: all\n  roles: [local, shared, here, lib/nested, outer]\n',
    roles: { local: role('local') },
    'path-a': { shared: role('shared from path-a') },
    'path-b': { shared: role('shared from path-b'), outer: role('outer', 'dependencies: [sibling]\n'), sibling: role('sibling') },
    here: role('here'),
    lib: { nested: role('nested') },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), { ...fakeOptions, rolesPath: [join(dir, 'path-a'), join(dir, 'path-b')] }).plays;
  t.same(names(play.tasks), [
    'local : local task',
    'shared : shared from path-a task',
    'here : here task',
    'lib/nested : nested task',
    'sibling : sibling task',
    'outer : outer task',
  ]);
});

t.test('a role name with / is found under the roles directories too, and shown as written', async (t) => {
  // ansible-playbook 2.14 lists `k3s/prereq : hello` for roles/k3s/prereq, and role_name is k3s/prereq
  const dir = t.testdir({ ...site('[team/web, web]'), roles: { team: { web: role('web') }, web: role('other web') } });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(names(play.tasks), ['team/web : web task', 'web : other web task'], 'two roles of the same last part stay apart');
});

t.test('ns.coll.role is looked up under collections paths and beside the playbook', async (t) => {
  const coll = (r: string) => ({ ansible_collections: { acme: { web: { roles: { [r]: role(r) } } } } });
  const dir = t.testdir({
    'site.yml': '- hosts: all\n  roles: [acme.web.nginx, acme.web.certs]\n',
    collections: coll('nginx'),
    elsewhere: coll('certs'),
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), { ...fakeOptions, collectionsPath: [join(dir, 'elsewhere')] }).plays;
  t.same(names(play.tasks), ['acme.web.nginx : nginx task', 'acme.web.certs : certs task']);
  const direct = loadPlaybookWith(join(dir, 'site.yml'), { ...fakeOptions, collectionsPath: [join(dir, 'elsewhere', 'ansible_collections')] }).plays[0];
  t.same(names(direct.tasks).length, 2, 'a path that is the ansible_collections directory itself works too');
});
