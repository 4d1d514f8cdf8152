import t from 'tap';
import { fileURLToPath } from 'node:url';
import { collectInventory, type PlatformCache, volumeReport } from '../../../agent/report/inventory.js';
import { reporter } from '../../../agent/report/reporter.js';
import { hostFiles } from '../../../agent/report/collect.js';
import type { LoopStatus } from '../../../agent/reconcile/loop.js';
import { FakeDocker } from '../docker/fake-docker.js';

const MiB = 1024 * 1024;

t.test('volumes: the stack label, or null for volumes muster did not make', async (t) => {
  const rows: [Record<string, string>, string | null][] = [
    [{ 'io.muster.stack': 'db', 'io.muster.managed': 'default' }, 'db'],
    [{}, null],
    [{ 'com.docker.compose.project': 'x' }, null],
  ];
  for (const [labels, stack] of rows) t.same(volumeReport({ name: 'v', labels }), { name: 'v', stack }, JSON.stringify(labels));
});

t.test('images are inspected once per id; removed ones leave the cache', async (t) => {
  const docker = new FakeDocker('s');
  docker.volumeList = [
    { name: 'web_data', labels: { 'io.muster.stack': 'web' } },
    { name: 'a-local-one', labels: {} },
  ];
  docker.imageList = [
    { id: 'sha256:1', tags: ['b:1', 'a:1'], os: 'linux', architecture: 'amd64' },
    { id: 'sha256:2', tags: [], os: 'linux', architecture: 'arm', variant: 'v7' },
  ];
  docker.foreignPortList = [{ port: 80, protocol: 'tcp' }];
  const cache: PlatformCache = new Map();
  const first = await collectInventory(docker, cache);
  t.same(first, {
    volumes: [
      { name: 'a-local-one', stack: null },
      { name: 'web_data', stack: 'web' },
    ],
    images: [
      { id: 'sha256:1', tags: ['a:1', 'b:1'], os: 'linux', arch: 'amd64' },
      { id: 'sha256:2', tags: [], os: 'linux', arch: 'arm/v7' },
    ],
    portsInUse: [{ port: 80, protocol: 'tcp' }],
  });
  t.same(docker.inspected, ['sha256:1', 'sha256:2'], 'each new id inspected');

  docker.imageList[0].tags.push('c:1'); // a new tag on a known image: seen in the list, no inspect needed
  const second = await collectInventory(docker, cache);
  t.same(docker.inspected, ['sha256:1', 'sha256:2'], 'no inspect for ids seen before');
  t.same(second.images[0].tags, ['a:1', 'b:1', 'c:1'], 'tags come from the list every time');

  docker.imageList = [docker.imageList[1], { id: 'sha256:3', tags: ['n:1'], os: 'linux', architecture: 'arm64', variant: 'v8' }];
  const third = await collectInventory(docker, cache);
  t.same(docker.inspected, ['sha256:1', 'sha256:2', 'sha256:3'], 'only the new one');
  t.same([...cache.keys()].sort(), ['sha256:2', 'sha256:3'], 'a removed image leaves the cache');
  t.same(third.images[1], { id: 'sha256:3', tags: ['n:1'], os: 'linux', arch: 'arm64' });

  // Removed between the list and its inspect: left out, not guessed, and asked again next time.
  docker.imageList.push({ id: 'sha256:4', tags: [], os: 'linux', architecture: 'amd64' });
  const inspect = docker.inspectImage.bind(docker);
  docker.inspectImage = async (ref) => (ref === 'sha256:4' ? undefined : inspect(ref));
  t.same(
    (await collectInventory(docker, cache)).images.map((i) => i.id),
    ['sha256:2', 'sha256:3'],
  );
  t.notOk(cache.has('sha256:4'));
});

t.test('the report carries volumes, images and ports; a failed list leaves them out', async (t) => {
  const docker = new FakeDocker('s');
  docker.volumeList = [{ name: 'db_data', labels: { 'io.muster.stack': 'db' } }];
  docker.imageList = [{ id: 'sha256:1', tags: ['a:1'], os: 'linux', architecture: 'amd64' }];
  docker.foreignPortList = [{ port: 5353, protocol: 'udp' }];
  const loop: LoopStatus = { converged: true, lastAction: null, lastError: null, observed: [] };
  const rep = reporter({
    files: hostFiles(fileURLToPath(new URL('../../fixtures/agent/hosts/pi4-bookworm-v2', import.meta.url))),
    identity: { hostname: 'pi', kernel: '6.6', machine: 'aarch64' },
    docker,
    agentVersion: '0.1.0',
    labels: {},
    availability: () => 'drain',
    desired: () => null,
    loop: () => loop,
    waitingFor: () => undefined,
    agentRss: () => 30 * MiB,
    maxAgeMs: 10_000,
  });
  const r = await rep.refresh();
  t.same(r.volumes, [{ name: 'db_data', stack: 'db' }]);
  t.same(r.images, [{ id: 'sha256:1', tags: ['a:1'], os: 'linux', arch: 'amd64' }]);
  t.same(r.portsInUse, [{ port: 5353, protocol: 'udp' }]);
  t.same({ available: r.node.available, availability: r.node.availability }, { available: false, availability: 'drain' });
  t.same(docker.inspected, ['sha256:1']);
  await rep.refresh();
  t.same(docker.inspected, ['sha256:1'], 'the next report inspects nothing');

  docker.volumes = async () => {
    throw new Error('volumes exploded');
  };
  const partial = await rep.refresh();
  t.equal(partial.volumes, undefined, 'left out, not guessed');
  t.equal(partial.images, undefined);
  t.match(partial.docker, { reachable: true }, 'the rest of the report stands');
});
