/** delegate_to: the task runs over another host's connection, with the task host's variables and results. */
import t, { type Test } from 'tap';
import { resultLines } from '../../../controller/output/text.js';
import type { RunEvent } from '../../../controller/runner/events.js';
import type { Transport } from '../../../controller/transport/types.js';
import { runLocal } from './harness.js';

const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local, other: h2}\n    h2: {ansible_connection: local}\n';

// Every host is this machine; the transports note whose connection each exec went through.
async function play(t: Test, tasks: string, hosts = 'h1') {
  const dir = t.testdir({ 'inv.yml': inventory, 'site.yml': `- hosts: ${hosts}\n  gather_facts: false\n  tasks:\n${tasks}` });
  const execs: string[] = [];
  const opened: string[] = [];
  const { summary, events } = await runLocal(
    dir,
    {},
    {
      wrap: (h, tr) => {
        opened.push(h);
        const exec = tr.exec.bind(tr);
        tr.exec = (...args: Parameters<Transport['exec']>) => {
          execs.push(h);
          return exec(...args);
        };
        return tr;
      },
    },
  );
  const results = events.filter((e): e is Extract<RunEvent, { type: 'result' }> => e.type === 'result');
  return { summary, results, execs, opened };
}

t.test("delegate_to a host of the inventory: its connection, the task host's variables and results", async (t) => {
  const r = await play(t, '    - command: echo {{ inventory_hostname }}\n      delegate_to: h2\n      register: out\n    - debug: var=out.stdout\n');
  t.same(r.execs, ['h2'], "the command went through h2's connection only");
  t.match(r.results[0], { host: 'h1', delegatedTo: 'h2', status: 'changed', result: { stdout: 'h1' } }, "rendered with h1's variables");
  t.match(r.results[1], { host: 'h1', result: { 'out.stdout': 'h1' } }, 'registered on h1');
  t.same(
    resultLines(r.results[0], 0).map((l) => l.text),
    ['changed: [h1 -> h2]'],
  );
  t.same(r.summary.stats.h1, { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
  t.notOk('h2' in r.summary.stats, 'h2 is not a host of the play');
});

t.test('delegate_to localhost works without an inventory entry; a template names the host; loops delegate each item', async (t) => {
  const r = await play(
    t,
    '    - command: "true"\n      delegate_to: localhost\n    - command: echo {{ item }}\n      delegate_to: "{{ other }}"\n      loop: [a, b]\n',
  );
  t.same(r.execs, ['localhost', 'h2', 'h2']);
  t.same(r.opened.sort(), ['h1', 'h2', 'localhost'], 'one connection per delegate, opened once');
  t.same(
    r.results.map((e) => e.delegatedTo),
    ['localhost', 'h2', 'h2'],
    'each item says where it ran',
  );
});

t.test('delegating to a play host shares its connection; delegating to itself is no delegation', async (t) => {
  const r = await play(t, '    - command: "true"\n      delegate_to: h2\n    - command: "true"\n      delegate_to: "{{ inventory_hostname }}"\n', 'h1:h2');
  t.same(r.opened.sort(), ['h1', 'h2'], 'no second connection to h2');
  t.same(r.execs.sort(), ['h1', 'h2', 'h2', 'h2'], 'task 1: both hosts through h2; task 2: each host through its own');
  t.same(r.results.map((e) => `${e.host}>${e.delegatedTo ?? ''}`).sort(), ['h1>', 'h1>h2', 'h2>', 'h2>'], 'h2 delegating to h2 runs as usual');
});

t.test('an unknown delegate fails the task for that host with what to do; others go on', async (t) => {
  const r = await play(t, '    - command: "true"\n      delegate_to: "{{ target }}"\n      vars: {target: nosuch}\n    - command: "true"\n', 'all');
  t.match(r.results[0], { status: 'failed', msg: /delegate_to: "nosuch" is not a host of the inventory \(add it to the inventory/ });
  t.equal(r.summary.failed.length, 2, 'both hosts failed that task');
  const undefinedVar = await play(t, '    - command: "true"\n      delegate_to: "{{ nowhere }}"\n');
  t.match(undefinedVar.results[0], { status: 'failed', msg: /nowhere/ }, 'an undefined variable in delegate_to is a task failure naming it');
  t.same(undefinedVar.execs, [], 'nothing ran');
});
