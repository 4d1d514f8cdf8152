import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Module } from '../../../controller/modules/types.js';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import { loadWarnings } from '../../../controller/playbook/warnings.js';
import { MusterError } from '../../../shared/errors.js';
import { fakeModules, fakeOptions } from './fakes.js';

const image: Module = {
  name: 'docker_image',
  args: {
    name: { type: 'str', required: true },
    debug: { type: 'bool', ignored: 'the commands run are shown with -vv' },
    docker_host: { type: 'str', aliases: ['docker_url'], ignored: 'the docker CLI talks to its own daemon' },
  },
  checkMode: true,
  run: async () => ({ changed: false }),
};
const registry = new Map([...fakeModules, image].map((m) => [m.name, m]));
const options = {
  ...fakeOptions,
  modules: (n: string) => registry.get(n),
  canonical: (n: string) => (registry.has(n.replace(/^ansible\.builtin\./, '')) ? n.replace(/^ansible\.builtin\./, '') : undefined),
  moduleNames: () => [...registry.keys()],
};

function load(t: Test, tasks: string) {
  const dir = t.testdir({ 'site.yml': `- hosts: all\n  tasks:\n${tasks}` });
  const book = loadPlaybookWith(join(dir, 'site.yml'), options);
  return { book, warnings: loadWarnings(book, (n) => registry.get(n)).map((w) => w.slice(dir.length + 1)) };
}

t.test('modules Ansible has and muster lacks load, each with a warning naming it', async (t) => {
  const { book, warnings } = load(
    t,
    [
      '    - dnf: name=httpd state=present',
      '    - name: cluster',
      '      kubernetes.core.k8s: {state: present, src: app.yml}',
      '    - k8s: {state: absent}',
      '      when: false',
      '    - block:',
      '        - community.general.zfs: {name: tank/data, state: present}',
      '    - action: yum name=x',
      '    - debug: msg=fine',
      '',
    ].join('\n'),
  );
  const tasks = book.plays[0].tasks;
  t.equal(tasks[0].kind === 'task' && tasks[0].module, 'dnf');
  t.same(tasks[0].kind === 'task' && tasks[0].args, { name: 'httpd', state: 'present' });
  t.same(warnings, [
    'site.yml:3:7: task "dnf": module dnf (ansible.builtin.dnf) is not implemented by muster; the task fails on any host that reaches it',
    'site.yml:4:7: task "cluster": module kubernetes.core.k8s is not implemented by muster; the task fails on any host that reaches it',
    'site.yml:6:7: task "k8s": module k8s (kubernetes.core.k8s) is not implemented by muster; the task fails on any host that reaches it',
    'site.yml:9:11: task "community.general.zfs": module community.general.zfs is not implemented by muster; the task fails on any host that reaches it',
    'site.yml:10:7: task "yum": module yum (ansible.builtin.yum) is not implemented by muster; the task fails on any host that reaches it',
  ]);
});

t.test('a short name neither muster nor Ansible knows still fails at load, with a did-you-mean', async (t) => {
  for (const [task, want] of [
    ['    - aptt: name=x\n', /"aptt" is neither a module nor a task keyword \(did you mean "apt"\?\)/],
    ['    - ansible.builtin.coppy: {dest: /x}\n', /"ansible.builtin.coppy" is neither a module nor a task keyword/],
    ['    - action: dnff name=x\n', /unknown module "dnff"/],
  ] as const) {
    try {
      load(t, task);
      t.fail(`loaded: ${task}`);
    } catch (e) {
      t.ok(e instanceof MusterError && e.code === 'E_MODULE', task);
      t.match((e as MusterError).message, want);
      t.match((e as MusterError).hint, /spelling/);
    }
  }
});

t.test('an unsupported keyword is still refused, even where Ansible has a module of that name', async (t) => {
  t.throws(() => load(t, '    - include: other.yml\n'), /"include" is not supported by muster yet/);
});

t.test('ignored arguments: one warning per task naming each argument and why', async (t) => {
  const { warnings } = load(
    t,
    [
      '    - docker_image: {name: nginx, debug: true, docker_url: "unix:///x"}',
      '    - docker_image: {name: nginx}',
      '    - name: again',
      '      docker_image: {name: a, debug: false}',
      '',
    ].join('\n'),
  );
  t.same(warnings, [
    'site.yml:3:7: task "docker_image": docker_image ignores "debug" (the commands run are shown with -vv), "docker_url" (the docker CLI talks to its own daemon)',
    'site.yml:5:7: task "again": docker_image ignores "debug" (the commands run are shown with -vv)',
  ]);
});
