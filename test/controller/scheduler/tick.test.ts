/** tick scenarios: placement, scale, nodes leaving, drain and pause, global services, no needless moves. */
import t from 'tap';
import { applyPlan } from '../../../controller/scheduler/apply.js';
import { tick } from '../../../controller/scheduler/tick.js';
import type { Current, NodeView } from '../../../controller/scheduler/types.js';
import type { Stack } from '../../../controller/stack/types.js';
import { MiB, node, options, replica, service, snapshot, stack, where } from './build.js';

const none: Current = { replicas: [] };
const three = () => [node('n1'), node('n2'), node('n3')];

/** Ticks, applies, and ticks again on the same or changed nodes. */
function twice(stacks: Stack[], first: NodeView[], second: NodeView[] = first) {
  const p1 = tick(stacks, snapshot(first), none, options());
  const current = applyPlan(p1, stacks, none, options());
  return { p1, current, p2: tick(stacks, snapshot(second), current, options()) };
}

t.test('replicas spread over the nodes by count, then memory; every one created', async (t) => {
  const s = stack('app', [service('web', { replicas: 4, reserveMem: 100 })]);
  const p = tick([s], snapshot(three()), none, options());
  t.same(where(p), ['web.1@n1 create', 'web.2@n2 create', 'web.3@n3 create', 'web.4@n1 create']);
  t.same(p.removals, []);
  t.same(p.unplaced, []);
  t.match(p.assignments[3].reason, /^1 replica of web here before; memory 20%, CPU 0% after$/);
});

t.test('memory decides between nodes with as many replicas: the emptier fraction after wins', async (t) => {
  const nodes = [node('big', { mem: 4096 }), node('small', { mem: 512 })];
  const s = stack('app', [service('db', { reserveMem: 256 }), service('web', { replicas: 1, reserveMem: 256 })]);
  t.same(where(tick([s], snapshot(nodes), none, options())), ['db.1@big create', 'web.1@big create']);
});

t.test('a second tick of a placed stack keeps everything', async (t) => {
  const s = stack('app', [service('web', { replicas: 5, reserveMem: 200, ports: [8080] }), service('mon', { global: true, limitMem: 32 })]);
  const { p1, p2 } = twice([s], [node('n1'), node('n2'), node('n3'), node('n4'), node('n5')]);
  t.equal(p1.assignments.length, 10);
  t.same(
    p2.assignments.map((a) => a.action),
    Array(10).fill('keep'),
  );
  t.same(p2.removals, []);
  t.same(p2.unplaced, []);
});

t.test('scale up adds slots; scale down removes the highest slots first', async (t) => {
  const at = (n: number) => stack('app', [service('web', { replicas: n })]);
  const { current } = twice([at(3)], three());
  const up = tick([at(5)], snapshot(three()), current, options());
  t.same(where(up), ['web.1@n1 keep', 'web.2@n2 keep', 'web.3@n3 keep', 'web.4@n1 create', 'web.5@n2 create']);
  const down = tick([at(1)], snapshot(three()), current, options());
  t.same(where(down), ['web.1@n1 keep']);
  t.same(
    down.removals.map((r) => r.slot),
    [3, 2],
  );
});

t.test('a service gone from the stack is removed; another stack is left alone and takes room', async (t) => {
  const current: Current = {
    replicas: [replica('app', 'old', 1, 'n1'), replica('other', 'db', 1, 'n1', { memoryReservationBytes: 900 * MiB }), replica('app', 'web', 1, 'n2')],
  };
  const s = stack('app', [service('web'), service('api', { reserveMem: 200 })]);
  const p = tick([s], snapshot([node('n1'), node('n2')]), current, options());
  t.same(where(p), ['api.1@n2 create', 'web.1@n2 keep']);
  t.same(
    p.removals.map((r) => `${r.stack}_${r.service}.${r.slot}`),
    ['app_old.1'],
  );
});

t.test('a changed spec replaces on the same node when it still fits, else moves', async (t) => {
  const current: Current = { replicas: [replica('app', 'web', 1, 'n1'), replica('app', 'web', 2, 'n2')] };
  const s = stack('app', [service('web', { replicas: 2, reserveMem: 600 })]);
  const nodes = [node('n1'), node('n2', { mem: 512 }), node('n3')];
  const p = tick([s], snapshot(nodes), current, options({ app_web: 'h2' }));
  t.same(where(p), ['web.1@n1 replace', 'web.2@n3 move']);
  t.equal(p.assignments[1].from?.node, 'n2');
  t.match(p.assignments[1].reason, /^left n2 \(insufficient memory\); /);
  t.same(p.removals, [], 'the replaced and moved ones are in `from`, not removals');
});

t.test('a node leaving moves only its replicas', async (t) => {
  const s = stack('app', [service('web', { replicas: 6 }), service('api', { replicas: 2 })]);
  const gone = three().map((n) => (n.name === 'n2' ? { ...n, ready: false, notReady: 'agent unreachable: timeout' } : n));
  const { p1, p2 } = twice([s], three(), gone);
  const onN2 = p1.assignments.filter((a) => a.node === 'n2').map((a) => `${a.service}.${a.slot}`);
  t.ok(onN2.length >= 2);
  t.same(
    p2.assignments.filter((a) => a.action === 'move').map((a) => `${a.service}.${a.slot}`),
    onN2,
  );
  t.ok(p2.assignments.filter((a) => a.action === 'move').every((a) => a.from?.node === 'n2' && a.node !== 'n2'));
  t.match(p2.assignments.find((a) => a.action === 'move')?.reason, /^left n2 \(not ready: agent unreachable: timeout\)/);
  t.ok(p2.assignments.filter((a) => a.action !== 'move').every((a) => a.action === 'keep'));
});

t.test('a node gone from the inventory: its replicas move too', async (t) => {
  const s = stack('app', [service('web', { replicas: 3 })]);
  const { p2 } = twice([s], three(), [node('n1'), node('n3')]);
  t.same(where(p2), ['web.1@n1 keep', 'web.2@n1 move', 'web.3@n3 keep']);
  t.match(p2.assignments[1].reason, /^left n2 \(not in the inventory\)/);
});

t.test('drain moves replicas away; pause keeps them and takes nothing new', async (t) => {
  const s2 = stack('app', [service('web', { replicas: 2 })]);
  const with3 = stack('app', [service('web', { replicas: 3 })]);
  const two = [node('n1'), node('n2')];
  const drained = [node('n1'), node('n2', { availability: 'drain' })];
  const paused = [node('n1'), node('n2', { availability: 'pause' })];
  const d = twice([s2], two, drained).p2;
  t.same(where(d), ['web.1@n1 keep', 'web.2@n1 move']);
  const p = twice([s2], two, paused).p2;
  t.same(where(p), ['web.1@n1 keep', 'web.2@n2 keep']);
  const { current } = twice([s2], two);
  const grow = tick([with3], snapshot(paused), current, options());
  t.same(where(grow), ['web.1@n1 keep', 'web.2@n2 keep', 'web.3@n1 create']);
});

t.test('a drained node whose replica fits nowhere: reported, and its replica stopped', async (t) => {
  const s = stack('app', [service('web', { replicas: 2, maxPerNode: 1 })]);
  const { p2 } = twice([s], [node('n1'), node('n2')], [node('n1'), node('n2', { availability: 'drain' })]);
  t.same(where(p2), ['web.1@n1 keep']);
  t.same(
    p2.unplaced.map((u) => u.reason),
    ['web.2: no suitable node (drained on n2; max replicas per node (1) reached on 1 node)'],
  );
  t.same(
    p2.removals.map((r) => `${r.service}.${r.slot}@${r.node}`),
    ['web.2@n2'],
  );
});

t.test('a global service: one per eligible node; ineligible nodes are skipped silently', async (t) => {
  const nodes = [node('n1', { labels: { edge: 'yes' } }), node('n2', { labels: { edge: 'yes' } }), node('n3'), node('n4', { availability: 'drain' })];
  const s = stack('mon', [service('agent', { global: true, constraints: ['node.labels.edge==yes'] }), service('all', { global: true })]);
  const p = tick([s], snapshot(nodes), none, options());
  t.same(where(p), ['agent.0@n1 create', 'agent.0@n2 create', 'all.0@n1 create', 'all.0@n2 create', 'all.0@n3 create']);
  t.same(p.unplaced, []);
  const later = nodes.map((n) => (n.name === 'n2' ? { ...n, labels: {} } : n.name === 'n4' ? { ...n, availability: 'active' as const } : n));
  const q = tick([s], snapshot(later), applyPlan(p, [s], none, options()), options());
  t.same(where(q), ['agent.0@n1 keep', 'all.0@n1 keep', 'all.0@n2 keep', 'all.0@n3 keep', 'all.0@n4 create']);
  t.same(
    q.removals.map((r) => `${r.service}@${r.node}`),
    ['agent@n2'],
    'a node that lost its label loses the replica',
  );
});

t.test('a global replica on a node that stops answering waits for it', async (t) => {
  const s = stack('mon', [service('agent', { global: true })]);
  const { p2 } = twice([s], [node('n1'), node('n2')], [node('n1'), node('n2', { ready: false, notReady: 'agent unreachable: refused' })]);
  t.same(where(p2), ['agent.0@n1 keep']);
  t.same(p2.unplaced, [
    {
      stack: 'mon',
      service: 'agent',
      slot: 0,
      reason: 'agent.0: waits for n2 (not ready: agent unreachable: refused)',
      rejections: { 'ready-active': 1 },
      waitingFor: 'n2',
    },
  ]);
  t.same(p2.removals, []);
});

t.test('a limit-only service on a node that does not enforce limits: refused, with the fix', async (t) => {
  const s = stack('app', [service('web', { replicas: 2, limitMem: 64 }), service('mon', { global: true, limitMem: 16 })]);
  const p = tick([s], snapshot([node('n1', { mem: 100 }), node('pi-2', { enforced: false })]), none, options());
  t.same(where(p), ['mon.0@n1 create', 'web.1@n1 create']);
  const fix = '; fix on pi-2: enable the memory cgroup: muster play -i INVENTORY pi';
  t.same(
    p.unplaced.map((u) => u.reason),
    [
      `mon.0: not placed on pi-2 (memory limits not enforced on pi-2)${fix}`,
      `web.2: no suitable node (insufficient memory on 1 node; memory limits not enforced on pi-2)${fix}`,
    ],
  );
  t.same(p.unplaced[1].rejections, { resources: 1, 'memory-enforced': 1 });
});

t.test('host ports: two replicas publishing one port never share a node, nor take a port another stack holds', async (t) => {
  const current: Current = { replicas: [replica('other', 'proxy', 1, 'n1', { hostPorts: [{ port: 80, protocol: 'tcp' }] })] };
  const s = stack('app', [service('web', { replicas: 3, ports: [80] })]);
  const p = tick([s], snapshot(three()), current, options());
  t.same(where(p), ['web.1@n2 create', 'web.2@n3 create']);
  t.same(
    p.unplaced.map((u) => u.reason),
    ['web.3: no suitable node (host port 80/tcp in use on 3 nodes)'],
  );
});

t.test('spread over a label first, then counts', async (t) => {
  const nodes = [node('a1', { labels: { zone: 'a' } }), node('a2', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('x')];
  const s = stack('app', [service('web', { replicas: 6, spread: ['node.labels.zone'] })]);
  const p = tick([s], snapshot(nodes), none, options());
  t.same(where(p), ['web.1@a1 create', 'web.2@b1 create', 'web.3@x create', 'web.4@a2 create', 'web.5@b1 create', 'web.6@x create']);
  const perZone = (z: string) => p.assignments.filter((a) => (nodes.find((n) => n.name === a.node)?.labels.zone ?? '') === z).length;
  t.same([perZone('a'), perZone('b'), perZone('')], [2, 2, 2]);
});

t.test('duplicates of one slot: the running one on a node that fits stays, the others go', async (t) => {
  const current: Current = {
    replicas: [replica('app', 'web', 1, 'n1', { state: 'failed' }), replica('app', 'web', 1, 'n2'), replica('app', 'web', 1, 'n3', { state: 'starting' })],
  };
  const p = tick([stack('app', [service('web')])], snapshot(three()), current, options());
  t.same(where(p), ['web.1@n2 keep']);
  t.same(
    p.removals.map((r) => r.node),
    ['n1', 'n3'],
  );
});

t.test('stale replicas (their slot moved while their node was away) are removed; they never hold a slot', async (t) => {
  const current: Current = {
    replicas: [replica('app', 'db', 1, 'n2', { volumes: ['app_data'] })],
    stale: [replica('app', 'db', 1, 'n1', { volumes: ['app_data'] })],
  };
  const p = tick([stack('app', [service('db', { volumes: ['app_data'] })])], snapshot(three()), current, options());
  t.same(where(p), ['db.1@n2 keep'], 'the moved replica stays');
  t.same(
    p.removals.map((r) => r.node),
    ['n1'],
    'the one left behind goes',
  );
  const other = tick([stack('other', [service('web')])], snapshot(three()), current, options());
  t.same(
    other.removals.map((r) => `${r.service}@${r.node}`),
    ['db@n1'],
    'also when another stack is deployed',
  );
});

t.test('no nodes at all', async (t) => {
  const p = tick([stack('app', [service('web')])], snapshot([]), none, options());
  t.same(p.unplaced, [{ stack: 'app', service: 'web', slot: 1, reason: 'web.1: no suitable node (no nodes)', rejections: {} }]);
});

t.test('a paused node keeps its replicas through a spec change (replaced in place), and other stacks keep theirs', async (t) => {
  const current: Current = { replicas: [replica('app', 'web', 1, 'n1'), replica('other', 'db', 1, 'n1', { memoryReservationBytes: 1000 * MiB })] };
  const p = tick([stack('app', [service('web', { reserveMem: 20 })])], snapshot([node('n1', { availability: 'pause' })]), current, options({ app_web: 'h2' }));
  t.same(where(p), ['web.1@n1 replace']);
  t.same(p.removals, []);
  const full = tick(
    [stack('app', [service('web', { reserveMem: 30 })])],
    snapshot([node('n1', { availability: 'pause' })]),
    current,
    options({ app_web: 'h2' }),
  );
  t.same(
    full.unplaced.map((u) => u.reason),
    ['web.1: no suitable node (paused on n1)'],
    'a replacement that no longer fits has nowhere to go',
  );
  t.same(
    full.removals.map((r) => `${r.stack}_${r.service}.${r.slot}`),
    ['app_web.1'],
    'and the old one is stopped: its slot is reported, not left on the old spec',
  );
});
