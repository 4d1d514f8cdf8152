/**
 * timeout on a play, a block, a roles entry, a dependency, import_role and import_tasks: handed down to every task
 * (and handler) inside, a task's own (0 included) winning; include_tasks and include_role take it but keep it for
 * themselves (their apply: gives it to their tasks), while a timeout from around them still reaches their tasks. Each expectation is what
 * ansible-playbook 2.14 did with the same keywords (a `sleep` timing out or not).
 */
import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
const timeouts = (nodes: TaskNode[]) => flat(nodes).map((x) => `${x.role ? `${x.role} : ` : ''}${x.name}=${x.timeout}`);
const slow = { tasks: { 'main.yml': '- {name: slow task, command: sleep 3}\n' }, handlers: { 'main.yml': '- {name: slow handler, command: sleep 3}\n' } };
const roles = {
  slow,
  dep: { meta: { 'main.yml': 'dependencies:\n  - {role: slow, timeout: 4}\n' }, tasks: { 'main.yml': '- {name: dep task, command: "true"}\n' } },
};

t.test('a play, a block and a task: the nearest timeout wins, 0 included', async (t) => {
  const site = `- hosts: all
  timeout: 1
  roles: [slow]
  pre_tasks:
    - {name: pre, command: sleep 3}
  tasks:
    - {name: play-level, command: sleep 3}
    - {name: zero, command: sleep 3, timeout: 0}
    - block:
        - {name: in block, command: sleep 3}
        - {name: own, command: sleep 3, timeout: 5}
        - block:
            - {name: nested, command: sleep 3}
          timeout: "{{ t }}"
      rescue:
        - {name: rescue, command: sleep 3}
      timeout: 2
  handlers:
    - {name: handler, command: sleep 3}
- hosts: all
  tasks:
    - {name: none, command: sleep 3}
`;
  const [p1, p2] = loadPlaybookWith(join(t.testdir({ 'site.yml': site, roles }), 'site.yml'), fakeOptions).plays;
  t.same(timeouts(p1.preTasks), ['pre=1']);
  t.same(timeouts(p1.tasks), ['slow : slow task=1', 'play-level=1', 'zero=0', 'in block=2', 'own=5', 'nested={{ t }}', 'rescue=2']);
  t.same(
    p1.handlers.map((h) => `${h.name}=${h.timeout}`),
    ['slow handler=1', 'handler=1'],
  );
  t.same(timeouts(p2.tasks), ['none=undefined'], 'another play: no timeout');
});

t.test('roles entries, dependencies and imports hand it down; include_tasks and include_role keep their own', async (t) => {
  const site = `- hosts: all
  roles:
    - {role: slow, timeout: 1}
    - {role: dep, timeout: 2}
  tasks:
    - import_role: {name: slow}
      timeout: 3
    - include_role: {name: slow}
      timeout: 3
    - import_tasks: inc.yml
      timeout: 3
    - include_tasks: inc.yml
      timeout: 3
    - block:
        - include_tasks: inc.yml
        - include_role: {name: slow}
      timeout: 6
    - include_tasks: {file: inc.yml, apply: {timeout: 7}}
    - include_role: {name: slow, apply: {timeout: 7}}
    - include_tasks:
        file: "{{ 'inc' }}.yml"
        apply: {timeout: 7}
`;
  const dir = t.testdir({ 'site.yml': site, 'inc.yml': '- {name: included, command: sleep 3}\n', roles });
  const [p] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  t.same(timeouts(p.tasks), [
    'slow : slow task=1',
    'slow : slow task=4',
    'dep : dep task=2',
    'slow : slow task=3',
    'slow : slow task=undefined',
    'included=3',
    'included=undefined',
    'included=6',
    'slow : slow task=6',
    'included=7',
    'slow : slow task=7',
  ]);
  const dynamic = p.tasks.at(-1);
  t.ok(dynamic?.kind === 'block' && dynamic.include, 'a templated include_tasks is read when it runs');
  if (dynamic?.kind === 'block' && dynamic.include) t.same(timeouts(dynamic.include.expand('inc.yml')), ['included=7'], "apply's timeout reaches its tasks");
  t.equal(p.handlers[0].timeout, 1, "a roles entry's timeout reaches the role's handlers");
});

t.test('a timeout that is not a number is refused where it is written', async (t) => {
  for (const [where, site] of [
    ['play', '- hosts: all\n  timeout: soon\n  tasks: []\n'],
    ['block', '- hosts: all\n  tasks:\n    - block: [{debug: msg=x}]\n      timeout: soon\n'],
    ['roles entry', '- hosts: all\n  roles: [{role: slow, timeout: soon}]\n'],
  ]) {
    t.throws(() => loadPlaybookWith(join(t.testdir({ 'site.yml': site, roles }), 'site.yml'), fakeOptions), { code: 'E_SCHEMA', message: /timeout/ }, where);
  }
});
