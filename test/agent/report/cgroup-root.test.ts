import t from 'tap';
import { fileURLToPath } from 'node:url';
import { checkCgroupRoot, cgroupRootFiles, dockerOnRecordedKernel, fromTree } from '../../../agent/report/cgroup-root.js';
import { hostFiles } from '../../../agent/report/collect.js';
import { parseDockerInfo } from '../../../agent/report/docker-info.js';
import { reporter, type ReporterDeps } from '../../../agent/report/reporter.js';
import type { LoopStatus } from '../../../agent/reconcile/loop.js';
import type { ContainerSpec, DockerReport } from '../../../shared/wire.js';
import { readFileSync } from 'node:fs';
import { FakeDocker } from '../docker/fake-docker.js';

const root = (name: string): string => fileURLToPath(new URL(`../../fixtures/agent/hosts/${name}`, import.meta.url));
const MiB = 1024 * 1024;

t.test('which paths come from the recorded tree', async (t) => {
  const rows: [string, boolean][] = [
    ['/proc/self/mountinfo', true],
    ['/proc/cgroups', true],
    ['/proc/self/cgroup', true],
    ['/sys/fs/cgroup/cgroup.controllers', true],
    ['/sys/fs/cgroup/memory/docker/x/memory.limit_in_bytes', true],
    ['/sys', true],
    ['/proc/meminfo', false],
    ['/proc/1234/cgroup', false],
    ['/proc/1234/status', false],
    ['/etc/os-release', false],
    ['/system', false],
    ['/proc', false],
  ];
  for (const [path, want] of rows) t.equal(fromTree(path), want, path);
});

// A container on this (hybrid, memory-enforcing) machine, seen through a Pi 5 tree whose kernel has no memory controller.
function deps(files: ReporterDeps['files'], docker: FakeDocker, recorded: boolean, spec: ContainerSpec): ReporterDeps {
  const loop: LoopStatus = { converged: true, lastAction: null, lastError: null, observed: [] };
  return {
    files,
    identity: { hostname: 'lab', kernel: '6.1', machine: 'x86_64' },
    docker,
    agentVersion: '0.1.0',
    labels: {},
    availability: () => 'active',
    desired: () => ({ generation: 1, containers: [spec] }),
    loop: () => loop,
    waitingFor: () => undefined,
    agentRss: () => 30 * MiB,
    maxAgeMs: 10_000,
    cgroupsRecorded: recorded,
  };
}

t.test('a recorded Pi tree over a real machine: limits read as not enforced, and Docker says what its dockerd would', async (t) => {
  const spec: ContainerSpec = { name: 'web_api.1', stack: 'web', service: 'api', replica: 1, image: 'img:1', memoryLimit: 64 * MiB };
  const docker = new FakeDocker('s');
  docker.containers.push({ id: 'id-1', dockerName: spec.name, scope: 's', spec, hash: 'h', state: 'running', pid: 26356 });
  const real = hostFiles(root('debian12-hybrid-recorded'));

  const plain = await reporter(deps(real, docker, false, spec)).refresh();
  t.match(plain.cgroups, { version: 'hybrid', memory: { enforced: true } }, 'the machine itself enforces');
  t.match(plain.containers[0].enforced, { memoryLimit: 64 * MiB, source: 'cgroup' });
  t.equal(plain.docker.memoryLimit, true);

  const pi = await reporter(deps(cgroupRootFiles(real, hostFiles(root('pi5-v2-nomemory'))), docker, true, spec)).refresh();
  t.match(pi.cgroups, { version: 'v2', memory: { enabled: false, enforced: false, reason: /cgroup_enable=memory/ } }, 'the tree decides');
  t.match(pi.containers[0], { enforced: { memoryLimit: null, source: 'no-memory-cgroup' }, limitMismatch: true }, 'the asked limit is flagged');
  t.match(pi.docker, { memoryLimit: false, swapLimit: false, warnings: ['WARNING: No memory limit support', 'WARNING: No swap limit support'] });
  t.equal(pi.node.memory?.totalBytes, plain.node.memory?.totalBytes, 'everything else is the real machine');
  t.equal(pi.baseline.dockerdBytes, plain.baseline.dockerdBytes);

  const enforcing = await reporter(deps(cgroupRootFiles(real, hostFiles(root('pi4-bookworm-v2'))), docker, true, spec)).refresh();
  t.match(enforcing.cgroups.memory, { enforced: true });
  t.equal(enforcing.docker.memoryLimit, true, 'a tree that enforces leaves Docker as it is');
});

t.test("Docker's answer on the recorded kernel", async (t) => {
  const real: DockerReport = { reachable: true, ...parseDockerInfo(JSON.parse(readFileSync(root('../docker-info-20.10-hybrid-recorded.json'), 'utf8'))) };
  const pi5: DockerReport = { reachable: true, ...parseDockerInfo(JSON.parse(readFileSync(root('../docker-info-26-pi5-nomemory.json'), 'utf8'))) };
  t.equal(real.memoryLimit, true);
  const modelled = dockerOnRecordedKernel(real, false);
  t.same(
    { memoryLimit: modelled.memoryLimit, swapLimit: modelled.swapLimit, warnings: modelled.warnings },
    { memoryLimit: pi5.memoryLimit, swapLimit: pi5.swapLimit, warnings: pi5.warnings },
    'what a Pi 5 without the memory controller answers',
  );
  t.same(dockerOnRecordedKernel(modelled, false).warnings, pi5.warnings, 'warnings not doubled');
  t.equal(dockerOnRecordedKernel(real, true), real, 'enforced: untouched');
  const down: DockerReport = { reachable: false, error: 'ECONNREFUSED', ...parseDockerInfo(undefined) };
  t.equal(dockerOnRecordedKernel(down, false), down, 'an engine that does not answer says nothing');
});

t.test('a cgroup_root that is not a recorded tree is refused', async (t) => {
  t.doesNotThrow(() => checkCgroupRoot(root('pi5-v2-nomemory')));
  t.throws(() => checkCgroupRoot(t.testdir()), { code: 'E_OPTION', message: /holds no proc\/self\/mountinfo/ });
});
