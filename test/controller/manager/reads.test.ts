/** The manager's reads over a state it holds: live stacks, nodes (down ones as such), one node, services, ps. */
import t from 'tap';
import type { FleetNode } from '../../../controller/deploy/fleet.js';
import type { HistoryRecord, StackHistory } from '../../../controller/deploy/history.js';
import { EventLog } from '../../../controller/manager/event-log.js';
import { type ManagerState, liveRecords, nodeOf, nodesOf, psOf, servicesOf } from '../../../controller/manager/reads.js';
import { report, spec } from '../deploy/fixtures.js';

const node = (name: string): FleetNode => ({
  name,
  address: '127.0.0.1',
  port: 7443,
  vars: { labels: {} },
  reserveBytes: 256 << 20,
  report: report([]),
  desired: { generation: 1, containers: [spec('web', 1)] },
});
const version = (stack: string, n: number, removed = false) => ({ stack, version: n, ...(removed ? { removed: true } : {}) }) as unknown as HistoryRecord;
const history = (stack: string, versions: HistoryRecord[]): StackHistory => ({ stack, versions, damaged: [] });

t.test('liveRecords: the last version of each stack, unless it removed the stack', async (t) => {
  const h = [history('a', [version('a', 1), version('a', 2)]), history('b', [version('b', 1), version('b', 2, true)]), history('c', [])];
  t.same(
    liveRecords(h).map((r) => `${r.stack}@${r.version}`),
    ['a@2'],
  );
  t.same(
    liveRecords([history('b', [version('b', 1, true), version('b', 2)])]).map((r) => r.version),
    [2],
    'deployed again after a removal: live',
  );
});

t.test('nodes and a node: down nodes read as unreachable; an unknown name is none', async (t) => {
  const s: ManagerState = {
    nodes: [node('a'), node('b')],
    health: new Map([
      ['a', { state: 'up' as const, since: 0 }],
      ['b', { state: 'down' as const, since: 0, lastError: 'timeout' }],
    ]),
    histories: [],
    plan: undefined,
    events: new EventLog(),
    nowMs: 1000,
  };
  t.same(
    nodesOf(s).map((n) => [n.row.node, n.state, n.row.status]),
    [
      ['a', 'up', 'ok'],
      ['b', 'down', 'unreachable'],
    ],
  );
  t.match(nodeOf(s, 'a'), { node: { row: { node: 'a' } }, replicas: [] }, 'no stack held: no replicas');
  t.equal(nodeOf(s, 'z'), undefined);
  t.match(
    servicesOf(s),
    [{ stack: 'demo', service: 'web', wanted: 1, running: 0, update: /not in this controller's history/ }],
    'a service a node holds shows, though no stack of this manager has it (the down node counts no replica)',
  );
  t.same(psOf(s), [], 'ps lists the stacks the manager holds: none');
});
