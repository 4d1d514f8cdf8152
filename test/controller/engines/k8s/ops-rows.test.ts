/** The rows of services and ps --engine k3s from listed objects, on both sides of each state. */
import t from 'tap';
import {
  allPodsRunning,
  allServicesRunning,
  type PodItem,
  podRows,
  portsOf,
  serviceRows,
  type WorkloadItem,
} from '../../../../controller/engines/k8s/ops-rows.js';

const deployment = (name: string, status: WorkloadItem['status'], replicas = 2): WorkloadItem => ({
  kind: 'Deployment',
  metadata: { name, generation: 3, labels: { 'muster/service': name } },
  spec: { replicas, template: { spec: { containers: [{ image: 'nginx' }] } } },
  status,
});

t.test('services: ready/desired and the rollout, complete only when every replica is updated and available', async (t) => {
  const done = deployment('web', { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
  const old = deployment('web', { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
  const stalled = deployment('web', {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 1,
    readyReplicas: 1,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
  });
  t.match(serviceRows([done], []), [{ ready: 2, desired: 2, rollout: 'complete', mode: 'replicated', image: 'nginx' }]);
  t.ok(allServicesRunning(serviceRows([done], [])));
  t.match(serviceRows([old], []), [{ ready: 2, rollout: 'progressing' }], 'a generation not yet observed is not rolled out');
  t.notOk(allServicesRunning(serviceRows([old], [])));
  t.match(serviceRows([stalled], []), [{ ready: 1, rollout: 'stalled' }]);
  const ds: WorkloadItem = {
    kind: 'DaemonSet',
    metadata: { name: 'agent', generation: 1 },
    spec: {},
    status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2, numberReady: 2 },
  };
  t.match(serviceRows([ds], []), [{ mode: 'global', ready: 2, desired: 3, rollout: 'progressing', image: '-' }]);
  t.same(
    serviceRows([deployment('b', {}), deployment('a10', {}), deployment('a9', {})], []).map((r) => r.name),
    ['a9', 'a10', 'b'],
  );
});

t.test('ports: the published ones, else those inside the cluster, else none', async (t) => {
  const svc = (name: string, type: string, ports: { port: number; targetPort?: number; protocol?: string }[]) => ({
    metadata: { name, labels: { 'muster/service': 'web' } },
    spec: { type, ports },
  });
  const inside = svc('web', 'ClusterIP', [{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  const published = svc('web-published', 'LoadBalancer', [
    { port: 8080, targetPort: 80, protocol: 'TCP' },
    { port: 53, targetPort: 53, protocol: 'UDP' },
  ]);
  t.same(portsOf('web', [inside, published]), ['*:8080->80/tcp', '*:53->53/udp']);
  t.same(portsOf('web', [inside]), ['80/tcp']);
  t.same(portsOf('api', [inside, published]), []);
});

t.test('ps: running means phase Running and every container ready; terminating pods do not count', async (t) => {
  const pod = (name: string, status: PodItem['status'], deleting = false): PodItem => ({
    metadata: { name, labels: { 'muster/service': 'web' }, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'n1' },
    status,
  });
  const ok = pod('a', { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2, state: { running: {} } }] });
  const unready = pod('b', { phase: 'Running', containerStatuses: [{ ready: false, state: { running: {} } }] });
  const crashed = pod('c', { phase: 'Running', containerStatuses: [{ ready: false, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] });
  const evicted = pod('d', { phase: 'Failed', reason: 'Evicted' });
  const going = pod('e', { phase: 'Running', containerStatuses: [{ ready: false }] }, true);
  t.match(podRows([ok]), [{ running: true, ready: '1/1', restarts: 2, reason: '', service: 'web', node: 'n1' }]);
  t.ok(allPodsRunning(podRows([ok])));
  t.match(podRows([unready]), [{ running: false, ready: '0/1', reason: '' }]);
  t.notOk(allPodsRunning(podRows([ok, unready])));
  t.match(podRows([crashed]), [{ running: false, reason: 'OOMKilled' }]);
  t.match(podRows([evicted]), [{ phase: 'Failed', reason: 'Evicted' }]);
  t.match(podRows([going]), [{ phase: 'Terminating' }]);
  t.ok(allPodsRunning(podRows([ok, going])), 'a pod being deleted does not make ps fail');
});
