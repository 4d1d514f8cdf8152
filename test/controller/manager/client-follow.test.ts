import t from 'tap';
import { downNotes, nodeMatcher } from '../../../controller/manager/client/commands.js';
import { converged, eventLine } from '../../../controller/manager/client/follow.js';
import type { ServiceRow } from '../../../controller/ops/services.js';
import type { ManagedNode, ManagerEvent } from '../../../controller/manager/view.js';

// The pure pieces of following a change through the manager, and of the commands' notes.

const at = '2026-12-02T12:00:00.000Z';
const row = (service: string, running: number, wanted: number, extra: Partial<ServiceRow> = {}): ServiceRow => ({
  stack: 'shop',
  service,
  mode: 'replicated',
  running,
  wanted,
  unknown: 0,
  image: 'nginx',
  ports: [],
  memoryLimit: null,
  memoryReservation: null,
  update: 'completed',
  ...extra,
});

t.test('eventLine: the events of the stack (and its services) as lines; others are not shown', async (t) => {
  const target = { stack: 'shop', services: ['web'] };
  const cases: [ManagerEvent, string | undefined][] = [
    [{ id: 1, at, type: 'placed', stack: 'shop', service: 'web', replica: 'web.2', node: 'n1', reason: 'deployed' }, 'placed shop_web.2 on n1: deployed'],
    [
      { id: 2, at, type: 'placed', stack: 'shop', service: 'web', replica: 'web.2', node: 'n1', from: 'n2', reason: 'n2 is down' },
      'moved shop_web.2 from n2 to n1: n2 is down',
    ],
    [
      { id: 3, at, type: 'removed', stack: 'shop', service: 'web', replica: 'web.3', node: 'n1', reason: 'scaled to 2' },
      'removed shop_web.3 from n1: scaled to 2',
    ],
    [
      { id: 4, at, type: 'pending', stack: 'shop', service: 'web', replica: 'web.1', reason: 'its data is on n3', waitingFor: 'n3' },
      'pending shop_web.1: its data is on n3 (waiting for n3)',
    ],
    [{ id: 5, at, type: 'progress', stack: 'shop', service: 'web', running: 2, wanted: 3 }, 'shop_web: 2/3 running'],
    [{ id: 6, at, type: 'deploy', stack: 'shop', version: 4, op: 'scale', phase: 'started', message: 'web=3' }, 'shop: scale of version 4 started (web=3)'],
    [{ id: 7, at, type: 'progress', stack: 'shop', service: 'api', running: 1, wanted: 1 }, undefined],
    [{ id: 8, at, type: 'progress', stack: 'blog', service: 'web', running: 1, wanted: 1 }, undefined],
    [{ id: 9, at, type: 'node-down', node: 'n1', reason: 'missed 3 heartbeats' }, undefined],
  ];
  for (const [e, line] of cases) t.equal(eventLine(e, target), line, `${e.id} ${e.type}`);
  t.equal(eventLine(cases[6][0], { stack: 'shop' }), 'shop_api: 1/1 running', 'every service of the stack when none is named');
});

t.test('converged: every named service there, running its wanted count on its current spec', async (t) => {
  const target = { stack: 'shop', services: ['web', 'api'] };
  t.ok(converged([row('web', 3, 3), row('api', 1, 1)], target));
  t.notOk(converged([row('web', 3, 3)], target), 'api is not there yet');
  t.notOk(converged([row('web', 2, 3), row('api', 1, 1)], target), 'one short');
  t.notOk(converged([row('web', 3, 2), row('api', 1, 1)], target), 'one too many: the scale down is not done');
  t.notOk(converged([row('web', 3, 3, { update: 'updating: 1/3 on spec 0123abcd' }), row('api', 1, 1)], target), 'old spec still running');
  t.ok(converged([row('web', 0, 0), row('api', 1, 1)], target), 'scaled to zero');
  t.notOk(converged([row('web', 0, 0, { mode: 'global' }), row('api', 1, 1)], target), 'a global service the loop has not planned yet');
  t.notOk(converged([], { stack: 'shop' }), 'nothing of the stack');
  t.ok(converged([row('web', 1, 1), { ...row('web', 0, 5), stack: 'blog' }], { stack: 'shop' }), 'other stacks do not count');
});

t.test('nodeMatcher: a name, a * pattern, all', async (t) => {
  const names = ['pi1', 'pi2', 'nuc1', 'n.c'];
  t.same(names.filter(nodeMatcher(undefined)), names);
  t.same(names.filter(nodeMatcher('all')), names);
  t.same(names.filter(nodeMatcher('pi*')), ['pi1', 'pi2']);
  t.same(names.filter(nodeMatcher('nuc1')), ['nuc1']);
  t.same(names.filter(nodeMatcher('n.c')), ['n.c'], 'a dot is a dot');
  t.same(names.filter(nodeMatcher('pi')), [], 'whole names only');
});

t.test('downNotes: one line per node marked down', async (t) => {
  const node = (name: string, state: ManagedNode['state'], lastSeen?: string): ManagedNode => ({
    row: { node: name, address: 'a', port: 1, status: 'timeout', message: 'm', hint: 'h' },
    state,
    since: at,
    ...(lastSeen ? { lastSeen } : {}),
    availability: 'active',
    labels: {},
    role: 'worker',
  });
  t.same(downNotes([node('a', 'up'), node('b', 'down', '2026-12-02T11:59:00.000Z'), node('c', 'unknown'), node('d', 'down')]), [
    `b: down since ${at} (last answer 2026-12-02T11:59:00.000Z)`,
    `d: down since ${at}`,
  ]);
});
