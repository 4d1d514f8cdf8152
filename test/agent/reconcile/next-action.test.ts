import t from 'tap';
import { nextAction, REPLACE_AFTER, type Action } from '../../../agent/reconcile/next-action.js';
import { restartDelay, restartAt, BACKOFF_CAP_MS, STABLE_RUN_MS } from '../../../agent/reconcile/backoff.js';
import { specHash } from '../../../shared/spec-hash.js';
import type { ObservedContainer } from '../../../agent/types.js';
import type { ContainerSpec } from '../../../shared/wire.js';

const NOW = 1_700_000_000_000;
const MiB = 1024 * 1024;

const spec = (name: string, more: Partial<ContainerSpec> = {}): ContainerSpec => {
  const [stack, rest] = name.split('_');
  const [service, replica] = rest.split('.');
  return { name, stack, service, replica: Number(replica), image: 'muster-busybox:1', memoryLimit: 64 * MiB, ...more };
};
// An observed container that matches `s` (same hash) and runs, unless told otherwise.
const seen = (s: ContainerSpec, id: string, more: Partial<ObservedContainer> = {}): ObservedContainer => ({
  id,
  name: s.name,
  specHash: specHash(s),
  state: 'running',
  restartCount: 0,
  startedAt: NOW - 60_000,
  ...more,
});

const A = spec('web_api.1');
const B = spec('web_api.2');
const C = spec('db_pg.1', { restartPolicy: 'on-failure' });
const N = spec('job_once.1', { restartPolicy: 'no' });
const A2 = { ...A, image: 'muster-busybox:2' };

type Want = Partial<Action> & { kind: Action['kind'] };
const rows: {
  name: string;
  observed: ObservedContainer[];
  desired: ContainerSpec[];
  holds?: [name: string, until: number, failures?: number][];
  want: Want;
}[] = [
  // --- nothing observed
  { name: 'empty and empty: converged', observed: [], desired: [], want: { kind: 'none', converged: true } },
  { name: 'one wanted, none there: create', observed: [], desired: [A], want: { kind: 'create', name: A.name, hash: specHash(A), reason: 'missing' } },
  { name: 'two wanted: create in name order', observed: [], desired: [B, A], want: { kind: 'create', name: A.name } },
  { name: 'create carries the spec', observed: [], desired: [C], want: { kind: 'create', spec: C } },
  // --- all fine
  {
    name: 'running with the right hash: converged',
    observed: [seen(A, 'a1')],
    desired: [A],
    want: { kind: 'none', converged: true, reason: 'converged: 1 container(s) as desired' },
  },
  { name: 'healthy: converged', observed: [seen(A, 'a1', { health: 'healthy' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'health starting: left alone', observed: [seen(A, 'a1', { health: 'starting' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'paused by someone: left alone', observed: [seen(A, 'a1', { state: 'paused' })], desired: [A], want: { kind: 'none', converged: true } },
  { name: 'restarting by Docker: left alone', observed: [seen(A, 'a1', { state: 'restarting' })], desired: [A], want: { kind: 'none', converged: true } },
  // --- removals
  { name: 'not desired: remove', observed: [seen(A, 'a1')], desired: [], want: { kind: 'remove', id: 'a1', reason: 'not in the desired set' } },
  { name: 'not desired, exited: remove', observed: [seen(A, 'a1', { state: 'exited', exitCode: 0 })], desired: [], want: { kind: 'remove', id: 'a1' } },
  {
    name: 'not desired, already removing: wait',
    observed: [seen(A, 'a1', { state: 'removing' })],
    desired: [],
    want: { kind: 'none', converged: false, wakeAt: NOW + 1000 },
  },
  { name: 'removal before creation', observed: [seen(B, 'b1')], desired: [A], want: { kind: 'remove', id: 'b1' } },
  { name: 'dead: remove, to be created again', observed: [seen(A, 'a1', { state: 'dead' })], desired: [A], want: { kind: 'remove', id: 'a1' } },
  // --- duplicates
  {
    name: 'duplicates of one name: remove the extra, keep the matching one',
    observed: [seen(A, 'a2', { specHash: 'old' }), seen(A, 'a1')],
    desired: [A],
    want: { kind: 'remove', id: 'a2', reason: 'duplicate of a1' },
  },
  {
    name: 'duplicates: keep the running one over an exited one',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, finishedAt: NOW }), seen(A, 'a2')],
    desired: [A],
    want: { kind: 'remove', id: 'a1' },
  },
  {
    name: 'duplicates: same state, keep the newest',
    observed: [seen(A, 'a1', { startedAt: NOW - 5000 }), seen(A, 'a2', { startedAt: NOW - 1000 })],
    desired: [A],
    want: { kind: 'remove', id: 'a1' },
  },
  {
    name: 'duplicates: all equal, keep the smallest id',
    observed: [seen(A, 'a2'), seen(A, 'a1')],
    desired: [A],
    want: { kind: 'remove', id: 'a2' },
  },
  {
    name: 'three copies: the first extra goes first',
    observed: [seen(A, 'a3'), seen(A, 'a1'), seen(A, 'a2')],
    desired: [A],
    want: { kind: 'remove', id: 'a2' },
  },
  {
    name: 'duplicate removal comes before other removals',
    observed: [seen(B, 'b1'), seen(A, 'a1'), seen(A, 'a9')],
    desired: [A],
    want: { kind: 'remove', id: 'a9', reason: 'duplicate of a1' },
  },
  {
    name: 'duplicate being removed: not removed twice',
    observed: [seen(A, 'a1'), seen(A, 'a2', { state: 'removing' })],
    desired: [A],
    want: { kind: 'none', converged: true },
  },
  // --- replacements
  { name: 'spec changed: replace', observed: [seen(A, 'a1')], desired: [A2], want: { kind: 'replace', id: 'a1', hash: specHash(A2), spec: A2 } },
  {
    name: 'no hash label: replace',
    observed: [seen(A, 'a1', { specHash: '' })],
    desired: [A],
    want: { kind: 'replace', id: 'a1', reason: `spec changed (none -> ${specHash(A)})` },
  },
  {
    name: 'changed and exited: replace, not start',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, finishedAt: NOW })],
    desired: [A2],
    want: { kind: 'replace', id: 'a1' },
  },
  { name: 'replace before create', observed: [seen(B, 'b1')], desired: [A, { ...B, cpus: 1 }], want: { kind: 'replace', id: 'b1' } },
  {
    name: 'the only container being removed: wait for it',
    observed: [seen(A, 'a1', { state: 'removing' })],
    desired: [A],
    want: { kind: 'none', converged: false },
  },
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
  // --- ordering across kinds
  {
    name: 'full picture: duplicate, then undesired, then replace, then create, then start',
    observed: [
      seen(B, 'b1'),
      seen(B, 'b2', { specHash: 'x' }),
      seen(spec('old_x.1'), 'o1'),
      seen(C, 'c1', { specHash: 'x' }),
      seen(A, 'a1', { state: 'created' }),
    ],
    desired: [A, B, C, N],
    want: { kind: 'remove', id: 'b2' },
  },
];

t.test('nextAction table', async (t) => {
  for (const r of rows) {
    const got = nextAction(
      r.observed,
      { generation: 1, containers: r.desired },
      NOW,
      new Map((r.holds ?? []).map(([name, until, failures = 1]) => [name, { until, failures }])),
    );
    t.match(got, r.want, r.name);
  }
});

t.test('converging step by step: applying each action reaches none', async (t) => {
  // Simulates Docker: apply each action to the observed list until nothing is left to do.
  let observed: ObservedContainer[] = [
    seen(B, 'b1'),
    seen(B, 'b2', { specHash: 'x' }),
    seen(spec('old_x.1'), 'o1'),
    seen(C, 'c1', { specHash: 'x' }),
    seen(A, 'a1', { state: 'created' }),
  ];
  const desired = { generation: 1, containers: [A, B, C, N] };
  const kinds: string[] = [];
  let n = 0;
  for (;;) {
    const a = nextAction(observed, desired, NOW);
    if (a.kind === 'none') break;
    kinds.push(`${a.kind} ${a.name}`);
    if (a.kind === 'remove') observed = observed.filter((c) => c.id !== a.id);
    if (a.kind === 'replace') observed = [...observed.filter((c) => c.id !== a.id), seen(a.spec, `new${++n}`)];
    if (a.kind === 'create') observed = [...observed, seen(a.spec, `new${++n}`)];
    if (a.kind === 'start') observed = observed.map((c) => (c.id === a.id ? { ...c, state: 'running' as const } : c));
    t.ok(kinds.length < 20, 'terminates');
  }
  t.same(kinds, ['remove web_api.2', 'remove old_x.1', 'replace db_pg.1', 'create job_once.1', 'start web_api.1']);
  t.match(nextAction(observed, desired, NOW), { kind: 'none', converged: true });
});

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
