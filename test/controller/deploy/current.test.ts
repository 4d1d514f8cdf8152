import t from 'tap';
import { currentFrom, replicaState } from '../../../controller/deploy/current.js';
import { parseReplicaName, replicaName, slotLabel } from '../../../controller/deploy/names.js';
import { report, spec } from './fixtures.js';
import { containerReport } from '../../agent/sample-report.js';

t.test('replica names are made and read back', async (t) => {
  t.equal(replicaName('demo', 'web', 3, '0123456789abcdef'), 'demo_web.3.01234567');
  t.same(parseReplicaName('demo_web.3.01234567', 'demo'), { stack: 'demo', service: 'web', slot: 3, hash8: '01234567' });
  t.same(parseReplicaName('my_stack_db_main.0.89abcdef', 'my_stack'), { stack: 'my_stack', service: 'db_main', slot: 0, hash8: '89abcdef' }, 'underscores');
  t.equal(parseReplicaName('demo_web.3.0123456', 'demo'), undefined, 'seven digits');
  t.equal(parseReplicaName('other_web.3.01234567', 'demo'), undefined, 'another stack');
  t.equal(parseReplicaName('demo_web.x.01234567', 'demo'), undefined);
  t.equal(slotLabel('web', 2), 'web.2');
  t.equal(slotLabel('agent', 0), 'agent', 'a global replica');
});

t.test('replicaState: from the report', async (t) => {
  const r = report([]);
  const rows: [Parameters<typeof containerReport>[0] | undefined, string][] = [
    [{ state: 'running', health: null }, 'running'],
    [{ state: 'running', health: 'healthy' }, 'running'],
    [{ state: 'running', health: 'starting' }, 'starting'],
    [{ state: 'running', health: 'unhealthy' }, 'failed'],
    [{ state: 'created' }, 'starting'],
    [{ state: 'restarting' }, 'failed'],
    [{ state: 'exited', exitCode: 1 }, 'failed'],
    [{ state: 'dead' }, 'failed'],
    [{ state: 'paused' }, 'unknown'],
    [undefined, 'starting'],
  ];
  for (const [c, want] of rows) t.equal(replicaState(c ? containerReport(c) : undefined, r), want, JSON.stringify(c));
  t.equal(replicaState(undefined, undefined), 'unknown', 'no report');
});

t.test('currentFrom: held sets with states; a node that did not answer or holds nothing gives nothing', async (t) => {
  const web1 = spec('web', 1, '0123abcd', {
    memoryLimit: 64 << 20,
    ports: [{ container: 80, host: 8080 }],
    mounts: [
      { type: 'volume', source: 'demo_data', target: '/d' },
      { type: 'bind', source: '/srv', target: '/s' },
    ],
  });
  const web2 = spec('web', 2, '0123abcd', { memoryLimit: 64 << 20, memoryReservation: 32 << 20, labels: { 'io.muster.reserve.cpus': '0.5' } });
  const other = spec('db', 1, 'ffffffff', {}, 'other');
  const cur = currentFrom([
    { node: 'h01', report: report([{ name: web1.name, state: 'running', health: null }]), desired: { generation: 4, containers: [web1, other] } },
    { node: 'h02', report: report([{ name: web2.name, state: 'exited', exitCode: 137 }]), desired: { generation: 1, containers: [web2] } },
    { node: 'h03', desired: undefined },
    { node: 'h04', report: report([]), desired: null },
  ]);
  t.same(cur.replicas, [
    {
      stack: 'demo',
      service: 'web',
      slot: 1,
      node: 'h01',
      specHash: '0123abcd',
      memoryReservationBytes: 64 << 20,
      cpuReservation: 0,
      hostPorts: [{ port: 8080, protocol: 'tcp' }],
      volumes: ['demo_data'],
      state: 'running',
    },
    {
      stack: 'other',
      service: 'db',
      slot: 1,
      node: 'h01',
      specHash: 'ffffffff',
      memoryReservationBytes: 0,
      cpuReservation: 0,
      hostPorts: [],
      volumes: [],
      state: 'starting',
    },
    {
      stack: 'demo',
      service: 'web',
      slot: 2,
      node: 'h02',
      specHash: '0123abcd',
      memoryReservationBytes: 32 << 20,
      cpuReservation: 0.5,
      hostPorts: [],
      volumes: [],
      state: 'failed',
    },
  ]);
});

t.test('currentFrom: of a node that did not answer, only the replicas holding named volumes, from its last set', async (t) => {
  const db = spec('db', 1, 'aaaaaaaa', { mounts: [{ type: 'volume', source: 'demo_data', target: '/var/lib/db' }] });
  const bound = spec('cache', 1, 'bbbbbbbb', { mounts: [{ type: 'bind', source: '/srv/cache', target: '/c' }] });
  const web = spec('web', 1, 'cccccccc');
  const last = { generation: 7, containers: [db, bound, web] };
  const down = currentFrom([{ node: 'h01', lastDesired: last }]);
  t.same(
    down.replicas.map((r) => [r.service, r.node, r.state, r.volumes]),
    [['db', 'h01', 'unknown', ['demo_data']]],
    'the volume-holding replica is known, as unknown; the bind mount and the stateless replica are not',
  );
  t.same(currentFrom([{ node: 'h01' }]).replicas, [], 'nothing kept: nothing assumed');
  const up = currentFrom([{ node: 'h01', report: report([]), desired: { generation: 8, containers: [web] }, lastDesired: last }]);
  t.same(
    up.replicas.map((r) => r.service),
    ['web'],
    'a node that answers is read as it answers, never from its last set',
  );
});

t.test('currentFrom: a fenced container whose slot runs elsewhere is stale; alone, it is current', async (t) => {
  const mounts = [{ type: 'volume' as const, source: 'demo_data', target: '/d' }];
  const oldDb = spec('db', 1, 'aaaaaaaa', { mounts });
  const movedDb = spec('db', 1, 'aaaaaaaa', { mounts });
  const web = spec('web', 2, 'bbbbbbbb');
  const back = { node: 'h01', report: report([]), desired: { generation: 5, containers: [oldDb, web] }, fenced: [oldDb.name, web.name] };
  const cur = currentFrom([back, { node: 'h02', report: report([]), desired: { generation: 3, containers: [movedDb] } }]);
  t.same(
    cur.replicas.map((r) => `${r.service}.${r.slot}@${r.node}`),
    ['db.1@h02', 'web.2@h01'],
    'the moved db is the current one; the fenced web holds its slot alone, so it stays current',
  );
  t.same(
    cur.stale?.map((r) => `${r.service}.${r.slot}@${r.node}`),
    ['db.1@h01'],
    'the db left on h01 is stale',
  );
  t.equal(currentFrom([{ ...back, fenced: [] }]).stale, undefined, 'nothing fenced: nothing stale');
});
