/** Node labels from the agents' reports, and their apply against the fake API server. */
import t from 'tap';
import { httpsApi } from '../../../../controller/engines/k8s/api.js';
import { applyNodeLabels, type NodeFacts, nodeLabels } from '../../../../controller/engines/k8s/node-labels.js';
import type { K8sObject } from '../../../../controller/engines/k8s/manifests.js';
import { startFakeApiServer } from './fake-apiserver.js';
import { schemaProblems } from './schema.js';

const pi: NodeFacts = {
  hostname: 'Pi1',
  arch: 'arm/v7',
  memoryEnforced: false,
  allocatableBytes: 700 * 2 ** 20 + 5,
  labels: { zone: 'attic', 'bad key!': 'x', note: 'has space' },
};
const nuc: NodeFacts = { hostname: 'nuc', arch: 'amd64', memoryEnforced: true, allocatableBytes: null, labels: {} };

t.test('labels: arch, memory enforced both ways, allocatable when known, valid config labels', async (t) => {
  t.same(nodeLabels(pi), {
    labels: { zone: 'attic', 'muster.arch': 'arm-v7', 'muster.memory-enforced': 'false', 'muster.memory-allocatable-bytes': '734003205' },
    skipped: ['bad key!', 'note'],
  });
  t.same(nodeLabels(nuc), { labels: { 'muster.arch': 'amd64', 'muster.memory-enforced': 'true' }, skipped: [] });
});

t.test('applied with server-side apply under its own field manager; a node k3s lacks is not created', async (t) => {
  const fake = await startFakeApiServer();
  t.teardown(() => fake.close());
  fake.objects.set('/api/v1/nodes/pi1', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'pi1', generation: 1 } });
  const api = httpsApi({ server: fake.url, ca: fake.caPem, token: fake.token, insecure: false, context: 't' });
  const r = await applyNodeLabels(api, [pi, nuc]);
  t.same(r, { labelled: ['pi1'], missing: ['nuc'] });
  const patch = fake.requests.filter((q) => q.method === 'PATCH');
  t.equal(patch.length, 1, 'no apply for the missing node');
  t.equal(patch[0].path, '/api/v1/nodes/pi1');
  t.same(patch[0].query, { fieldManager: 'muster-node-labels', force: 'true' });
  t.equal(patch[0].contentType, 'application/apply-patch+yaml');
  const body = JSON.parse(patch[0].body ?? '') as K8sObject;
  t.same(body.metadata, { name: 'pi1', labels: nodeLabels(pi).labels });
  t.same(schemaProblems(body), []);
  t.notOk(fake.objects.has('/api/v1/nodes/nuc'));
  fake.failures.set('/api/v1/nodes/pi1', { status: 403, body: { message: 'nodes "pi1" is forbidden' } });
  await t.rejects(applyNodeLabels(api, [pi]), /read Node pi1: forbidden \(403\)/);
});
