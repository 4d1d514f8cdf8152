/** include_vars in a run: files beside the playbook, and Ansible's precedence (task vars < include_vars < set_fact < -e). */
import t from 'tap';
import { runLocal } from './harness.js';

const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local}\n';

t.test('include_vars loads a file, a directory and a named scope, at its precedence', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    vars: { 'Debian.yml': 'pkg: apt\nlevel: included\nshared: from-file\n', 'extra.yml': 'e: 1\n' },
    'conf.d': { '10-a.yml': 'a: 1\nover: a\n', '20-b.json': '{"b": 2, "over": "b"}\n', 'skip.txt': 'x' },
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  vars: {os: Debian, level: play}',
      '  tasks:',
      '    - include_vars: "{{ os }}.yml"',
      '      register: inc',
      '    - include_vars: {dir: conf.d, ignore_unknown_extensions: true}',
      '    - include_vars: {file: vars/extra.yml, name: more}',
      '    - set_fact: {shared: from-set-fact}',
      '    - include_vars: Debian.yml',
      '    - name: check',
      '      vars: {level: task}',
      '      assert:',
      '        that:',
      '          - pkg == "apt"',
      '          - level == "included"',
      '          - shared == "from-set-fact"',
      '          - a == 1 and b == 2 and over == "b"',
      '          - \'more == {"e": 1}\'',
      '          - inc.ansible_facts.pkg == "apt"',
      '          - inc.ansible_included_var_files[0] is match(".*/vars/Debian.yml$")',
      '          - hostvars.h1.pkg == "apt"',
      '    - include_vars: missing.yml',
      '      ignore_errors: true',
      '      register: gone',
      '    - assert: {that: ["gone.failed", "\'Could not find or access\' in gone.msg"]}',
      '',
    ].join('\n'),
  });
  const { summary, events } = await runLocal(dir, { extraVars: {} });
  const failed = events.filter((e) => e.type === 'result' && e.status === 'failed' && !(e as { ignored?: boolean }).ignored);
  t.same(failed, []);
  t.same(summary.failed, []);
});

t.test("with_first_found on include_vars looks in vars/, on template in templates/ (Ansible's subdir rule)", async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    vars: { 'default.yml': 'picked: default\n' },
    templates: { 'b.j2': 'x' },
    'site.yml': [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - include_vars: "{{ item }}"',
      '      with_first_found: [RedHat.yml, default.yml]',
      '    - debug: {msg: "{{ item }}"}',
      '      register: plain',
      '      with_first_found: [{files: [b.j2], skip: true}]',
      '    - assert: {that: [\'picked == "default"\', "plain.skipped"]}',
      '',
    ].join('\n'),
  });
  const { summary } = await runLocal(dir);
  t.same(summary.failed, []);
});

t.test('extra vars still win over include_vars', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'v.yml': 'x: file\n',
    'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_vars: v.yml\n    - assert: {that: [\'x == "cli"\']}\n',
  });
  const { summary } = await runLocal(dir, { extraVars: { x: 'cli' } });
  t.same(summary.failed, []);
});
