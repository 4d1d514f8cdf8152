import t from 'tap';
import type { FleetNode } from '../../../controller/deploy/fleet.js';
import { fleetNow, managedNode } from '../../../controller/manager/picture.js';
import { report, spec } from '../deploy/fixtures.js';

const set = { generation: 3, containers: [spec('web', 1)] };
const base = (name: string, more: Partial<FleetNode> = {}): FleetNode => ({
  name,
  address: '127.0.0.1',
  port: 7443,
  vars: { labels: { disk: 'ssd' } },
  reserveBytes: 256 << 20,
  report: report([], { node: { ...report([]).node, labels: { zone: 'a' }, availability: 'drain' } }),
  desired: set,
  ...more,
});

t.test('fleetNow: a down node reads as unreachable with the set it held; others as last read', async (t) => {
  const nodes = [base('a'), base('b'), base('c', { report: undefined, desired: undefined, failure: { kind: 'refused', message: 'refused', hint: 'h' } })];
  const health = new Map([
    ['a', { state: 'up' as const, since: 0, lastSeen: 5 }],
    ['b', { state: 'down' as const, since: Date.UTC(2026, 0, 1), lastError: 'timeout' }],
  ]);
  const [a, b, c] = fleetNow(nodes, health);
  t.equal(a, nodes[0], 'up: unchanged');
  t.equal(b.report, undefined);
  t.equal(b.desired, undefined);
  t.same(b.lastDesired, set, 'the set it held is its last');
  t.match(b.failure, { kind: 'unreachable', message: 'down since 2026-01-01T00:00:00.000Z: timeout' });
  t.equal(c, nodes[2], 'a node that failed its read keeps its own failure');
});

t.test('managedNode: the row from the report, state and since, availability and labels (inventory wins)', async (t) => {
  const m = managedNode(base('a', { vars: { labels: { zone: 'b' }, role: 'manager' } }), { state: 'up', since: 0, lastSeen: 1000 }, 2000);
  t.equal(m.row.status, 'ok');
  t.equal(m.state, 'up');
  t.equal(m.lastSeen, '1970-01-01T00:00:01.000Z');
  t.equal(m.availability, 'drain');
  t.same(m.labels, { zone: 'b' });
  t.equal(m.role, 'manager');
  const failed = managedNode(base('x', { report: undefined, failure: { kind: 'timeout', message: 'slow', hint: 'fix it' } }), undefined, 0);
  t.match(failed.row, { status: 'timeout', message: 'slow', hint: 'fix it' });
  t.equal(failed.state, 'unknown');
  t.equal(failed.availability, 'active');
});
