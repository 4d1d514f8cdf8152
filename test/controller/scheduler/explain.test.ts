/** Swarm-style reasons (explain.ts) and the current-vs-wanted diff (diff.ts). */
import t from 'tap';
import { diff } from '../../../controller/scheduler/diff.js';
import { noSuitableNode, notPlacedOn, summary } from '../../../controller/scheduler/explain.js';
import { constraints, filtersFor, memoryEnforced, readyActive, resources } from '../../../controller/scheduler/filters/index.js';
import type { Failure } from '../../../controller/scheduler/pipeline.js';
import { replica, service, stack } from './build.js';

const order = filtersFor({});
const fail = (node: string, filter: Failure['filter'], phrase: string, fix?: string): Failure => ({
  node,
  filter,
  rejection: { phrase, ...(fix ? { fix } : {}) },
});

t.test("the issue's example, in filter order, named or counted", async (t) => {
  const failures = [
    fail('n1', constraints, 'constraint node.labels.disk==ssd'),
    fail('n2', resources, 'insufficient memory'),
    fail('pi-2', memoryEnforced, 'memory limits not enforced'),
    fail('n3', resources, 'insufficient memory'),
  ];
  const e = noSuitableNode('web.3', failures, order);
  t.equal(e.reason, 'web.3: no suitable node (insufficient memory on 2 nodes; memory limits not enforced on pi-2; constraint node.labels.disk==ssd on 1 node)');
  t.same(e.rejections, { constraints: 1, resources: 2, 'memory-enforced': 1 });
});

t.test('node-side problems name one or two nodes and count three or more', async (t) => {
  const down = (names: string[]) =>
    summary(
      names.map((n) => fail(n, readyActive, 'not ready')),
      order,
    );
  t.equal(down(['a']), 'not ready on a');
  t.equal(down(['a', 'b']), 'not ready on a, b');
  t.equal(down(['a', 'b', 'c']), 'not ready on 3 nodes');
  t.equal(summary([fail('a', resources, 'insufficient memory')], order), 'insufficient memory on 1 node', 'request-side problems are counted');
});

t.test('fixes follow once per distinct fix, naming its nodes', async (t) => {
  const fix = 'enable the memory cgroup';
  const two = noSuitableNode(
    'web.1',
    [fail('pi-1', memoryEnforced, 'memory limits not enforced', fix), fail('pi-2', memoryEnforced, 'memory limits not enforced', fix)],
    order,
  );
  t.equal(two.reason, `web.1: no suitable node (memory limits not enforced on pi-1, pi-2); fix on pi-1, pi-2: ${fix}`);
  const other = noSuitableNode(
    'web.1',
    [fail('pi-1', memoryEnforced, 'memory limits not enforced', fix), fail('x', readyActive, 'paused', 'unpause it')],
    order,
  );
  t.equal(other.reason, `web.1: no suitable node (paused on x; memory limits not enforced on pi-1); fix on pi-1: ${fix}; fix on x: unpause it`);
  t.same(notPlacedOn('mon.0', fail('pi-1', memoryEnforced, 'memory limits not enforced', fix)), {
    reason: `mon.0: not placed on pi-1 (memory limits not enforced on pi-1); fix on pi-1: ${fix}`,
    rejections: { 'memory-enforced': 1 },
  });
});

t.test('diff: slots held now, and what no wanted slot takes', async (t) => {
  const s = stack('app', [service('web', { replicas: 2 }), service('mon', { global: true })]);
  const current = [
    replica('app', 'web', 1, 'n1'),
    replica('app', 'web', 3, 'n1'),
    replica('app', 'web', 4, 'n2'),
    replica('app', 'web', 0, 'n2'),
    replica('app', 'mon', 0, 'n2'),
    replica('app', 'mon', 0, 'n1'),
    replica('app', 'mon', 1, 'n1'),
    replica('app', 'gone', 1, 'n1'),
    replica('other', 'web', 9, 'n1'),
    replica('app', 'web', 1, 'n2', { state: 'failed' }),
    replica('app', 'web', 1, 'n3'),
  ];
  const d = diff([s], current);
  t.same(
    d.held.map((h) => `${h.service.name}.${h.slot}${h.node ? `@${h.node}` : ''}: ${h.holders.map((r) => `${r.node}/${r.state}`).join(' ')}`),
    ['mon.0@n1: n1/running', 'mon.0@n2: n2/running', 'web.1: n1/running n3/running n2/failed'],
  );
  t.same(
    d.removals.map((r) => `${r.stack}_${r.service}.${r.slot}@${r.node}`),
    ['app_gone.1@n1', 'app_mon.1@n1', 'app_web.4@n2', 'app_web.3@n1', 'app_web.0@n2'],
    'services gone, the wrong mode, and scale down from the highest slot',
  );
});
