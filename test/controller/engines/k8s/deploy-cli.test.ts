/** `muster deploy --engine k3s STACK` through the CLI, with a kubeconfig that points at the fake API server. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { deployCommand } from '../../../../controller/cli/deploy.js';
import { kubeconfigPath } from '../../../../controller/engines/k8s/deploy-command.js';
import { MusterError } from '../../../../shared/errors.js';
import { startFakeApiServer, writeKubeconfig } from './fake-apiserver.js';

const dir = mkdtempSync(join(tmpdir(), 'muster-k3s-deploy-'));
writeFileSync(join(dir, 'stack.yml'), 'name: lab\nservices:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    deploy: { replicas: 2 }\n');

t.test('applies through the kubeconfig, waits, exits 0; --dry-run writes nothing', async (t) => {
  const fake = await startFakeApiServer();
  t.teardown(() => fake.close());
  const kubeconfig = writeKubeconfig(fake, join(dir, 'kubeconfig.yaml'));

  let out = '';
  const io = { out: (s: string) => void (out += s), env: { MUSTER_STATE_DIR: join(dir, 'state') }, tty: false, now: Date.now, sleep: async () => {} };
  const dry = await deployCommand(['--engine', 'k3s', '--kubeconfig', kubeconfig, '--dry-run', join(dir, 'stack.yml')], io.out, io);
  t.equal(dry, 0);
  t.match(out, /would apply: Deployment lab\/web/);
  t.equal(fake.requests.length, 0, 'a dry run sends nothing');
  out = '';
  const code = await deployCommand(['--engine=k3s', '--kubeconfig', kubeconfig, join(dir, 'stack.yml')], io.out, io);
  t.equal(code, 0, out);
  t.match(out, /applied: Deployment lab\/web/);
  t.match(out, /stack lab: 4 object\(s\) applied, 0 pruned, every workload rolled out/);
  t.match(out, /node labels: not updated/);
  t.ok(fake.requests.every((q) => q.authorization === `Bearer ${fake.token}`));
  fake.stuck = true;
  out = '';
  t.equal(await deployCommand(['--engine', 'k3s', '--kubeconfig', kubeconfig, '-T', '1', join(dir, 'stack.yml')], io.out, io), 2);
  t.match(out, /not rolled out after 1s: Deployment lab\/web/);
});

t.test("the kubeconfig is the k3s playbook's by default; a missing one is a clear error", async (t) => {
  t.equal(kubeconfigPath(undefined, { MUSTER_STATE_DIR: '/state' }), '/state/kubeconfig-k3s.yaml');
  t.equal(kubeconfigPath('/k', { MUSTER_STATE_DIR: '/state' }), '/k');
  const io = { out: () => {}, env: { MUSTER_STATE_DIR: join(dir, 'none') }, tty: false, now: Date.now, sleep: async () => {} };
  const e = await deployCommand(['--engine', 'k3s', join(dir, 'stack.yml')], io.out, io).catch((x: unknown) => x);
  t.ok(e instanceof MusterError);
  t.match((e as MusterError).message, /kubeconfig-k3s.yaml/);
  t.match((e as MusterError).message, /^no kubeconfig at /);
  t.match((e as MusterError).hint, /muster play -i INV k3s/);
});

t.test("warnings about muster's own engine are not printed on the k3s path; the others are", async (t) => {
  const file = join(dir, 'mesh.yml');
  writeFileSync(
    file,
    'name: mesh\nservices:\n  w:\n    image: x\n    ports: [{ target: 80, published: 8080, mode: ingress }]\n    deploy: { labels: { team: web }, mode: global, replicas: 2 }\n',
  );
  let out = '';
  const io = { out: (s: string) => void (out += s), env: { MUSTER_STATE_DIR: join(dir, 'state') }, tty: false, now: Date.now, sleep: async () => {} };
  t.equal(await deployCommand(['--engine', 'k3s', '--dry-run', file], io.out, io), 0, out);
  t.notMatch(out, /routing mesh/, "servicelb listens on every node: not muster's host mode");
  t.notMatch(out, /no service object/, 'the DaemonSet carries the deploy labels');
  t.match(out, /\[WARNING\]: .*deploy\.replicas: ignored for a global service/, 'a warning for every engine is printed');
});
