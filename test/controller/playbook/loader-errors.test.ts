import t from 'tap';
import { join, relative } from 'node:path';
import { MusterError } from '../../../shared/errors.js';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { fakeOptions } from './fakes.js';

interface Case {
  name: string;
  files: Record<string, string>;
  code: string;
  msg: string | RegExp;
  /** file:line:col, the file relative to the test directory */
  at?: string;
}

const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`;

const cases: Case[] = [
  {
    name: 'unknown play key',
    files: { 'site.yml': '- hosts: all\n  gather_fact: no\n' },
    code: 'E_SCHEMA',
    msg: 'unknown key "gather_fact" in a play (did you mean "gather_facts"?)',
    at: 'site.yml:2:3',
  },
  {
    name: 'unsupported play key',
    files: { 'site.yml': '- hosts: all\n  strategy: free\n' },
    code: 'E_SCHEMA',
    msg: '"strategy" is not supported',
    at: 'site.yml:2:3',
  },
  { name: 'play without hosts', files: { 'site.yml': '- name: x\n  tasks: []\n' }, code: 'E_SCHEMA', msg: 'play has no "hosts"', at: 'site.yml:1:3' },
  { name: 'task where a play belongs', files: { 'site.yml': '- name: x\n  apt: name=git\n' }, code: 'E_SCHEMA', msg: 'looks like a task', at: 'site.yml:1:3' },
  { name: 'playbook is a mapping', files: { 'site.yml': 'hosts: all\n' }, code: 'E_SCHEMA', msg: 'a playbook must be a list of plays', at: 'site.yml:1:1' },
  { name: 'play is a string', files: { 'site.yml': '- all\n' }, code: 'E_SCHEMA', msg: 'a play must be a mapping', at: 'site.yml:1:3' },
  { name: 'malformed YAML', files: { 'site.yml': '- hosts: all\n  tasks:\n    - debug: msg={{ x }\n   bad: [\n' }, code: 'E_YAML', msg: 'malformed YAML' },
  {
    name: 'tasks not a list',
    files: { 'site.yml': '- hosts: all\n  tasks: {a: 1}\n' },
    code: 'E_SCHEMA',
    msg: '"tasks" must be a list, got a mapping',
    at: 'site.yml:2:10',
  },
  { name: 'task not a mapping', files: { 'site.yml': play('    - debug msg=x\n') }, code: 'E_SCHEMA', msg: 'a task must be a mapping', at: 'site.yml:3:7' },
  {
    name: 'unknown module close to a module',
    files: { 'site.yml': play('    - cpy: src=a dest=b\n') },
    code: 'E_MODULE',
    msg: 'no module in task: "cpy" is neither a module nor a task keyword (did you mean "copy"?)',
    at: 'site.yml:3:7',
  },
  {
    name: 'unknown module with a prefix',
    files: { 'site.yml': play('    - ansible.builtin.cpoy: src=a dest=b\n') },
    code: 'E_MODULE',
    msg: '(did you mean "copy"?)',
    at: 'site.yml:3:7',
  },
  {
    name: 'no module, a keyword typo',
    files: { 'site.yml': play('    - name: x\n      registr: out\n') },
    code: 'E_MODULE',
    msg: 'no module in task: "registr" is neither a module nor a task keyword (did you mean "register"?)',
    at: 'site.yml:4:7',
  },
  { name: 'no module at all', files: { 'site.yml': play('    - name: x\n      when: y\n') }, code: 'E_MODULE', msg: 'no module in task', at: 'site.yml:3:7' },
  {
    name: 'keyword typo beside a module',
    files: { 'site.yml': play('    - copy: src=a dest=b\n      notfy: x\n') },
    code: 'E_SCHEMA',
    msg: 'unknown key "notfy" in a task (did you mean "notify"?)',
    at: 'site.yml:4:7',
  },
  {
    name: 'two modules',
    files: { 'site.yml': play('    - copy: src=a dest=b\n      template: src=a dest=b\n') },
    code: 'E_SCHEMA',
    msg: 'this one has two: "copy" and "template"',
    at: 'site.yml:4:7',
  },
  {
    name: 'unknown action module',
    files: { 'site.yml': play('    - action: cpy src=a\n') },
    code: 'E_MODULE',
    msg: 'unknown module "cpy" (did you mean "copy"?)',
    at: 'site.yml:3:15',
  },
  {
    name: 'unknown argument in a mapping',
    files: { 'site.yml': play('    - copy:\n        src: a\n        dset: b\n') },
    code: 'E_MODULE',
    msg: 'unknown argument "dset" for module copy (did you mean "dest"?)',
    at: 'site.yml:5:9',
  },
  {
    name: 'unknown argument in k=v',
    files: { 'site.yml': play('    - copy: src=a dset=b\n') },
    code: 'E_MODULE',
    msg: 'unknown argument "dset" for module copy',
    at: 'site.yml:3:13',
  },
  {
    name: 'unknown argument under args:',
    files: { 'site.yml': play('    - copy: src=a\n      args:\n        dets: b\n') },
    code: 'E_MODULE',
    msg: 'unknown argument "dets"',
    at: 'site.yml:5:9',
  },
  {
    name: 'free-form text for a non-free-form module',
    files: { 'site.yml': play('    - debug: msg=hi there\n') },
    code: 'E_MODULE',
    msg: 'module debug takes no free-form text: "there"',
    at: 'site.yml:3:14',
  },
  {
    name: 'args a list',
    files: { 'site.yml': play('    - copy: [a, b]\n') },
    code: 'E_SCHEMA',
    msg: 'arguments of copy must be a mapping or key=value text',
    at: 'site.yml:3:13',
  },
  { name: 'unclosed quote in k=v', files: { 'site.yml': play('    - debug: msg="hi\n') }, code: 'E_SCHEMA', msg: 'unclosed quote "', at: 'site.yml:3:14' },
  {
    name: 'when a mapping',
    files: { 'site.yml': play('    - debug: msg=x\n      when: {a: 1}\n') },
    code: 'E_SCHEMA',
    msg: '"when" must be an expression, a boolean or a list of them, got a mapping',
    at: 'site.yml:4:13',
  },
  {
    name: 'when list item a mapping',
    files: { 'site.yml': play('    - debug: msg=x\n      when:\n        - a\n        - {b: 1}\n') },
    code: 'E_SCHEMA',
    msg: '"when" must be an expression',
    at: 'site.yml:6:11',
  },
  {
    name: 'delegate_facts',
    files: { 'site.yml': play('    - setup:\n      delegate_to: h2\n      delegate_facts: true\n') },
    code: 'E_SCHEMA',
    msg: '"delegate_facts" is not supported by muster yet',
    at: 'site.yml:5:7',
  },
  {
    name: 'local_action',
    files: { 'site.yml': play('    - local_action: command ls\n') },
    code: 'E_SCHEMA',
    msg: '"local_action" is not supported',
    at: 'site.yml:3:7',
  },
  {
    name: 'with_dict',
    files: { 'site.yml': play('    - debug: msg=x\n      with_dict: "{{ d }}"\n') },
    code: 'E_SCHEMA',
    msg: '"with_dict" loops are not supported yet',
    at: 'site.yml:4:7',
  },
  {
    name: 'loop and with_items',
    files: { 'site.yml': play('    - debug: msg=x\n      loop: [1]\n      with_items: [2]\n') },
    code: 'E_SCHEMA',
    msg: '"loop" and "with_items" cannot be used together',
    at: 'site.yml:5:19',
  },
  {
    name: 'loop a mapping',
    files: { 'site.yml': play('    - debug: msg=x\n      loop: {a: 1}\n') },
    code: 'E_SCHEMA',
    msg: '"loop" must be a list or a template giving one, got a mapping',
    at: 'site.yml:4:13',
  },
  {
    name: 'loop_control typo',
    files: { 'site.yml': play('    - debug: msg=x\n      loop: [1]\n      loop_control:\n        loopvar: x\n') },
    code: 'E_SCHEMA',
    msg: 'unknown key "loopvar" in a loop_control (did you mean "loop_var"?)',
    at: 'site.yml:6:9',
  },
  {
    name: 'register not a name',
    files: { 'site.yml': play('    - debug: msg=x\n      register: my-out\n') },
    code: 'E_SCHEMA',
    msg: '"register" must be a variable name, got "my-out"',
    at: 'site.yml:4:17',
  },
  {
    name: 'templated retries',
    files: { 'site.yml': play('    - debug: msg=x\n      until: a\n      retries: "{{ n }}"\n') },
    code: 'E_SCHEMA',
    msg: 'templated "retries" is not supported yet',
    at: 'site.yml:5:16',
  },
  {
    name: 'become not a boolean',
    files: { 'site.yml': play('    - debug: msg=x\n      become: maybe\n') },
    code: 'E_SCHEMA',
    msg: '"become" must be a boolean (true/false, yes/no, on/off, y/n, t/f, 1/0), got the string "maybe"',
    at: 'site.yml:4:15',
  },
  {
    name: 'listen on a task',
    files: { 'site.yml': play('    - debug: msg=x\n      listen: y\n') },
    code: 'E_SCHEMA',
    msg: 'unknown key "listen" in a task',
    at: 'site.yml:4:7',
  },
  {
    name: 'notify a mapping',
    files: { 'site.yml': play('    - debug: msg=x\n      notify: {a: 1}\n') },
    code: 'E_SCHEMA',
    msg: '"notify" entries must be strings',
    at: 'site.yml:4:15',
  },
  {
    name: 'vars a list',
    files: { 'site.yml': '- hosts: all\n  vars: [a]\n' },
    code: 'E_SCHEMA',
    msg: '"vars" must be a mapping, got a list',
    at: 'site.yml:2:9',
  },
  {
    name: 'serial nonsense',
    files: { 'site.yml': '- hosts: all\n  serial: [1, lots]\n' },
    code: 'E_SCHEMA',
    msg: '"serial" must be a count, a percentage',
    at: 'site.yml:2:15',
  },
  {
    name: 'block with a task keyword',
    files: { 'site.yml': play('    - block:\n        - debug: msg=x\n      notify: h\n') },
    code: 'E_SCHEMA',
    msg: 'unknown key "notify" in a block',
    at: 'site.yml:5:7',
  },
  {
    name: 'rescue without block',
    files: { 'site.yml': play('    - rescue:\n        - debug: msg=x\n') },
    code: 'E_SCHEMA',
    msg: '"rescue" without "block"',
    at: 'site.yml:3:7',
  },
  {
    name: 'error inside a nested block',
    files: { 'site.yml': play('    - block:\n        - block:\n            - debug: msg=x\n              whem: y\n') },
    code: 'E_SCHEMA',
    msg: 'unknown key "whem" in a task (did you mean "when"?)',
    at: 'site.yml:6:15',
  },
  {
    name: 'handlers with a block',
    files: { 'site.yml': '- hosts: all\n  handlers:\n    - block: []\n' },
    code: 'E_SCHEMA',
    msg: 'blocks are not supported in handlers',
    at: 'site.yml:3:14',
  },
  {
    name: 'import_playbook among tasks',
    files: { 'site.yml': play('    - import_playbook: other.yml\n') },
    code: 'E_SCHEMA',
    msg: 'import_playbook belongs at the top level',
    at: 'site.yml:3:24',
  },
  {
    name: 'templated include path',
    files: { 'site.yml': play('    - include_tasks: "{{ os }}.yml"\n') },
    code: 'E_SCHEMA',
    msg: 'templated include paths are not supported yet',
    at: 'site.yml:3:22',
  },
  {
    name: 'templated include path, file: form',
    files: { 'site.yml': play('    - include_tasks:\n        file: "{{ os }}.yml"\n') },
    code: 'E_SCHEMA',
    msg: 'templated include paths are not supported yet',
    at: 'site.yml:4:15',
  },
  {
    name: 'loop over an include',
    files: { 'site.yml': play('    - include_tasks: x.yml\n      loop: [1]\n'), 'x.yml': '[]' },
    code: 'E_SCHEMA',
    msg: 'loops over include_tasks are not supported yet',
    at: 'site.yml:4:13',
  },
  {
    name: 'missing include file',
    files: { 'site.yml': play('    - import_tasks: nope.yml\n') },
    code: 'E_FILE',
    msg: 'import_tasks file "nope.yml" not found',
    at: 'site.yml:3:21',
  },
  {
    name: 'include file not a list',
    files: { 'site.yml': play('    - import_tasks: x.yml\n'), 'x.yml': 'name: x\n' },
    code: 'E_SCHEMA',
    msg: 'a task file must be a list of tasks',
    at: 'x.yml:1:1',
  },
  {
    name: 'error inside an included file',
    files: { 'site.yml': play('    - import_tasks: tasks/x.yml\n'), 'tasks/x.yml': '- debug: msg=x\n  when: {a: 1}\n' },
    code: 'E_SCHEMA',
    msg: '"when" must be',
    at: 'tasks/x.yml:2:9',
  },
  {
    name: 'include cycle',
    files: { 'site.yml': play('    - import_tasks: a.yml\n'), 'a.yml': '- include_tasks: b.yml\n', 'b.yml': '- import_tasks: a.yml\n' },
    code: 'E_SCHEMA',
    msg: 'include cycle: a.yml -> b.yml -> a.yml',
    at: 'b.yml:1:17',
  },
  {
    name: 'import_playbook cycle',
    files: { 'site.yml': '- import_playbook: other.yml\n', 'other.yml': '- import_playbook: site.yml\n' },
    code: 'E_SCHEMA',
    msg: 'include cycle: site.yml -> other.yml -> site.yml',
    at: 'other.yml:1:20',
  },
  {
    name: 'missing imported playbook',
    files: { 'site.yml': '- import_playbook: other.yml\n' },
    code: 'E_FILE',
    msg: 'playbook "other.yml" not found',
    at: 'site.yml:1:20',
  },
  {
    name: 'import_playbook with an odd key',
    files: { 'site.yml': '- import_playbook: other.yml\n  hosts: all\n', 'other.yml': '[]' },
    code: 'E_SCHEMA',
    msg: 'unknown key "hosts" in an import_playbook entry',
    at: 'site.yml:2:3',
  },
  {
    name: 'templated vars_files',
    files: { 'site.yml': '- hosts: all\n  vars_files:\n    - "vars/{{ env }}.yml"\n' },
    code: 'E_SCHEMA',
    msg: 'templated vars_files are not supported yet',
    at: 'site.yml:3:7',
  },
  {
    name: 'missing vars file',
    files: { 'site.yml': '- hosts: all\n  vars_files: [nope.yml]\n' },
    code: 'E_FILE',
    msg: 'vars file "nope.yml" not found',
    at: 'site.yml:2:16',
  },
  {
    name: 'vars file not a mapping',
    files: { 'site.yml': '- hosts: all\n  vars_files: [v.yml]\n', 'v.yml': '- a\n' },
    code: 'E_SCHEMA',
    msg: 'a vars file must be a mapping',
    at: 'v.yml:1:1',
  },
  { name: 'role not found', files: { 'site.yml': '- hosts: all\n  roles:\n    - nope\n' }, code: 'E_FILE', msg: 'role "nope" not found', at: 'site.yml:3:7' },
  {
    name: 'templated role name',
    files: { 'site.yml': '- hosts: all\n  roles:\n    - role: "{{ r }}"\n' },
    code: 'E_SCHEMA',
    msg: 'templated role names are not supported yet',
    at: 'site.yml:3:13',
  },
  {
    name: 'role with dependencies',
    files: { 'site.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/meta/main.yml': 'dependencies: [other]\n' },
    code: 'E_SCHEMA',
    msg: 'role dependencies are not supported yet',
    at: 'roles/r/meta/main.yml:1:15',
  },
  {
    name: 'error inside a role',
    files: { 'site.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/tasks/main.yml': '- debug: msg=x\n  become: perhaps\n' },
    code: 'E_SCHEMA',
    msg: '"become" must be a boolean',
    at: 'roles/r/tasks/main.yml:2:11',
  },
  {
    name: 'role defaults not a mapping',
    files: { 'site.yml': '- hosts: all\n  roles: [r]\n', 'roles/r/defaults/main.yml': '- a\n' },
    code: 'E_SCHEMA',
    msg: 'role variables must be a mapping',
    at: 'roles/r/defaults/main.yml:1:1',
  },
  {
    name: 'environment templated',
    files: { 'site.yml': '- hosts: all\n  environment: "{{ proxy }}"\n' },
    code: 'E_SCHEMA',
    msg: 'templated "environment" is not supported yet',
    at: 'site.yml:2:16',
  },
  { name: 'missing playbook', files: {}, code: 'E_FILE', msg: 'cannot read' },
  {
    name: 'import_role without a name',
    files: { 'site.yml': play('    - import_role: {tasks_from: x}\n') },
    code: 'E_SCHEMA',
    msg: "import_role needs the role's name",
    at: 'site.yml:3:20',
  },
  {
    name: 'import_role of a missing role',
    files: { 'site.yml': play('    - include_role: name=nope\n') },
    code: 'E_FILE',
    msg: 'role "nope" not found',
    at: 'site.yml:3:21',
  },
  {
    name: 'import_role with a templated name',
    files: { 'site.yml': play('    - import_role:\n        name: "{{ r }}"\n') },
    code: 'E_SCHEMA',
    msg: 'templated role names are not supported yet',
    at: 'site.yml:4:15',
  },
  {
    name: 'import_role with an unknown option',
    files: { 'site.yml': play('    - import_role: {name: r, public: true}\n'), 'roles/r/tasks/main.yml': '- debug: msg=x\n' },
    code: 'E_SCHEMA',
    msg: 'unknown key "public"',
  },
  {
    name: 'import_role tasks_from missing',
    files: { 'site.yml': play('    - import_role: {name: r, tasks_from: nope}\n'), 'roles/r/tasks/main.yml': '- debug: msg=x\n' },
    code: 'E_FILE',
    msg: 'the role has no tasks file "nope"',
  },
  {
    name: 'import_role in a loop',
    files: { 'site.yml': play('    - import_role: name=r\n      loop: [1, 2]\n') },
    code: 'E_SCHEMA',
    msg: 'loops over import_role are not supported yet',
    at: 'site.yml:4:13',
  },
  {
    name: 'import_role in handlers',
    files: { 'site.yml': '- hosts: all\n  handlers:\n    - import_role: name=r\n' },
    code: 'E_SCHEMA',
    msg: 'import_role is not supported in handlers',
    at: 'site.yml:3:20',
  },
  {
    name: 'a role importing itself',
    files: { 'site.yml': play('    - import_role: name=r\n'), 'roles/r/tasks/main.yml': '- import_role: name=r\n' },
    code: 'E_SCHEMA',
    msg: 'include cycle',
  },
];

t.test('malformed playbooks', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const dir = t.testdir(nest(c.files) as Parameters<typeof t.testdir>[0]);
      const err = t.throws(() => loadPlaybookWith(join(dir, 'site.yml'), fakeOptions)) as unknown;
      if (!(err instanceof MusterError)) return t.fail(`expected a MusterError, got ${String(err)}`);
      t.equal(err.code, c.code);
      if (typeof c.msg === 'string') t.ok(err.message.includes(c.msg), `message "${err.message}" should include "${c.msg}"`);
      else t.match(err.message, c.msg);
      t.ok(err.hint, 'has a hint');
      if (c.at) {
        t.ok(err.pos, 'has a position');
        if (err.pos) t.equal(`${relative(dir, err.pos.file)}:${err.pos.line}:${err.pos.col}`, c.at);
      }
    });
  }
});

/** t.testdir wants nested objects for sub-directories. */
function nest(files: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let d = root;
    for (const p of parts.slice(0, -1)) d = (d[p] ??= {}) as Record<string, unknown>;
    d[parts[parts.length - 1]] = text;
  }
  return root;
}
