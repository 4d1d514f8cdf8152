import t, { type Test } from 'tap';
import { join } from 'node:path';
import type { MusterError } from '../../../shared/errors.js';
import { loadPlaybookWith } from '../../../controller/playbook/loader.js';
import type { Task, TaskNode } from '../../../controller/playbook/types.js';
import { fakeOptions } from './fakes.js';

const flat = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'block' ? [...flat(n.block), ...flat(n.rescue), ...flat(n.always)] : [n]));
const load = (t: Test, files: Record<string, unknown>, more = {}) =>
  loadPlaybookWith(join(t.testdir(files as never), 'site.yml'), { ...fakeOptions, ...more }).plays;

t.test('remote_user, collections, order and force_handlers are read off the play', async (t) => {
  const [p, q] = load(t, {
    'site.yml':
      '- hosts: all\n  remote_user: pi\n  collections: [community.general]\n  order: reverse_sorted\n  force_handlers: true\n  tasks: []\n- hosts: all\n',
  });
  t.match(p, { remoteUser: 'pi', order: 'reverse_sorted', forceHandlers: true });
  t.match(q, { remoteUser: undefined, order: undefined, forceHandlers: undefined });
});

t.test('become_method: sudo is accepted on a play', async (t) => {
  const [p] = load(t, { 'site.yml': '- hosts: all\n  become: true\n  become_method: sudo\n' });
  t.equal(p.become, true);
});

t.test('vars_prompt entries with their defaults', async (t) => {
  const [p] = load(t, {
    'site.yml': [
      '- hosts: all',
      '  vars_prompt:',
      '    - name: user',
      '      prompt: Who?',
      '      private: false',
      '      default: pi',
      '    - name: pw',
      '      confirm: true',
      '      encrypt: sha512_crypt',
      '      salt_size: 8',
      '',
    ].join('\n'),
  });
  t.match(p.varsPrompt, [
    { name: 'user', prompt: 'Who?', private: false, default: 'pi', confirm: false },
    { name: 'pw', prompt: 'pw', private: true, confirm: true, encrypt: 'sha512_crypt', saltSize: 8 },
  ]);
});

t.test('gathering from ansible.cfg: the default when gather_facts is not written', async (t) => {
  const files = { 'site.yml': '- hosts: all\n- hosts: all\n  gather_facts: true\n- hosts: all\n  gather_facts: false\n' };
  const facts = (g?: 'implicit' | 'explicit' | 'smart') => load(t, files, g ? { gathering: g } : {}).map((p) => [p.gatherFacts, p.gatherOnce ?? false]);
  t.same(facts(), [
    [true, false],
    [true, false],
    [false, false],
  ]);
  t.same(facts('explicit'), [
    [false, false],
    [true, false],
    [false, false],
  ]);
  t.same(facts('smart'), [
    [true, true],
    [true, true],
    [false, true],
  ]);
});

t.test('module_defaults: module names short or in full, action groups, the task wins, handlers and roles too', async (t) => {
  const [p] = load(t, {
    'site.yml': [
      '- hosts: all',
      '  module_defaults:',
      '    ansible.builtin.apt: {update_cache: true}',
      '    group/docker: {state: present}',
      '    community.aws.ec2: {region: x}',
      '    copy: {mode: "0644"}',
      '  roles: [r]',
      '  pre_tasks:',
      '    - apt: name=vim',
      '  tasks:',
      '    - block:',
      '        - apt: {pkg: git, update_cache: false}',
      '    - copy: {dest: /x, content: y, mode: "0600"}',
      '  handlers:',
      '    - name: h',
      '      copy: {dest: /y, content: z}',
      '',
    ].join('\n'),
    roles: { r: { tasks: { 'main.yml': '- apt: name=curl\n' } } },
  });
  t.same(flat(p.preTasks)[0].args, { update_cache: true, name: 'vim' });
  t.same(
    flat(p.tasks).map((x) => x.args),
    [
      { update_cache: true, name: 'curl' },
      { pkg: 'git', update_cache: false },
      { dest: '/x', content: 'y', mode: '0600' },
    ],
  );
  t.same(p.handlers[0].args, { mode: '0644', dest: '/y', content: 'z' });
});

t.test('module_defaults as a list of mappings; an alias in the task keeps the default out', async (t) => {
  const [p] = load(t, {
    'site.yml': '- hosts: all\n  module_defaults:\n    - apt: {name: vim}\n    - apt: {state: latest}\n  tasks:\n    - apt: {pkg: git}\n',
  });
  t.same(flat(p.tasks)[0].args, { state: 'latest', pkg: 'git' });
});

t.test('import_playbook when: guards every task and handler of the imported plays', async (t) => {
  const [p] = load(t, {
    'site.yml': '- import_playbook: other.yml\n  when: deploy | bool\n',
    'other.yml': '- hosts: all\n  pre_tasks: [{debug: msg=a}]\n  tasks: [{debug: msg=b}]\n  handlers: [{name: h, debug: msg=c, when: x}]\n',
  });
  for (const section of [p.preTasks, p.tasks]) t.match(section, [{ kind: 'block', when: [{ expr: 'deploy | bool' }] }]);
  t.same(p.postTasks, [], 'an empty section stays empty');
  t.same(
    p.handlers[0].when.map((c) => c.expr),
    ['deploy | bool', 'x'],
  );
});

const refused: { name: string; yml: string; msg: RegExp; meta?: string }[] = [
  {
    name: 'order unknown',
    yml: '- hosts: all\n  order: random\n',
    msg: /order "random" is not one of inventory, reverse_inventory, sorted, reverse_sorted, shuffle/,
  },
  { name: 'collections not a list', yml: '- hosts: all\n  collections: community.general\n', msg: /collections must be a list of collection names/ },
  { name: 'module_defaults not a mapping', yml: '- hosts: all\n  module_defaults: [apt]\n', msg: /module_defaults must map module names to arguments/ },
  { name: 'module_defaults args not a mapping', yml: '- hosts: all\n  module_defaults: {apt: yes}\n', msg: /module_defaults for apt must be a mapping/ },
  {
    name: 'module_defaults with an unknown argument',
    yml: '- hosts: all\n  module_defaults: {apt: {nmae: x}}\n  tasks: [{apt: {name: y}}]\n',
    msg: /unknown argument "nmae" for module apt/,
  },
  { name: 'templated module_defaults', yml: '- hosts: all\n  module_defaults: "{{ d }}"\n', msg: /templated module_defaults/ },
  { name: 'vars_prompt without a name', yml: '- hosts: all\n  vars_prompt: [{prompt: x}]\n', msg: /vars_prompt entry needs a variable name/ },
  {
    name: 'vars_prompt with an unknown key',
    yml: '- hosts: all\n  vars_prompt: [{name: x, hidden: true}]\n',
    msg: /unknown key "hidden" in a vars_prompt entry/,
  },
  {
    name: 'vars_prompt with an unknown scheme',
    yml: '- hosts: all\n  vars_prompt: [{name: x, encrypt: md5_crypt}]\n',
    msg: /encrypt "md5_crypt" is not supported/,
  },
  {
    name: 'timeout on a play not a number (its tasks take it: timeout-keyword.test.ts)',
    yml: '- hosts: all\n  timeout: a minute\n  tasks: [{debug: msg=x}]\n',
    msg: /"timeout" must be a number/,
  },
];

for (const c of refused)
  t.test(`refused: ${c.name}`, async (t) => {
    const err = t.throws(() => load(t, { 'site.yml': c.yml })) as MusterError;
    t.equal(err.code === 'E_SCHEMA' || err.code === 'E_MODULE', true, err.code);
    t.match(err.message, c.msg);
    t.ok(err.pos, 'has a position');
    t.ok(err.hint, 'says what to do');
  });
