/** Task and block keywords: templated flags kept for the runner, local_action, delegate_facts, throttle, module_defaults, handler blocks. */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import type { MusterError } from '../../../shared/errors.js';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Block, Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
const load = (t: Test, yml: string, files: Record<string, unknown> = {}) =>
  loadPlaybookWith(join(t.testdir({ 'site.yml': yml, ...files } as never), 'site.yml'), fakeOptions).plays;
const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`;

const cases: { name: string; tasks: string; want: Partial<Task> }[] = [
  { name: 'ignore_errors literal', tasks: '    - {debug: msg=x, ignore_errors: yes}\n', want: { ignoreErrors: true } },
  { name: 'ignore_errors templated', tasks: '    - {debug: msg=x, ignore_errors: "{{ soft }}"}\n', want: { ignoreErrors: '{{ soft }}' } },
  { name: 'no_log templated', tasks: '    - {debug: msg=x, no_log: "{{ not debug }}"}\n', want: { noLog: '{{ not debug }}' } },
  { name: 'ignore_unreachable', tasks: '    - {debug: msg=x, ignore_unreachable: true}\n', want: { ignoreUnreachable: true } },
  {
    name: 'retries and delay templated',
    tasks: '    - {debug: msg=x, until: a, retries: "{{ n }}", delay: "{{ d }}"}\n',
    want: { retries: '{{ n }}', delay: '{{ d }}' },
  },
  { name: 'retries and delay default', tasks: '    - {debug: msg=x, until: a}\n', want: { retries: 3, delay: 5 } },
  {
    name: 'environment templated',
    tasks: '    - {command: env, environment: "{{ proxy_env }}"}\n',
    want: { environment: {}, environmentTemplate: '{{ proxy_env }}' },
  },
  { name: 'throttle', tasks: '    - {command: env, throttle: 1}\n', want: { throttle: 1 } },
  { name: 'async and poll', tasks: '    - {command: sleep 3, async: 10, poll: 0}\n', want: { async: 10, poll: 0 } },
  { name: 'async and poll templated', tasks: '    - {command: ls, async: "{{ a }}", poll: "{{ p }}"}\n', want: { async: '{{ a }}', poll: '{{ p }}' } },
  { name: 'timeout', tasks: '    - {command: sleep 9, timeout: 2}\n', want: { timeout: 2 } },
  { name: 'remote_user and connection', tasks: '    - {command: env, remote_user: pi, connection: local}\n', want: { remoteUser: 'pi', connection: 'local' } },
  { name: 'delegate_facts', tasks: '    - {setup: {}, delegate_to: h2, delegate_facts: true}\n', want: { delegateTo: 'h2', delegateFacts: true } },
  {
    name: 'local_action as text',
    tasks: '    - local_action: command echo hi\n',
    want: { module: 'command', delegateTo: 'localhost', args: { _raw_params: 'echo hi' } },
  },
  {
    name: 'local_action as a mapping',
    tasks: '    - local_action: {module: copy, content: x, dest: /tmp/x}\n',
    want: { module: 'copy', delegateTo: 'localhost', args: { content: 'x', dest: '/tmp/x' } },
  },
];

for (const c of cases)
  t.test(c.name, async (t) => {
    const [p] = load(t, play(c.tasks));
    t.match(flat(p.tasks)[0], c.want);
  });

t.test('a literal keyword is a boolean, a template stays text for the runner', async (t) => {
  const [p] = load(t, play('    - {debug: msg=x, ignore_errors: false}\n    - {debug: msg=x}\n'));
  const [a, b] = flat(p.tasks);
  t.equal(a.ignoreErrors, false);
  t.equal(b.ignoreErrors, undefined, 'unset inherits');
});

t.test('blocks carry ignore_unreachable, throttle, remote_user, connection and templated flags', async (t) => {
  const [p] = load(
    t,
    play(
      '    - block: [{debug: msg=x}]\n      ignore_unreachable: true\n      throttle: 2\n      remote_user: pi\n      connection: local\n      no_log: "{{ q }}"\n',
    ),
  );
  t.match(p.tasks[0] as Block, { kind: 'block', ignoreUnreachable: true, throttle: 2, remoteUser: 'pi', connection: 'local', noLog: '{{ q }}' });
});

t.test('connection: local and a templated environment on a play', async (t) => {
  const [p] = load(t, '- hosts: all\n  connection: local\n  environment: "{{ env }}"\n  ignore_unreachable: "{{ x }}"\n');
  t.match(p, { connection: 'local', environment: {}, environmentTemplate: '{{ env }}', ignoreUnreachable: '{{ x }}' });
});

t.test("module_defaults on a task, a block and the play: the nearest wins, the task's own arguments over all", async (t) => {
  const [p] = load(
    t,
    [
      '- hosts: all',
      '  module_defaults: {apt: {state: latest, update_cache: true, cache_valid_time: 60}}',
      '  tasks:',
      '    - block:',
      '        - apt: {name: a}',
      '          module_defaults: {apt: {cache_valid_time: 5}}',
      '        - apt: {name: b, state: absent}',
      '      module_defaults: {apt: {state: present, update_cache: false}}',
      '    - apt: {name: c}',
      '',
    ].join('\n'),
  );
  const [a, b, c] = flat(p.tasks);
  t.match(a.args, { name: 'a', state: 'present', update_cache: false, cache_valid_time: 5 });
  t.match(b.args, { name: 'b', state: 'absent', update_cache: false, cache_valid_time: 60 });
  t.match(c.args, { name: 'c', state: 'latest', update_cache: true, cache_valid_time: 60 });
});

t.test('module_defaults on an include_tasks entry reach the included tasks', async (t) => {
  const [p] = load(t, play('    - include_tasks: more.yml\n      module_defaults: {copy: {mode: "0600"}}\n'), {
    'more.yml': '- copy: {content: a, dest: /a}\n',
  });
  t.match(flat(p.tasks)[0].args, { mode: '0600' });
});

t.test('a block among handlers: its tasks are handlers with the block keywords', async (t) => {
  const [p] = load(
    t,
    '- hosts: all\n  handlers:\n    - block:\n        - {name: restart a, command: "true"}\n        - {name: restart b, command: "true", listen: web}\n      when: ok\n      become: true\n    - {name: plain, debug: msg=x}\n',
  );
  t.same(
    p.handlers.map((h) => h.name),
    ['restart a', 'restart b', 'plain'],
  );
  t.match(p.handlers[0], { become: true, when: [{ expr: 'ok' }] });
  t.same(p.handlers[1].listen, ['web']);
  t.same(p.handlers[2].when, [], 'the block keywords stay in the block');
});

const refused: { name: string; tasks: string; msg: RegExp }[] = [
  { name: 'throttle not a number', tasks: '    - {debug: msg=x, throttle: many}\n', msg: /"throttle" must be a number/ },
  { name: 'ignore_errors neither boolean nor template', tasks: '    - {debug: msg=x, ignore_errors: maybe}\n', msg: /"ignore_errors" must be a boolean/ },
  { name: 'local_action naming no module', tasks: '    - local_action: {src: a}\n', msg: /"local_action" must name a module/ },
  { name: 'local_action of an unknown module', tasks: '    - local_action: nosuch a=b\n', msg: /unknown module "nosuch"/ },
  { name: 'local_action beside a module', tasks: '    - local_action: command ls\n      debug: msg=x\n', msg: /a task runs one module, this one has two/ },
  {
    name: 'module_defaults on a task not a mapping',
    tasks: '    - {debug: msg=x, module_defaults: [1]}\n',
    msg: /module_defaults must map module names to arguments/,
  },
  { name: 'async not a number', tasks: '    - {command: ls, async: soon}\n', msg: /"async" must be a number/ },
  { name: 'poll negative', tasks: '    - {command: ls, async: 5, poll: -1}\n', msg: /"poll" must be a number/ },
  { name: 'timeout not a number', tasks: '    - {command: ls, timeout: long}\n', msg: /"timeout" must be a number/ },
  { name: 'timeout on a block not a number', tasks: '    - block: [{command: ls}]\n      timeout: long\n', msg: /"timeout" must be a number/ },
  { name: 'async on a block', tasks: '    - block: [{command: ls}]\n      async: 5\n', msg: /unknown key "async" in a block/ },
];

for (const c of refused)
  t.test(`refused: ${c.name}`, async (t) => {
    const err = t.throws(() => load(t, play(c.tasks))) as MusterError;
    t.match(err.message, c.msg);
    t.ok(err.pos, 'has a position');
    t.ok(err.hint, 'says what to do');
  });

t.test('include_tasks and include_role may loop; the block keeps the loop for the runner', async (t) => {
  const [p] = load(
    t,
    play(
      '    - include_tasks: one.yml\n      loop: "{{ users }}"\n      loop_control: {loop_var: user, index_var: i}\n    - include_role: {name: r}\n      with_items: [a, b]\n',
    ),
    { 'one.yml': '- debug: msg={{ user }}\n', roles: { r: { tasks: { 'main.yml': '- debug: msg={{ item }}\n' } } } },
  );
  const [inc, role] = p.tasks as Block[];
  t.match(inc.loop, { loop: '{{ users }}', loopVar: 'user', loopIndexVar: 'i' });
  t.equal(inc.block.length, 1);
  t.match(role.loop, { loop: ['a', 'b'], loopVar: 'item' });
});

const refusedLoops: { name: string; tasks: string; msg: RegExp }[] = [
  { name: 'import_tasks with a loop', tasks: '    - import_tasks: one.yml\n      loop: [1]\n', msg: /import_tasks cannot loop/ },
  { name: 'import_role with a loop', tasks: '    - import_role: {name: r}\n      loop: [1]\n', msg: /import_role cannot loop/ },
  { name: 'include_tasks looping over a mapping', tasks: '    - include_tasks: one.yml\n      loop: {a: 1}\n', msg: /"loop" must be a list/ },
  { name: 'include_tasks with an unknown lookup', tasks: '    - include_tasks: one.yml\n      with_nosuch: [1]\n', msg: /with_nosuch/ },
];

for (const c of refusedLoops)
  t.test(`refused: ${c.name}`, async (t) => {
    const err = t.throws(() =>
      load(t, play(c.tasks), { 'one.yml': '- debug: msg=x\n', roles: { r: { tasks: { 'main.yml': '- debug: msg=x\n' } } } }),
    ) as MusterError;
    t.match(err.message, c.msg);
    t.ok(err.hint, 'says what to do');
  });

t.test('include_tasks with a templated path is read when it runs; import_tasks refuses one', async (t) => {
  const [p] = load(t, play('    - include_tasks: "{{ os }}.yml"\n      module_defaults: {copy: {mode: "0600"}}\n'), {
    'debian.yml': '- copy: {content: a, dest: /a}\n',
  });
  const b = p.tasks[0] as Block;
  t.match(b.include, { path: '{{ os }}.yml' });
  t.same(b.block, []);
  t.match(b.include?.expand('debian.yml'), [{ module: 'copy', args: { mode: '0600' } }], 'module_defaults reach the file read later');
  t.throws(() => b.include?.expand('nope.yml'), /include_tasks file "nope.yml" not found/);
  const err = t.throws(() => load(t, play('    - import_tasks: "{{ os }}.yml"\n'))) as MusterError;
  t.match(err.message, /import_tasks is read before the play runs, so its path cannot be a template/);
  t.match(err.hint, /use include_tasks/);
});

t.test('apply on include_role and include_tasks: its keywords reach the included tasks', async (t) => {
  const [p] = load(
    t,
    play(
      '    - include_role:\n        name: r\n        apply: {tags: [deploy], become: true, when: go}\n      tags: [always]\n    - include_tasks:\n        file: one.yml\n        apply: {module_defaults: {copy: {mode: "0600"}}, no_log: true}\n',
    ),
    { 'one.yml': '- copy: {content: a, dest: /a}\n', roles: { r: { tasks: { 'main.yml': '- debug: msg=x\n' } } } },
  );
  const [role, inc] = p.tasks as Block[];
  t.match(role, { become: true, when: [{ expr: 'go' }] });
  t.same(role.tags, ['always', 'deploy']);
  t.match(inc, { noLog: true });
  t.match(flat(inc.block)[0].args, { mode: '0600' });
});

const refusedApply: { name: string; tasks: string; msg: RegExp }[] = [
  { name: 'apply beside the include', tasks: '    - include_tasks: one.yml\n      apply: {become: true}\n', msg: /"apply" is not supported by muster yet/ },
  {
    name: 'apply on import_role',
    tasks: '    - import_role: {name: r, apply: {become: true}}\n',
    msg: /"apply" is not supported by muster yet \(in an import_role\)/,
  },
  { name: 'apply not a mapping', tasks: '    - include_role: {name: r, apply: [become]}\n', msg: /"apply" must be a mapping of task keywords/ },
  { name: 'apply with a key that is no keyword', tasks: '    - include_role: {name: r, apply: {loop: [1]}}\n', msg: /unknown key "loop" in an apply/ },
];

for (const c of refusedApply)
  t.test(`refused: ${c.name}`, async (t) => {
    const err = t.throws(() =>
      load(t, play(c.tasks), { 'one.yml': '- debug: msg=x\n', roles: { r: { tasks: { 'main.yml': '- debug: msg=x\n' } } } }),
    ) as MusterError;
    t.match(err.message, c.msg);
    t.ok(err.hint, 'says what to do');
  });
