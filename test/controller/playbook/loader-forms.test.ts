import t from 'tap';
import { join } from 'node:path';
import { loadPlaybookWith, type Lookups } from '../../../controller/playbook/loader.js';
import type { Playbook } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

type Dir = Parameters<typeof t.testdir>[0];

const play = (tasks: string) => `- hosts: all\n  tasks:\n${tasks}`;

/** Each case: files in a fresh directory, what a part of the loaded playbook must match. */
const cases: { name: string; files: Dir; pick: (p: Playbook) => unknown; want: unknown; same?: boolean }[] = [
  {
    name: 'hosts as a list',
    files: { 'site.yml': '- hosts: [web, db]\n' },
    pick: (p) => p.plays[0],
    want: { hosts: 'web,db', name: 'web,db', gatherFacts: true, anyErrorsFatal: false },
  },
  {
    name: 'play flags as text',
    files: { 'site.yml': '- hosts: all\n  become: "yes"\n  gather_facts: "no"\n  ignore_unreachable: on\n' },
    pick: (p) => p.plays[0],
    want: { become: true, gatherFacts: false, ignoreUnreachable: true },
  },
  { name: 'serial as a percentage', files: { 'site.yml': '- hosts: all\n  serial: "30%"\n' }, pick: (p) => p.plays[0].serial, want: ['30%'], same: true },
  { name: 'serial as digits', files: { 'site.yml': '- hosts: all\n  serial: "3"\n' }, pick: (p) => p.plays[0].serial, want: [3], same: true },
  { name: 'empty playbook', files: { 'site.yml': '# nothing yet\n' }, pick: (p) => p.plays, want: [], same: true },
  {
    name: 'tags comma-separated and numbers',
    files: { 'site.yml': '- hosts: all\n  tags: "a, b,c"\n  tasks:\n    - debug: msg=x\n      tags: [1, two]\n' },
    pick: (p) => [p.plays[0].tags, p.plays[0].tasks[0].tags],
    want: [
      ['a', 'b', 'c'],
      ['1', 'two'],
    ],
    same: true,
  },
  {
    name: 'when as booleans',
    files: { 'site.yml': play('    - debug: msg=x\n      when: yes\n    - debug: msg=y\n      when: [false, "x is defined"]\n') },
    pick: (p) => p.plays[0].tasks.map((n) => n.when.map((c) => c.expr)),
    want: [['true'], ['false', 'x is defined']],
    same: true,
  },
  {
    name: 'task name defaults to the short module name',
    files: { 'site.yml': play('    - ansible.builtin.copy: src=a dest=b\n    - ansible.posix.debug:\n') },
    pick: (p) => p.plays[0].tasks.map((n) => [n.name, n.kind === 'task' && n.module, n.kind === 'task' && n.args]),
    want: [
      ['copy', 'copy', { src: 'a', dest: 'b' }],
      ['debug', 'debug', {}],
    ],
    same: true,
  },
  {
    name: 'task flags',
    files: {
      'site.yml': play(
        '    - debug: msg=x\n      run_once: true\n      ignore_errors: yes\n      no_log: true\n      check_mode: no\n      retries: "4"\n      delay: 0\n      become: true\n      become_user: postgres\n',
      ),
    },
    pick: (p) => p.plays[0].tasks[0],
    want: { runOnce: true, ignoreErrors: true, noLog: true, checkMode: false, retries: 4, delay: 0, become: true, becomeUser: 'postgres' },
  },
  {
    name: 'delegate_to',
    files: { 'site.yml': play('    - command: uptime\n      delegate_to: "{{ groups.db[0] }}"\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { module: 'command', delegateTo: '{{ groups.db[0] }}' },
  },
  {
    name: 'notify as a string',
    files: { 'site.yml': play('    - debug: msg=x\n      notify: restart it\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { notify: ['restart it'] },
  },
  {
    name: "args: merged under the module's own arguments",
    files: { 'site.yml': play('    - command: chdir=/b ls\n      args:\n        chdir: /a\n        creates: /c\n') },
    pick: (p) => p.plays[0].tasks[0].kind === 'task' && p.plays[0].tasks[0].args,
    want: { chdir: '/b', creates: '/c', _raw_params: 'ls' },
    same: true,
  },
  {
    name: 'k=v options of a free-form module are its scalar arguments only',
    files: { 'site.yml': play('    - command: cmd=x argv=y ls stdin=z\n      args:\n        stdin: w\n') },
    pick: (p) => p.plays[0].tasks[0].kind === 'task' && p.plays[0].tasks[0].args,
    want: { stdin: 'z', _raw_params: 'cmd=x argv=y ls' },
    same: true,
  },
  {
    name: 'set_fact takes any names',
    files: { 'site.yml': play('    - set_fact:\n        answer: 42\n        cacheable: true\n') },
    pick: (p) => p.plays[0].tasks[0].kind === 'task' && p.plays[0].tasks[0].args,
    want: { answer: 42, cacheable: true },
    same: true,
  },
  {
    name: 'multi-line shell script kept as written',
    files: { 'site.yml': play('    - shell: |\n        set -e\n        if true; then\n          echo  "a b"\n        fi\n') },
    pick: (p) => p.plays[0].tasks[0].kind === 'task' && p.plays[0].tasks[0].args,
    want: { _raw_params: 'set -e\nif true; then\n  echo  "a b"\nfi' },
    same: true,
  },
  {
    name: 'environment as a list of mappings',
    files: { 'site.yml': play('    - debug: msg=x\n      environment:\n        - {A: "1"}\n        - {B: "2", A: "3"}\n') },
    pick: (p) => p.plays[0].tasks[0].environment,
    want: { A: '3', B: '2' },
    same: true,
  },
  {
    name: 'with_list is not flattened',
    files: { 'site.yml': play('    - debug: msg=x\n      with_list: [[1, 2], 3]\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { loop: [[1, 2], 3], loopFlatten: undefined },
  },
  {
    name: 'with_items with template items flattens at run time',
    files: { 'site.yml': play('    - debug: msg=x\n      with_items: ["{{ base }}", [extra]]\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { loop: ['{{ base }}', ['extra']], loopFlatten: true },
  },
  {
    name: 'with_<lookup> keeps its terms as written and names the lookup',
    files: { 'site.yml': play('    - debug: msg=x\n      with_dict: "{{ d }}"\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { loop: '{{ d }}', loopLookup: 'dict', loopFlatten: undefined },
  },
  {
    name: 'with_ a prefix-free alias and a mapping of terms',
    files: {
      'site.yml': play('    - debug: msg=x\n      with_first_found:\n        - files: [a.yml]\n          paths: [vars]\n      loop_control: {loop_var: f}\n'),
    },
    pick: (p) => p.plays[0].tasks[0],
    want: { loop: [{ files: ['a.yml'], paths: ['vars'] }], loopLookup: 'first_found', loopVar: 'f' },
  },
  {
    name: 'with_cartesian (community.general) is known',
    files: { 'site.yml': play('    - debug: msg=x\n      with_cartesian: [[1], [2]]\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { loop: [[1], [2]], loopLookup: 'cartesian' },
  },
  {
    name: 'loop_control pause and index_var',
    files: { 'site.yml': play('    - debug: msg=x\n      loop: [a]\n      loop_control: {pause: 2, index_var: i, label: 3}\n') },
    pick: (p) => p.plays[0].tasks[0],
    want: { loopPause: 2, loopIndexVar: 'i', loopLabel: '3', loopVar: 'item' },
  },
  {
    name: 'include_tasks file: form with when and vars',
    files: {
      'site.yml': play('    - name: inc\n      include_tasks:\n        file: x.yml\n      when: a\n      vars: {v: 1}\n      become: true\n'),
      'x.yml': '- debug: msg=x\n',
    },
    pick: (p) => p.plays[0].tasks[0],
    want: { kind: 'block', name: 'inc', when: [{ expr: 'a' }], vars: { v: 1 }, become: true, block: [{ name: 'debug' }], rescue: [], always: [] },
  },
  {
    name: 'empty included file',
    files: { 'site.yml': play('    - import_tasks: x.yml\n'), 'x.yml': '' },
    pick: (p) => p.plays[0].tasks[0],
    want: { kind: 'block', block: [] },
  },
  {
    name: 'same file included twice is no cycle',
    files: { 'site.yml': play('    - import_tasks: x.yml\n    - import_tasks: x.yml\n'), 'x.yml': '- debug: msg=x\n' },
    pick: (p) => p.plays[0].tasks.length,
    want: 2,
  },
  {
    name: 'handler listen as a string',
    files: { 'site.yml': '- hosts: all\n  handlers:\n    - name: h\n      debug: msg=x\n      listen: topic\n' },
    pick: (p) => p.plays[0].handlers[0].listen,
    want: ['topic'],
    same: true,
  },
  {
    name: "role params from extra keys; the entry's vars: are role vars",
    files: { 'site.yml': '- hosts: all\n  roles:\n    - {role: r, port: 80, vars: {a: 1}}\n', r: {} },
    pick: (p) => [p.plays[0].tasks[0].roleParams, p.plays[0].tasks[0].vars, p.plays[0].roleVars],
    want: [{ port: 80 }, {}, { a: 1 }],
    same: true,
  },
  {
    name: 'role by path',
    files: { 'site.yml': '- hosts: all\n  roles:\n    - role: lib/r2\n', lib: { r2: { tasks: { 'main.yml': '- debug: msg=x\n' } } } },
    pick: (p) => p.plays[0].tasks[0],
    want: { role: 'r2' },
  },
  {
    name: 'role become applies to its tasks and handlers',
    files: { 'site.yml': '- hosts: all\n  roles:\n    - {role: r, become: true}\n' },
    pick: (p) => [p.plays[0].tasks[0].become, p.plays[0].handlers[0].become],
    want: [true, true],
    same: true,
  },
  {
    name: 'ansible.builtin.import_playbook',
    files: { 'site.yml': '- ansible.builtin.import_playbook: o.yml\n', 'o.yml': '- hosts: x\n' },
    pick: (p) => p.plays.map((x) => x.hosts),
    want: ['x'],
    same: true,
  },
];

// a role used by several cases
const roleR = { tasks: { 'main.yml': '- debug: msg=x\n' }, handlers: { 'main.yml': '- name: h\n  debug: msg=h\n' } };

t.test('playbook forms', async (t) => {
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const files = { ...(c.files as object), roles: { r: roleR } } as Dir;
      const dir = t.testdir(files);
      const got = c.pick(loadPlaybookWith(join(dir, 'site.yml'), fakeOptions));
      if (c.same) t.same(got, c.want);
      else t.match(got, c.want);
    });
  }
});

t.test('roles are also searched in MUSTER_ROLES_PATH', async (t) => {
  const dir = t.testdir({ 'site.yml': '- hosts: all\n  roles: [shared]\n', lib: { shared: { tasks: { 'main.yaml': '- debug: msg=s\n' } } } });
  const saved = process.env.MUSTER_ROLES_PATH;
  t.teardown(() => {
    if (saved === undefined) delete process.env.MUSTER_ROLES_PATH;
    else process.env.MUSTER_ROLES_PATH = saved;
  });
  process.env.MUSTER_ROLES_PATH = `/nonexistent:${join(dir, 'lib')}`;
  const { modules, canonical, moduleNames }: Lookups = fakeOptions;
  const book = loadPlaybookWith(join(dir, 'site.yml'), { modules, canonical, moduleNames });
  t.match(book.plays[0].tasks[0], { role: 'shared', searchDirs: [join(dir, 'lib', 'shared'), dir] });
});
