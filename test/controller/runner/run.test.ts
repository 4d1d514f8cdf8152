/** The linear strategy on three local hosts: handlers, blocks, failures, loops, retries, serial, tags, check mode. */
import t, { type Test } from 'tap';
import type { RunOptions } from '../../../controller/runner/state.js';
import { runLocal } from './harness.js';

const inventory = 'all:\n  hosts:\n    h1: {ansible_connection: local}\n    h2: {ansible_connection: local}\n    h3: {ansible_connection: local}\n';

async function play(t: Test, tasks: string, opts: Partial<RunOptions> = {}, head = '', limit?: string) {
  const dir = t.testdir({ 'inv.yml': inventory, 'site.yml': `- hosts: all\n  gather_facts: false\n${head}  tasks:\n${tasks}` });
  const { summary, events } = await runLocal(dir, opts, { limit });
  const results = (task: string) => {
    const out: Record<string, string> = {};
    let current = '';
    for (const e of events) {
      if (e.type === 'task') current = e.name;
      if (e.type === 'result' && current === task && !e.item) out[e.host] = e.status;
    }
    return out;
  };
  const tasks_ = events.filter((e) => e.type === 'task').map((e) => (e as { name: string }).name);
  return { summary, events, results, tasks: tasks_, dir };
}

t.test('handlers run once, at the end, in definition order, only where notified; listen works', async (t) => {
  const r = await play(
    t,
    `    - name: a\n      command: "true"\n      notify: [second, first]\n    - name: b\n      command: "true"\n      when: inventory_hostname != "h3"\n      notify: topic\n`,
    {},
    `  handlers:\n    - name: first\n      command: "true"\n    - name: second\n      command: "true"\n    - name: by topic\n      command: "true"\n      listen: topic\n`,
  );
  t.same(r.tasks, ['a', 'b', 'first', 'second', 'by topic']);
  t.same(r.results('by topic'), { h1: 'changed', h2: 'changed' });
  t.equal(r.summary.stats.h1.changed, 5);
});

t.test('block: rescue runs where the block failed, always everywhere; the rescued host counts as rescued', async (t) => {
  const r = await play(
    t,
    `    - block:\n        - name: maybe fail\n          command: "false"\n          when: inventory_hostname == "h2"\n        - name: after\n          command: "true"\n      rescue:\n        - name: rescue\n          command: "true"\n      always:\n        - name: always\n          command: "true"\n    - name: next\n      command: "true"\n`,
  );
  t.same(r.results('after'), { h1: 'changed', h3: 'changed' });
  t.same(r.results('rescue'), { h2: 'changed' });
  t.same(r.results('always'), { h1: 'changed', h2: 'changed', h3: 'changed' });
  t.same(r.results('next'), { h1: 'changed', h2: 'changed', h3: 'changed' });
  t.equal(r.summary.stats.h2.rescued, 1);
  t.equal(r.summary.stats.h2.failed, 0);
  t.same(r.summary.failed, []);
});

t.test('a failed host leaves the play, the others go on; ignore_errors keeps it', async (t) => {
  const r = await play(
    t,
    `    - name: fail h1\n      command: "false"\n      when: inventory_hostname == "h1"\n    - name: fail h2 but ignore\n      command: "false"\n      when: inventory_hostname == "h2"\n      ignore_errors: true\n    - name: last\n      command: "true"\n`,
  );
  t.same(r.results('last'), { h2: 'changed', h3: 'changed' });
  t.same(r.summary.failed, ['h1']);
  t.equal(r.summary.stats.h2.ignored, 1);
});

t.test('any_errors_fatal ends the play for every host', async (t) => {
  const r = await play(
    t,
    `    - command: "false"\n      when: inventory_hostname == "h1"\n    - name: never\n      command: "true"\n`,
    {},
    '  any_errors_fatal: true\n',
  );
  t.notOk(r.tasks.includes('never'));
});

t.test('loops register every item; when is per item', async (t) => {
  const r = await play(
    t,
    `    - name: loop\n      command: echo {{ item }}\n      loop: [1, 2, 3]\n      when: item != 2\n      register: out\n      run_once: true\n    - name: check\n      assert:\n        that:\n          - out.results | length == 3\n          - out.results[0].stdout == "1"\n          - out.results[1].skipped\n          - out.changed\n`,
  );
  t.same(r.results('check'), { h1: 'ok', h2: 'ok', h3: 'ok' }, 'run_once registered the result on every host');
  const items = r.events.filter((e) => e.type === 'result' && e.item !== undefined).map((e) => (e as { item: string; status: string }).status);
  t.same(items, ['changed', 'skipped', 'changed']);
});

t.test('a run_once task that fails fails every host; ignored, it fails none', async (t) => {
  const failing = await play(t, `    - name: once\n      fail: msg=no\n      run_once: true\n    - name: after\n      command: "true"\n`);
  t.same(failing.results('once'), { h1: 'failed' }, 'it ran on the first host only');
  t.same(failing.results('after'), {}, 'no host goes on');
  const ignored = await play(
    t,
    `    - name: once\n      fail: msg=no\n      run_once: true\n      ignore_errors: true\n    - name: after\n      command: "true"\n`,
  );
  t.same(ignored.results('after'), { h1: 'changed', h2: 'changed', h3: 'changed' }, 'ignore_errors: every host goes on');
});

t.test('loop_control extended sets ansible_loop on tasks and on looped includes; without it, none', async (t) => {
  const dir = t.testdir({
    'inv.yml': inventory,
    'each.yml': '- assert:\n    that:\n      - ansible_loop.index == n and ansible_loop.length == 2\n      - ansible_loop.allitems is not defined\n',
    'site.yml': [
      '- hosts: h1',
      '  gather_facts: false',
      '  tasks:',
      '    - assert:',
      '        that:',
      '          - ansible_loop.index0 == 1 and ansible_loop.last',
      "          - ansible_loop.previtem == 'a' and ansible_loop.allitems == ['a', 'b']",
      '      loop: [a, b]',
      '      when: item == "b"',
      '      loop_control: {extended: true}',
      '    - include_tasks: each.yml',
      '      loop: [1, 2]',
      '      loop_control: {loop_var: n, extended: true, extended_allitems: false}',
      '    - debug: msg="{{ ansible_loop | default(\'none\') }}"',
      '      loop: [a]',
      '      register: plain',
      '    - assert: {that: "plain.results[0].msg == \'none\'"}',
      '',
    ].join('\n'),
  });
  const { summary } = await runLocal(dir, {}, {});
  t.same(summary.failed, []);
  t.match(summary.stats.h1, { failed: 0, ok: 5 }, 'every assert ran and held');
});

t.test('an empty loop skips the task and says why', async (t) => {
  const r = await play(
    t,
    `    - name: none\n      command: echo {{ item }}\n      loop: []\n      register: out\n    - name: check\n      assert:\n        that:\n          - out.skipped\n          - out.skipped_reason == "No items in the list"\n          - out.results == []\n          - not out.changed\n`,
  );
  t.same(r.results('none'), { h1: 'skipped', h2: 'skipped', h3: 'skipped' });
  t.same(r.results('check'), { h1: 'ok', h2: 'ok', h3: 'ok' });
});

t.test('a loop of one item that ran is ok, not skipped', async (t) => {
  const r = await play(
    t,
    `    - name: one\n      command: "true"\n      loop: [1]\n      changed_when: false\n      register: out\n    - name: check\n      assert:\n        that:\n          - not out.skipped\n          - out.results | length == 1\n          - out.skipped_reason is not defined\n`,
  );
  t.same(r.results('check'), { h1: 'ok', h2: 'ok', h3: 'ok' });
});

t.test('until retries until the condition holds', async (t) => {
  const r = await play(
    t,
    `    - name: count\n      shell: n=$(cat c 2>/dev/null || echo 0); n=$((n+1)); echo $n > c; echo $n\n      args:\n        chdir: "{{ playbook_dir }}/{{ inventory_hostname }}"\n      register: c\n      until: c.stdout == "3"\n      retries: 5\n      delay: 0\n    - assert:\n        that: c.attempts == 3\n`,
    {},
    '  pre_tasks:\n    - file:\n        path: "{{ playbook_dir }}/{{ inventory_hostname }}"\n        state: directory\n',
  );
  t.same(r.summary.failed, []);
  t.equal(r.events.filter((e) => e.type === 'result' && e.retry).length, 6, 'two retries shown per host');
});

t.test('serial runs the play in batches', async (t) => {
  const r = await play(t, `    - name: one\n      command: "true"\n`, {}, '  serial: 2\n');
  t.same(r.tasks, ['one', 'one']);
  const hostsOrder = r.events.filter((e) => e.type === 'result').map((e) => (e as { host: string }).host);
  t.same(hostsOrder.slice(2), ['h3']);
});

t.test('tags and skip-tags select tasks; always always runs', async (t) => {
  const tasks = `    - name: a\n      command: "true"\n      tags: [web]\n    - name: b\n      command: "true"\n      tags: db\n    - name: c\n      command: "true"\n      tags: [always]\n`;
  t.same((await play(t, tasks, { tags: ['web'] })).tasks, ['a', 'c']);
  t.same((await play(t, tasks, { skipTags: ['web'] })).tasks, ['b', 'c']);
});

t.test('--start-at-task skips what comes before', async (t) => {
  const r = await play(t, `    - name: a\n      command: "true"\n    - name: b\n      command: "true"\n`, { startAtTask: 'b' });
  t.same(r.tasks, ['b']);
});

t.test('check mode: modules without check support are skipped; check_mode: false runs anyway', async (t) => {
  const r = await play(
    t,
    `    - name: cmd\n      command: touch {{ playbook_dir }}/made\n    - name: forced\n      command: "true"\n      check_mode: false\n`,
    { check: true },
  );
  t.same(r.results('cmd'), { h1: 'skipped', h2: 'skipped', h3: 'skipped' });
  t.same(r.results('forced'), { h1: 'changed', h2: 'changed', h3: 'changed' });
});

t.test('no_log hides results', async (t) => {
  const r = await play(t, `    - name: secret\n      command: echo hunter2\n      no_log: true\n`);
  t.notMatch(JSON.stringify(r.events), /hunter2/);
});

t.test('max_fail_percentage stops the play', async (t) => {
  const r = await play(
    t,
    `    - command: "false"\n      when: inventory_hostname != "h3"\n    - name: later\n      command: "true"\n`,
    {},
    '  serial: 3\n  max_fail_percentage: 50\n',
  );
  t.same(r.results('later'), { h3: 'changed' }, 'the batch finishes');
  const r2 = await play(
    t,
    `    - command: "false"\n      when: inventory_hostname == "h1"\n    - name: later\n      command: "true"\n`,
    {},
    '  serial: 1\n  max_fail_percentage: 0\n',
  );
  t.same(r2.tasks.filter((x) => x === 'later').length, 0, 'no later batch after the first failed one');
});

t.test('--limit narrows the play to matching hosts', async (t) => {
  const r = await play(t, `    - name: one\n      command: "true"\n`, {}, '', 'h1:h3');
  t.same(r.results('one'), { h1: 'changed', h3: 'changed' });
  t.same(Object.keys(r.summary.stats).sort(), ['h1', 'h3']);
});

t.test('--limit that matches no host fails before any connection, naming the pattern', async (t) => {
  await t.rejects(play(t, `    - command: "true"\n`, {}, '', 'nosuch*'), { code: 'E_PATTERN', message: /--limit "nosuch\*" matches no host/ });
  const r = await play(t, `    - name: one\n      command: "true"\n`, {}, '', 'h2');
  t.same(r.results('one'), { h2: 'changed' }, 'one matching host is enough');
});

t.test("a run where no play's hosts: matches any host fails; one matching play is enough", async (t) => {
  const none = t.testdir({ 'inv.yml': inventory, 'site.yml': '- hosts: web\n  tasks: []\n- hosts: db*\n  tasks: []\n' });
  await t.rejects(runLocal(none), { code: 'E_PATTERN', message: /no play has a host to target: hosts: "web", "db\*"/ });
  const limited = t.testdir({ 'inv.yml': inventory, 'site.yml': '- hosts: h1\n  gather_facts: false\n  tasks: []\n' });
  await t.rejects(runLocal(limited, {}, { limit: 'h2' }), { code: 'E_PATTERN', message: /with --limit "h2" match nothing/ });
  const some = t.testdir({
    'inv.yml': inventory,
    'site.yml': '- hosts: web\n  tasks: []\n- hosts: h1\n  gather_facts: false\n  tasks:\n    - command: "true"\n',
  });
  const r = await runLocal(some);
  t.same(
    r.events.find((e) => e.type === 'no_hosts'),
    { type: 'no_hosts', play: 'web', unknown: ['web'] },
    'the play without hosts is skipped, naming what the inventory lacks',
  );
  t.same(Object.keys(r.summary.stats), ['h1']);
});

t.test('a condition that fails to evaluate names its keyword', async (t) => {
  for (const keyword of ['when', 'changed_when', 'failed_when']) {
    const r = await play(t, `    - name: one\n      command: "true"\n      ${keyword}: nothere == 1\n`, {}, '', 'h1');
    const failed = r.events.find((e) => e.type === 'result' && e.status === 'failed') as { result: { msg?: string } } | undefined;
    t.match(failed?.result.msg, new RegExp(`in '${keyword}': .*nothere`), keyword);
  }
});

t.test('extra vars win over play vars', async (t) => {
  const r = await play(t, `    - assert:\n        that: x == "extra"\n`, { extraVars: { x: 'extra' } }, '  vars:\n    x: play\n');
  t.same(r.summary.failed, []);
});

t.test('meta: end_host ends only the hosts where its when holds; flush_handlers runs handlers now', async (t) => {
  const r = await play(
    t,
    `    - name: a\n      command: "true"\n      notify: h\n    - meta: flush_handlers\n    - meta: end_host\n      when: inventory_hostname == "h2"\n    - name: b\n      command: "true"\n`,
    {},
    '  handlers:\n    - name: h\n      command: "true"\n',
  );
  t.same(r.tasks, ['a', 'h', 'b']);
  t.same(r.results('b'), { h1: 'changed', h3: 'changed' });
});

t.test('a notified name runs the handler of that name and every handler that listens to it', async (t) => {
  const r = await play(
    t,
    `    - name: a\n      command: "true"\n      notify: restart\n`,
    {},
    '  handlers:\n    - name: restart\n      command: "true"\n    - name: restart for real\n      command: "true"\n      listen: restart\n',
  );
  t.same(r.tasks, ['a', 'restart', 'restart for real']);
  t.same(r.results('restart for real'), { h1: 'changed', h2: 'changed', h3: 'changed' });
});

t.test('a handler that fails at meta: flush_handlers takes its host out of the remaining tasks', async (t) => {
  const r = await play(
    t,
    `    - name: a\n      command: "true"\n      notify: h\n    - meta: flush_handlers\n    - name: b\n      command: "true"\n`,
    {},
    '  handlers:\n    - name: h\n      command: "false"\n      when: inventory_hostname == "h2"\n',
  );
  t.same(r.results('b'), { h1: 'changed', h3: 'changed' }, 'h2 does not run b');
  t.same(r.summary.failed, ['h2']);
});
