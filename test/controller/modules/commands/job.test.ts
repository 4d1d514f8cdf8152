/** Background jobs: ids, the poll schedule, and reading the status script's output into async_status results. */
import t from 'tap';
import {
  cleanupScript,
  jobId,
  launchScript,
  notInTime,
  parseStatus,
  pollSchedule,
  startedResult,
  statusResult,
  statusScript,
  validJid,
} from '../../../../controller/modules/commands/job.js';
import { shellInvocation } from '../../../../controller/modules/commands/shell.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const file = '/home/pi/.ansible_async/j1.2';
const finished = (status: string, job: string, out = '', err = '') =>
  ['@@muster:file ' + file, '@@muster:status', status, '@@muster:job', job, '@@muster:out', b64(out), '@@muster:err', b64(err), ''].join('\n');
const shellJob = JSON.stringify({ module: 'shell', cmd: 'echo hi', strip: true });

t.test('job ids look like Ansible ones and are safe in paths; anything else is refused', async (t) => {
  t.equal(jobId(0.123456789012, 4242), 'j123456789012.4242');
  t.equal(jobId(0, 7), 'j000000000000.7');
  t.ok(validJid('j123456789012.4242'));
  for (const bad of ['', '../x', 'a b', '.hidden', 'x;rm']) t.notOk(validJid(bad), bad);
});

t.test('poll schedule: every poll seconds while time is left, as Ansible counts it', async (t) => {
  t.same(pollSchedule(5, 1), [1, 2, 3, 4, 5]);
  t.same(pollSchedule(5, 2), [2, 4, 6], 'the last check may fall past the limit (5 - 2 - 2 = 1 > 0)');
  t.same(pollSchedule(4, 2), [2, 4]);
  t.same(pollSchedule(1, 15), [15]);
  t.same(pollSchedule(5, 0), [], 'poll 0 never polls');
});

t.test('status output -> state -> async_status result', async (t) => {
  t.same(statusResult('j1.2', parseStatus(`@@muster:file ${file}\n@@muster:nojob\n`)), {
    changed: false,
    failed: true,
    msg: 'could not find job',
    data: { ansible_job_id: 'j1.2', started: 1, results_file: file, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], finished: 1 },
  });
  const running = statusResult('j1.2', parseStatus(finished('{"started": 1, "finished": 0, "ansible_job_id": "j1.2"}', '')));
  t.match(running, { changed: false, data: { finished: 0, started: 1 } });
  t.equal(running.failed, undefined);
  const ok = statusResult(
    'j1.2',
    parseStatus(finished('{"finished": 1, "rc": 0, "start": 1000.5, "end": 1002.75, "killed": false}', shellJob, '@@muster:run\nhi\n')),
  );
  t.match(ok, { changed: true, data: { finished: 1, rc: 0, stdout: 'hi', stdout_lines: ['hi'], cmd: 'echo hi', delta: '0:00:02.250000', results_file: file } });
  const bad = statusResult(
    'j1.2',
    parseStatus(finished('{"finished": 1, "rc": 2, "start": 1, "end": 1, "killed": false}', shellJob, '@@muster:run\n', 'no\n')),
  );
  t.match(bad, { failed: true, msg: 'non-zero return code', data: { rc: 2, stderr: 'no', finished: 1 } });
  const guarded = statusResult(
    'j1.2',
    parseStatus(
      finished(
        '{"finished": 1, "rc": 0, "start": 1, "end": 1, "killed": false}',
        JSON.stringify({ module: 'command', cmd: ['x'], creates: '/etc', strip: true }),
        '@@muster:creates\n',
      ),
    ),
  );
  t.match(guarded, { changed: false, msg: "Did not run command since '/etc' exists" });
  const killed = statusResult('j1.2', parseStatus(finished('{"finished": 1, "rc": 137, "start": 1, "end": 3, "killed": true}', shellJob)));
  t.match(killed, { failed: true, msg: 'Timeout exceeded', data: { finished: 1 } });
  const torn = statusResult('j1.2', parseStatus(finished('{"finished": 1, "rc"', shellJob)));
  t.match(torn, { failed: true, msg: /^Could not parse job output/ });
});

t.test('poll 0 result and the polled timeout message are Ansible shapes', async (t) => {
  t.same(startedResult('j1.2', file), { changed: true, data: { ansible_job_id: 'j1.2', started: 1, finished: 0, results_file: file } });
  t.equal(notInTime(2), 'async task did not complete within the requested time - 2s');
});

t.test('scripts: the job under ~/.ansible_async, started in a session of its own, with its limit', async (t) => {
  const made = shellInvocation({ _raw_params: 'sleep 3', strip_empty_ends: true });
  if (!made.ok) throw new Error('no invocation');
  const launch = launchScript('j1.2', 2.5, made.inv, 'shell').text;
  t.match(launch, 'mkdir -p "$HOME/.ansible_async"');
  t.match(launch, /setsid sh -c '[\s\S]*' sh "\$HOME\/\.ansible_async"\/j1\.2 3 /, 'the limit rounds up to whole seconds');
  t.match(launch, '"module":"shell"');
  t.match(statusScript('j1.2').text, '"$HOME/.ansible_async"/j1.2');
  t.match(cleanupScript('j1.2').text, 'rm -f "$HOME/.ansible_async"/j1.2 ');
});
