/** Every filter on table cases, both sides of each limit. */
import t from 'tap';
import {
  constraints,
  hostPorts,
  maxReplicas,
  memoryEnforced,
  platformFilter,
  readyActive,
  resources,
  volumePin,
} from '../../../controller/scheduler/filters/index.js';
import type { Usage } from '../../../controller/scheduler/filters/filter.js';
import type { NodeView } from '../../../controller/scheduler/types.js';
import { type Want, wantOf } from '../../../controller/scheduler/want.js';
import { MiB, node, type ServiceOpts, service, stack } from './build.js';

const want = (o: ServiceOpts = {}, extra: Partial<Want> = {}): Want => ({ ...wantOf(stack('app', [service('web', o)]), service('web', o)), ...extra });
const used = (o: Partial<Usage> = {}): Usage => ({ memoryBytes: 0, cpus: 0, ports: new Set(), replicas: 0, ...o });
const phrase = (r: { phrase: string } | undefined) => r?.phrase;

t.test('ready-active: not ready, drained, paused (new replicas only)', async (t) => {
  const cases: [string, Omit<Partial<NodeView>, 'cpus'>, boolean, string | undefined][] = [
    ['ready and active', {}, false, undefined],
    ['not ready', { ready: false, notReady: 'agent unreachable' }, false, 'not ready'],
    ['not ready, even for a replica already there', { ready: false }, true, 'not ready'],
    ['drained', { availability: 'drain' }, false, 'drained'],
    ['drained moves replicas already there', { availability: 'drain' }, true, 'drained'],
    ['paused takes nothing new', { availability: 'pause' }, false, 'paused'],
    ['paused keeps what runs', { availability: 'pause' }, true, undefined],
  ];
  for (const [name, n, existing, expected] of cases) t.equal(phrase(readyActive.check(node('n1', n), want({}, { existing }), used())), expected, name);
});

t.test('resources: used + want <= allocatable x overcommit, memory and CPU, both sides', async (t) => {
  const n = node('n1', { mem: 1024, cpus: 2 });
  const cases: [string, Want, Usage, NodeView, string | undefined][] = [
    ['exactly fits', want({ reserveMem: 512 }), used({ memoryBytes: 512 * MiB }), n, undefined],
    ['one byte over', want({ reserveMem: 512 }), used({ memoryBytes: 512 * MiB + 1 }), n, 'insufficient memory'],
    ['a limit alone counts as the reservation: fits', want({ limitMem: 1024 }), used(), n, undefined],
    ['a limit alone counts as the reservation: over', want({ limitMem: 1024 }), used({ memoryBytes: 1 }), n, 'insufficient memory'],
    ['a reservation below the limit is what counts', want({ limitMem: 2048, reserveMem: 1024 }), used(), n, undefined],
    ['nothing asked fits a full node', want(), used({ memoryBytes: 4096 * MiB }), n, undefined],
    ['overcommit 1.5: 1536 MiB fits', want({ reserveMem: 1536 }), used(), { ...n, overcommit: 1.5 }, undefined],
    ['overcommit 1.5: one byte more does not', want({ reserveMem: 1536 }), used({ memoryBytes: 1 }), { ...n, overcommit: 1.5 }, 'insufficient memory'],
    ['overcommit 1: 1536 MiB does not fit', want({ reserveMem: 1536 }), used(), n, 'insufficient memory'],
    ['CPU exactly fits', want({ reserveCpus: 0.5 }), used({ cpus: 1.5 }), n, undefined],
    ['CPU over', want({ reserveCpus: 0.5 }), used({ cpus: 1.51 }), n, 'insufficient CPU'],
    ['tenths add up without float noise', want({ reserveCpus: 0.1 }), used({ cpus: 0.1 + 0.2 + 1.6 }), n, undefined],
    ['a CPU limit takes no room', want({ limitCpus: 4 }), used({ cpus: 2 }), n, undefined],
    ['a node with no memory known takes only what asks none', want({ reserveMem: 1 }), used(), node('n0', { mem: 0 }), 'insufficient memory'],
  ];
  for (const [name, w, u, nv, expected] of cases) t.equal(phrase(resources.check(nv, w, u)), expected, name);
});

t.test('memory-enforced: a memory limit is refused where it is not enforced, with the fix', async (t) => {
  const pi = node('pi-2', { enforced: false });
  t.same(memoryEnforced.check(pi, want({ limitMem: 64 }), used()), {
    phrase: 'memory limits not enforced',
    fix: 'enable the memory cgroup: muster play -i INVENTORY pi',
  });
  t.equal(memoryEnforced.check(pi, want({ reserveMem: 64 }), used()), undefined, 'a reservation alone needs no enforcement');
  t.equal(memoryEnforced.check(pi, want(), used()), undefined, 'nothing asked');
  t.equal(memoryEnforced.check(node('n1'), want({ limitMem: 64 }), used()), undefined, 'enforced');
});

t.test('constraints: == and != on hostname, role, labels, platform; a missing label never equals', async (t) => {
  const n = node('n1', { hostname: 'box-1', role: 'manager', arch: 'arm64', labels: { disk: 'ssd', zone: 'a' } });
  const cases: [string, string | undefined][] = [
    ['node.labels.disk==ssd', undefined],
    ['node.labels.disk!=ssd', 'constraint node.labels.disk!=ssd'],
    ['node.labels.disk==hdd', 'constraint node.labels.disk==hdd'],
    ['node.labels.disk != hdd', undefined],
    ['node.labels.gpu==true', 'constraint node.labels.gpu==true'],
    ['node.labels.gpu!=true', undefined],
    ['node.labels.gpu!=', undefined],
    ['node.hostname==box-1', undefined],
    ['node.hostname==n1', 'constraint node.hostname==n1'],
    ['node.hostname==BOX-1', undefined],
    ['node.role==manager', undefined],
    ['node.role==worker', 'constraint node.role==worker'],
    ['node.platform.arch==arm64', undefined],
    ['node.platform.arch==aarch64', undefined],
    ['node.platform.arch!=aarch64', 'constraint node.platform.arch!=aarch64'],
    ['node.platform.arch==amd64', 'constraint node.platform.arch==amd64'],
    ['node.platform.os==linux', undefined],
    ['node.platform.os==windows', 'constraint node.platform.os==windows'],
    ['node.unknown==x', 'constraint node.unknown==x'],
  ];
  for (const [c, expected] of cases) t.equal(phrase(constraints.check(n, want({ constraints: [c] }), used())), expected, c);
  const both = want({ constraints: ['node.labels.zone==a', 'node.labels.disk==hdd'] });
  t.equal(phrase(constraints.check(n, both, used())), 'constraint node.labels.disk==hdd', 'the first failing one names the rejection');
});

t.test('platform: refused only where the image platforms are known and the node is not among them', async (t) => {
  const f = platformFilter({ 'nginx:1': ['linux/amd64', 'linux/arm64'], 'old:1': ['linux/amd64'] });
  t.equal(phrase(f.check(node('n1', { arch: 'arm64' }), want({ image: 'nginx:1' }), used())), undefined);
  t.equal(phrase(f.check(node('n1', { arch: 'arm/v7' }), want({ image: 'nginx:1' }), used())), 'image nginx:1 not built for the platform');
  t.equal(phrase(f.check(node('n1', { arch: 'arm64' }), want({ image: 'old:1' }), used())), 'image old:1 not built for the platform');
  t.equal(phrase(f.check(node('n1', { arch: 'arm/v7' }), want({ image: 'unknown:1' }), used())), undefined, 'unknown image: not refused');
  t.equal(phrase(platformFilter({ 'x:1': [] }).check(node('n1'), want({ image: 'x:1' }), used())), 'image x:1 not built for the platform');
});

t.test('host ports: a published port already bound refuses the node', async (t) => {
  const w = want({ ports: [80, 443] });
  t.equal(phrase(hostPorts.check(node('n1'), w, used({ ports: new Set(['8080/tcp', '80/udp']) }))), undefined, 'other port, other protocol');
  t.equal(phrase(hostPorts.check(node('n1'), w, used({ ports: new Set(['443/tcp']) }))), 'host port 443/tcp in use');
  t.equal(phrase(hostPorts.check(node('n1'), want(), used({ ports: new Set(['80/tcp']) }))), undefined, 'publishes nothing');
});

t.test('max-replicas: below the maximum fits, at it does not', async (t) => {
  t.equal(phrase(maxReplicas.check(node('n1'), want({ maxPerNode: 2 }), used({ replicas: 1 }))), undefined);
  t.equal(phrase(maxReplicas.check(node('n1'), want({ maxPerNode: 2 }), used({ replicas: 2 }))), 'max replicas per node (2) reached');
  t.equal(phrase(maxReplicas.check(node('n1'), want(), used({ replicas: 50 }))), undefined, 'no maximum');
});

t.test('volume-pin: only the nodes holding the data', async (t) => {
  const w = want({ volumes: ['app_data'] }, { pin: { nodes: ['n2'], volume: 'app_data' } });
  t.equal(phrase(volumePin.check(node('n2'), w, used())), undefined);
  t.equal(phrase(volumePin.check(node('n1'), w, used())), 'volume app_data is on n2');
  t.equal(phrase(volumePin.check(node('n1'), want({ volumes: ['app_data'] }), used())), undefined, 'no pin: any node');
});

t.test('each filter names itself and says whether it reads usage', async (t) => {
  const all = [readyActive, resources, memoryEnforced, constraints, platformFilter({}), hostPorts, maxReplicas, volumePin];
  t.same(
    all.map((f) => `${f.name}:${f.usesUsage}`),
    [
      'ready-active:false',
      'resources:true',
      'memory-enforced:false',
      'constraints:false',
      'platform:false',
      'host-ports:true',
      'max-replicas:true',
      'volume-pin:false',
    ],
  );
  for (const f of all) t.ok(f.explain.length > 10, `${f.name} explains itself`);
});
