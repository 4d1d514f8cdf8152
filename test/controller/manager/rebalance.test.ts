import t from 'tap';
import { memoryFractions, OPT_OUT_LABEL, rebalanceMove, spreadOf } from '../../../controller/manager/rebalance.js';
import { applyPlan } from '../../../controller/scheduler/apply.js';
import { tick } from '../../../controller/scheduler/tick.js';
import type { Current } from '../../../controller/scheduler/types.js';
import { MiB, node, options, replica, service, snapshot, stack } from '../scheduler/build.js';

/** web (6 x 100 MiB) on n1 and n2 only, as after n3 was away; n3 is back and empty. */
function fleet(o: { volumes?: string[]; optOut?: boolean; reserve?: number } = {}) {
  const web = service('web', { replicas: 6, reserveMem: o.reserve ?? 100, volumes: o.volumes });
  if (o.optOut) web.deploy.labels[OPT_OUT_LABEL] = 'false';
  const stacks = [stack('app', [web])];
  const r = (slot: number, n: string) => replica('app', 'web', slot, n, { memoryReservationBytes: (o.reserve ?? 100) * MiB, volumes: o.volumes ?? [] });
  const current: Current = { replicas: [r(1, 'n1'), r(2, 'n2'), r(3, 'n1'), r(4, 'n2'), r(5, 'n1'), r(6, 'n2')] };
  return { stacks, current, snap: snapshot([node('n1'), node('n2'), node('n3')]) };
}

t.test('fractions and spread over the active, ready nodes', async (t) => {
  const { current, snap } = fleet();
  const f = memoryFractions(snap, current.replicas);
  t.same(
    [...f],
    [
      ['n1', 300 / 1024],
      ['n2', 300 / 1024],
      ['n3', 0],
    ],
  );
  t.equal(spreadOf(f), 300 / 1024);
  t.equal(spreadOf(new Map([['a', 0.5]])), 0, 'one node: no spread');
  const drained = snapshot([node('n1'), node('n2'), node('n3', { availability: 'drain' })]);
  t.same([...memoryFractions(drained, current.replicas).keys()], ['n1', 'n2'], 'a drained node is not counted');
});

t.test('moves one replica at a time to the emptier node, through the tick, until the spread is small', async (t) => {
  const { stacks, snap } = fleet();
  let { current } = fleet();
  const moves: string[] = [];
  for (let i = 0; i < 10; i++) {
    const m = rebalanceMove(stacks, snap, current, options());
    if (!m) break;
    t.equal(m.plan.assignments.filter((a) => a.action !== 'keep').length, 1, 'one move per plan');
    t.ok(m.after < m.before);
    t.match(m.move.reason, /^rebalance: memory spread \d+% -> \d+%; /);
    moves.push(`web.${m.move.slot} ${m.move.from.node}->${m.move.node}`);
    current = applyPlan(m.plan, stacks, current, options());
  }
  t.same(moves, ['web.1 n1->n3', 'web.2 n2->n3'], 'the busiest node gives its replica first; then the fleet is even');
  const f = memoryFractions(snap, current.replicas);
  t.same([...f.values()], [200 / 1024, 200 / 1024, 200 / 1024]);
  t.equal(rebalanceMove(stacks, snap, current, options()), undefined, 'even: nothing more');
  t.same(
    tick(stacks, snap, current, options()).assignments.map((a) => a.action),
    Array(6).fill('keep'),
    'and the tick keeps it so',
  );
});

t.test('nothing moves: spread within the limit, replicas with data, opted out, or reserving nothing', async (t) => {
  const { stacks, current, snap } = fleet();
  t.equal(rebalanceMove(stacks, snap, current, options(), 0.3), undefined, 'limit above the spread (29%)');
  t.ok(rebalanceMove(stacks, snap, current, options(), 0.29), 'limit just below it');
  const v = fleet({ volumes: ['app_data'] });
  t.equal(rebalanceMove(v.stacks, v.snap, v.current, options()), undefined, 'a named volume pins its replicas');
  const o = fleet({ optOut: true });
  t.equal(rebalanceMove(o.stacks, o.snap, o.current, options()), undefined, 'io.muster.rebalance: "false"');
  const z = fleet({ reserve: 0 });
  t.equal(rebalanceMove(z.stacks, z.snap, z.current, options()), undefined, 'no memory asked: no spread to even');
});
