/** `muster services|ps|rm --engine k3s STACK` through the CLI commands, against the fake API server. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { deployCommand } from '../../../../controller/cli/deploy.js';
import { psCommand } from '../../../../controller/cli/ps.js';
import { rmCommand } from '../../../../controller/cli/rm.js';
import { servicesCommand } from '../../../../controller/cli/services.js';
import { k3sRecord } from '../../../../controller/engines/k8s/record.js';
import { MusterError } from '../../../../shared/errors.js';
import { addPod, type FakeApiServer, startFakeApiServer, writeKubeconfig } from './fake-apiserver.js';

const dir = mkdtempSync(join(tmpdir(), 'muster-k3s-ops-'));
const stackFile = join(dir, 'stack.yml');
writeFileSync(
  stackFile,
  'name: lab\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    deploy: { replicas: 2 }\n  agent:\n    image: busybox\n    deploy: { mode: global }\n    volumes: [data:/data]\nvolumes: { data: {} }\n',
);

const kubeconfigFor = (fake: FakeApiServer, name: string) => writeKubeconfig(fake, join(dir, name));

// A clock that moves only when the command sleeps.
function ioFor(state: string) {
  const io = {
    text: '',
    clock: 0,
    out: (s: string) => void (io.text += s),
    env: { MUSTER_STATE_DIR: state },
    tty: false,
    now: () => io.clock,
    sleep: async (ms: number) => void (io.clock += ms),
  };
  return io;
}

async function deployed(t: Test) {
  const fake = await startFakeApiServer();
  t.teardown(() => fake.close());
  const kubeconfig = kubeconfigFor(fake, `kubeconfig-${fake.url.split(':').at(-1)}.yaml`);
  const state = mkdtempSync(join(dir, 'state-'));
  const io = ioFor(state);
  t.equal(await deployCommand(['--engine', 'k3s', '--kubeconfig', kubeconfig, stackFile], io.out, io), 0, io.text);
  io.text = '';
  return { fake, io, kubeconfig, state };
}

t.test('deploy records the stack; services routes by that record and reads through its kubeconfig', async (t) => {
  const { fake, io, kubeconfig, state } = await deployed(t);
  t.same(k3sRecord(io.env, 'lab'), { stack: 'lab', namespace: 'lab', kubeconfig, engine: 'k3s' });
  t.notOk(existsSync(join(state, 'k3s', `lab.json.${process.pid}.tmp`)), 'no temporary file left');
  t.equal(await servicesCommand(['-i', 'inventory.yml', 'lab'], io.out, io), 0, io.text);
  t.match(io.text, /^NAME +MODE +READY +IMAGE +PORTS +ROLLOUT\n/);
  t.match(io.text, /\nagent +global +2\/2 +busybox +- +complete\n/);
  t.match(io.text, /\nweb +replicated +2\/2 +nginx:1\.27 +\*:8080->80\/tcp +complete\n/);
  t.ok(fake.requests.every((q) => q.authorization === `Bearer ${fake.token}`));
  t.ok(fake.requests.some((q) => q.path === '/apis/apps/v1/namespaces/lab/deployments' && q.query.labelSelector === 'muster/stack=lab'));

  fake.stuck = true;
  io.text = '';
  t.equal(await servicesCommand(['--engine', 'k3s', 'lab', '--json'], io.out, io), 2, 'not rolled out: exit 2');
  const rows = JSON.parse(io.text).services as { name: string; ready: number; desired: number; rollout: string }[];
  t.same(
    rows.map((r) => [r.name, r.ready, r.desired, r.rollout]),
    [
      ['agent', 0, 2, 'progressing'],
      ['web', 0, 2, 'progressing'],
    ],
  );
});

t.test('ps: a row per pod; 0 when every pod runs ready, 2 when one waits or is not scheduled', async (t) => {
  const { fake, io } = await deployed(t);
  addPod(fake, { name: 'web-a', stack: 'lab', service: 'web', node: 'n1' });
  addPod(fake, { name: 'web-b', stack: 'lab', service: 'web', node: 'n2', restarts: 1 });
  t.equal(await psCommand(['lab'], io.out, io), 0, io.text);
  t.match(io.text, /^NAME +NODE +PHASE +READY +RESTARTS +REASON\n/);
  t.match(io.text, /\nweb-a +n1 +Running +1\/1 +0 +\n/);
  t.match(io.text, /\nweb-b +n2 +Running +1\/1 +1 +\n/);

  addPod(fake, { name: 'web-c', stack: 'lab', service: 'web', node: 'n2', phase: 'Pending', waiting: 'ImagePullBackOff' });
  addPod(fake, { name: 'web-d', stack: 'lab', service: 'web', phase: 'Running', waiting: 'CrashLoopBackOff', restarts: 7 });
  addPod(fake, { name: 'web-e', stack: 'lab', service: 'web', unschedulable: '0/2 nodes are available: 2 Insufficient memory.' });
  io.text = '';
  t.equal(await psCommand(['--engine=k3s', 'lab'], io.out, io), 2);
  t.match(io.text, /\nweb-c +n2 +Pending +0\/1 +0 +ImagePullBackOff\n/);
  t.match(io.text, /\nweb-d +n1 +Running +0\/1 +7 +CrashLoopBackOff\n/);
  t.match(io.text, /\nweb-e +- +Pending +0\/0 +0 +Unschedulable: 0\/2 nodes are available: 2 Insufficient memory\.\n/);
  io.text = '';
  t.equal(await psCommand(['lab', '--json'], io.out, io), 2);
  t.same(
    (JSON.parse(io.text).pods as { name: string; running: boolean }[]).map((p) => [p.name, p.running]),
    [
      ['web-a', true],
      ['web-b', true],
      ['web-c', false],
      ['web-d', false],
      ['web-e', false],
    ],
  );
});

t.test('ps with workloads but no pod yet is exit 2', async (t) => {
  const { io } = await deployed(t);
  t.equal(await psCommand(['lab'], io.out, io), 2);
  t.match(io.text, /no pods of stack lab yet \(4 wanted\)/);
});

t.test('an unknown stack: ps and services refuse it, rm is exit 1', async (t) => {
  const { io, kubeconfig } = await deployed(t);
  for (const cmd of [psCommand, servicesCommand]) {
    const e = await cmd(['--engine', 'k3s', '--kubeconfig', kubeconfig, 'shop'], io.out, io).catch((x: unknown) => x);
    t.ok(e instanceof MusterError);
    t.match((e as MusterError).message, /no stack "shop" on the cluster: namespace shop has no Deployment or DaemonSet labelled muster\/stack=shop/);
    t.match((e as MusterError).hint, /muster deploy --engine k3s FILE/);
  }
  t.equal(await rmCommand(['--engine', 'k3s', '--kubeconfig', kubeconfig, 'shop'], io.out, io), 1);
  t.match(io.text, /no stack shop on the cluster/);
  const bad = await psCommand(['--engine', 'k3s', '--kubeconfig', kubeconfig, '9lives'], io.out, io).catch((x: unknown) => x);
  t.match((bad as MusterError).message, /"9lives" is no stack name on Kubernetes/);
});

t.test("rm deletes the stack's objects, keeps its claim and namespace, waits for its pods, forgets it", async (t) => {
  const { fake, io } = await deployed(t);
  addPod(fake, { name: 'web-a', stack: 'lab', service: 'web' });
  addPod(fake, { name: 'agent-x', stack: 'lab', service: 'agent' });
  t.equal(await rmCommand(['lab'], io.out, io), 0, io.text);
  for (const o of ['Service lab/web', 'Service lab/web-published', 'DaemonSet lab/agent', 'Deployment lab/web'])
    t.match(io.text, new RegExp(`removed: ${o}\n`));
  t.match(io.text, /kept \(they hold data\): PersistentVolumeClaim lab\/data/);
  t.match(io.text, /rm lab: 4 object\(s\) removed, its pods are gone \(namespace lab is kept\)/);
  t.ok(fake.objects.has('/api/v1/namespaces/lab/persistentvolumeclaims/data'), 'the claim stays');
  t.ok(fake.objects.has('/api/v1/namespaces/lab'), 'the namespace stays');
  t.notOk(
    [...fake.objects.keys()].some((p) => p.includes('/pods/')),
    'the pods are gone',
  );
  t.equal(k3sRecord(io.env, 'lab'), undefined, 'the record is forgotten');
  const deletes = fake.requests.filter((q) => q.method === 'DELETE');
  t.ok(deletes.every((q) => JSON.parse(q.body ?? '{}').propagationPolicy === 'Background'));
});

t.test('rm: pods still there at the timeout are exit 2, and the record stays', async (t) => {
  const { fake, io } = await deployed(t);
  fake.podsLinger = true;
  addPod(fake, { name: 'web-a', stack: 'lab', service: 'web' });
  t.equal(await rmCommand(['lab', '-T', '3'], io.out, io), 2, io.text);
  t.match(io.text, /rm lab: 1 pod\(s\) still there after 3s: web-a\n  see: kubectl -n lab get pods -l muster\/stack=lab/);
  t.equal(io.clock, 3000, 'polled until the timeout, no longer');
  t.ok(k3sRecord(io.env, 'lab'), 'kept: ps still finds the stack');
  io.text = '';
  t.equal(await psCommand(['lab'], io.out, io), 0, 'the lingering pod is still listed');
  t.match(io.text, /web-a/);
});

t.test('errors from the API server name the call and what to do', async (t) => {
  const { fake, io } = await deployed(t);
  fake.failures.set('/apis/apps/v1/namespaces/lab/deployments', { status: 403, body: { kind: 'Status', message: 'deployments.apps is forbidden' } });
  const e = await servicesCommand(['lab'], io.out, io).catch((x: unknown) => x);
  t.ok(e instanceof MusterError);
  t.match((e as MusterError).message, /list Deployments of stack lab in lab: forbidden \(403\): deployments\.apps is forbidden/);
  t.match((e as MusterError).hint, /admin kubeconfig/);
  fake.failures.clear();
  fake.failures.set('/api/v1/namespaces/lab/pods', { status: 500, body: 'etcd down' });
  const p = await psCommand(['lab'], io.out, io).catch((x: unknown) => x);
  t.match((p as MusterError).message, /answered 500: etcd down/);
});

t.test('--help prints the k3s usage', async (t) => {
  const io = ioFor(join(dir, 'none'));
  t.equal(await psCommand(['--engine', 'k3s', '--help'], io.out, io), 0);
  t.match(io.text, /usage: muster ps --engine k3s STACK \[--kubeconfig FILE\] \[--context NAME\] \[--json\] \[-T SECONDS\]/);
});
