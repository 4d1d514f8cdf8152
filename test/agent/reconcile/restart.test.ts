// The first action of nextActions for stopped and unhealthy containers: starts, backoff, holds, replace-after.
import t from 'tap';
import { REPLACE_AFTER } from '../../../agent/reconcile/next-action.js';
import { BACKOFF_CAP_MS, STABLE_RUN_MS } from '../../../agent/reconcile/backoff.js';
import { specHash } from '../../../shared/spec-hash.js';
import { A, B, C, N, NOW, runRows, seen, type Row } from './fixtures.js';

const rows: Row[] = [
  // --- starts and restarts
  {
    name: 'created (agent died before start): start at once',
    observed: [seen(A, 'a1', { state: 'created', startedAt: undefined })],
    desired: [A],
    want: { kind: 'start', id: 'a1', reason: 'created but not started' },
  },
  {
    name: 'first crash: restart at once',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 137, finishedAt: NOW })],
    desired: [A],
    want: { kind: 'start', id: 'a1', reason: 'exited with code 137 (restart #1)' },
  },
  {
    name: 'exited without finish time: restart',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 4 })],
    desired: [A],
    want: { kind: 'start', id: 'a1' },
  },
  {
    name: 'third crash inside the backoff: wait',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 3, startedAt: NOW - 2000, finishedAt: NOW - 1000 })],
    desired: [A],
    want: { kind: 'none', converged: false, wakeAt: NOW - 1000 + 4000 },
  },
  {
    name: 'third crash after the backoff: start',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 3, startedAt: NOW - 6000, finishedAt: NOW - 5000 })],
    desired: [A],
    want: { kind: 'start', id: 'a1', reason: 'exited with code 1 (restart #4)' },
  },
  {
    name: 'many crashes: the cap bounds the wait',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 500, startedAt: NOW - 2000, finishedAt: NOW - 1000 })],
    desired: [A],
    want: { kind: 'none', wakeAt: NOW - 1000 + BACKOFF_CAP_MS },
  },
  {
    name: 'ran stably before exiting: the count starts again',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 9, startedAt: NOW - STABLE_RUN_MS - 1000, finishedAt: NOW - 1 })],
    desired: [A],
    want: { kind: 'start', id: 'a1' },
  },
  {
    name: 'one waits in backoff while another needs creating: create',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 3, finishedAt: NOW })],
    desired: [A, B],
    want: { kind: 'create', name: B.name },
  },
  {
    name: 'two in backoff: wake at the earliest',
    observed: [
      seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 3, startedAt: NOW - 10, finishedAt: NOW }),
      seen(B, 'b1', { state: 'exited', exitCode: 1, restartCount: 2, startedAt: NOW - 10, finishedAt: NOW }),
    ],
    desired: [A, B],
    want: { kind: 'none', converged: false, wakeAt: NOW + 2000 },
  },
  {
    name: 'policy no, exited: left exited',
    observed: [seen(N, 'n1', { state: 'exited', exitCode: 1, finishedAt: NOW })],
    desired: [N],
    want: { kind: 'none', converged: true },
  },
  {
    name: 'on-failure, clean exit: left exited',
    observed: [seen(C, 'c1', { state: 'exited', exitCode: 0, finishedAt: NOW })],
    desired: [C],
    want: { kind: 'none', converged: true },
  },
  {
    name: 'on-failure, failed: restart',
    observed: [seen(C, 'c1', { state: 'exited', exitCode: 2, finishedAt: NOW })],
    desired: [C],
    want: { kind: 'start', id: 'c1' },
  },
  {
    name: 'always, clean exit: restart',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 0, finishedAt: NOW })],
    desired: [A],
    want: { kind: 'start', id: 'a1' },
  },
  {
    name: 'unhealthy: restart',
    observed: [seen(A, 'a1', { health: 'unhealthy' })],
    desired: [A],
    want: { kind: 'restart', id: 'a1', reason: 'unhealthy (restart #1)' },
  },
  {
    name: 'unhealthy again soon after a restart: wait',
    observed: [seen(A, 'a1', { health: 'unhealthy', restartCount: 4, startedAt: NOW - 1000 })],
    desired: [A],
    want: { kind: 'none', converged: false, wakeAt: NOW - 1000 + 8000 },
  },
  { name: 'unhealthy with policy no: left alone', observed: [seen(N, 'n1', { health: 'unhealthy' })], desired: [N], want: { kind: 'none', converged: true } },
  // --- holds (the loop's failure backoff)
  {
    name: 'held name: skipped, wake when the hold ends',
    observed: [],
    desired: [A],
    holds: [[A.name, NOW + 30_000]],
    want: { kind: 'none', converged: false, wakeAt: NOW + 30_000 },
  },
  { name: 'held name does not block another', observed: [], desired: [A, B], holds: [[A.name, NOW + 30_000]], want: { kind: 'create', name: B.name } },
  { name: 'expired hold: acts again', observed: [], desired: [A], holds: [[A.name, NOW - 1]], want: { kind: 'create', name: A.name } },
  {
    name: 'hold on a converged name: still converged',
    observed: [seen(A, 'a1')],
    desired: [A],
    holds: [[A.name, NOW + 30_000]],
    want: { kind: 'none', converged: true },
  },
  // --- a container that cannot be started is created again after REPLACE_AFTER failures in a row
  {
    name: 'start failed twice: start again',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 0, finishedAt: NOW - 60_000 })],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER - 1]],
    want: { kind: 'start', id: 'a1' },
  },
  {
    name: 'start failed 3 times: replaced',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 0, finishedAt: NOW - 60_000 })],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER]],
    want: { kind: 'replace', id: 'a1', spec: A, hash: specHash(A), reason: 'start failed 3 times in a row: created again' },
  },
  {
    name: 'created, start failed 3 times: replaced',
    observed: [seen(A, 'a1', { state: 'created' })],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER]],
    want: { kind: 'replace', id: 'a1' },
  },
  {
    name: 'unhealthy, restart failed 3 times: replaced',
    observed: [seen(A, 'a1', { health: 'unhealthy', startedAt: NOW - 600_000 })],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER]],
    want: { kind: 'replace', id: 'a1', reason: 'restart failed 3 times in a row: created again' },
  },
  {
    name: 'failures but still held: wait',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 0, finishedAt: NOW - 60_000 })],
    desired: [A],
    holds: [[A.name, NOW + 5_000, REPLACE_AFTER]],
    want: { kind: 'none', wakeAt: NOW + 5_000 },
  },
  {
    name: 'failures on a running container: nothing to replace',
    observed: [seen(A, 'a1')],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER]],
    want: { kind: 'none', converged: true },
  },
  {
    name: 'failures, exited, still in its backoff: wait, no replace',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 5, finishedAt: NOW - 1000, startedAt: NOW - 2000 })],
    desired: [A],
    holds: [[A.name, NOW - 1, REPLACE_AFTER]],
    want: { kind: 'none', converged: false },
  },
];

t.test('nextActions: starts, restarts, holds', async (t) => runRows(t, rows));
