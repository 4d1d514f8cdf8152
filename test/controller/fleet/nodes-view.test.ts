import t from 'tap';
import { formatAge, formatBytes, parseSize, renderNodes, rowFromReport, containerMemory, type NodeRow } from '../../../controller/fleet/nodes-view.js';
import { sampleReport } from '../../agent/sample-report.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

t.test('parseSize', async (t) => {
  const rows: [unknown, number | undefined][] = [
    [268435456, 268435456],
    ['268435456', 268435456],
    ['256M', 256 * MiB],
    ['256Mi', 256 * MiB],
    ['256MiB', 256 * MiB],
    ['256mb', 256 * MiB],
    ['1.5G', 1.5 * GiB],
    ['64k', 64 * 1024],
    ['0', 0],
    ['12b', 12],
    ['256X', undefined],
    ['M', undefined],
    ['-1M', undefined],
    [-5, undefined],
    [null, undefined],
    [true, undefined],
  ];
  for (const [v, want] of rows) t.equal(parseSize(v), want, JSON.stringify(v));
});

t.test('formatBytes and formatAge on both sides of each unit', async (t) => {
  const bytes: [number | null, string][] = [
    [null, '-'],
    [1023, '1023B'],
    [1024, '1K'],
    [MiB - 1, '1024K'],
    [MiB, '1M'],
    [GiB - 1, '1024M'],
    [GiB, '1.0G'],
    [3.75 * GiB, '3.8G'],
  ];
  for (const [n, want] of bytes) t.equal(formatBytes(n), want, String(n));
  const ages: [number, string][] = [
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [7199, '119m'],
    [7200, '2h'],
    [172799, '47h'],
    [172800, '2d'],
  ];
  for (const [s, want] of ages) t.equal(formatAge(s), want, String(s));
});

t.test('rowFromReport', async (t) => {
  const r = sampleReport();
  const row = rowFromReport({ node: 'pi-a', address: '10.0.0.5', port: 7443 }, r, 256 * MiB, Date.parse(r.collectedAt) + 4200);
  t.match(row, {
    node: 'pi-a',
    status: 'ok',
    arch: 'arm64',
    os: 'Debian GNU/Linux 12 (bookworm)',
    kernel: '6.6.51+rpt-rpi-v8',
    memoryLimits: { enforced: true },
    dockerVersion: '26.1.5',
    agentVersion: '0.1.0',
    containersRunning: 2,
    reportAgeS: 4,
  });
  t.same(row.memory, {
    totalBytes: 3885396 * 1024,
    availableBytes: 3421076 * 1024,
    baselineBytes: 74512 * 1024 + 40 * MiB,
    reserveBytes: 256 * MiB,
    allocatableBytes: 3885396 * 1024 - 74512 * 1024 - 40 * MiB - 256 * MiB,
    reservedBytes: 64 * MiB,
    usedBytes: 50 * MiB + 8650752,
  });
  const off = sampleReport();
  off.cgroups.memory = { enabled: false, enforced: false, reason: 'cgroup_disable=memory on the kernel command line' };
  off.containers[1].state = 'exited';
  const row2 = rowFromReport({ node: 'pi-b', address: 'pi-b', port: 7443 }, off, 0, Date.parse(off.collectedAt) - 5000);
  t.equal(row2.containersRunning, 1, 'only running containers count');
  t.equal(row2.memory.usedBytes, 50 * MiB, 'an exited container uses nothing');
  t.equal(row2.reportAgeS, 0, 'a report from a clock ahead is not given a negative age');
  t.equal(row2.memoryLimits.enforced, false);
  t.match(row2.memoryLimits.reason, /cgroup_disable=memory.*Raspberry Pi/);
  t.match(row2.memoryLimits.fix, /muster play -i INVENTORY pi/);
  const noDockerLimit = sampleReport();
  noDockerLimit.docker.memoryLimit = false;
  t.match(rowFromReport({ node: 'x', address: 'x', port: 1 }, noDockerLimit, 0, 0).memoryLimits, {
    enforced: false,
    reason: /Docker reports no memory limit support/,
  });
});

t.test('renderNodes: the table, the notes and the count', async (t) => {
  const r = sampleReport();
  const ok = rowFromReport({ node: 'pi-a', address: '10.0.0.5', port: 7443 }, r, 256 * MiB, Date.parse(r.collectedAt) + 4000);
  const unenforced: NodeRow = {
    ...ok,
    node: 'pi-b',
    memoryLimits: { enforced: false, reason: 'memory controller disabled', fix: 'muster play -i home.yml pi' },
  };
  const failed: NodeRow = {
    node: 'nuc-1',
    address: '10.0.0.7',
    port: 7443,
    status: 'refused',
    message: 'connection refused by 10.0.0.7:7443: nothing listens there',
    hint: 'check that the agent runs',
  };
  const text = renderNodes([ok, unenforced, failed]);
  t.equal(
    text,
    [
      'NODE   STATUS   ARCH   OS / KERNEL                                         MEMORY  AVAILABLE  ALLOCATABLE  RESERVED  USED  LIMITS  DOCKER  AGENT  RUNNING  AGE',
      'pi-a   ok       arm64  Debian GNU/Linux 12 (bookworm) / 6.6.51+rpt-rpi-v8  3.7G    3.3G       3.3G         64M       58M   yes     26.1.5  0.1.0  2        4s',
      'pi-b   ok       arm64  Debian GNU/Linux 12 (bookworm) / 6.6.51+rpt-rpi-v8  3.7G    3.3G       3.3G         64M       58M   no      26.1.5  0.1.0  2        4s',
      'nuc-1  refused  -      -                                                   -       -          -            -         -     -       -       -      -        -',
      '',
      'pi-b: memory limits not enforced: memory controller disabled',
      '  fix: muster play -i home.yml pi',
      'nuc-1: connection refused by 10.0.0.7:7443: nothing listens there',
      '  fix: check that the agent runs',
      '',
      '3 nodes, 2 answered, 1 did not',
      '',
    ].join('\n'),
  );
  t.equal(renderNodes([ok]).split('\n').slice(-2).join('\n'), '1 node, 1 answered\n', 'no notes when all is well');
});

t.test('containerMemory: a reservation, else the limit; exited and dead containers hold nothing', async (t) => {
  const r = sampleReport();
  const c = r.containers[0];
  const rows: [Partial<typeof c>, number, number][] = [
    [{ asked: { ...c.asked, memoryReservation: 32 * MiB, memoryLimit: 128 * MiB }, usageBytes: 10 }, 32 * MiB, 10],
    [{ asked: { ...c.asked, memoryReservation: null, memoryLimit: 128 * MiB }, usageBytes: null }, 128 * MiB, 0],
    [{ asked: { ...c.asked, memoryReservation: null, memoryLimit: null } }, 0, 50 * MiB],
    [{ state: 'exited' }, 0, 0],
    [{ state: 'dead' }, 0, 0],
    [{ state: 'restarting' }, 64 * MiB, 50 * MiB],
  ];
  for (const [more, reserved, used] of rows)
    t.same(containerMemory({ ...r, containers: [{ ...c, ...more }] }), { reservedBytes: reserved, usedBytes: used }, JSON.stringify(more));
});
