/** The magic variables roles test (ansible_version, inventory_dir...) and the template action's own variables. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { templateVars } from '../../../controller/modules/files/template.js';
import { runLocal } from './harness.js';

t.test('a play sees ansible_version, the inventory place and the run tags', async (t) => {
  const dir = t.testdir({
    'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - assert:',
      '        that:',
      "          - ansible_version.full is version('2.12', '>=')",
      '          - ansible_version.major == 2 and ansible_version.minor == 14',
      "          - inventory_file is match('.*/inv.yml$')",
      '          - inventory_dir == playbook_dir',
      "          - ansible_run_tags == ['all'] and ansible_skip_tags == []",
      '    - template: {src: managed.conf.j2, dest: "{{ playbook_dir }}/out.conf"}',
      '',
    ].join('\n'),
    templates: { 'managed.conf.j2': '# {{ ansible_managed }}\n# from {{ template_path }} to {{ template_destpath | basename }}\n' },
  });
  const { summary, events } = await runLocal(dir, {}, {});
  t.same(
    events.filter((e) => e.type === 'result' && e.status === 'failed').map((e) => JSON.stringify(e)),
    [],
  );
  t.same(summary.failed, []);
  t.equal(readFileSync(join(dir, 'out.conf'), 'utf8'), '# Ansible managed\n# from managed.conf.j2 to out.conf\n');
});

t.test("the template action's variables", async (t) => {
  const v = templateVars('app.j2', '/r/templates/app.j2', '/etc/app.conf', { now: Date.UTC(2026, 11, 3, 12, 0, 5, 250), host: 'laptop', user: 'me' });
  t.same(v, {
    ansible_managed: 'Ansible managed',
    template_host: 'laptop',
    template_path: 'app.j2',
    template_fullpath: '/r/templates/app.j2',
    template_destpath: '/etc/app.conf',
    template_uid: 'me',
    template_run_date: '2026-12-03 12:00:05',
  });
});
