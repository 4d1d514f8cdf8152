// The restart backoff: delays by restart count, and when a stopped container may start again.
import t from 'tap';
import { restartDelay, restartAt, BACKOFF_CAP_MS, STABLE_RUN_MS } from '../../../agent/reconcile/backoff.js';

t.test('backoff', async (t) => {
  const delays: [number, number][] = [
    [0, 0],
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [9, 256_000],
    [10, BACKOFF_CAP_MS],
    [5000, BACKOFF_CAP_MS],
    [-1, 0],
  ];
  for (const [n, ms] of delays) t.equal(restartDelay(n), ms, `${n} restarts -> ${ms} ms`);
  t.equal(restartAt({ restartCount: 3 }), 0, 'never finished: now');
  t.equal(restartAt({ restartCount: 3, finishedAt: 10_000, startedAt: 9_000 }), 14_000);
  t.equal(restartAt({ restartCount: 3, finishedAt: STABLE_RUN_MS + 10, startedAt: 0 }), STABLE_RUN_MS + 10, 'stable run resets');
});
