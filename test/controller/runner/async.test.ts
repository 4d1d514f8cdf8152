/** async / poll / async_status and timeout at run time, on this machine (local connection, HOME in a test dir, real sleeps). */
import t, { type Test } from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { loadInventory } from '../../../controller/inventory/index.js';
import { loadPlaybook } from '../../../controller/playbook/load.js';
import type { RunEvent } from '../../../controller/runner/events.js';
import { runPlaybook } from '../../../controller/runner/run.js';
import { openTransport } from '../../../controller/transport/open.js';

type Result = Extract<RunEvent, { type: 'result' }>;

/** Runs the tasks on h1 (this machine) with HOME in the test dir; the debug of `show` gives back its value. */
async function play(t: Test, tasks: string, check = false) {
  const dir = t.testdir({
    'inv.yml': 'all:\n  hosts:\n    h1: {ansible_connection: local}\n',
    'site.yml': `- hosts: h1\n  gather_facts: false\n  environment: {HOME: "{{ playbook_dir }}/home"}\n  tasks:\n${tasks}`,
    home: {},
  });
  const events: RunEvent[] = [];
  const started = Date.now();
  await runPlaybook(
    loadPlaybook(`${dir}/site.yml`),
    undefined,
    { check, diff: false, forks: 5, tags: [], skipTags: [], extraVars: {}, verbosity: 0 },
    {
      inventory: loadInventory(`${dir}/inv.yml`),
      connect: (h, v) => openTransport(h, v, { knownHostsFiles: [], musterKnownHosts: `${dir}/kh`, acceptNewHostKeys: false, connectTimeoutMs: 1000 }),
      emit: (e) => events.push(e),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
    },
  );
  const results = events.filter((e): e is Result => e.type === 'result' && !e.retry);
  const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.msg] : []));
  return { dir, results, warnings, seconds: (Date.now() - started) / 1000 };
}

t.test('poll > 0: the job runs on the host, is polled to its end, and its files are removed', async (t) => {
  const { dir, results, seconds } = await play(t, '    - {shell: "sleep 2; echo done", async: 10, poll: 1, register: job}\n');
  const r = results[0];
  t.equal(r.status, 'changed');
  t.equal(r.result.stdout, 'done');
  t.equal(r.result.rc, 0);
  t.equal(r.result.finished, 1);
  t.match(r.result.ansible_job_id, /^j\d{12}\.\d+$/);
  t.ok(seconds >= 2, `took ${seconds}s`);
  t.same(readdirSync(`${dir}/home/.ansible_async`), [], 'cleaned up after it finished');
});

t.test('poll > 0 past the async limit: fails with Ansible message and the job is killed', async (t) => {
  const { dir, results, seconds } = await play(t, '    - {shell: "sleep 6; touch {{ playbook_dir }}/late", async: 2, poll: 1}\n');
  t.equal(results[0].status, 'failed');
  t.equal(results[0].result.msg, 'async task did not complete within the requested time - 2s');
  t.ok(seconds >= 2 && seconds < 6, `took ${seconds}s (failed before the job's own 6 s)`);
  await new Promise((r) => setTimeout(r, 5000));
  t.notOk(existsSync(`${dir}/late`), 'the watchdog killed the job before it wrote');
});

t.test('poll 0: started at once; async_status until finished gives the command result; cleanup erases', async (t) => {
  const tasks = [
    '    - {command: "sh -c \'sleep 4; echo out; echo err >&2; exit 3\'", async: 30, poll: 0, register: job}',
    '    - {async_status: "jid={{ job.ansible_job_id }}", register: s, until: s.finished, retries: 10, delay: 1, failed_when: false}',
    '    - {async_status: {jid: "{{ job.ansible_job_id }}", mode: cleanup}}',
    '    - {async_status: "jid={{ job.ansible_job_id }}", ignore_errors: true}',
    '',
  ].join('\n');
  const { results } = await play(t, tasks);
  t.equal(results[0].status, 'changed');
  t.match(results[0].result, { started: 1, finished: 0, results_file: /\/home\/\.ansible_async\/j\d+\.\d+$/ });
  t.match(results[1].result, { finished: 1, rc: 3, stdout: 'out', stderr: 'err', attempts: Number });
  t.ok((results[1].result.attempts as number) >= 2, 'was still running at first');
  t.match(results[2].result, { erased: /\.ansible_async\/j/ });
  t.equal(results[3].status, 'failed');
  t.equal(results[3].result.msg, 'could not find job');
});

t.test('timeout: the task fails with Ansible message after N seconds; a shorter task passes', async (t) => {
  const { results, seconds } = await play(t, '    - {command: sleep 10, timeout: 1}\n    - {command: sleep 1, timeout: 3}\n');
  t.equal(results[0].status, 'failed');
  t.equal(results[0].result.msg, 'The command action failed to execute in the expected time frame (1) and was terminated');
  t.equal(results.length, 1, 'the play stopped at the failure');
  t.ok(seconds < 9, `took ${seconds}s (stopped before the command's own 10 s)`);
});

t.test('async refused where Ansible refuses it: action modules, check mode', async (t) => {
  const { results } = await play(t, '    - {copy: {content: x, dest: "{{ playbook_dir }}/x"}, async: 5, ignore_errors: true}\n');
  t.equal(results[0].result.msg, 'async is not supported for this task.');
  const checked = await play(t, '    - {command: "true", async: 5, poll: 1}\n', true);
  t.equal(checked.results[0].result.msg, 'check mode and async cannot be used on same task.');
});

t.test('another module with poll 0 runs inside muster, says so, and async_status reads it', async (t) => {
  const tasks = [
    '    - {stat: {path: /}, async: 5, poll: 0, register: job}',
    '    - {async_status: "jid={{ job.ansible_job_id }}", register: s, until: s.finished, retries: 5, delay: 1}',
    '',
  ].join('\n');
  const { results, warnings } = await play(t, tasks);
  t.match(results[0].result, { started: 1, finished: 0 });
  t.match(results[1].result, { finished: 1, stat: { exists: true } });
  t.match(warnings.join('\n'), /runs inside muster and ends with this run/);
});

t.test('a module run inside muster past its async limit fails with the same message', async (t) => {
  const { results, seconds } = await play(t, '    - {wait_for: {path: /nonexistent-muster-async, timeout: 20}, async: 2, poll: 1}\n');
  t.equal(results[0].status, 'failed');
  t.equal(results[0].result.msg, 'async task did not complete within the requested time - 2s');
  t.ok(seconds >= 2 && seconds < 6, `took ${seconds}s (failed before the job's own 6 s)`);
});

t.test('timeout bounds starting a background task, not its polling (as in Ansible)', async (t) => {
  const { results } = await play(t, '    - {command: sleep 2, async: 10, poll: 1, timeout: 1}\n');
  t.equal(results[0].status, 'changed');
  t.equal(results[0].result.finished, 1);
});

t.test('timeout with until: each attempt gets the whole time again', async (t) => {
  const tasks =
    '    - {shell: "sleep 1; echo x >> {{ playbook_dir }}/n; wc -l < {{ playbook_dir }}/n", timeout: 2, register: c, until: c.stdout == "3", retries: 3, delay: 0}\n';
  const { results } = await play(t, tasks);
  t.equal(results[0].status, 'changed', String(results[0].result.msg));
  t.equal(results[0].result.attempts, 3, 'the third attempt starts after the first deadline and still runs');
});

t.test('in check mode, async is refused before a module without check mode would be skipped (as in Ansible)', async (t) => {
  const { results } = await play(t, '    - {raw: "true", async: 5, poll: 1}\n', true);
  t.equal(results[0].status, 'failed');
  t.equal(results[0].result.msg, 'async is not supported for this task.');
});
