import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Block, Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const asBlock = (n: TaskNode | undefined): Block => {
  if (n?.kind !== 'block') throw new Error(`not a block: ${JSON.stringify(n)}`);
  return n;
};
const asTask = (n: TaskNode | undefined): Task => {
  if (n?.kind !== 'task') throw new Error(`not a task: ${JSON.stringify(n)}`);
  return n;
};

const role = {
  tasks: { 'main.yml': '- name: main task\n  debug: msg=main\n', 'install.yml': '- name: install task\n  debug: msg=install\n  notify: restart app\n' },
  handlers: { 'main.yml': '- name: restart app\n  debug: msg=restarted\n' },
  defaults: { 'main.yml': 'app_port: 80\napp_user: app\n' },
  vars: { 'main.yml': 'app_dir: /opt/app\n' },
};

t.test("import_role and include_role expand to a block of the role's tasks; handlers, defaults and vars join the play", async (t) => {
  const dir = t.testdir({
    'site.yml': [
      '- hosts: all',
      '  pre_tasks:',
      '    - ansible.builtin.import_role: name=app tasks_from=install',
      '  tasks:',
      '    - name: the app',
      '      include_role:',
      '        name: app',
      '      vars: {app_port: 8080}',
      '      when: deploy | default(true)',
      '      tags: [app]',
      '  handlers:',
      '    - name: mine',
      '      debug: msg=mine',
      '',
    ].join('\n'),
    roles: { app: role },
  });
  const book = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions);
  const [play] = book.plays;
  const pre = asBlock(play.preTasks[0]);
  t.match(asTask(pre.block[0]), { name: 'install task', role: 'app', notify: ['restart app'] }, 'tasks_from picks tasks/install.yml');
  const main = asBlock(play.tasks[0]);
  t.match(main, { name: 'the app', tags: ['app'], when: [{ expr: 'deploy | default(true)' }] }, "the entry's keywords are on the block");
  t.same(main.vars, {}, "include_role's vars are include parameters, not block vars");
  t.match(asTask(main.block[0]), { name: 'main task', role: 'app', includeParams: { app_port: 8080 } }, 'include parameters on every task');
  t.notOk(asTask(main.block[0]).roleParams?.app_port, 'not role parameters');
  t.same(
    play.handlers.map((h) => h.name),
    ['restart app', 'mine'],
    "the role's handlers (once, though imported twice), then the play's",
  );
  t.same(play.roleDefaults, { app_port: 80, app_user: 'app' });
  t.same(play.roleVars, { app_dir: '/opt/app' });
});

t.test("a role listed under roles: may import another; the imported one's handlers reach the play", async (t) => {
  const dir = t.testdir({
    'site.yml': '- hosts: all\n  roles: [outer]\n',
    roles: {
      outer: { tasks: { 'main.yml': '- import_role: {name: app}\n- name: outer task\n  debug: msg=outer\n' } },
      app: role,
    },
  });
  const [play] = loadPlaybookWith(join(dir, 'site.yml'), fakeOptions).plays;
  const inner = asBlock(play.tasks[0]);
  t.match(asTask(inner.block[0]), { name: 'main task', role: 'app' });
  t.match(asTask(play.tasks[1]), { name: 'outer task', role: 'outer' });
  t.same(
    play.handlers.map((h) => h.name),
    ['restart app'],
  );
  t.same(play.roleDefaults, { app_port: 80, app_user: 'app' });
});
