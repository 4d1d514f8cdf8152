/** Named volumes hold data on one node: their replicas stay with it, wait for it, or move only when told. */
import t from 'tap';
import { tick } from '../../../controller/scheduler/tick.js';
import type { Current } from '../../../controller/scheduler/types.js';
import { node, options, replica, service, snapshot, stack, where } from './build.js';

const db = (o = {}) => stack('app', [service('db', { volumes: ['app_data'], reserveMem: 100, ...o })]);
const held: Current = { replicas: [replica('app', 'db', 1, 'n2', { volumes: ['app_data'], memoryReservationBytes: 100 * 2 ** 20 })] };
const move = 'to start it elsewhere without that data, deploy with --move app_db';

t.test('a replica holding its volume stays on its node while it fits', async (t) => {
  const p = tick([db()], snapshot([node('n1'), node('n2'), node('n3')]), held, options());
  t.same(where(p), ['db.1@n2 keep']);
});

t.test('its node down: the replica waits for it, nothing moves, nothing is removed', async (t) => {
  const nodes = [node('n1'), node('n2', { ready: false, notReady: 'agent unreachable: connection refused' }), node('n3')];
  const p = tick([db()], snapshot(nodes), held, options());
  t.same(p.assignments, []);
  t.same(p.removals, []);
  t.same(p.unplaced, [
    {
      stack: 'app',
      service: 'db',
      slot: 1,
      reason: `db.1: waits for n2, which holds its volume app_data (not ready: agent unreachable: connection refused); ${move}`,
      rejections: { 'ready-active': 1, 'volume-pin': 2 },
      waitingFor: 'n2',
    },
  ]);
});

t.test('its node drained or gone from the inventory: still no silent move', async (t) => {
  const drained = tick([db()], snapshot([node('n1'), node('n2', { availability: 'drain' })]), held, options());
  t.same(drained.assignments, []);
  t.equal(drained.unplaced[0].waitingFor, 'n2');
  t.match(drained.unplaced[0].reason, /^db\.1: waits for n2, which holds its volume app_data \(drained\); /);
  const gone = tick([db()], snapshot([node('n1')]), held, options());
  t.match(gone.unplaced[0].reason, /\(not in the inventory\)/);
  t.same(gone.removals, []);
});

t.test('--move lets it go to the best other node', async (t) => {
  const nodes = [node('n1'), node('n2', { ready: false }), node('n3')];
  const p = tick([db()], snapshot(nodes), held, options({}, ['app_db']));
  t.same(where(p), ['db.1@n1 move']);
  t.equal(p.assignments[0].from?.node, 'n2');
  t.same(p.unplaced, []);
});

t.test('the waiting replica keeps its room: nothing else takes it meanwhile', async (t) => {
  const s = stack('app', [service('db', { volumes: ['app_data'], reserveMem: 100 }), service('web', { reserveMem: 900 })]);
  const nodes = [node('n2', { availability: 'drain', mem: 1000 })];
  const p = tick([s], snapshot(nodes), held, options());
  t.equal(p.unplaced.length, 2);
  t.match(p.unplaced[1].reason, /^web\.1: no suitable node \(drained on n2\)/);
});

t.test('a replica that no longer mounts the volume is free to move', async (t) => {
  const nodes = [node('n1'), node('n2', { ready: false })];
  const p = tick([stack('app', [service('db', { reserveMem: 100 })])], snapshot(nodes), held, options());
  t.same(where(p), ['db.1@n1 move']);
});

t.test('a new replica goes to the node that still holds its volume from an earlier deployment', async (t) => {
  const nodes = [node('n1'), node('n2', { volumes: ['app_data'], mem: 2048 }), node('n3')];
  const p = tick([db({ replicas: 2 })], snapshot(nodes), { replicas: [] }, options());
  t.same(where(p), ['db.1@n2 create', 'db.2@n1 create']);
  t.match(p.assignments[0].reason, /^holds its volume app_data; /);
});

t.test('the node holding the data cannot take it: reported, not started empty elsewhere', async (t) => {
  const nodes = [node('n1'), node('n2', { volumes: ['app_data'], mem: 50 })];
  const p = tick([db()], snapshot(nodes), { replicas: [] }, options());
  t.same(p.assignments, []);
  t.same(p.unplaced, [
    {
      stack: 'app',
      service: 'db',
      slot: 1,
      reason: `db.1: its volume app_data is on n2, which cannot take it (insufficient memory); ${move}`,
      rejections: { resources: 1, 'volume-pin': 1 },
    },
  ]);
  const moved = tick([db()], snapshot(nodes), { replicas: [] }, options({}, ['app_db']));
  t.same(where(moved), ['db.1@n1 create'], 'unless the user moves it');
});

t.test('a volume of a non-local driver pins nothing', async (t) => {
  const s = db();
  s.volumes.app_data.driver = 'nfs';
  const nodes = [node('n1'), node('n2', { ready: false })];
  t.same(where(tick([s], snapshot(nodes), held, options())), ['db.1@n1 move']);
});
