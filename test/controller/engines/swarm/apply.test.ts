/** Waiting for a stack on Swarm to converge: what each poll reads, how often it reads, and when it gives up. */
import t from 'tap';
import { pollPause, waitConverged } from '../../../../controller/engines/swarm/apply.js';
import type { DockerApi } from '../../../../controller/engines/swarm/docker-api.js';

/** A manager whose service runs `running(nowMs)` of 20 tasks; every call is noted with the time it was made. */
function fakeSwarm(running: (nowMs: number) => number) {
  let now = 0;
  const calls: { at: number; path: string }[] = [];
  const api: DockerApi = {
    call: async (_method, path) => {
      calls.push({ at: now, path });
      if (path.startsWith('/tasks')) return { status: 200, body: [] };
      return {
        status: 200,
        body: [{ ID: 'x', Version: { Index: 1 }, Spec: { Name: 'b_web' }, ServiceStatus: { RunningTasks: running(now), DesiredTasks: 20 } }],
      };
    },
  };
  const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
  return { api, clock, calls, now: () => now };
}

t.test('pollPause: close reads at first, fewer as the wait goes on, on both sides of each step', async (t) => {
  const rows: [number, number][] = [
    [0, 100],
    [14_999, 100],
    [15_000, 500],
    [59_999, 500],
    [60_000, 2_000],
    [3_600_000, 2_000],
  ];
  for (const [waited, pause] of rows) t.equal(pollPause(waited), pause, `${waited} ms into the wait`);
});

t.test('converged: one read of the services a round, with the counts the manager keeps, no task listing', async (t) => {
  const s = fakeSwarm((now) => (now >= 1_000 ? 20 : 0));
  const r = await waitConverged(s.api, 'b', ['b_web'], s.clock, 60_000);
  t.ok(r.ok);
  t.same(r.progress, [{ name: 'b_web', running: 20, desired: 20, update: undefined }]);
  t.equal(s.now(), 1_000, 'seen 0 ms after it converged: reads every 100 ms');
  t.equal(s.calls.length, 11, 'at 0, 100, ... 1000 ms');
  t.ok(
    s.calls.every((c) => c.path.startsWith('/services?status=true&')),
    'only /services?status=true',
  );
});

t.test('a slow convergence is read every 500 ms after 15 s', async (t) => {
  const s = fakeSwarm((now) => (now >= 20_050 ? 20 : 3));
  const r = await waitConverged(s.api, 'b', ['b_web'], s.clock, 300_000);
  t.ok(r.ok);
  t.equal(s.now(), 20_500, 'the read after 20.05 s');
  t.equal(s.calls.length, 150 + 12, '150 reads in the first 15 s, then one per 500 ms');
});

t.test('not converged by the timeout: the last read is at the timeout, with the tasks read for errors', async (t) => {
  const s = fakeSwarm(() => 19);
  const r = await waitConverged(s.api, 'b', ['b_web'], s.clock, 1_050);
  t.notOk(r.ok);
  t.equal(s.now(), 1_050, 'the wait ends at the timeout, not a pause past it');
  t.same(r.progress[0], { name: 'b_web', running: 19, desired: 20, update: undefined });
  t.ok(s.calls.at(-1)?.path.startsWith('/tasks?'), 'the tasks are listed once, at the end');
});
