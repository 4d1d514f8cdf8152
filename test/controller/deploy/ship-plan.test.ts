/** The pure side of --ship-images: which node lacks which image, once per node and image, and the plan's notes. */
import t from 'tap';
import { missingNotes, nodeHasImage, nodePlatform, normalRef, shipJobs, shipLines } from '../../../controller/deploy/ship-plan.js';
import type { NodeReport } from '../../../shared/wire.js';
import { sampleReport } from '../../agent/sample-report.js';
import { assign } from './fixtures.js';

const report = (tags: string[][], arch: string | null = 'arm64'): NodeReport => {
  const r = sampleReport();
  return {
    ...r,
    node: { ...r.node, arch: { raw: 'x', normalised: arch } },
    images: tags.map((t, i) => ({ id: `sha256:${i}`, tags: t, os: 'linux', arch: arch ?? 'amd64' })),
  };
};

t.test('normalRef', async (t) => {
  const rows: [string, string][] = [
    ['busybox', 'busybox:latest'],
    ['busybox:1', 'busybox:1'],
    ['docker.io/library/busybox:1', 'busybox:1'],
    ['docker.io/me/app', 'me/app:latest'],
    ['registry:5000/app', 'registry:5000/app:latest'],
    ['registry:5000/app:2', 'registry:5000/app:2'],
    ['app@sha256:abc', 'app@sha256:abc'],
  ];
  for (const [i, o] of rows) t.equal(normalRef(i), o, i);
});

t.test('nodeHasImage: by any tag spelling; unknown without images or report', async (t) => {
  const r = report([['muster-busybox:1'], ['docker.io/library/redis:7', 'app:latest']]);
  t.equal(nodeHasImage(r, 'muster-busybox:1'), true);
  t.equal(nodeHasImage(r, 'redis:7'), true);
  t.equal(nodeHasImage(r, 'app'), true, 'no tag is :latest');
  t.equal(nodeHasImage(r, 'muster-busybox:2'), false, 'another tag');
  t.equal(nodeHasImage(r, 'sha256:1'), true, 'by id');
  t.equal(nodeHasImage({ ...r, images: undefined }, 'x:1'), undefined, 'an older agent says nothing');
  t.equal(nodeHasImage(undefined, 'x:1'), undefined, 'no report');
});

t.test('nodePlatform', async (t) => {
  t.equal(nodePlatform(report([], 'arm/v7')), 'linux/arm/v7');
  t.equal(nodePlatform(report([], null)), undefined);
  t.equal(nodePlatform(undefined), undefined);
});

t.test('shipJobs: once per node and image however many replicas; nodes that have it or say nothing are left out', async (t) => {
  const reports = new Map<string, NodeReport | undefined>([
    ['pi-1', report([['other:1']])],
    ['pi-2', report([['app:1']], 'amd64')],
    ['old', { ...report([]), images: undefined }],
    ['down', undefined],
  ]);
  const images: Record<string, string> = { web: 'app:1', db: 'db:2' };
  const jobs = shipJobs(
    [
      assign('create', 'web', 1, 'pi-1'),
      assign('create', 'web', 2, 'pi-2'),
      assign('create', 'web', 3, 'pi-1'),
      assign('create', 'db', 1, 'pi-1'),
      assign('create', 'db', 2, 'pi-2'),
      assign('create', 'web', 4, 'old'),
      assign('create', 'web', 5, 'down'),
      assign('create', 'web', 0, 'pi-1'),
    ],
    (a) => images[a.service],
    reports,
  );
  t.same(jobs, [
    { node: 'pi-1', image: 'app:1', platform: 'linux/arm64', replicas: ['web.1', 'web.3', 'web'] },
    { node: 'pi-1', image: 'db:2', platform: 'linux/arm64', replicas: ['db.1'] },
    { node: 'pi-2', image: 'db:2', platform: 'linux/amd64', replicas: ['db.2'] },
  ]);
  t.same(
    shipJobs([assign('keep', 'web', 2, 'pi-2')], () => 'app:1', reports),
    [],
    'nothing lacks: nothing to ship',
  );
  t.same(missingNotes(jobs.slice(0, 1)), [
    'web.1 on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images',
    'web.3 on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images',
    'web on pi-1: image app:1 is not on the node; it will be pulled, or use --ship-images',
  ]);
  t.same(shipLines(jobs.slice(1, 2)), ['ship db:2 to pi-1 (linux/arm64) for db.1']);
  t.same(shipLines([{ node: 'x', image: 'i:1', replicas: ['a.1'] }]), ['ship i:1 to x for a.1'], 'no platform known');
});
