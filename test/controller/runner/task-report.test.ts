/** What one host's outcome of a task emits and counts: items, no_log censoring, ignored failures. */
import t from 'tap';
import type { Task } from '../../../controller/playbook/types.js';
import { emptyStats, type RunEvent } from '../../../controller/runner/events.js';
import type { PlayRun } from '../../../controller/runner/play.js';
import type { PlayHost } from '../../../controller/runner/state.js';
import type { HostOutcome } from '../../../controller/runner/task.js';
import { isIgnored, report } from '../../../controller/runner/task-report.js';

function setup(task: Partial<Task> = {}) {
  const events: RunEvent[] = [];
  const pr = { deps: { emit: (e: RunEvent) => events.push(e) } } as unknown as PlayRun;
  const h = { state: { name: 'h1', stats: emptyStats() }, notified: new Set(), ended: false } as unknown as PlayHost;
  const send = (o: HostOutcome) => report(pr, { module: 'command', name: 't', ...task } as Task, h, o);
  return { events, stats: h.state.stats, send };
}
const flags = (f: Partial<HostOutcome['flags']> = {}) => ({ ignoreErrors: false, ignoreUnreachable: false, noLog: false, ...f });

t.test('isIgnored: a failure with ignore_errors, an unreachable host with ignore_unreachable, and nothing else', async (t) => {
  t.equal(isIgnored({ status: 'failed', result: {}, flags: flags({ ignoreErrors: true }) }), true);
  t.equal(isIgnored({ status: 'failed', result: {}, flags: flags({ ignoreUnreachable: true }) }), false);
  t.equal(isIgnored({ status: 'unreachable', result: {}, flags: flags({ ignoreUnreachable: true }) }), true);
  t.equal(isIgnored({ status: 'unreachable', result: {}, flags: flags({ ignoreErrors: true }) }), false);
  t.equal(isIgnored({ status: 'ok', result: {}, flags: flags({ ignoreErrors: true }) }), false);
  t.equal(isIgnored({ status: 'failed', result: {} }), false, 'no flags: not ignored');
});

t.test('a changed outcome counts as ok and changed; an ignored failure as ok and ignored', async (t) => {
  const r = setup();
  r.send({ status: 'changed', result: { changed: true } });
  r.send({ status: 'failed', result: { failed: true }, msg: 'boom', flags: flags({ ignoreErrors: true }) });
  r.send({ status: 'skipped', result: {} });
  t.same(r.stats, { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 1 });
  t.match(r.events[1], { type: 'result', host: 'h1', status: 'failed', ignored: true, msg: 'boom' });
  r.send({ status: 'failed', result: { failed: true } });
  t.equal(r.stats.failed, 1, 'a failure not ignored counts as failed');
});

t.test('a loop emits one result per item, then the task only if it failed or had no items', async (t) => {
  const item = (label: string, status: 'ok' | 'changed') => ({ label, status, result: { changed: status === 'changed' } });
  const r = setup();
  r.send({ status: 'changed', result: {}, items: [item('a', 'ok'), item('b', 'changed')] });
  t.same(
    r.events.map((e) => (e.type === 'result' ? `${e.item ?? '-'}:${e.status}` : e.type)),
    ['a:ok', 'b:changed'],
  );
  r.send({ status: 'failed', result: { failed: true }, items: [item('c', 'ok')] });
  r.send({ status: 'skipped', result: {}, items: [] });
  t.same(
    r.events.slice(2).map((e) => (e.type === 'result' ? `${e.item ?? '-'}:${e.status}` : e.type)),
    ['c:ok', '-:failed', '-:skipped'],
  );
});

t.test('no_log hides the result, its message, diff and items; debug shows its output only without it', async (t) => {
  const hidden = setup({ noLog: true });
  hidden.send({
    status: 'changed',
    result: { changed: true, secret: 's', diff: { before: 'a' } },
    msg: 'the secret',
    items: [{ label: 's', status: 'changed', result: { secret: 's' } }],
  });
  t.match(hidden.events[0], { item: '(censored)', msg: undefined, result: { censored: /no_log: true/ } });
  t.notMatch(JSON.stringify(hidden.events), /secret"|the secret/, 'nothing of the result leaks');
  const rendered = setup({ noLog: '{{ x }}' as unknown as boolean });
  rendered.send({ status: 'ok', result: { secret: 's' }, flags: flags({ noLog: false }) });
  t.same((rendered.events[0] as { result: unknown }).result, { secret: 's' }, 'a no_log rendered false shows the result');
  const debug = setup({ module: 'debug' });
  debug.send({ status: 'ok', result: { msg: 'hi' } });
  t.match(debug.events[0], { show: true });
  const quiet = setup({ module: 'debug', noLog: true });
  quiet.send({ status: 'ok', result: { msg: 'hi' } });
  t.match(quiet.events[0], { show: false });
});
