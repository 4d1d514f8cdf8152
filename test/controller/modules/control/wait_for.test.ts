import t from 'tap';
import { checkWaitFor, matchGroups, timeoutMessage, waitFor, waitResult, waitSpec } from '../../../../controller/modules/control/wait_for.js';
import type { WaitSpec } from '../../../../controller/modules/control/wait_for_script.js';
import { fakeContext } from './fake-context.js';

t.test('argument combinations', async (t) => {
  const cases: [Record<string, unknown>, RegExp | undefined][] = [
    [{ port: 80 }, undefined],
    [{ path: '/x', search_regex: 'ok' }, undefined],
    [{ port: 80, path: '/x' }, /mutually exclusive/],
    [{ port: 80, state: 'drained' }, /drained.*not supported/],
    [{ port: 80, search_regex: 'SSH' }, /search_regex works with path only/],
    [{ path: '/x', search_regex: 'a', state: 'absent' }, /needs state=present/],
  ];
  for (const [args, want] of cases) {
    if (want) t.match(checkWaitFor(args), want, JSON.stringify(args));
    else t.equal(checkWaitFor(args), undefined, JSON.stringify(args));
  }
});

t.test('what to wait for', async (t) => {
  t.equal(waitSpec({ timeout: 3 }), undefined);
  t.match(waitSpec({ port: 22, state: 'stopped', host: '127.0.0.1', timeout: 9 }), { kind: 'port', want: 'down', port: 22, timeout: 9 });
  t.match(waitSpec({ path: '/run/x', state: 'present' }), { kind: 'path', want: 'up', path: '/run/x', host: '127.0.0.1', timeout: 300, sleep: 1 });
});

t.test("Ansible's timeout messages", async (t) => {
  const s = (o: Partial<WaitSpec>): WaitSpec => ({ kind: 'port', want: 'up', host: 'h', timeout: 1, delay: 0, sleep: 1, connectTimeout: 5, ...o });
  const cases: [WaitSpec, string][] = [
    [s({ port: 80 }), 'Timeout when waiting for h:80'],
    [s({ port: 80, want: 'down' }), 'Timeout when waiting for h:80 to stop.'],
    [s({ kind: 'path', path: '/f' }), 'Timeout when waiting for file /f'],
    [s({ kind: 'path', path: '/f', searchRegex: 'up' }), 'Timeout when waiting for search string up in /f'],
    [s({ kind: 'path', path: '/f', want: 'down' }), 'Timeout when waiting for /f to be absent.'],
  ];
  for (const [spec, msg] of cases) t.equal(timeoutMessage(spec), msg);
});

t.test('results from the loop output', async (t) => {
  const spec: WaitSpec = { kind: 'port', want: 'up', host: '127.0.0.1', port: 8080, timeout: 5, delay: 0, sleep: 1, connectTimeout: 5 };
  t.same(waitResult(spec, { state: 'started' }, { rc: 0, stdout: 'muster-wait: ok 3\n', stderr: '' }), {
    changed: false,
    data: { elapsed: 3, state: 'started', port: 8080, host: '127.0.0.1' },
  });
  t.match(waitResult(spec, { msg: 'app did not start' }, { rc: 1, stdout: 'muster-wait: timeout 5\n', stderr: '' }), {
    failed: true,
    msg: 'app did not start',
    data: { elapsed: 5 },
  });
  t.match(waitResult({ ...spec, host: 'db' }, {}, { rc: 3, stdout: 'muster-wait: nocheck 0\n', stderr: '' }), { failed: true, msg: /neither nc nor bash/ });
  t.match(waitResult(spec, {}, { rc: 2, stdout: '', stderr: 'sh: 1: syntax error\n' }), { failed: true, msg: /could not run its check: sh: 1: syntax error/ });
  t.same(matchGroups('v(\\d+)\\.(\\d+)', 'version v1.22'), { match_groups: ['1', '22'], match_groupdict: {} });
  t.same(matchGroups('(', 'x'), { match_groups: [], match_groupdict: {} }, 'a regex JavaScript cannot read gives no groups');
});

t.test('run: one exec with a backstop timeout, or a plain sleep', async (t) => {
  const ctx = fakeContext({ exec: () => ({ rc: 0, stdout: 'muster-wait: ok 0\n', stderr: '' }) });
  const r = await waitFor.run({ port: 22, host: '127.0.0.1', state: 'started', timeout: 10, delay: 2, sleep: 1, connect_timeout: 5 }, ctx);
  t.same(r, { changed: false, data: { elapsed: 0, state: 'started', port: 22, host: '127.0.0.1' } });
  t.equal(ctx.execs.length, 1);
  t.equal(ctx.execs[0].opts?.timeoutMs, (2 + 10 + 5 + 30) * 1000);
  t.match(ctx.execs[0].script.text, /sleep 2/);

  const idle = fakeContext();
  t.same(await waitFor.run({ timeout: 7, delay: 1 }, idle), { changed: false, data: { elapsed: 8 } });
  t.same(idle.sleeps, [8000]);
  t.equal(idle.execs.length, 0);

  t.match(await waitFor.run({ port: 1, path: '/x' }, fakeContext()), { failed: true, msg: /mutually exclusive/ });
});
