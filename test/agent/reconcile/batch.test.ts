// nextActions as a batch: one class at a time, one action per name, `limit` at most; converging in rounds.
import t from 'tap';
import fc from 'fast-check';
import { nextActions, type Decision, type DueAction } from '../../../agent/reconcile/next-action.js';
import type { ObservedContainer } from '../../../agent/types.js';
import { specHash } from '../../../shared/spec-hash.js';
import type { ContainerSpec } from '../../../shared/wire.js';
import { A, A2, B, C, N, NOW, holdsOf, seen, spec, type HoldRow } from './fixtures.js';

const decide = (observed: ObservedContainer[], desired: ContainerSpec[], limit?: number, holds: HoldRow[] = []): Decision =>
  nextActions(observed, { generation: 1, containers: desired }, NOW, holdsOf(holds), limit);
const said = (d: Decision): string[] => (d.kind === 'act' ? d.actions.map((a) => `${a.kind} ${'id' in a ? a.id : a.name}`) : [d.kind]);
const twenty = Array.from({ length: 20 }, (_, i) => spec(`web_api.${i + 1}`));
const MESSY: ObservedContainer[] = [
  seen(B, 'b1'),
  seen(B, 'b2', { specHash: 'x' }),
  seen(spec('old_x.1'), 'o1'),
  seen(C, 'c1', { specHash: 'x' }),
  seen(A, 'a1', { state: 'created' }),
];

const rows: { name: string; observed: ObservedContainer[]; desired: ContainerSpec[]; limit?: number; holds?: HoldRow[]; want: string[] }[] = [
  { name: 'two missing: both created at once', observed: [], desired: [B, A], want: ['create web_api.1', 'create web_api.2'] },
  { name: 'twenty missing, no limit: twenty creates', observed: [], desired: twenty, want: twenty.map((s) => `create ${s.name}`).sort() },
  {
    name: 'twenty missing, limit 8: the first 8 by name',
    observed: [],
    desired: twenty,
    limit: 8,
    want: twenty
      .map((s) => `create ${s.name}`)
      .sort()
      .slice(0, 8),
  },
  { name: 'limit 1: one at a time', observed: [], desired: [A, B], limit: 1, want: ['create web_api.1'] },
  { name: 'limit 0 counts as 1', observed: [], desired: [A, B], limit: 0, want: ['create web_api.1'] },
  { name: 'limit 2, two due: both', observed: [], desired: [A, B], limit: 2, want: ['create web_api.1', 'create web_api.2'] },
  { name: 'limit 3, two due: both', observed: [], desired: [A, B], limit: 3, want: ['create web_api.1', 'create web_api.2'] },
  // classes: a class waits for the one before it
  { name: 'the messy node: its removals first, duplicate and undesired together', observed: MESSY, desired: [A, B, C, N], want: ['remove b2', 'remove o1'] },
  { name: 'a removal holds back every creation', observed: [seen(C, 'c1')], desired: [A, B], want: ['remove c1'] },
  { name: 'a dead container is a removal', observed: [seen(A, 'a1', { state: 'dead' }), seen(C, 'c1')], desired: [A, B], want: ['remove c1', 'remove a1'] },
  { name: 'replacements before creations', observed: [seen(A, 'a1'), seen(B, 'b1')], desired: [A2, { ...B, cpus: 1 }, C], want: ['replace a1', 'replace b1'] },
  {
    name: 'creations before starts',
    observed: [seen(A, 'a1', { state: 'created' }), seen(B, 'b1', { state: 'exited', exitCode: 1, finishedAt: NOW })],
    desired: [A, B, C],
    want: ['create db_pg.1'],
  },
  {
    name: 'starts and restarts together',
    observed: [seen(A, 'a1', { state: 'created' }), seen(B, 'b1', { state: 'exited', exitCode: 1, finishedAt: NOW }), seen(C, 'c1', { health: 'unhealthy' })],
    desired: [A, B, C],
    want: ['restart c1', 'start a1', 'start b1'],
  },
  // one action per name
  {
    name: 'three copies of one name: one removal for it now, the other extra next time',
    observed: [seen(A, 'a3'), seen(A, 'a1'), seen(A, 'a2'), seen(C, 'c1')],
    desired: [A],
    want: ['remove a2', 'remove c1'],
  },
  { name: 'two undesired containers of one name: one now', observed: [seen(C, 'c2'), seen(C, 'c1')], desired: [], want: ['remove c1'] },
  // holds and waits leave the others to go
  { name: 'a held name is left out of the batch', observed: [], desired: [A, B, C], holds: [[B.name, NOW + 1]], want: ['create db_pg.1', 'create web_api.1'] },
  {
    name: 'all held: none',
    observed: [],
    desired: [A, B],
    holds: [
      [A.name, NOW + 5],
      [B.name, NOW + 9],
    ],
    want: ['none'],
  },
  {
    name: 'one in its backoff, two missing: the two',
    observed: [seen(A, 'a1', { state: 'exited', exitCode: 1, restartCount: 3, finishedAt: NOW })],
    desired: [A, B, C],
    want: ['create db_pg.1', 'create web_api.2'],
  },
];

t.test('nextActions batches', async (t) => {
  for (const r of rows) t.same(said(decide(r.observed, r.desired, r.limit, r.holds)), r.want, r.name);
  t.match(
    decide([], [A, B], undefined, [
      [A.name, NOW + 5],
      [B.name, NOW + 9],
    ]),
    { kind: 'none', converged: false, wakeAt: NOW + 5 },
    'woken at the first hold end',
  );
});

// Applies a batch the way Docker would.
function apply(observed: ObservedContainer[], batch: DueAction[], fresh: () => string): ObservedContainer[] {
  let out = observed;
  for (const a of batch) {
    if (a.kind === 'remove') out = out.filter((c) => c.id !== a.id);
    if (a.kind === 'replace') out = [...out.filter((c) => c.id !== a.id), seen(a.spec, fresh())];
    if (a.kind === 'create') out = [...out, seen(a.spec, fresh())];
    if (a.kind === 'start' || a.kind === 'restart') out = out.map((c) => (c.id === a.id ? { ...c, state: 'running' as const, health: undefined } : c));
  }
  return out;
}

function converge(observed: ObservedContainer[], desired: ContainerSpec[], limit: number): { rounds: string[][]; end: ObservedContainer[] } {
  let n = 0;
  const rounds: string[][] = [];
  for (;;) {
    const d = decide(observed, desired, limit);
    if (d.kind === 'none') {
      if (!d.converged) throw new Error(`stuck: ${d.reason}`);
      return { rounds, end: observed };
    }
    rounds.push(d.actions.map((a) => `${a.kind} ${a.name}`));
    observed = apply(observed, d.actions, () => `new${++n}`);
    if (rounds.length > 50) throw new Error('does not terminate');
  }
}

t.test('converging in rounds reaches what one at a time reaches, in fewer rounds', async (t) => {
  const serial = converge(MESSY, [A, B, C, N], 1);
  t.same(serial.rounds.flat(), ['remove web_api.2', 'remove old_x.1', 'replace db_pg.1', 'create job_once.1', 'start web_api.1']);
  const wide = converge(MESSY, [A, B, C, N], 8);
  t.same(wide.rounds, [['remove web_api.2', 'remove old_x.1'], ['replace db_pg.1'], ['create job_once.1'], ['start web_api.1']]);
  const names = (o: ObservedContainer[]) => o.map((c) => `${c.name} ${c.state}`).sort();
  t.same(names(wide.end), names(serial.end), 'the same end');
  t.same(
    converge([], twenty, 8).rounds.map((r) => r.length),
    [8, 8, 4],
    'twenty new containers: three rounds of at most 8',
  );
});

// Random nodes: what any batch must be, whatever Docker shows.
const pool = [A, A2, B, C, N, spec('old_x.1'), spec('web_api.3')];
const observedArb = fc.array(
  fc.record({
    s: fc.constantFrom(...pool),
    id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8'),
    state: fc.constantFrom('running', 'exited', 'created', 'dead', 'removing', 'paused') as fc.Arbitrary<ObservedContainer['state']>,
    stale: fc.boolean(),
    unhealthy: fc.boolean(),
  }),
  { maxLength: 8 },
);
const desiredArb = fc.uniqueArray(fc.constantFrom(...pool.filter((s) => s !== A2)), { selector: (s) => s.name, maxLength: 5 });
const CLASS: Record<DueAction['kind'], number> = { remove: 1, replace: 2, create: 3, start: 4, restart: 4 };

t.test('every batch: one class, distinct names and ids, within the limit, led by the serial choice', async (t) => {
  fc.assert(
    fc.property(observedArb, desiredArb, fc.integer({ min: 1, max: 10 }), (raw, desired, limit) => {
      const observed = raw
        .filter((r, i) => raw.findIndex((x) => x.id === r.id) === i)
        .map((r) =>
          seen(r.s, r.id, {
            state: r.state,
            specHash: r.stale ? 'old' : specHash(r.s),
            health: r.unhealthy ? 'unhealthy' : undefined,
            exitCode: 1,
            finishedAt: NOW - 3_600_000,
          }),
        );
      const d = decide(observed, desired, limit);
      const one = decide(observed, desired, 1);
      if (d.kind === 'none') return one.kind === 'none';
      const all = decide(observed, desired);
      return (
        d.actions.length >= 1 &&
        d.actions.length <= limit &&
        new Set(d.actions.map((a) => a.name)).size === d.actions.length &&
        new Set(d.actions.map((a) => ('id' in a ? a.id : a.name))).size === d.actions.length &&
        new Set(d.actions.map((a) => CLASS[a.kind])).size === 1 &&
        one.kind === 'act' &&
        JSON.stringify(one.actions[0]) === JSON.stringify(d.actions[0]) &&
        all.kind === 'act' &&
        JSON.stringify(all.actions.slice(0, d.actions.length)) === JSON.stringify(d.actions)
      );
    }),
    { numRuns: 500 },
  );
  t.pass('500 random nodes');
});
