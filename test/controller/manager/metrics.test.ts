import t from 'tap';
import { managerMetrics, reasonKind } from '../../../controller/manager/metrics.js';
import type { ManagedNode } from '../../../controller/manager/view.js';

const node = (name: string, state: ManagedNode['state']): ManagedNode => ({
  row: { node: name, address: '127.0.0.1', port: 1, status: 'refused', message: '', hint: '' },
  state,
  since: '2026-01-01T00:00:00.000Z',
  availability: 'active',
  labels: {},
  role: 'worker',
});

t.test('the exposition text: nodes by state, replicas by service, pending by reason, counters', async (t) => {
  const text = managerMetrics({
    nodes: [node('a', 'up'), node('b"x', 'down'), node('c', 'up')],
    services: [
      {
        stack: 's',
        service: 'web',
        mode: 'replicated',
        running: 2,
        wanted: 3,
        unknown: 0,
        image: 'i',
        ports: [],
        memoryLimit: null,
        memoryReservation: null,
        update: '-',
      },
    ],
    unplaced: [
      { stack: 's', service: 'web', slot: 3, reason: 'web.3: no suitable node (insufficient memory on 2 nodes)', rejections: {} },
      { stack: 's', service: 'db', slot: 1, reason: 'db.1: waits for b, which holds its volume', rejections: {}, waitingFor: 'b' },
    ],
    ticks: 7,
    tickMs: 12,
    failovers: 3,
    changes: 2,
    changesFailed: 1,
    events: 9,
    heartbeats: new Map([
      ['taken', 40],
      ['bad-signature', 2],
    ]),
  });
  t.match(text, /^muster_heartbeats_total\{verdict="bad-signature"\} 2\nmuster_heartbeats_total\{verdict="taken"\} 40$/m, 'heartbeats by verdict');
  t.match(text, /^muster_nodes\{state="up"\} 2$/m);
  t.match(text, /^muster_nodes\{state="down"\} 1$/m);
  t.match(text, /^muster_node_up\{node="b\\"x"\} 0$/m, 'label values are escaped');
  t.match(text, /^muster_replicas_wanted\{stack="s",service="web"\} 3$/m);
  t.match(text, /^muster_replicas_running\{stack="s",service="web"\} 2$/m);
  t.match(text, /^muster_replicas_pending\{reason="no suitable node"\} 1$/m);
  t.match(text, /^muster_replicas_pending\{reason="waits for its node"\} 1$/m);
  t.match(text, /^muster_tick_seconds 0.012$/m);
  t.match(text, /^# TYPE muster_failovers_total counter\nmuster_failovers_total 3$/m);
  t.ok(text.endsWith('\n'));
});

t.test('reasonKind', async (t) => {
  t.equal(reasonKind('web.1: no suitable node (x)'), 'no suitable node');
  t.equal(reasonKind('mon.0: not placed on pi-2 (x)'), 'refused by a node');
  t.equal(reasonKind('db.1: waits for h01 (not ready)'), 'waits for its node');
  t.equal(reasonKind('something else'), 'other');
});
