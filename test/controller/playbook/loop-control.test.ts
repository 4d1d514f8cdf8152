/** loop_control.extended and extended_allitems, on tasks and on looped includes. */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { fakeOptions } from './fakes.js';

const load = (t: Test, tasks: string) =>
  loadPlaybookWith(join(t.testdir({ 'site.yml': `- hosts: all\n  tasks:\n${tasks}`, 'inc.yml': '- debug: msg=i\n' }), 'site.yml'), fakeOptions).plays[0].tasks;

t.test('extended: on, with allitems unless extended_allitems is false; off or unset: none', async (t) => {
  const [a, b, c, d] = load(
    t,
    `    - {debug: msg=x, loop: [1], loop_control: {extended: true}}
    - {debug: msg=x, loop: [1], loop_control: {extended: yes, extended_allitems: false}}
    - {debug: msg=x, loop: [1], loop_control: {extended: false}}
    - {debug: msg=x, loop: [1]}
`,
  );
  t.same(
    [a, b, c, d].map((n) => (n.kind === 'task' ? n.loopExtended : 'block')),
    [{ allitems: true }, { allitems: false }, undefined, undefined],
  );
});

t.test('a looped include_tasks keeps extended for its iterations', async (t) => {
  const [n] = load(t, '    - {include_tasks: inc.yml, loop: [1, 2], loop_control: {extended: true}}\n');
  t.same(n.kind === 'block' ? n.loop?.loopExtended : undefined, { allitems: true });
});

t.test('extended must be a boolean', async (t) => {
  t.throws(() => load(t, '    - {debug: msg=x, loop: [1], loop_control: {extended: sometimes}}\n'), /"extended" must be a boolean/);
});
