/**
 * Roles at run time: a role named again in a play with the same parameters (in roles: or as a dependency)
 * runs once, though --list-tasks lists it each time; allow_duplicates, other parameters and import_role run
 * it again. The expected order is what ansible-playbook 2.14 ran for test/fixtures/listing/deps.yml.
 */
import t from 'tap';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLocal } from './harness.js';

const fixtures = fileURLToPath(new URL('../../fixtures/listing/', import.meta.url));

t.test('shared dependencies run once per play; allow_duplicates, other parameters and import_role run again', async (t) => {
  const dir = t.testdir({ 'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n' });
  cpSync(join(fixtures, 'deps.yml'), join(dir, 'site.yml'));
  cpSync(join(fixtures, 'roles'), join(dir, 'roles'), { recursive: true });
  const { summary, events } = await runLocal(dir);
  const ran = events.flatMap((e) => (e.type === 'task' && e.kind === 'task' ? [e.name] : []));
  // ansible-playbook 2.14 -c local deps.yml, TASK lines
  t.same(ran, [
    'shared : Shared task',
    'twice : Twice task',
    'front : Front task',
    'shared : Shared task',
    'twice : Twice task',
    'back : Back task',
    'twice : Twice task',
    'twice : Twice task',
    'front : Front task',
    'Play task',
    'shared : Shared task',
    'shared : Shared task',
    'twice : Twice task',
    'back : Back task',
  ]);
  t.equal(summary.failed.length, 0);
});

t.test("a play's and a roles entry's timeout end their tasks; a block's own wins", async (t) => {
  const dir = t.testdir({
    'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  timeout: 2',
      '  roles: [{role: slow, timeout: 1}]',
      '  tasks:',
      '    - {name: play-level, command: sleep 3, ignore_errors: true}',
      '    - block:',
      '        - {name: in block, command: sleep 1.5}',
      '      timeout: 5',
      '',
    ].join('\n'),
    roles: { slow: { tasks: { 'main.yml': '- {name: slow task, command: sleep 3, ignore_errors: true}\n' } } },
  });
  const { events } = await runLocal(dir);
  let task = '';
  const results = events.flatMap((e) => {
    if (e.type === 'task') task = e.name;
    return e.type === 'result' ? [`${task}: ${e.status === 'failed' ? e.msg : e.status}`] : [];
  });
  // ansible-playbook 2.14 failed the first two with this message and ran the third
  t.same(results, [
    'slow : slow task: The command action failed to execute in the expected time frame (1) and was terminated',
    'play-level: The command action failed to execute in the expected time frame (2) and was terminated',
    'in block: changed',
  ]);
});
