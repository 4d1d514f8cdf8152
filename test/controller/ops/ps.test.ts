import t from 'tap';
import { type PsRow, psRows, renderPs } from '../../../controller/ops/ps.js';
import { unreachableNotes } from '../../../controller/ops/inspect-node.js';
import { down, node, plan, record, running, service, specOf, stack, web } from './fixtures.js';

const NOW = Date.parse('2026-12-02T08:00:00Z');
const rec = record(stack([web(4), service('mon', { mode: 'global' })]), 1, {
  'web.1': 'h01',
  'web.2': 'h02',
  'web.3': 'h03',
  'web.4': 'h01',
  'mon.0@h01': 'h01',
  'mon.0@h03': 'h03',
});
const w = (slot: number) => specOf(rec, 'web', slot);
const mon = specOf(rec, 'mon', 0);
const brief = (r: PsRow) => [r.replica, r.node, r.desired, r.current, r.health, r.since, r.why];

t.test('held, crashed, OOM-killed, not created, unreachable, unplaced and shut-down replicas', async (t) => {
  const nodes = [
    node(
      'h01',
      [w(1), w(4), mon],
      [
        running(w(1), { startedAt: '2026-12-02T07:58:00Z', health: 'healthy' }),
        running(w(4), {
          state: 'exited',
          exitCode: 137,
          oomKills: 1,
          enforced: { memoryLimit: 64 << 20, cpus: null, pidsLimit: null, source: 'cgroup', cgroupDir: null },
        }),
        running(mon, { restarts: 3, state: 'restarting', exitCode: 1 }),
        running({ ...w(2), name: 'demo_web.2.00000000' }, { state: 'exited', exitCode: 0 }),
      ],
    ),
    node('h02', [w(2)], [], 'create demo_web.2.' + rec.byService.web.hash.slice(0, 8) + ': no such image muster-busybox:1'),
    down('h03'),
  ];
  const p = plan({
    unplaced: [{ stack: 'demo', service: 'web', slot: 3, reason: 'web.3: no suitable node (insufficient memory on 2 nodes)', rejections: {} }],
  });
  const rows = psRows({ nodes, records: [rec], plan: p, nowMs: NOW });
  t.same(rows.map(brief), [
    ['mon', 'h01', 'running', 'restarting', '-', '-', 'restarting (exit code 1); restarted 3 time(s)'],
    ['mon', 'h03', 'running', 'unknown', '-', '-', 'its agent did not answer: connection refused by 127.0.0.1:7443; fix: check that the agent runs'],
    ['web.1', 'h01', 'running', 'running', 'healthy', '2m ago', ''],
    ['web.2', 'h02', 'running', 'not created', '-', '-', `the agent: create ${w(2).name}: no such image muster-busybox:1`],
    ['web.3', 'h03', 'running', 'unknown', '-', '-', 'its agent did not answer: connection refused by 127.0.0.1:7443; fix: check that the agent runs'],
    ['web.4', 'h01', 'running', 'exited', '-', '-', 'exited (exit code 137); OOM-killed 1 time(s) (memory limit 64M)'],
  ]);

  const all = psRows({ nodes, records: [rec], plan: p, nowMs: NOW, all: true });
  t.same(
    all.filter((r) => r.desired === 'shutdown').map(brief),
    [['web.2', 'h01', 'shutdown', 'exited', '-', '-', 'no longer wanted; exit code 0']],
    '--all adds the containers no set wants',
  );
});

t.test('a node that did not answer: what it held when last read, as unknown (over the history)', async (t) => {
  const nodes = [node('h01', [w(1)], [running(w(1))]), down('h03', [w(2), mon])];
  const rows = psRows({ nodes, records: [{ ...rec, placements: { 'web.3': 'h03' } }], nowMs: NOW, filter: { stack: 'demo', service: 'web' } });
  t.same(
    rows.map((r) => [r.replica, r.node, r.current, r.container]),
    [
      ['web.1', 'h01', 'running', w(1).name],
      ['web.2', 'h03', 'unknown', w(2).name],
      ['web.3', 'h03', 'unknown', null],
      ['web.4', '-', 'pending', null],
    ],
  );
});

t.test('pending replicas say why: unplaced reason, or where the next deploy puts them', async (t) => {
  const nodes = [node('h01', [w(1)], [running(w(1))]), node('h02', [], [])];
  const p = plan({
    assignments: [{ stack: 'demo', service: 'web', slot: 2, node: 'h02', action: 'create', reason: 'fewest replicas of web' }],
    unplaced: [{ stack: 'demo', service: 'web', slot: 3, reason: 'web.3: no suitable node (memory limits not enforced on h02)', rejections: {} }],
  });
  const rows = psRows({ nodes, records: [{ ...rec, placements: {} }], plan: p, nowMs: NOW, filter: { stack: 'demo', service: 'web' } });
  t.same(rows.map(brief), [
    ['web.1', 'h01', 'running', 'running', '-', '-', ''],
    ['web.2', '-', 'running', 'pending', '-', '-', 'on no node; the next deploy or scale places it on h02 (fewest replicas of web)'],
    ['web.3', '-', 'running', 'pending', '-', '-', 'no suitable node (memory limits not enforced on h02)'],
    ['web.4', '-', 'running', 'pending', '-', '-', 'on no node; the next deploy places it'],
  ]);
});

t.test('a memory limit the kernel does not enforce is said on a running replica', async (t) => {
  const nodes = [
    node(
      'pi',
      [w(1)],
      [running(w(1), { limitMismatch: true, enforced: { memoryLimit: null, cpus: null, pidsLimit: null, source: 'no-memory-cgroup', cgroupDir: null } })],
    ),
  ];
  const rows = psRows({ nodes, records: [], nowMs: NOW });
  t.same(rows.map(brief), [['web.1', 'pi', 'running', 'running', '-', '-', 'memory limit 128M not enforced: the node has no memory cgroup']]);
});

t.test('the filter: a stack, a service; a removed record wants nothing', async (t) => {
  const other = { ...w(1), stack: 'shop', name: 'shop_web.1.aaaaaaaa' };
  const nodes = [node('h01', [w(1), other], [running(w(1)), running(other)])];
  t.same(
    psRows({ nodes, records: [], nowMs: NOW, filter: { stack: 'shop' } }).map((r) => r.container),
    ['shop_web.1.aaaaaaaa'],
  );
  t.same(psRows({ nodes, records: [{ ...rec, removed: true }], nowMs: NOW }).length, 2, 'no pending rows of a removed stack');
});

t.test('the table and its notes', async (t) => {
  const nodes = [node('h01', [w(1)], [running(w(1))]), down('h03')];
  const text = renderPs(psRows({ nodes, records: [], nowMs: NOW }), unreachableNotes(nodes));
  t.equal(
    text,
    'STACK  REPLICA  NODE  DESIRED  CURRENT  HEALTH  SINCE  WHY\n' +
      'demo   web.1    h01   running  running  -       -      -\n' +
      '\nh03: its agent did not answer: connection refused by 127.0.0.1:7443; fix: check that the agent runs (its replicas are shown as unknown)\n',
  );
});
