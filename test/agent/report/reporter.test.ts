import t from 'tap';
import { fileURLToPath } from 'node:url';
import { INFO_EVERY, reporter, type ReporterDeps } from '../../../agent/report/reporter.js';
import { hostFiles } from '../../../agent/report/collect.js';
import { containerReport, CPU_TOLERANCE, limitMismatch } from '../../../agent/report/containers.js';
import type { LoopStatus } from '../../../agent/reconcile/loop.js';
import type { Availability, ContainerSpec, DesiredSet } from '../../../shared/wire.js';
import { FakeDocker } from '../docker/fake-docker.js';
import { hardwareCache, hardwareFromSi, type HardwareReading } from '../../../agent/report/hardware.js';

const root = (name: string): string => fileURLToPath(new URL(`../../fixtures/agent/hosts/${name}`, import.meta.url));
const MiB = 1024 * 1024;

t.test('limit mismatch rules', async (t) => {
  const rows: [number | undefined, number | 'unlimited' | null, 'cgroup' | 'not-running' | 'no-memory-cgroup', boolean, string][] = [
    [64 * MiB, 64 * MiB, 'cgroup', false, 'equal'],
    [64 * MiB + 100, 64 * MiB, 'cgroup', false, 'rounded down to a page'],
    [64 * MiB, 32 * MiB, 'cgroup', true, 'different'],
    [64 * MiB, 'unlimited', 'cgroup', true, 'asked, not enforced'],
    [undefined, 'unlimited', 'cgroup', false, 'none asked, none set'],
    [undefined, 64 * MiB, 'cgroup', true, 'a limit nobody asked for'],
    [64 * MiB, null, 'no-memory-cgroup', true, 'the Pi without cgroup_enable=memory'],
    [undefined, null, 'no-memory-cgroup', false, 'nothing asked on such a Pi'],
    [64 * MiB, null, 'not-running', false, 'cannot tell yet'],
  ];
  for (const [asked, enforced, source, want, why] of rows) t.equal(limitMismatch(asked, enforced, source), want, why);
  // CPUs and pids use their own tolerance.
  t.equal(limitMismatch(0.5, 0.5, 'cgroup', CPU_TOLERANCE), false, 'cpus equal');
  t.equal(limitMismatch(0.5, 0.50001, 'cgroup', CPU_TOLERANCE), false, 'cpus within a microsecond of quota');
  t.equal(limitMismatch(0.5, 0.25, 'cgroup', CPU_TOLERANCE), true, 'cpus differ');
  t.equal(limitMismatch(0.5, 'unlimited', 'cgroup', CPU_TOLERANCE), true, 'cpus asked, none enforced');
  t.equal(limitMismatch(100, 100, 'cgroup', 1), false, 'pids equal');
  t.equal(limitMismatch(100, 99, 'cgroup', 1), true, 'pids off by one');
});

t.test('container report prefers what Docker was given, falls back to the spec', async (t) => {
  const spec: ContainerSpec = { name: 'a_b.1', stack: 'a', service: 'b', replica: 1, image: 'img:1', memoryLimit: 64 * MiB, cpus: 1 };
  const r = containerReport({ id: 'x', name: 'a_b.1', specHash: 'h', state: 'exited', exitCode: 3, restartCount: 1, limits: { memory: 32 * MiB } }, spec, {
    source: 'not-running',
    dir: null,
    memory: null,
    cpus: null,
    pidsLimit: null,
  });
  t.match(r, {
    stack: 'a',
    service: 'b',
    replica: 1,
    image: 'img:1',
    exitCode: 3,
    asked: { memoryLimit: 32 * MiB, cpus: 1, memoryReservation: null },
    limitMismatch: false,
  });
  const running = containerReport({ id: 'x', name: 'n', specHash: 'h', state: 'running', exitCode: 0, restartCount: 0 }, undefined, {
    source: 'cgroup',
    dir: '/d',
    memory: { limit: 'unlimited', usageBytes: 5, oomKills: 0 },
    cpus: 'unlimited',
    pidsLimit: 'unlimited',
  });
  t.match(running, {
    stack: null,
    image: '',
    exitCode: null,
    enforced: { memoryLimit: 'unlimited', source: 'cgroup', cgroupDir: '/d' },
    usageBytes: 5,
    limitMismatch: false,
  });
});

function deps(host: string, docker: FakeDocker, desired: DesiredSet | null, more: Partial<ReporterDeps> = {}): ReporterDeps {
  const loop: LoopStatus = { converged: true, lastAction: 'create a_b.1: missing', lastError: null, observed: [] };
  return {
    files: hostFiles(root(host)),
    identity: { hostname: host, kernel: '6.6', machine: 'aarch64' },
    docker,
    agentVersion: '0.1.0',
    labels: { zone: 'z' },
    availability: () => 'active',
    desired: () => desired,
    loop: () => loop,
    waitingFor: () => undefined,
    agentRss: () => 30 * MiB,
    maxAgeMs: 10_000,
    ...more,
  };
}

function withContainer(docker: FakeDocker, spec: ContainerSpec, pid: number): void {
  docker.containers.push({ id: `id-${pid}`, dockerName: spec.name, scope: docker.scope, spec, hash: 'h', state: 'running', pid });
}

t.test('a Pi 4 report: asked equals enforced, OOM kills counted', async (t) => {
  const docker = new FakeDocker('s');
  const a: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'img:1', memoryLimit: 128 * MiB, cpus: 0.5, pidsLimit: 100 };
  const b: ContainerSpec = { name: 'web_cache.1', stack: 'web', service: 'cache', replica: 1, image: 'img:1' };
  withContainer(docker, b, 1240);
  withContainer(docker, a, 1234);
  const r = await reporter(deps('pi4-bookworm-v2', docker, { generation: 4, containers: [a, b] })).latest();
  t.match(r, {
    agentVersion: '0.1.0',
    node: { hostname: 'pi4-bookworm-v2', piModel: 'Raspberry Pi 4 Model B Rev 1.4', labels: { zone: 'z' } },
    cgroups: { version: 'v2', memory: { enforced: true } },
    docker: { reachable: true, version: 'fake' },
    baseline: { dockerdBytes: 74512 * 1024, agentBytes: 30 * MiB },
    reconcile: { generation: 4, desiredCount: 2, converged: true, lastAction: 'create a_b.1: missing' },
  });
  t.same(
    r.containers.map((c) => c.name),
    ['web_api.1', 'web_cache.1'],
    'sorted by name',
  );
  t.match(r.containers[0], {
    asked: { memoryLimit: 128 * MiB, cpus: 0.5, pidsLimit: 100 },
    enforced: { memoryLimit: 128 * MiB, cpus: 0.5, pidsLimit: 100, source: 'cgroup' },
    oomKills: 2,
    usageBytes: 50 * MiB,
    limitMismatch: false,
    cpuMismatch: false,
    pidsMismatch: false,
  });
  t.match(r.containers[1], {
    asked: { memoryLimit: null, cpus: null },
    enforced: { memoryLimit: 'unlimited', cpus: 'unlimited', pidsLimit: 'unlimited' },
    limitMismatch: false,
    cpuMismatch: false,
    pidsMismatch: false,
  });
});

t.test('a Pi 3 kernel without CFS bandwidth control: the asked CPU limit is flagged as not enforced', async (t) => {
  const docker = new FakeDocker('s');
  const a: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'img:1', cpus: 0.5, pidsLimit: 32 };
  withContainer(docker, a, 901);
  const r = await reporter(deps('pi3-v1-nomemory', docker, { generation: 1, containers: [a] })).latest();
  t.match(r.containers[0], { asked: { cpus: 0.5, pidsLimit: 32 }, enforced: { cpus: null, pidsLimit: 64 }, cpuMismatch: true, pidsMismatch: true });
});

t.test('a Pi 5 without the memory controller: the asked limit is flagged as not enforced', async (t) => {
  const docker = new FakeDocker('s');
  const a: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'img:1', memoryLimit: 64 * MiB };
  withContainer(docker, a, 2001);
  const r = await reporter(deps('pi5-v2-nomemory', docker, { generation: 1, containers: [a] })).latest();
  t.match(r.cgroups.memory, { enforced: false, reason: /cgroup_enable=memory/ });
  t.match(r.containers[0], { enforced: { memoryLimit: null, source: 'no-memory-cgroup' }, limitMismatch: true });
});

t.test('Docker down: reported, no containers, no throw', async (t) => {
  const docker = new FakeDocker('s');
  docker.down = true;
  const r = await reporter(deps('pi4-bookworm-v2', docker, null, { waitingFor: () => 'the saved desired set was corrupt' })).latest();
  t.match(r.docker, { reachable: false, error: /ECONNREFUSED/, version: null });
  t.same(r.containers, []);
  t.match(r.reconcile, { generation: null, converged: false, waitingFor: 'the saved desired set was corrupt' });
  const plain = await reporter(deps('pi4-bookworm-v2', docker, null)).latest();
  t.equal(plain.reconcile.waitingFor, 'no desired set received yet');
});

t.test('the engine info is read every INFO_EVERY reports; a failed list makes Docker unreachable and the info is read again', async (t) => {
  const docker = new FakeDocker('s');
  const rep = reporter(deps('pi4-bookworm-v2', docker, { generation: 1, containers: [] }));
  for (let i = 0; i < INFO_EVERY; i++) await rep.refresh();
  t.equal(docker.infos, 1, `${INFO_EVERY} reports, one info`);
  t.equal(docker.calls.filter((c) => c === 'list').length, INFO_EVERY, 'the containers are listed every report');
  t.match((await rep.refresh()).docker, { reachable: true, version: 'fake' });
  t.equal(docker.infos, 2, 'read again after INFO_EVERY reports');

  docker.failList = new Error('list exploded');
  t.match((await rep.refresh()).docker, { reachable: false, error: 'list exploded', version: null });
  docker.failList = undefined;
  t.match((await rep.refresh()).docker, { reachable: true, version: 'fake' });
  t.equal(docker.infos, 3, 'after a failure the info is read at once');
  docker.down = true;
  t.match(await rep.refresh(), { docker: { reachable: false, error: /ECONNREFUSED/ }, containers: [] }, 'a cached info does not hide an engine that went down');
});

t.test('served from the cache until too old; live fields are live', async (t) => {
  const docker = new FakeDocker('s');
  let clock = 1_000_000;
  let availability: Availability = 'active';
  const rep = reporter(deps('pi4-bookworm-v2', docker, { generation: 1, containers: [] }, { now: () => new Date(clock), availability: () => availability }));
  const lists = () => docker.calls.filter((c) => c === 'list').length;
  const [r1, r2] = await Promise.all([rep.latest(), rep.latest()]);
  t.equal(lists(), 1, 'concurrent requests share one collection');
  t.equal(r1.collectedAt, r2.collectedAt);
  availability = 'pause';
  clock += 5_000;
  const r3 = await rep.latest();
  t.equal(lists(), 1, 'still fresh');
  t.equal(r3.node.available, false, 'availability is live');
  t.equal(r3.node.availability, 'pause', 'and says which');
  clock += 6_000;
  const r4 = await rep.latest();
  t.equal(lists(), 2, 'too old: collected again');
  t.not(r4.collectedAt, r1.collectedAt);
  await rep.refresh();
  t.equal(lists(), 3, 'refresh always collects');

  rep.invalidate();
  await rep.latest();
  t.equal(lists(), 4, 'invalidated (a Docker event): collected again although fresh');
  await rep.latest();
  t.equal(lists(), 4, 'then cached again');
  // An event during a collection: that collection answers its callers but is not kept.
  const during = rep.refresh();
  rep.invalidate();
  await during;
  t.equal(lists(), 5);
  await rep.latest();
  t.equal(lists(), 6, 'the overlapped collection was not kept');
});

t.test('hardware: the cache snapshot is copied into each report, live, and never awaited', async (t) => {
  const docker = new FakeDocker('s');
  let clock = Date.UTC(2026, 0, 1);
  let answer: ((r: HardwareReading) => void) | undefined;
  // A port that answers only when the test says: systeminformation being slow must not slow the report.
  const cache = hardwareCache({ port: { read: () => new Promise((r) => (answer = r)) }, now: () => clock, schedule: () => () => undefined });
  cache.start();
  const rep = reporter(deps('pi4-bookworm-v2', docker, null, { now: () => new Date(clock), hardware: cache.snapshot }));
  const r1 = await rep.latest();
  t.match(r1.hardware, { systemModel: null, temperatures: null, collectedAt: null, ageS: null }, 'the report does not wait for the first reading');
  answer!(hardwareFromSi({ model: 'Raspberry Pi 4 Model B Rev 1.4' }, { brand: 'Cortex-A72', cores: 4 }, { main: 52 }));
  await cache.refresh();
  clock += 3_000;
  const r2 = await rep.latest();
  t.equal(r2.collectedAt, r1.collectedAt, 'the rest of the report is still the cached one');
  t.match(
    r2.hardware,
    { systemModel: 'Raspberry Pi 4 Model B Rev 1.4', cpu: { brand: 'Cortex-A72' }, temperatures: { mainC: 52 }, ageS: 3 },
    'the hardware section is the cache as it is now',
  );
});

t.test('hardware: null when the agent has no hardware cache', async (t) => {
  const r = await reporter(deps('pi4-bookworm-v2', new FakeDocker('s'), null)).latest();
  t.equal(r.hardware, null);
});
