/** run_once, notify, delegate_to and delegate_facts on blocks and includes: handed down to the tasks inside, a task's own winning. */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
const load = (t: Test, tasks: string, files: Record<string, unknown> = {}) =>
  loadPlaybookWith(join(t.testdir({ 'site.yml': `- hosts: all\n  tasks:\n${tasks}`, ...files } as never), 'site.yml'), fakeOptions).plays[0];
const pick = (x: Task) => ({ name: x.name, runOnce: x.runOnce, notify: x.notify, delegateTo: x.delegateTo, delegateFacts: x.delegateFacts });

t.test('a block hands its run_once, notify, delegate_to to every task, nested, rescue and always included', async (t) => {
  const p = load(
    t,
    `    - run_once: true
      notify: restart
      delegate_to: h2
      delegate_facts: true
      block:
        - {name: a, debug: msg=a}
        - {name: b, debug: msg=b, notify: [own], delegate_to: h3, delegate_facts: false}
        - block:
            - {name: c, debug: msg=c}
      rescue:
        - {name: r, debug: msg=r}
      always:
        - {name: w, debug: msg=w}
    - {name: outside, debug: msg=o}
`,
  );
  t.same(flat(p.tasks).map(pick), [
    { name: 'a', runOnce: true, notify: ['restart'], delegateTo: 'h2', delegateFacts: true },
    { name: 'b', runOnce: true, notify: ['own'], delegateTo: 'h3', delegateFacts: false },
    { name: 'c', runOnce: true, notify: ['restart'], delegateTo: 'h2', delegateFacts: true },
    { name: 'r', runOnce: true, notify: ['restart'], delegateTo: 'h2', delegateFacts: true },
    { name: 'w', runOnce: true, notify: ['restart'], delegateTo: 'h2', delegateFacts: true },
    { name: 'outside', runOnce: false, notify: [], delegateTo: undefined, delegateFacts: undefined },
  ]);
});

t.test('include_tasks, import_tasks and include_role hand run_once and notify down', async (t) => {
  const files = {
    'inc.yml': '- {name: inc, debug: msg=i}\n',
    roles: { r: { tasks: { 'main.yml': '- {name: role task, debug: msg=r}\n' } } },
  };
  const p = load(
    t,
    `    - {include_tasks: inc.yml, run_once: true, notify: h}
    - {import_tasks: inc.yml, run_once: yes}
    - {include_role: {name: r}, run_once: true, delegate_to: localhost}
    - {include_tasks: inc.yml}
`,
    files,
  );
  t.same(
    flat(p.tasks).map((x) => [x.runOnce, x.notify, x.delegateTo]),
    [
      [true, ['h'], undefined],
      [true, [], undefined],
      [true, [], 'localhost'],
      [false, [], undefined],
    ],
  );
});

t.test('a templated include_tasks path hands them down when its file is read', async (t) => {
  const p = load(t, '    - {include_tasks: "{{ f }}.yml", run_once: true}\n', { 'inc.yml': '- {name: inc, debug: msg=i}\n' });
  const block = p.tasks[0];
  if (block.kind !== 'block' || !block.include) throw new Error('expected a dynamic include');
  t.same(
    flat(block.include.expand('inc.yml')).map((x) => x.runOnce),
    [true],
  );
});

t.test('run_once on a block must be a boolean', async (t) => {
  t.throws(() => load(t, '    - {run_once: often, block: [{debug: msg=a}]}\n'), /"run_once" must be a boolean/);
});
