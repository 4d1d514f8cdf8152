import t from 'tap';
import { memoryText, renderServices, replicasText, serviceRows } from '../../../controller/ops/services.js';
import { down, node, plan, record, running, service, specOf, stack, web } from './fixtures.js';

const withMemory = { ...web(3), deploy: { ...web(3).deploy, limits: { memoryBytes: 64 << 20 }, reservations: { memoryBytes: 32 << 20 } } };
const rec = record(stack([withMemory, service('mon', { mode: 'global' })]), 1, { 'web.1': 'h01', 'web.2': 'h02', 'web.3': 'h03', 'mon.0@h03': 'h03' });
const w = (slot: number) => specOf(rec, 'web', slot);
const mon = specOf(rec, 'mon', 0);

t.test('rows from the history and the agents; replicas on a node that did not answer are unknown', async (t) => {
  const nodes = [
    node('h01', [w(1), mon], [running(w(1)), running(mon)]),
    node('h02', [w(2), mon], [running(w(2), { state: 'exited', exitCode: 1 })]),
    down('h03'),
  ];
  const p = plan({
    assignments: ['h01', 'h02'].map((n) => ({ stack: 'demo', service: 'mon', slot: 0, node: n, action: 'keep' as const, reason: '' })),
  });
  const rows = serviceRows(nodes, [rec], p);
  t.same(
    rows.map((r) => [r.service, r.mode, replicasText(r), r.image, r.ports.join(','), memoryText(r), r.update]),
    [
      ['mon', 'global', '1/2 (1 unknown)', 'muster-busybox:1', '', '-', 'completed'],
      ['web', 'replicated', '1/3 (1 unknown)', 'muster-busybox:1', '8080->80/tcp', '64M / 32M', 'deployed: 1 not running'],
    ],
  );
});

t.test('unknown replicas from the set last read from a node that did not answer', async (t) => {
  const nodes = [node('h01', [w(1)], [running(w(1))]), down('h03', [w(2), w(3)])];
  const row = serviceRows(nodes, [{ ...rec, placements: {} }]).find((r) => r.service === 'web');
  t.equal(row && replicasText(row), '1/3 (2 unknown)');
});

t.test('update state: replicas on an older spec, a rollback, a scale', async (t) => {
  const old = { ...w(2), name: 'demo_web.2.0badc0de' };
  const nodes = [node('h01', [w(1), old, w(3)], [running(w(1)), running(old), running(w(3))])];
  t.equal(serviceRows(nodes, [rec])[1].update, `updating: 2/3 on spec ${rec.byService.web.hash.slice(0, 8)}`);
  const all = [node('h01', [w(1), w(2), w(3)], [running(w(1)), running(w(2)), running(w(3))])];
  t.equal(serviceRows(all, [{ ...rec, op: 'rollback', services: ['web'] }])[1].update, 'rolled back');
  t.equal(serviceRows(all, [rec])[1].update, 'completed');
  t.equal(replicasText(serviceRows(all, [rec])[1]), '3/3');
});

t.test('a service only the agents know is shown from its held specs', async (t) => {
  const spec = { ...w(1), stack: 'shop', name: 'shop_web.1.aaaaaaaa' };
  const spec2 = { ...w(2), stack: 'shop', name: 'shop_web.2.aaaaaaaa' };
  const rows = serviceRows([node('h01', [spec, spec2], [running(spec)])], []);
  t.same(
    rows.map((r) => [r.stack, r.mode, replicasText(r), r.update]),
    [['shop', 'replicated', '1/2', "- (not in this controller's history)"]],
  );
  t.same(serviceRows([node('h01', [spec], [running(spec)])], [], undefined, 'other'), [], 'filtered by stack');
});

t.test('the table', async (t) => {
  const nodes = [node('h01', [w(1), w(2), w(3)], [running(w(1)), running(w(2)), running(w(3))])];
  const text = renderServices(serviceRows(nodes, [record(stack([withMemory]))]), []);
  t.equal(
    text,
    'STACK  SERVICE  MODE        REPLICAS  IMAGE             PORTS         MEMORY     UPDATE\n' +
      'demo   web      replicated  3/3       muster-busybox:1  8080->80/tcp  64M / 32M  completed\n',
  );
});
