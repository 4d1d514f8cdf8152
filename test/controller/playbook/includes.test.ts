/** Includes: what --list-tasks shows for them (listed), and `args:` on include_tasks / include_role. */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
const files = { 'inc.yml': '- {name: inc, debug: msg=i}\n', roles: { r: { tasks: { 'main.yml': '- {name: role task, debug: msg=r}\n' } } } };
const load = (t: Test, tasks: string) =>
  loadPlaybookWith(join(t.testdir({ 'site.yml': `- hosts: all\n  tasks:\n${tasks}`, ...files } as never), 'site.yml'), fakeOptions).plays[0].tasks;

t.test('include_tasks and include_role are listed as themselves; the imports are not', async (t) => {
  const nodes = load(
    t,
    `    - include_tasks: inc.yml
    - {name: Named, ansible.builtin.include_tasks: {file: inc.yml, apply: {tags: [b]}}, tags: [a]}
    - {include_tasks: "{{ f }}.yml"}
    - {ansible.builtin.include_role: {name: r}}
    - import_tasks: inc.yml
    - import_role: {name: r}
`,
  );
  t.same(
    nodes.map((n) => (n.kind === 'block' ? n.listed : 'task')),
    [
      { title: 'include_tasks', tags: [] },
      { title: 'Named', tags: ['a'] },
      { title: 'include_tasks', tags: [] },
      { title: 'ansible.builtin.include_role', tags: [] },
      undefined,
      undefined,
    ],
  );
});

t.test('args: {apply: ...} and args: {file: ...} on include_tasks and include_role, as Ansible accepts', async (t) => {
  const nodes = load(
    t,
    `    - include_tasks: inc.yml
      args: {apply: {tags: [x]}}
    - include_tasks:
      args: {file: inc.yml}
    - include_role: {name: r}
      args: {apply: {tags: [y]}}
`,
  );
  t.same(
    nodes.map((n) => flat([n]).map((x) => x.name)),
    [['inc'], ['inc'], ['role task']],
  );
  t.same(
    nodes.map((n) => n.tags),
    [['x'], [], ['y']],
    "apply's tags reach the tasks inside (carried by the include's block)",
  );
  t.same(
    nodes.map((n) => (n.kind === 'block' ? n.listed?.tags : undefined)),
    [[], [], []],
    'the include itself keeps its own tags',
  );
});

t.test('args must be a mapping', async (t) => {
  t.throws(() => load(t, '    - {include_tasks: inc.yml, args: "apply=x"}\n'), /"args" of include_tasks must be a mapping/);
});
