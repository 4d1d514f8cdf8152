/** import_role/include_role at run time: the role's defaults and parameters render its tasks, its handlers run. */
import t from 'tap';
import { runLocal } from './harness.js';

t.test("a role imported among the tasks runs with its defaults, the entry's parameters and its handlers", async (t) => {
  const dir = t.testdir({
    'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - import_role: {name: greet}',
      '    - include_role: name=greet',
      '      vars: {greeting: hi}',
      '',
    ].join('\n'),
    roles: {
      greet: {
        defaults: { 'main.yml': 'greeting: hello\n' },
        tasks: { 'main.yml': '- name: say\n  command: echo {{ greeting }}\n  register: said\n  notify: said it\n- debug: var=said.stdout\n' },
        handlers: { 'main.yml': '- name: said it\n  command: "true"\n' },
      },
    },
  });
  const { summary, events } = await runLocal(dir);
  const said = events.flatMap((e) => (e.type === 'result' && 'said.stdout' in e.result ? [e.result['said.stdout']] : []));
  t.same(said, ['hello', 'hi'], "the role default, then the entry's parameter");
  const tasks = events.flatMap((e) => (e.type === 'task' ? [`${e.kind}:${e.name}`] : []));
  t.same(
    tasks.filter((x) => x.startsWith('handler:')),
    ['handler:greet : said it'],
    "the role's handler ran once, at the end",
  );
  t.equal(tasks.at(-1), 'handler:greet : said it');
  t.equal(summary.failed.length, 0);
});
