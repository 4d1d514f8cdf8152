/** The stack -> Kubernetes translation: fixture tables, both sides of each mapping, every object schema-valid. */
import t from 'tap';
import { type K8sObject, translate } from '../../../../controller/engines/k8s/manifests.js';
import { stackOf } from '../../stack/harness.js';
import { schemaProblems } from './schema.js';
import { requirementOf } from '../../../../controller/engines/k8s/placement.js';

const FILES = { '/srv/stacks/home/pw': 'hunter2', '/srv/stacks/home/site.conf': 'x=1\n' };

/** Translates a one-service stack (service `web`) with `body` under it and `top` after. */
function one(body: string, top = '') {
  const indented = body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  const tr = translate(stackOf(`services:\n  web:\n    image: nginx\n${indented}\n${top}`, { files: FILES }), { showSecrets: true });
  for (const o of tr.objects) t.same(schemaProblems(o), [], `${o.kind}/${o.metadata.name} is valid against the schema`);
  return tr;
}
type Json = Record<string, any>;
const find = (objs: K8sObject[], kind: string, name?: string): Json =>
  objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Json;
const podOf = (objs: K8sObject[]): Json => ((find(objs, 'Deployment') ?? find(objs, 'DaemonSet')) as Json).spec.template.spec;
const containerOf = (objs: K8sObject[]): Json => podOf(objs).containers[0];

t.test('mode: replicated is a Deployment with replicas, global a DaemonSet', async (t) => {
  const rep = one('deploy: { replicas: 3 }');
  t.same(
    rep.objects.map((o) => `${o.kind}/${o.metadata.name}`),
    ['Namespace/home', 'Deployment/web'],
  );
  t.equal((find(rep.objects, 'Deployment').spec as { replicas: number }).replicas, 3);
  const glob = one('deploy: { mode: global }');
  t.same(
    glob.objects.map((o) => o.kind),
    ['Namespace', 'DaemonSet'],
  );
  t.notOk((find(glob.objects, 'DaemonSet').spec as Record<string, unknown>).replicas, 'a DaemonSet has no replicas');
});

t.test('resources: reservations are requests, limits are limits, none is none', async (t) => {
  const table: [string, unknown][] = [
    ['deploy: { resources: { limits: { memory: 256M, cpus: "0.5" } } }', { limits: { cpu: '500m', memory: '256Mi' } }],
    ['deploy: { resources: { reservations: { memory: 1G, cpus: "2" } } }', { requests: { cpu: '2', memory: '1Gi' } }],
    [
      'deploy: { resources: { limits: { memory: 1536M }, reservations: { memory: 100000 } } }',
      { requests: { memory: '100000' }, limits: { memory: '1536Mi' } },
    ],
    ['deploy: { replicas: 1 }', undefined],
  ];
  for (const [body, want] of table) t.same(containerOf(one(body).objects).resources, want, body);
  const pids = one('deploy: { resources: { limits: { pids: 100 } } }');
  t.match(pids.warnings.join('\n'), /limits.pids 100 ignored/);
});

t.test('constraints: == is a nodeSelector, != node affinity, unknown keys are refused', async (t) => {
  const sel = one('deploy: { placement: { constraints: ["node.labels.disk == ssd", "node.hostname == pi1", "node.platform.arch == aarch64"] } }');
  t.same(podOf(sel.objects).nodeSelector, { disk: 'ssd', 'kubernetes.io/hostname': 'pi1', 'kubernetes.io/arch': 'arm64' });
  t.notOk(podOf(sel.objects).affinity);
  const ne = one('deploy: { placement: { constraints: ["node.labels.disk != hdd", "node.role == manager"] } }');
  t.notOk(podOf(ne.objects).nodeSelector);
  t.same(podOf(ne.objects).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions, [
    { key: 'disk', operator: 'NotIn', values: ['hdd'] },
    { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
  ]);
  const worker = one('deploy: { placement: { constraints: ["node.role == worker"] } }');
  t.same(podOf(worker.objects).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions, [
    { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' },
  ]);
  t.same(one('deploy: { replicas: 1 }').refusals, []);
  const bad = one('deploy: { placement: { constraints: ["node.labels.x == has space", "node.role == boss"] } }');
  t.equal(bad.refusals.length, 2);
  t.match(bad.refusals[0], /not a valid Kubernetes label value/);
  t.match(bad.refusals[1], /node.role is manager or worker/);
  t.match(requirementOf({ key: 'node.id', op: '==', value: 'x', text: 'node.id == x' }), /node.id has no Kubernetes node label/);
  t.same(requirementOf({ key: 'node.platform.os', op: '!=', value: 'windows', text: '' }), { key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] });
});

t.test('spread preferences are soft topology spread; global ignores them; unmappable ones are refused', async (t) => {
  const tr = one('deploy: { replicas: 4, placement: { preferences: [{ spread: node.labels.zone }] } }');
  t.same(podOf(tr.objects).topologySpreadConstraints, [
    {
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'muster/stack': 'home', 'muster/service': 'web' } },
    },
  ]);
  t.match(tr.warnings.join('\n'), /soft topology spread/);
  t.notOk(podOf(one('deploy: { replicas: 4 }').objects).topologySpreadConstraints);
  const glob = one('deploy: { mode: global, placement: { preferences: [{ spread: node.labels.zone }] } }');
  t.notOk(podOf(glob.objects).topologySpreadConstraints);
  t.match(glob.warnings.join('\n'), /global service runs one pod on every node/);
});

t.test('max_replicas_per_node: 1 is pod anti-affinity on the hostname; above 1 is refused', async (t) => {
  const one1 = one('deploy: { replicas: 3, placement: { max_replicas_per_node: 1 } }');
  t.same(podOf(one1.objects).affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, 'kubernetes.io/hostname');
  const two = one('deploy: { replicas: 3, placement: { max_replicas_per_node: 2 } }');
  t.match(two.refusals.join('\n'), /max_replicas_per_node: 2: Kubernetes caps replicas per node only at 1/);
});

t.test('published ports: ClusterIP on the targets, LoadBalancer on the published ports; none without ports', async (t) => {
  const tr = one('ports: ["8080:80", "53:53/udp"]');
  const inside = find(tr.objects, 'Service', 'web').spec as { type: string; ports: unknown[] };
  const outside = find(tr.objects, 'Service', 'web-published').spec as { type: string; ports: unknown[] };
  t.equal(inside.type, 'ClusterIP');
  t.same(inside.ports, [
    { name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' },
    { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
  ]);
  t.equal(outside.type, 'LoadBalancer');
  t.same(outside.ports, [
    { name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP' },
    { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
  ]);
  t.same(
    one('deploy: { replicas: 1 }').objects.filter((o) => o.kind === 'Service'),
    [],
  );
  t.same(
    one('ports: ["8080:80"]\nnetwork_mode: host').objects.filter((o) => o.kind === 'Service'),
    [],
    'host networking publishes on the node itself',
  );
});

t.test('named volumes are claims, binds hostPath, tmpfs memory emptyDir; external volumes are not created', async (t) => {
  const tr = one('volumes: ["data:/data", "/srv/x:/x:ro"]\ntmpfs: ["/run"]', 'volumes:\n  data: { driver_opts: { size: 5Gi } }\n');
  t.same(find(tr.objects, 'PersistentVolumeClaim', 'data').spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } });
  const pod = podOf(tr.objects);
  t.same(pod.volumes, [
    { name: 'vol-data', persistentVolumeClaim: { claimName: 'data' } },
    { name: 'bind-1', hostPath: { path: '/srv/x' } },
    { name: 'tmp-2', emptyDir: { medium: 'Memory' } },
  ]);
  t.same(pod.containers[0].volumeMounts[1], { name: 'bind-1', mountPath: '/x', readOnly: true });
  const ext = one('volumes: ["media:/media"]', 'volumes:\n  media: { external: true }\n');
  t.notOk(find(ext.objects, 'PersistentVolumeClaim'));
  t.match(ext.warnings.join('\n'), /must exist in namespace home/);
  t.equal(find(one('volumes: ["data:/data"]', 'volumes:\n  data: {}\n').objects, 'PersistentVolumeClaim').spec && 'made', 'made');
  t.match(one('deploy: { replicas: 2 }\nvolumes: ["data:/data"]', 'volumes:\n  data: {}\n').warnings.join('\n'), /ReadWriteOnce/);
  t.notMatch(one('volumes: ["data:/data"]', 'volumes:\n  data: {}\n').warnings.join('\n'), /ReadWriteOnce/, 'one replica: no warning');
});

t.test('secrets and configs: Secret and ConfigMap mounted at the target; contents only when asked', async (t) => {
  const body = 'secrets: [db_password]\nconfigs: [{ source: site, target: /etc/site.conf, mode: 0440 }]';
  const top = 'secrets:\n  db_password: { file: ./pw }\nconfigs:\n  site: { file: ./site.conf }\n';
  const tr = one(body, top);
  t.same((find(tr.objects, 'Secret', 'db-password') as Record<string, unknown>).data, { content: Buffer.from('hunter2').toString('base64') });
  t.same((find(tr.objects, 'ConfigMap', 'site') as Record<string, unknown>).data, { content: 'x=1\n' });
  t.same(containerOf(tr.objects).volumeMounts, [
    { name: 'secret-db-password', mountPath: '/run/secrets/db_password', subPath: 'content', readOnly: true },
    { name: 'config-site', mountPath: '/etc/site.conf', subPath: 'content', readOnly: true },
  ]);
  t.same(podOf(tr.objects).volumes[1], { name: 'config-site', configMap: { name: 'site', defaultMode: 0o440 } });
  const redacted = translate(stackOf(`services:\n  web:\n    image: nginx\n    secrets: [db_password]\n${top}`, { files: FILES }));
  const secret = find(redacted.objects, 'Secret') as Record<string, unknown>;
  t.notOk(secret.data);
  t.notMatch(JSON.stringify(redacted.objects), /hunter2|aHVudGVyMg/, 'the content is nowhere without showSecrets');
  t.same(schemaProblems(secret as K8sObject), []);
});

t.test('env, command and entrypoint: entrypoint is command, command is args', async (t) => {
  const c = containerOf(one('entrypoint: ["/init"]\ncommand: ["serve", "--port", "80"]\nenvironment: { A: "1", B: "" }\nworking_dir: /app').objects);
  t.same(c.command, ['/init']);
  t.same(c.args, ['serve', '--port', '80']);
  t.same(c.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: '' },
  ]);
  t.equal(c.workingDir, '/app');
  const bare = containerOf(one('deploy: { replicas: 1 }').objects);
  t.notOk(bare.command);
  t.notOk(bare.args);
  t.notOk(bare.env);
});

t.test('healthcheck: probes with the interval, timeout and retries; start_period a startup probe; NONE none', async (t) => {
  const c = containerOf(one('healthcheck: { test: ["CMD", "wget", "-q", "localhost"], interval: 10s, timeout: 2s, retries: 5, start_period: 40s }').objects);
  const probe = { exec: { command: ['wget', '-q', 'localhost'] }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 5 };
  t.same(c.livenessProbe, probe);
  t.same(c.readinessProbe, probe);
  t.same(c.startupProbe, { ...probe, failureThreshold: 9 });
  const shell = containerOf(one('healthcheck: { test: "curl -f localhost" }').objects);
  t.same(shell.livenessProbe.exec.command, ['/bin/sh', '-c', 'curl -f localhost']);
  t.notOk(shell.startupProbe);
  const none = containerOf(one('healthcheck: { disable: true }').objects);
  t.notOk(none.livenessProbe);
  t.notOk(none.readinessProbe);
});

t.test('update_config is the rolling update; restart policies other than any are warned about', async (t) => {
  const strategy = (body: string) => (find(one(body).objects, 'Deployment').spec as { strategy: unknown }).strategy;
  t.same(strategy('deploy: { update_config: { parallelism: 2, order: start-first } }'), {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 2, maxUnavailable: 0 },
  });
  t.same(strategy('deploy: { update_config: { parallelism: 1 } }'), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
  t.same(strategy('deploy: { update_config: { parallelism: 0 } }'), { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' } });
  const delayed = one('deploy: { update_config: { delay: 10s, failure_action: rollback } }');
  t.equal((find(delayed.objects, 'Deployment').spec as { minReadySeconds: number }).minReadySeconds, 10);
  t.match(delayed.warnings.join('\n'), /does not roll back/);
  const ds = one('deploy: { mode: global, update_config: { order: start-first } }');
  t.same((find(ds.objects, 'DaemonSet').spec as { updateStrategy: unknown }).updateStrategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
  });
  t.match(one('deploy: { restart_policy: { condition: on-failure } }').warnings.join('\n'), /restart_policy on-failure/);
  t.notMatch(one('deploy: { restart_policy: { condition: any } }').warnings.join('\n'), /restart_policy/);
  t.equal(podOf(one('deploy: { replicas: 1 }').objects).restartPolicy, 'Always');
});

t.test('update_config.monitor and rollback_config: warned about when written; at the defaults, nothing', async (t) => {
  const said = (body: string) => one(body).warnings.join('\n');
  t.match(said('deploy: { update_config: { monitor: 30s } }'), /web: update_config\.monitor 30s ignored: Kubernetes does not watch a new pod/);
  t.notMatch(said('deploy: { update_config: { parallelism: 2 } }'), /monitor/, 'monitor not written: nothing');
  t.match(
    said('deploy: { rollback_config: { parallelism: 0, order: start-first } }'),
    /web: rollback_config ignored: a rollback .* follows the update strategy/,
  );
  t.notMatch(said('deploy: { replicas: 2 }'), /rollback_config/, 'no rollback_config: nothing');
  t.notMatch(said('deploy: { update_config: { order: start-first } }'), /rollback_config/, 'update_config alone: nothing about rollback');
});

t.test('network_mode: bridge is warned about; host is hostNetwork; none is refused; absent, nothing', async (t) => {
  const bridge = one('network_mode: bridge');
  t.match(bridge.warnings.join('\n'), /web: network_mode bridge ignored: a pod has its own network/);
  t.equal(podOf(bridge.objects).hostNetwork, undefined);
  t.notMatch(one('ports: ["8080:80"]').warnings.join('\n'), /network_mode/);
  t.equal(podOf(one('network_mode: host').objects).hostNetwork, true);
  t.notMatch(one('network_mode: host').warnings.join('\n'), /network_mode bridge/);
});

t.test('stop_grace_period is terminationGracePeriodSeconds, 0 kept, a fraction rounded up and told; absent, none', async (t) => {
  t.equal(podOf(one('stop_grace_period: 1m30s').objects).terminationGracePeriodSeconds, 90);
  t.equal(podOf(one('stop_grace_period: 0s').objects).terminationGracePeriodSeconds, 0);
  const half = one('stop_grace_period: 1500ms');
  t.equal(podOf(half.objects).terminationGracePeriodSeconds, 2);
  t.match(half.warnings.join('\n'), /web: stop_grace_period 1.5s is terminationGracePeriodSeconds 2 \(whole seconds\)/);
  t.notOk('terminationGracePeriodSeconds' in podOf(one('').objects));
  t.notMatch(one('stop_grace_period: 30s').warnings.join('\n'), /stop_grace_period/);
});

t.test('labels: valid ones are labels, others annotations; security context; devices are refused', async (t) => {
  const tr = one('labels: { tier: web, note: "has spaces" }\ndeploy: { labels: { team: home } }\nuser: "1000:1000"\ncap_add: [NET_ADMIN]\nprivileged: true');
  const d = find(tr.objects, 'Deployment') as unknown as {
    metadata: { labels: Record<string, string> };
    spec: { template: { metadata: Record<string, unknown> } };
  };
  t.equal(d.metadata.labels.team, 'home');
  t.equal((d.spec.template.metadata.labels as Record<string, string>).tier, 'web');
  t.same(d.spec.template.metadata.annotations, { note: 'has spaces' });
  t.same(containerOf(tr.objects).securityContext, { runAsUser: 1000, runAsGroup: 1000, privileged: true, capabilities: { add: ['NET_ADMIN'] } });
  t.notOk(containerOf(one('deploy: { replicas: 1 }').objects).securityContext);
  t.match(one('user: www-data').refusals.join('\n'), /numeric ids only/);
  t.match(one('devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]').refusals.join('\n'), /Kubernetes has no devices key; add privileged: true/);
  const dev = one('devices: ["/dev/ttyUSB0:/dev/ttyACM0:r"]\nprivileged: true');
  t.same(dev.refusals, []);
  t.same(podOf(dev.objects).volumes, [{ name: 'dev-0', hostPath: { path: '/dev/ttyUSB0', type: 'CharDevice' } }]);
  t.same(containerOf(dev.objects).volumeMounts, [{ name: 'dev-0', mountPath: '/dev/ttyACM0' }]);
  t.match(dev.warnings.join('\n'), /device permissions ignored/);
});

t.test('names: DNS-1123 from Compose names, clashes and digit-first names refused, output deterministic', async (t) => {
  const tr = translate(stackOf('services:\n  my_app:\n    image: a\n  My-App:\n    image: b\n  9lives:\n    image: c\n'));
  t.match(tr.refusals.join('\n'), /both become "my-app"/);
  t.match(tr.refusals.join('\n'), /service 9lives: no valid Kubernetes name/);
  const text = 'services:\n  b:\n    image: b\n    ports: ["81:80"]\n  a:\n    image: a\n    deploy: { mode: global }\n';
  t.same(translate(stackOf(text)).objects, translate(stackOf(text)).objects);
  t.same(
    translate(stackOf(text, { name: 'my_stack' })).objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    ['Namespace//my-stack', 'Deployment/my-stack/b', 'DaemonSet/my-stack/a', 'Service/my-stack/b', 'Service/my-stack/b-published'],
  );
  t.match(translate(stackOf(text, { name: '1stack' })).refusals.join('\n'), /no Kubernetes namespace name/);
});

t.test('a memory limit constrains to nodes that enforce it; none does not; a written constraint wins', async (t) => {
  const limited = one('deploy: { resources: { limits: { memory: 64M } } }');
  t.same(podOf(limited.objects).nodeSelector, { 'muster.memory-enforced': 'true' });
  t.match(limited.warnings.join('\n'), /muster adds that to its node selector/);
  t.notOk(podOf(one('deploy: { resources: { reservations: { memory: 64M } } }').objects).nodeSelector);
  const written = one('deploy: { resources: { limits: { memory: 64M } }, placement: { constraints: ["node.labels.muster.memory-enforced == false"] } }');
  t.same(podOf(written.objects).nodeSelector, { 'muster.memory-enforced': 'false' });
});

t.test('a secret or config content change changes the pod template (the pods roll); none, no annotation', async (t) => {
  const body = 'secrets: [db_password]';
  const top = 'secrets:\n  db_password: { file: ./pw }\n';
  const digest = (pw: string) => {
    const tr = translate(stackOf(`services:\n  web:\n    image: nginx\n    ${body}\n${top}`, { files: { '/srv/stacks/home/pw': pw } }));
    return find(tr.objects, 'Deployment').spec.template.metadata.annotations?.['muster/files-digest'];
  };
  t.match(digest('a'), /^[0-9a-f]{16}$/);
  t.equal(digest('a'), digest('a'));
  t.not(digest('a'), digest('b'));
  t.notOk(find(one('deploy: { replicas: 1 }').objects, 'Deployment').spec.template.metadata.annotations);
});
