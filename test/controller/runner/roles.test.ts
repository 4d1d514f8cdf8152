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
