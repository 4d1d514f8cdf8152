/** The pure parts of async and timeout: which way a module runs in the background, async/poll/timeout rendered per host. */
import t from 'tap';
import { command } from '../../../controller/modules/commands/command.js';
import type { ModuleContext } from '../../../controller/modules/types.js';
import { asyncMode, runAsync, timeoutMessage } from '../../../controller/runner/async.js';
import type { HostState } from '../../../controller/runner/state.js';
import { asyncOf, timeoutOf } from '../../../controller/runner/task-keywords.js';

const where = { host: 'h1', task: 't' };

t.test('async mode: refused for action modules and in check mode; command/shell detached; others inside muster', async (t) => {
  t.same(asyncMode({ name: 'copy' }, false), { kind: 'fail', msg: 'async is not supported for this task.' });
  t.same(asyncMode({ name: 'debug', local: true }, false), { kind: 'fail', msg: 'async is not supported for this task.' });
  t.same(asyncMode({ name: 'template' }, true), { kind: 'fail', msg: 'async is not supported for this task.' }, 'not supported comes before check mode');
  t.same(asyncMode({ name: 'command' }, true), { kind: 'fail', msg: 'check mode and async cannot be used on same task.' });
  t.same(asyncMode({ name: 'command' }, false), { kind: 'detached' });
  t.same(asyncMode({ name: 'shell' }, false), { kind: 'detached' });
  t.same(asyncMode({ name: 'apt' }, false), { kind: 'in-process' });
});

t.test('async and poll per host: absent or 0 runs in the foreground; poll defaults to 15', async (t) => {
  t.equal(asyncOf({}, {}, where), undefined);
  t.equal(asyncOf({ async: 0, poll: 5 }, {}, where), undefined);
  t.same(asyncOf({ async: 10 }, {}, where), { limit: 10, poll: 15 });
  t.same(asyncOf({ async: '{{ a }}', poll: '{{ p }}' }, { a: 30, p: 0 }, where), { limit: 30, poll: 0 });
  t.throws(() => asyncOf({ async: '{{ a }}' }, { a: 'soon' }, where), /"async" must give a number/);
  t.throws(() => asyncOf({ async: 5, poll: '{{ p }}' }, { p: -1 }, where), /"poll" must give a number/);
});

t.test('timeout per host: absent or 0 is none', async (t) => {
  t.equal(timeoutOf({}, {}, where), undefined);
  t.equal(timeoutOf({ timeout: 0 }, {}, where), undefined);
  t.equal(timeoutOf({ timeout: 2 }, {}, where), 2);
  t.equal(timeoutOf({ timeout: '{{ n }}' }, { n: '7' }, where), 7);
  t.throws(() => timeoutOf({ timeout: '{{ n }}' }, { n: 'x' }, where), /"timeout" must give a number/);
  t.equal(timeoutMessage('command', 2), 'The command action failed to execute in the expected time frame (2) and was terminated');
});

/** A context whose host answers each exec with the next scripted reply (an Error is thrown: the host unreachable). */
function scripted(replies: (string | Error)[], check = false) {
  const ran: string[] = [];
  const ctx = {
    host: 'h1',
    check,
    async exec(script: { text: string }) {
      ran.push(script.text.split('\n')[0]);
      const r = replies.shift();
      if (r instanceof Error) throw r;
      return { rc: 0, stdout: r ?? '', stderr: '' };
    },
    async reconnect() {},
  } as unknown as ModuleContext;
  return { ctx, ran };
}

const host = (): HostState => ({ name: 'h1', facts: {}, hostVars: {}, unreachable: false, failed: false, stats: {} as HostState['stats'] });
const deps = { emit: () => undefined, sleep: async () => undefined };
const statusOut = (status: string) =>
  `@@muster:file /home/pi/.ansible_async/j\n@@muster:status\n${status}\n@@muster:job\n{"module":"command","cmd":["true"],"strip":true}\n@@muster:out\n${Buffer.from('@@muster:run\nok\n').toString('base64')}\n@@muster:err\n\n`;
const running = statusOut('{"started": 1, "finished": 0}');
const done = statusOut('{"finished": 1, "rc": 0, "start": 1, "end": 2, "killed": false}');

t.test('polling: a check that cannot reach the host is retried; the finished job is cleaned up', async (t) => {
  const { ctx, ran } = scripted(['@@muster:started /home/pi/.ansible_async/j\n', running, new Error('gone'), done, '']);
  const r = await runAsync({ module: command, args: { _raw_params: 'true', strip_empty_ends: true }, ctx, host: host(), limit: 10, poll: 1, deps });
  t.match(r, { changed: true, data: { rc: 0, stdout: 'ok', finished: 1 } });
  t.equal(ran.length, 5, 'launch, 3 checks, cleanup');
  t.match(ran[4], /^echo @@muster:file .*; rm -f /);
});

t.test('polling: still running at the last check fails with Ansible message; unreachable at the last check throws', async (t) => {
  const late = scripted(['@@muster:started f\n', running, running]);
  const r = await runAsync({ module: command, args: { _raw_params: 'true' }, ctx: late.ctx, host: host(), limit: 2, poll: 1, deps });
  t.match(r, { failed: true, msg: 'async task did not complete within the requested time - 2s', data: { async_result: { finished: 0 } } });
  const gone = scripted(['@@muster:started f\n', running, new Error('gone')]);
  await t.rejects(runAsync({ module: command, args: { _raw_params: 'true' }, ctx: gone.ctx, host: host(), limit: 2, poll: 1, deps }), /gone/);
});
