import t from 'tap';
import { MODELS } from '../../../bench/lib/sched-gen.mjs';
import { desiredBodyProblem, nextEntries, volumesOf } from '../../../bench/lib/sim-desired.mjs';
import {
  containerReport,
  keptReport,
  nextRefresh,
  nextStart,
  nodeReport,
  refreshPhase,
  reportTag,
  type SimNodeState,
  simModels,
  usageOf,
} from '../../../bench/lib/sim-report.mjs';
import { classifyAnswer } from '../../../controller/fleet/agent-client.js';
import type { ContainerSpec } from '../../../shared/wire.js';

const MiB = 2 ** 20;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const spec = (name: string, more: Partial<ContainerSpec> = {}): ContainerSpec => ({ name, stack: 's', service: 'web', replica: 1, image: 'nginx:1', ...more });

t.test('the models follow the scheduler bench mix and its seed', async (t) => {
  const a = simModels(200, 1);
  t.equal(a.length, 200);
  t.same(
    [1, 2, 5, 7, 13].map((n) => simModels(n, 1).length),
    [1, 2, 5, 7, 13],
    'exactly as many nodes as asked, small counts too',
  );
  t.same(simModels(200, 1), a, 'the same seed, the same fleet');
  t.notSame(simModels(200, 2), a, 'another seed, another fleet');
  const known = new Set(MODELS.map((m) => m.model));
  t.ok(
    a.every((m) => known.has(m.model) && m.totalBytes > m.baselineBytes),
    'every node is one of the mix, with memory above its baseline',
  );
  t.ok(a.some((m) => !m.enforced) && a.some((m) => m.enforced), 'some kernels enforce memory limits and some do not');
  t.ok(
    a.filter((m) => !m.enforced).every((m) => m.arch !== 'amd64'),
    'only Pis run without the memory cgroup, as in the mix',
  );
});

t.test('a container is created before its start delay and running from it on', async (t) => {
  const entry = { spec: spec('a', { memoryLimit: 64 * MiB, memoryReservation: 32 * MiB, cpus: 0.5 }), addedAt: T0 };
  const before = containerReport(entry, true, 1000, T0 + 999);
  t.same([before.state, before.startedAt, before.usageBytes, before.enforced.source], ['created', undefined, null, 'not-running']);
  t.equal(before.limitMismatch, false, 'nothing to compare before it runs');
  const after = containerReport(entry, true, 1000, T0 + 1000);
  t.same([after.state, after.startedAt, after.enforced.memoryLimit, after.enforced.source], ['running', '2026-12-01T00:00:01.000Z', 64 * MiB, 'cgroup']);
  t.equal(after.usageBytes, 16 * MiB, 'half of what it reserves');
  t.same(after.asked, { memoryLimit: 64 * MiB, memoryReservation: 32 * MiB, cpus: 0.5, pidsLimit: null });
  const loose = containerReport(entry, false, 1000, T0 + 1000);
  t.same([loose.enforced.memoryLimit, loose.enforced.source, loose.limitMismatch], [null, 'no-memory-cgroup', true], 'an asked limit nothing enforces');
  const unasked = containerReport({ spec: spec('b'), addedAt: T0 }, false, 0, T0);
  t.equal(unasked.limitMismatch, false, 'no limit asked, no mismatch');
  t.equal(usageOf(spec('c', { memoryLimit: 100 * MiB })), 50 * MiB, 'half of the limit without a reservation');
  t.equal(usageOf(spec('d')), 24 * MiB, 'a small process when nothing is asked');
});

t.test('the node report is one the controller reads, with the model and the set in it', async (t) => {
  const model = simModels(50, 1).find((m) => !m.enforced)!;
  const set = { generation: 4, containers: [spec('a', { memoryReservation: 64 * MiB }), spec('b')] };
  const node: SimNodeState = {
    name: 'sim0007',
    model,
    availability: 'pause',
    desired: set,
    entries: new Map([
      ['a', { spec: set.containers[0], addedAt: T0 }],
      ['b', { spec: set.containers[1], addedAt: T0 + 5000 }],
    ]),
    volumes: new Map([['s_data', 's']]),
    images: new Set(['nginx:1']),
    bootAt: T0 - 60_000,
  };
  const r = nodeReport(node, 1000, T0 + 2000);
  t.ok(classifyAnswer(200, JSON.stringify(r), 'x').ok, "the controller's client takes it as a report");
  t.equal(r.collectedAt, '2026-12-01T00:00:02.000Z');
  t.same([r.node.hostname, r.node.arch.normalised, r.node.cpu.count, r.node.labels], ['sim0007', model.arch, model.cpus, model.labels]);
  t.same([r.node.available, r.node.availability], [false, 'pause']);
  t.same(r.cgroups.memory.enforced, false);
  t.match(r.cgroups.memory.reason, /cgroup_enable=memory/);
  t.equal(r.node.memory?.availableBytes, model.totalBytes - model.baselineBytes - 32 * MiB, 'what the running container uses is taken');
  t.same(
    r.containers.map((c) => [c.name, c.state]),
    [
      ['a', 'running'],
      ['b', 'created'],
    ],
  );
  t.same(r.reconcile, { generation: 4, desiredCount: 2, converged: false, lastAction: 'start b', lastError: null });
  t.equal(r.baseline.totalBytes, model.baselineBytes);
  t.same(r.volumes, [{ name: 's_data', stack: 's' }]);
  t.same(
    r.images?.map((i) => [i.tags, i.arch]),
    [[['nginx:1'], model.arch]],
  );
  t.equal(r.node.uptimeS, 62, 'seconds since the node started');
  const empty = nodeReport({ ...node, desired: null, entries: new Map() }, 1000, T0);
  t.same(empty.reconcile, { generation: null, desiredCount: 0, converged: true, lastAction: null, lastError: null, waitingFor: 'no desired set received yet' });
});

t.test('the basic shape of a PUT body', async (t) => {
  const ok = { generation: 1, containers: [spec('a', { memoryLimit: 8 * MiB, ports: [], env: {} })] };
  t.equal(desiredBodyProblem(ok), undefined);
  const cases: [unknown, string][] = [
    [[], ''],
    [null, ''],
    [{ generation: 1, containers: [], more: 1 }, 'more'],
    [{ generation: 1.5, containers: [] }, 'generation'],
    [{ generation: -1, containers: [] }, 'generation'],
    [{ generation: 1 }, 'containers'],
    [{ generation: 1, containers: Array.from({ length: 1001 }, (_, i) => spec(`c${i}`)) }, 'containers'],
    [{ generation: 1, containers: [7] }, 'containers[0]'],
    [{ generation: 1, containers: [{ ...spec('a'), extra: 1 }] }, 'containers[0].extra'],
    [{ generation: 1, containers: [spec('a b')] }, 'containers[0].name'],
    [{ generation: 1, containers: [spec('a', { replica: -1 })] }, 'containers[0].replica'],
    [{ generation: 1, containers: [spec('a', { image: '' })] }, 'containers[0].image'],
    [{ generation: 1, containers: [spec('a', { ports: {} as never })] }, 'containers[0].ports'],
    [{ generation: 1, containers: [spec('a', { env: [] as never })] }, 'containers[0].env'],
    [{ generation: 1, containers: [spec('a', { memoryLimit: 6 * MiB - 1 })] }, 'containers[0].memoryLimit'],
    [{ generation: 1, containers: [spec('a', { cpus: 0 })] }, 'containers[0].cpus'],
    [{ generation: 1, containers: [spec('a', { pidsLimit: 0 })] }, 'containers[0].pidsLimit'],
  ];
  for (const [body, field] of cases) t.equal(desiredBodyProblem(body)?.field, field, JSON.stringify(body).slice(0, 80));
  t.equal(desiredBodyProblem({ generation: 1, containers: Array.from({ length: 1000 }, (_, i) => spec(`c${i}`)) }), undefined, '1000 containers are fine');
  t.equal(desiredBodyProblem({ generation: 1, containers: [spec('a', { memoryLimit: 6 * MiB })] }), undefined, 'the smallest limit Docker takes');
});

t.test('a new set keeps what is unchanged and restarts what changed', async (t) => {
  const a = spec('a');
  const b = spec('b');
  const first = nextEntries(new Map(), { generation: 1, containers: [a, b] }, T0);
  t.same(
    [...first.values()].map((e) => e.addedAt),
    [T0, T0],
  );
  const second = nextEntries(first, { generation: 2, containers: [a, { ...b, image: 'nginx:2' }, spec('c')] }, T0 + 10);
  t.same(
    [...second.entries()].map(([n, e]) => [n, e.addedAt]),
    [
      ['a', T0],
      ['b', T0 + 10],
      ['c', T0 + 10],
    ],
  );
  t.same([...nextEntries(second, { generation: 3, containers: [] }, T0 + 20).keys()], [], 'an empty set runs nothing');
  const vols = volumesOf({
    generation: 1,
    containers: [
      spec('a', {
        mounts: [
          { type: 'volume', source: 's_data', target: '/d' },
          { type: 'bind', source: '/srv', target: '/s' },
          { type: 'tmpfs', target: '/t' },
        ],
      }),
    ],
  });
  t.same([...vols], [['s_data', 's']], 'named volumes only');
});

t.test('refresh moments: spread over one interval, the next one strictly after', async (t) => {
  t.same(
    [0, 1, 2, 999].map((i) => refreshPhase(i, 1000, 10_000)),
    [0, 10, 20, 9990],
    'a thousand nodes, ten milliseconds apart',
  );
  t.equal(refreshPhase(2, 3, 10_000), 6666);
  t.equal(nextRefresh(T0 - 1, T0, 1000), T0, 'before the first moment: the first moment');
  t.equal(nextRefresh(T0, T0, 1000), T0 + 1000, 'on a moment: the next one');
  t.equal(nextRefresh(T0 + 999, T0, 1000), T0 + 1000, '1 ms before a moment: that moment');
  t.equal(nextRefresh(T0 + 1000, T0, 1000), T0 + 2000, 'on it: the one after');
  const entries = new Map([
    ['a', { spec: spec('a'), addedAt: T0 }],
    ['b', { spec: spec('b'), addedAt: T0 + 300 }],
  ]);
  t.equal(nextStart(entries, 500, T0 + 499), T0 + 500, '1 ms before the first start');
  t.equal(nextStart(entries, 500, T0 + 500), T0 + 800, 'on it: the next container');
  t.equal(nextStart(entries, 500, T0 + 800), Infinity, 'every container runs: none');
  t.equal(nextStart(new Map(), 500, T0), Infinity);
});

t.test('a kept report is served until it is due, with the tag of its JSON', async (t) => {
  const node = {
    name: 'sim0001',
    model: simModels(1, 1)[0],
    availability: 'active' as const,
    desired: null,
    entries: new Map([['a', { spec: spec('a'), addedAt: T0 }]]),
    volumes: new Map(),
    images: new Set<string>(),
    bootAt: T0,
    refreshBase: T0,
  };
  const first = keptReport(null, node, 400, 1000, T0 + 100);
  t.equal(first.fresh, true, 'nothing kept: collected');
  t.same([first.report.at, first.report.until], [T0 + 100, T0 + 400], 'kept until the container starts, before the refresh moment');
  t.equal(first.report.tag, reportTag(first.report.text));
  t.equal(JSON.parse(first.report.text).collectedAt, new Date(T0 + 100).toISOString());
  t.equal(keptReport(first.report, node, 400, 1000, T0 + 399).report, first.report, '1 ms before: the same');
  const started = keptReport(first.report, node, 400, 1000, T0 + 400);
  t.equal(started.fresh, true, 'at the start: collected again');
  t.same([started.report.at, started.report.until], [T0 + 400, T0 + 1000], 'then kept until the refresh moment');
  t.not(started.report.tag, first.report.tag);
  t.equal(keptReport(started.report, node, 400, 1000, T0 + 999).fresh, false);
  t.equal(keptReport(started.report, node, 400, 1000, T0 + 1000).fresh, true, 'at the refresh moment: collected');
  t.equal(keptReport(started.report, node, 400, 1000, T0 + 399).fresh, true, 'a clock that went back: collected');
  t.equal(reportTag('{}'), reportTag('{}'), 'the same text, the same tag');
  t.not(reportTag('{}'), reportTag('{ }'));
});
