/** `muster export --engine k8s STACK`: multi-document YAML on stdout, refusals as errors, secrets left out. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../../controller/cli.js';
import type { K8sObject } from '../../../../controller/engines/k8s/manifests.js';
import { schemaProblems } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'muster-export-'));
writeFileSync(join(dir, 'pw.txt'), 'hunter2');
const STACK = `name: home
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    secrets: [pw]
    deploy: { replicas: 2, resources: { limits: { memory: 128M } } }
  node-exporter:
    image: prom/node-exporter
    deploy: { mode: global }
secrets:
  pw: { file: ./pw.txt }
`;
writeFileSync(join(dir, 'stack.yml'), STACK);
writeFileSync(join(dir, 'bad.yml'), 'services:\n  s:\n    image: x\n    devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]\n');

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (s) => {
      out += s;
    },
    (s) => {
      err += s;
    },
  );
  return { code, out, err };
}

t.test('prints valid manifests, warnings as comments, no secret content', async (t) => {
  const r = await run('export', '--engine', 'k8s', join(dir, 'stack.yml'));
  t.equal(r.code, 0, r.err);
  const docs = parseAllDocuments(r.out).map((d) => d.toJS() as K8sObject);
  t.same(
    docs.map((d) => `${d.kind}/${d.metadata.name}`),
    ['Namespace/home', 'Secret/pw', 'Deployment/web', 'DaemonSet/node-exporter', 'Service/web', 'Service/web-published'],
  );
  for (const d of docs) t.same(schemaProblems(d), [], `${d.kind}/${d.metadata.name} validates`);
  t.match(r.out, /^# warning: service web: published ports 8080 are a LoadBalancer Service/m);
  t.notMatch(r.out, /hunter2|aHVudGVyMg/);
  const shown = await run('export', '--engine', 'k8s', '--show-secrets', join(dir, 'stack.yml'));
  t.match(shown.out, /content: aHVudGVyMg==/);
  const again = await run('export', '--engine', 'k8s', join(dir, 'stack.yml'));
  t.equal(again.out, r.out, 'the same output twice');
});

t.test('refuses what cannot map, and bad options', async (t) => {
  const r = await run('export', '--engine', 'k8s', join(dir, 'bad.yml'));
  t.equal(r.code, 1);
  t.equal(r.out, '');
  t.match(r.err, /cannot run on Kubernetes as written/);
  t.match(r.err, /Kubernetes has no devices key/);
  t.equal((await run('export', join(dir, 'stack.yml'))).code, 5, 'no --engine');
  t.match((await run('export', '--engine', 'swarm', join(dir, 'stack.yml'))).err, /--engine swarm cannot export/);
  t.equal((await run('export', '--engine', 'k8s')).code, 5, 'no stack');
});

t.test('the example stacks: lab exports, every object valid; home is refused with its two reasons', async (t) => {
  const lab = await run('export', '--engine', 'k8s', 'examples/stacks/lab.yml');
  t.equal(lab.code, 0, lab.err);
  const docs = parseAllDocuments(lab.out).map((d) => d.toJS() as K8sObject);
  t.ok(docs.length >= 3);
  for (const d of docs) t.same(schemaProblems(d), [], `${d.kind}/${d.metadata.name} validates`);
  const home = await run('export', '--engine', 'k8s', 'examples/stacks/home.yml');
  t.equal(home.code, 1);
  t.match(home.err, /service web: max_replicas_per_node: 2/);
  t.match(home.err, /service zigbee2mqtt: devices \(\/dev\/ttyUSB0\)/);
});

t.test("warnings true only of muster's own engine are not printed; the stack's others are", async (t) => {
  writeFileSync(
    join(dir, 'native.yml'),
    'name: n\nservices:\n  s:\n    image: x\n    build: .\n    deploy: { labels: { a: b }, restart_policy: { max_attempts: 3 } }\n',
  );
  const r = await run('export', '--engine', 'k8s', join(dir, 'native.yml'));
  t.equal(r.code, 0, r.err);
  t.notMatch(r.out, /not used by muster's own engine/, 'native-only warnings left out');
  t.match(r.out, /# warning: [^\n]*ignoring keys[^#]*services\.s\.build/, 'a warning true of every engine is kept');
  const native = await run('deploy', '-i', join(dir, 'none.yml'), join(dir, 'native.yml'), '--dry-run');
  t.match(native.out + native.err, /not used by muster's own engine/, "muster's own deploy prints them");
});
