/** nodeView: the node model from a report and the inventory, and the arch table. */
import t from 'tap';
import { allocatableBytes } from '../../../controller/fleet/allocatable.js';
import { nodeView, normaliseArch } from '../../../controller/scheduler/node-info.js';
import type { NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../../agent/sample-report.js';
import { MiB } from './build.js';

const base = { name: 'pi-a', inventoryLabels: {}, reserveBytes: 256 * MiB };
const report = (edit: (r: NodeReport) => void = () => {}): NodeReport => {
  const r = sampleReport();
  edit(r);
  return r;
};

t.test('a report: allocatable memory is fleet/nodes-view.ts allocatableBytes; CPUs the whole count', async (t) => {
  const r = report();
  const v = nodeView({ ...base, report: r });
  t.equal(v.memory.allocatableBytes, allocatableBytes(r.node.memory!.totalBytes, r.baseline.totalBytes, 256 * MiB));
  t.equal(v.memory.allocatableBytes, 3885396 * 1024 - (74512 * 1024 + 40 * MiB) - 256 * MiB);
  t.same(
    { ready: v.ready, hostname: v.hostname, arch: v.arch, os: v.os, cpus: v.cpus, role: v.role, overcommit: v.overcommit, availability: v.availability },
    { ready: true, hostname: 'pi4-a', arch: 'arm64', os: 'linux', cpus: { allocatable: 4 }, role: 'worker', overcommit: 1, availability: 'active' },
  );
  t.same(v.memory, { allocatableBytes: v.memory.allocatableBytes, enforced: true });
  t.same(v.portsInUse, [], 'an agent that reports no ports: none taken');
  const taken = nodeView({ ...base, report: report((x) => (x.portsInUse = [{ port: 53, protocol: 'udp' }])) });
  t.same(taken.portsInUse, [{ port: 53, protocol: 'udp' }], 'ports bound by containers muster does not manage');
  t.equal(nodeView({ ...base, report: r, reserveBytes: 10 * 2 ** 30 }).memory.allocatableBytes, 0, 'a reserve beyond the total leaves 0, never less');
  t.equal(nodeView({ ...base, report: report((x) => (x.node.memory = null)) }).memory.allocatableBytes, 0, 'unknown total: nothing to hand out');
});

t.test('labels: the agent labels overlaid with the inventory muster_labels', async (t) => {
  const r = report((x) => (x.node.labels = { zone: 'shelf', disk: 'sd' }));
  t.same(nodeView({ ...base, report: r, inventoryLabels: { disk: 'ssd', gpu: 'no' } }).labels, { zone: 'shelf', disk: 'ssd', gpu: 'no' });
});

t.test('memory limits not enforced: the fix from fleet/summary.ts limitsEnforced', async (t) => {
  const v = nodeView({ ...base, report: report((x) => (x.cgroups.memory = { enabled: false, enforced: false, reason: 'cgroup_disable=memory' })) });
  t.equal(v.memory.enforced, false);
  t.match(v.memory.fix, /enable the memory cgroup: muster play -i INVENTORY pi/);
  const noDocker = nodeView({ ...base, report: report((x) => (x.docker.memoryLimit = false)) });
  t.equal(noDocker.memory.enforced, false, 'Docker without memory limit support');
  t.match(noDocker.memory.fix, /restart Docker/);
});

t.test('availability: the report says it, else `available` false means drained', async (t) => {
  t.equal(nodeView({ ...base, report: report((x) => (x.node.availability = 'pause')) }).availability, 'pause');
  t.equal(nodeView({ ...base, report: report((x) => (x.node.available = false)) }).availability, 'drain');
  t.equal(
    nodeView({
      ...base,
      report: report((x) => {
        x.node.available = false;
        x.node.availability = 'pause';
      }),
    }).availability,
    'pause',
  );
});

t.test('no report, or Docker down: not ready, with why', async (t) => {
  const gone = nodeView({ ...base, failure: 'agent unreachable: connection refused', role: 'manager', overcommit: 1.5 });
  t.same(
    { ready: gone.ready, notReady: gone.notReady, role: gone.role, overcommit: gone.overcommit, mem: gone.memory.allocatableBytes },
    { ready: false, notReady: 'agent unreachable: connection refused', role: 'manager', overcommit: 1.5, mem: 0 },
  );
  t.equal(nodeView(base).notReady, 'no report from its agent');
  const down = nodeView({ ...base, report: report((x) => ((x.docker.reachable = false), (x.docker.error = 'connect ENOENT /run/docker.sock'))) });
  t.same({ ready: down.ready, notReady: down.notReady }, { ready: false, notReady: 'Docker down: connect ENOENT /run/docker.sock' });
});

t.test('volumes from the report; overcommit only when positive and finite', async (t) => {
  const v = nodeView({
    ...base,
    report: report(
      (x) =>
        (x.volumes = [
          { name: 'app_db', stack: 'app' },
          { name: 'other', stack: null },
        ]),
    ),
  });
  t.same(v.volumes, ['app_db', 'other']);
  t.same(nodeView(base).volumes, []);
  for (const [o, expected] of [
    [2, 2],
    [0, 1],
    [-1, 1],
    [Number.NaN, 1],
    [undefined, 1],
  ] as const)
    t.equal(nodeView({ ...base, report: report(), overcommit: o }).overcommit, expected, `overcommit ${o}`);
});

t.test('arch: the report normalised it, else the table', async (t) => {
  t.equal(nodeView({ ...base, report: report((x) => (x.node.arch = { raw: 'armv7l', normalised: null })) }).arch, 'arm/v7');
  t.equal(nodeView({ ...base, report: report((x) => (x.node.arch = { raw: 'x86_64', normalised: 'amd64' })) }).arch, 'amd64');
  const table: [string, string][] = [
    ['x86_64', 'amd64'],
    ['aarch64', 'arm64'],
    ['armv7l', 'arm/v7'],
    ['armv6l', 'arm/v6'],
    ['i686', '386'],
    ['AMD64', 'amd64'],
    ['mips64', 'mips64'],
  ];
  for (const [raw, expected] of table) t.equal(normaliseArch(raw), expected, raw);
});
