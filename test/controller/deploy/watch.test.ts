import t from 'tap';
import { judge } from '../../../controller/deploy/watch.js';
import { report } from './fixtures.js';

const N = 'demo_web.1.0123abcd';
const add = { node: 'h01', name: N, kind: 'add' as const };

t.test('judge: an added replica', async (t) => {
  const rows: [Parameters<typeof report>[0], string, string][] = [
    [[{ name: N, state: 'running', health: null }], 'ready', ''],
    [[{ name: N, state: 'running', health: 'healthy' }], 'ready', ''],
    [[{ name: N, state: 'running', health: 'starting' }], 'pending', 'health: starting'],
    [[{ name: N, state: 'created' }], 'pending', 'created'],
    [[{ name: N, state: 'running', health: 'unhealthy' }], 'failed', 'unhealthy: its healthcheck fails'],
    [[{ name: N, state: 'exited', exitCode: 137 }], 'failed', 'exited (exit code 137)'],
    [[{ name: N, state: 'restarting', exitCode: 1 }], 'failed', 'restarted 1 time(s) (exit code 1)'],
    [[{ name: N, state: 'running', restarts: 1, exitCode: 2 }], 'failed', 'restarted 1 time(s) (exit code 2)'],
    [[{ name: 'demo_web.1.ffffffff', state: 'running' }], 'pending', 'not created yet'],
  ];
  for (const [containers, state, what] of rows) {
    const s = judge(add, report(containers));
    t.equal(s.state, state, JSON.stringify(containers));
    if (s.state === 'failed') t.equal(s.reason, what);
    if (s.state === 'pending') t.equal(s.why, what);
  }
  t.same(judge(add, undefined), { state: 'pending', why: 'its agent did not answer' });
});

t.test('judge: the agent error about this replica (and not another)', async (t) => {
  const base = report([]);
  const withError = (lastError: string) => ({ ...base, reconcile: { ...base.reconcile, lastError } });
  t.match(judge(add, withError(`create ${N}: missing: pull failed`)), { state: 'pending', agentError: `create ${N}: missing: pull failed` });
  t.same(judge(add, withError('create demo_web.2.0123abcd: missing: pull failed')), { state: 'pending', why: 'not created yet' });
});

t.test('judge: a removed replica is ready once gone', async (t) => {
  const rm = { ...add, kind: 'remove' as const };
  t.same(judge(rm, report([])), { state: 'ready' });
  t.same(judge(rm, report([{ name: N, state: 'running' }])), { state: 'pending', why: 'still running' });
});
