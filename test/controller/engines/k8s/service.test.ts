/** The Services of a service: exposed ports on its ClusterIP Service, dnsrr a headless one, every object schema-valid. */
import t from 'tap';
import { type K8sObject, translate } from '../../../../controller/engines/k8s/manifests.js';
import { stackOf } from '../../stack/harness.js';
import { schemaProblems } from './schema.js';

type Json = Record<string, any>;

/** The Services of a one-service stack (service `web`) with `body` under it, each checked against the schema. */
function services(body: string): { objects: Json[]; warnings: string[] } {
  const indented = body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  const tr = translate(stackOf(`services:\n  web:\n    image: nginx\n${indented}\n`));
  for (const o of tr.objects) t.same(schemaProblems(o), [], `${o.kind}/${o.metadata.name} is valid against the schema`);
  t.same(tr.refusals, []);
  return { objects: tr.objects.filter((o: K8sObject) => o.kind === 'Service') as Json[], warnings: tr.warnings };
}
const spec = (objs: Json[], name: string): Json => objs.find((o) => o.metadata.name === name)?.spec;

t.test('expose: the ClusterIP Service answers on the exposed ports; no LoadBalancer for them', async (t) => {
  const { objects, warnings } = services('expose: ["8080", "53/udp"]');
  t.same(
    objects.map((o) => o.metadata.name),
    ['web'],
  );
  t.same(spec(objects, 'web'), {
    type: 'ClusterIP',
    selector: { 'muster/stack': 'home', 'muster/service': 'web' },
    ports: [
      { name: 'tcp-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
      { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' },
    ],
  });
  t.notMatch(warnings.join('\n'), /LoadBalancer/, 'nothing published, nothing said about it');
});

t.test('expose beside ports: one ClusterIP port list, a port in both named once; the LoadBalancer only publishes', async (t) => {
  const { objects } = services('ports: ["8080:80"]\nexpose: ["80", "9090"]');
  t.same(spec(objects, 'web').ports, [
    { name: 'tcp-80', port: 80, targetPort: 80, protocol: 'TCP' },
    { name: 'tcp-9090', port: 9090, targetPort: 9090, protocol: 'TCP' },
  ]);
  t.same(spec(objects, 'web-published').ports, [{ name: 'tcp-8080', port: 8080, targetPort: 80, protocol: 'TCP' }]);
});

t.test('no ports, no expose, vip: no Service; host networking: none either, said', async (t) => {
  t.same(services('deploy: { endpoint_mode: vip }').objects, []);
  const host = services('expose: ["80"]\nnetwork_mode: host');
  t.same(host.objects, []);
  t.match(host.warnings.join('\n'), /web: network_mode host: its ports are the node's own, no Service is made/);
});

t.test('endpoint_mode dnsrr: the ClusterIP Service is headless, with or without ports', async (t) => {
  const bare = services('deploy: { endpoint_mode: dnsrr }').objects;
  t.same(spec(bare, 'web'), { type: 'ClusterIP', clusterIP: 'None', selector: { 'muster/stack': 'home', 'muster/service': 'web' } });
  const exposed = services('deploy: { endpoint_mode: dnsrr }\nexpose: ["5432"]').objects;
  t.equal(spec(exposed, 'web').clusterIP, 'None');
  t.same(spec(exposed, 'web').ports, [{ name: 'tcp-5432', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
  const published = services('deploy: { endpoint_mode: dnsrr }\nports: [{ target: 80, published: 8080, mode: host }]').objects;
  t.equal(spec(published, 'web').clusterIP, 'None');
  t.equal(spec(published, 'web-published').type, 'LoadBalancer', 'published ports still reach the nodes');
  t.notOk('clusterIP' in spec(services('ports: ["8080:80"]').objects, 'web'), 'vip: a cluster IP');
});
