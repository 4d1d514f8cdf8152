/** Task keywords at run time: templated flags per host, ignore_unreachable, throttle, environment, local_action, delegate_facts, connection, remote_user. */
import t, { type Test } from 'tap';
import type { RunEvent } from '../../../controller/runner/events.js';
import type { Transport } from '../../../controller/transport/types.js';
import { runLocal } from './harness.js';

// h1, h2, h3 are this machine; bad is an SSH host on a closed port (unreachable at once).
const inventory = [
  'all:',
  '  hosts:',
  '    h1: {ansible_connection: local, soft: true, e: {FOO: one}, n: 2}',
  '    h2: {ansible_connection: local, soft: false, e: {FOO: two}, n: 1}',
  '    h3: {ansible_connection: local, soft: false, e: {FOO: three}, n: 0}',
  '    bad: {ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: nobody}',
  '',
].join('\n');

type Result = Extract<RunEvent, { type: 'result' }>;

async function play(t: Test, hosts: string, tasks: string, head = '') {
  const dir = t.testdir({ 'inv.yml': inventory, 'site.yml': `- hosts: ${hosts}\n  gather_facts: false\n${head}  tasks:\n${tasks}` });
  let running = 0;
  let most = 0;
  const opened: string[] = [];
  const execs: string[] = [];
  const { summary, events } = await runLocal(
    dir,
    {},
    {
      wrap: (h, tr) => {
        opened.push(h);
        const exec = tr.exec.bind(tr);
        tr.exec = async (...args: Parameters<Transport['exec']>) => {
          execs.push(h);
          running++;
          most = Math.max(most, running);
          try {
            return await exec(...args);
          } finally {
            running--;
          }
        };
        return tr;
      },
    },
  );
  const results = events.filter((e): e is Result => e.type === 'result' && !e.retry);
  const retries = events.filter((e): e is Result => e.type === 'result' && e.retry !== undefined);
  return { summary, events, results, retries, most, opened, execs };
}

const of = (results: Result[], host: string) => results.filter((r) => r.host === host);

t.test('ignore_errors as a template is rendered per host', async (t) => {
  const r = await play(t, 'h1,h2', '    - {command: "false", ignore_errors: "{{ soft }}"}\n    - debug: msg=after\n');
  t.match(of(r.results, 'h1'), [{ status: 'failed', ignored: true }, { status: 'ok' }], 'h1 ignores and goes on');
  t.match(of(r.results, 'h2'), [{ status: 'failed', ignored: false }], 'h2 fails and stops');
  t.same(r.summary.failed, ['h2']);
  t.match(r.summary.stats.h1, { ignored: 1, failed: 0 });
});

t.test('no_log as a template hides the output only where it is true', async (t) => {
  const r = await play(t, 'h1,h2', '    - {command: "echo secret", no_log: "{{ soft }}"}\n');
  t.match(of(r.results, 'h1')[0].result, { censored: /no_log/ });
  t.notOk('stdout' in of(r.results, 'h1')[0].result);
  t.match(of(r.results, 'h2')[0].result, { stdout: 'secret' });
});

t.test('a keyword template that fails to render fails the task, naming the keyword', async (t) => {
  const r = await play(t, 'h1', '    - {command: "true", ignore_errors: "{{ nosuch }}"}\n');
  t.match(r.results[0], { status: 'failed', msg: /in 'ignore_errors'.*nosuch/ });
});

t.test('ignore_unreachable keeps the host in the play; without it the host leaves', async (t) => {
  const on = await play(t, 'bad', '    - {command: "true", ignore_unreachable: true, register: r}\n    - debug: msg="{{ r.unreachable }}"\n');
  t.match(on.results, [
    { status: 'unreachable', ignored: true },
    { status: 'ok', result: { msg: true } },
  ]);
  t.same(on.summary.unreachable, [], 'not counted as unreachable');
  t.match(on.summary.stats.bad, { ok: 2, ignored: 1, unreachable: 0 });
  const off = await play(t, 'bad', '    - {command: "true"}\n    - debug: msg=after\n');
  t.match(off.results, [{ status: 'unreachable' }]);
  t.equal(off.results.length, 1, 'the debug never runs');
  t.same(off.summary.unreachable, ['bad']);
});

t.test('ignore_unreachable on a block and on the play reach its tasks', async (t) => {
  const block = await play(t, 'bad', '    - block: [{command: "true"}]\n      ignore_unreachable: true\n    - debug: msg=after\n');
  t.match(block.results, [{ status: 'unreachable', ignored: true }, { status: 'ok' }]);
  const onPlay = await play(t, 'bad', '    - {command: "true"}\n    - debug: msg=after\n', '  ignore_unreachable: true\n');
  t.match(onPlay.results, [{ status: 'unreachable', ignored: true }, { status: 'ok' }]);
});

t.test('throttle runs at most N hosts at once; without it the hosts run together', async (t) => {
  const one = await play(t, 'h1,h2,h3', '    - {command: "sleep 0.3", throttle: 1}\n');
  t.equal(one.most, 1, 'throttle: 1');
  t.equal(of(one.results, 'h3')[0].status, 'changed', 'every host ran');
  const two = await play(t, 'h1,h2,h3', '    - block: [{command: "sleep 0.3"}]\n      throttle: 2\n');
  t.equal(two.most, 2, 'throttle: 2 on the block');
  const all = await play(t, 'h1,h2,h3', '    - {command: "sleep 0.3"}\n');
  t.equal(all.most, 3, 'no throttle');
});

t.test('retries as a template: per host; delay as a template that is no number fails the task', async (t) => {
  const r = await play(t, 'h1,h2', '    - {command: "false", register: o, until: o.rc == 0, retries: "{{ n }}", delay: 0, ignore_errors: true}\n');
  t.equal(of(r.retries, 'h1').length, 2, 'h1 retries twice');
  t.equal(of(r.retries, 'h2').length, 1, 'h2 once');
  t.match(of(r.results, 'h1')[0].result, { attempts: 3, msg: /retries exhausted \(2\)/ });
  const bad = await play(t, 'h1', '    - {command: "true", register: o, until: o.rc == 0, delay: "{{ \'soon\' }}"}\n');
  t.match(bad.results[0], { status: 'failed', msg: /"delay" must give a number/ });
});

t.test('environment as a template, per host, under the literal layers', async (t) => {
  const r = await play(
    t,
    'h1,h2',
    '    - block:\n        - {command: "sh -c \'echo $FOO-$BAR\'", environment: {BAR: task}}\n      environment: "{{ e }}"\n    - {command: "sh -c \'echo $FOO\'", environment: "{{ 3 }}"}\n',
  );
  t.match(of(r.results, 'h1')[0].result, { stdout: 'one-task' });
  t.match(of(r.results, 'h2')[0].result, { stdout: 'two-task' });
  t.match(of(r.results, 'h1')[1], { status: 'failed', msg: /environment must give a mapping/ });
});

t.test('local_action runs the module over the controller, with the host variables', async (t) => {
  const r = await play(t, 'h1', '    - local_action: command echo {{ inventory_hostname }}\n');
  t.same(r.execs, ['localhost']);
  t.match(r.results[0], { host: 'h1', delegatedTo: 'localhost', status: 'changed', result: { stdout: 'h1' } });
});

t.test('delegate_facts gives set facts to the delegated host; without it they stay with the task host', async (t) => {
  const r = await play(
    t,
    'h1,h2',
    [
      '    - {set_fact: {x: from_h1}, delegate_to: h2, delegate_facts: true, when: inventory_hostname == "h1"}',
      '    - {set_fact: {y: kept}, delegate_to: h2, when: inventory_hostname == "h1"}',
      "    - debug: msg=\"{{ x | default('none') }} {{ y | default('none') }}\"",
      '',
    ].join('\n'),
  );
  const msgs = r.results.filter((e) => e.result.msg !== undefined && e.status === 'ok' && e.show).map((e) => `${e.host}: ${e.result.msg}`);
  t.same(msgs.sort(), ['h1: none kept', 'h2: from_h1 none']);
});

t.test('connection: local on a task or a play runs an SSH host on the controller', async (t) => {
  const task = await play(t, 'bad', '    - {command: "echo here", connection: local}\n    - {command: "true"}\n');
  t.match(task.results, [{ status: 'changed', result: { stdout: 'here' } }, { status: 'unreachable' }], 'only the task with connection: local');
  const onPlay = await play(t, 'bad', '    - {command: "echo here"}\n', '  connection: local\n');
  t.match(onPlay.results, [{ status: 'changed' }]);
  const odd = await play(t, 'bad', '    - {command: "true", connection: docker}\n');
  t.match(odd.results, [{ status: 'failed', msg: /connection "docker" is not one muster has/ }]);
});

t.test("remote_user on a task opens another connection as that user; the inventory's ansible_user wins", async (t) => {
  const r = await play(t, 'h1', '    - {command: "true", remote_user: someone}\n    - {command: "true"}\n');
  t.same(r.opened.sort(), ['h1', 'h1'], 'a second connection for the other user');
  t.same(r.execs, ['h1', 'h1']);
  const same = await play(t, 'bad', '    - {command: "true", remote_user: nobody2, ignore_unreachable: true}\n');
  t.same(same.opened, ['bad'], 'bad names ansible_user: no other connection');
});

t.test('include_tasks with a loop: the file once per item, each host with its own items', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'site.yml':
      '- hosts: h1,h2\n  gather_facts: false\n  vars: {lists: {h1: [a, b], h2: [c]}}\n  tasks:\n    - include_tasks: each.yml\n      loop: "{{ lists[inventory_hostname] }}"\n      loop_control: {loop_var: name, index_var: i}\n    - debug: msg=after\n',
    'each.yml': '- debug: msg="{{ i }}:{{ name }}"\n- {command: "false", when: name == "b"}\n- debug: msg=end-{{ name }}\n',
  });
  const { events, summary } = await runLocal(dir);
  const msgs = events.filter((e): e is Result => e.type === 'result' && e.show === true).map((e) => `${e.host} ${e.result.msg}`);
  t.same(msgs, ['h1 0:a', 'h2 0:c', 'h1 end-a', 'h2 end-c', 'h1 1:b', 'h2 after']);
  t.same(summary.failed, ['h1'], 'a failure in an item takes the host out');
});

t.test('include_role with a loop sets item for the role tasks; an empty loop runs nothing', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'site.yml':
      '- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_role: {name: r}\n      with_items: [x, y]\n    - include_role: {name: r}\n      loop: []\n',
    roles: { r: { tasks: { 'main.yml': '- debug: msg=role-{{ item }}\n' } } },
  });
  const { events } = await runLocal(dir);
  const msgs = events.filter((e): e is Result => e.type === 'result' && e.show === true).map((e) => e.result.msg);
  t.same(msgs, ['role-x', 'role-y']);
});

t.test('include_tasks with a templated path: rendered per host when it runs, each file read for its hosts', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'site.yml': [
      '- hosts: h1,h2,h3',
      '  gather_facts: false',
      '  vars: {os: {h1: debian, h2: alpine, h3: debian}}',
      '  tasks:',
      '    - include_tasks: "setup-{{ os[inventory_hostname] }}.yml"',
      '      when: inventory_hostname != "h3"',
      '    - include_tasks: "each-{{ item }}.yml"',
      '      loop: [a, b]',
      '      when: inventory_hostname == "h1"',
      '    - include_tasks: "{{ \'missing\' }}.yml"',
      '      when: inventory_hostname == "h2"',
      '    - debug: msg=after',
      '',
    ].join('\n'),
    'setup-debian.yml': '- debug: msg=deb\n',
    'setup-alpine.yml': '- debug: msg=apk\n',
    'each-a.yml': '- debug: msg=A\n',
    'each-b.yml': '- debug: msg=B-{{ item }}\n',
  });
  const { events, summary } = await runLocal(dir);
  const msgs = events.filter((e): e is Result => e.type === 'result' && e.show === true).map((e) => `${e.host} ${e.result.msg}`);
  t.same(msgs, ['h1 deb', 'h2 apk', 'h1 A', 'h1 B-b', 'h1 after', 'h3 after']);
  const failed = events.filter((e): e is Result => e.type === 'result' && e.status === 'failed');
  t.match(failed, [{ host: 'h2', msg: /include_tasks file "missing.yml" not found/ }]);
  t.same(summary.failed, ['h2']);
});

t.test('a templated include path that fails to render fails only its host', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'site.yml':
      '- hosts: h1,h2\n  gather_facts: false\n  tasks:\n    - include_tasks: "{{ which }}.yml"\n      vars: {which: "{{ \'x\' if inventory_hostname == \'h1\' else nosuch }}"}\n',
    'x.yml': '- debug: msg=x\n',
  });
  const { summary } = await runLocal(dir);
  t.same(summary.failed, ['h2']);
  t.match(summary.stats.h1, { ok: 1, failed: 0 });
});
