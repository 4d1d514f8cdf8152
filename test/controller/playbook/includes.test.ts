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

t.test('a task file that include_tasks itself (a retry) is read when it runs; import_tasks of itself is a cycle', async (t) => {
  const dir = t.testdir({
    'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: node.yml\n',
    'node.yml': '- block:\n    - {name: try, command: "true"}\n  rescue:\n    - {name: again, include_tasks: node.yml}\n',
    'bad.yml': '- hosts: all\n  tasks:\n    - import_tasks: self.yml\n',
    'self.yml': '- import_tasks: self.yml\n',
  });
  const [outer] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays[0].tasks;
  if (outer.kind !== 'block') throw new Error('expected a block');
  const inner = outer.block[0];
  if (inner.kind !== 'block') throw new Error('expected the block of node.yml');
  const again = inner.rescue[0];
  t.ok(again.kind === 'block' && again.include?.path === 'node.yml', 'the self-include is a dynamic include of its literal path');
  if (again.kind === 'block' && again.include) {
    const next = again.include.expand('node.yml')[0];
    t.ok(next.kind === 'block' && next.rescue[0].kind === 'block' && next.rescue[0].include, 'reading it again gives the same shape');
  }
  t.throws(() => loadPlaybookWith(join(dir, 'bad.yml'), fakeOptions), /include cycle: self.yml -> self.yml/);
});
