/** Role parameters and magic names on a role's nodes (values as ansible-playbook 2.14 prints them). */
import t from 'tap';
import { inRoleOf, roleMagic, roleNames, withIncludeParams } from '../../../controller/playbook/role-vars.js';
import type { Block, Task } from '../../../controller/playbook/types.js';

const task = (name: string, extra: Partial<Task> = {}): Task => ({ kind: 'task', name, ...extra }) as Task;
const block = (children: Task[], extra: Partial<Block> = {}): Block => ({ kind: 'block', block: children, rescue: [], always: [], ...extra }) as Block;

t.test('roleMagic: a plain role, a collection role, a role imported from another', async (t) => {
  t.same(roleMagic({ name: 'geerlingguy.docker', path: '/r/geerlingguy.docker' }, undefined), {
    role_name: 'geerlingguy.docker',
    role_path: '/r/geerlingguy.docker',
    ansible_role_name: 'geerlingguy.docker',
    ansible_collection_name: null,
  });
  t.match(roleMagic({ name: 'acme.tools.web', path: '/c/web' }, undefined), {
    role_name: 'web',
    ansible_role_name: 'acme.tools.web',
    ansible_collection_name: 'acme.tools',
  });
  t.match(roleMagic({ name: 'd', path: '/r/d' }, { name: 'r', path: '/r/r' }), { ansible_parent_role_names: ['r'], ansible_parent_role_paths: ['/r/r'] });
  t.notOk('ansible_parent_role_names' in roleMagic({ name: 'd', path: '/r/d' }, undefined));
});

t.test("inRoleOf: the role's parameters under a node's own, its names only where no inner role set them", async (t) => {
  const dep = task('dep task', { roleParams: { b: 'dep' }, roleMagic: { role_name: 'd' } });
  const marked = inRoleOf(block([task('own'), dep]), { a: 'r', b: 'r' }, { role_name: 'r' }) as Block;
  t.same(marked.roleParams, { a: 'r', b: 'r' });
  const [own, inner] = marked.block as Task[];
  t.same(own.roleParams, { a: 'r', b: 'r' });
  t.same(own.roleMagic, { role_name: 'r' });
  t.same(inner.roleParams, { a: 'r', b: 'dep' }, "the dependency's own parameter wins");
  t.same(inner.roleMagic, { role_name: 'd' });
});

t.test('withIncludeParams: added under the node’s own, nothing for none', async (t) => {
  const n = task('x');
  t.equal(withIncludeParams(n, undefined), n);
  t.equal(withIncludeParams(n, {}), n);
  t.same((withIncludeParams(task('y', { includeParams: { a: 2 } }), { a: 1, b: 1 }) as Task).includeParams, { a: 2, b: 1 });
});

t.test('roleNames: the play list keeps order and repeats, the all list has each once', async (t) => {
  t.same(roleNames({ played: ['r', 'd'], dependent: ['d'] }), {
    ansible_play_role_names: ['r', 'd'],
    role_names: ['r', 'd'],
    ansible_role_names: ['d', 'r'],
    ansible_dependent_role_names: ['d'],
  });
  t.same(roleNames({ played: [], dependent: [] }).ansible_role_names, []);
});
