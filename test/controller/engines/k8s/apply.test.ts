/** Server-side apply, prune and rollout wait against a fake API server over HTTPS, and its errors. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { httpsApi } from '../../../../controller/engines/k8s/api.js';
import { type ApplyOptions, applyStack, mustReplace } from '../../../../controller/engines/k8s/apply.js';
import { accessOf } from '../../../../controller/engines/k8s/kubeconfig.js';
import { translate } from '../../../../controller/engines/k8s/manifests.js';
import { MusterError } from '../../../../shared/errors.js';
import { stackOf } from '../../stack/harness.js';
import { type FakeApiServer, startFakeApiServer } from './fake-apiserver.js';

const STACK = `services:
  web:
    image: nginx
    ports: ["8080:80"]
    volumes: ["data:/data"]
    deploy: { replicas: 2 }
  agent:
    image: agent
    deploy: { mode: global }
volumes:
  data: {}
`;

let fake: FakeApiServer;
t.before(async () => {
  fake = await startFakeApiServer();
});
t.teardown(() => fake.close());

function options(lines: string[] = []): ApplyOptions {
  let clock = 0;
  return {
    out: (l) => lines.push(l),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    timeoutMs: 10_000,
    pollMs: 1000,
  };
}
const api = () => httpsApi({ server: fake.url, ca: fake.caPem, token: fake.token, insecure: false, context: 'test' });

async function errorOf(p: Promise<unknown>): Promise<MusterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MusterError) return e;
    throw e;
  }
  throw new Error('expected a MusterError');
}

t.test('applies every object in order with server-side apply, then waits for the rollouts', async (t) => {
  fake.requests.length = 0;
  const tr = translate(stackOf(STACK));
  const lines: string[] = [];
  const r = await applyStack(api(), 'home', tr, options(lines));
  const patches = fake.requests.filter((q) => q.method === 'PATCH');
  t.same(
    patches.map((q) => q.path),
    [
      '/api/v1/namespaces/home',
      '/api/v1/namespaces/home/persistentvolumeclaims/data',
      '/apis/apps/v1/namespaces/home/deployments/web',
      '/apis/apps/v1/namespaces/home/daemonsets/agent',
      '/api/v1/namespaces/home/services/web',
      '/api/v1/namespaces/home/services/web-published',
    ],
  );
  for (const q of patches) {
    t.equal(q.contentType, 'application/apply-patch+yaml');
    t.same(q.query, { fieldManager: 'muster' }, 'no force unless asked');
    t.equal(q.authorization, `Bearer ${fake.token}`);
  }
  t.same(parse(patches[2].body ?? ''), tr.objects[2], 'the body is the object as YAML');
  const lists = fake.requests.filter((q) => q.method === 'GET' && q.query.labelSelector);
  t.same(
    lists.map((q) => q.path.split('/').pop()),
    ['services', 'daemonsets', 'deployments', 'configmaps', 'secrets'],
    'prune lists every pruned kind, claims not among them',
  );
  t.ok(lists.every((q) => q.query.labelSelector === 'muster/stack=home'));
  t.same(r.pruned, []);
  t.same(r.notReady, []);
  t.match(lines.join(''), /rolled out: Deployment home\/web\n[^]*rolled out: DaemonSet home\/agent/);
});

t.test('a second apply without a service prunes its objects and keeps the claim', async (t) => {
  fake.requests.length = 0;
  const without = translate(stackOf(STACK.replace(/  agent:\n.*\n.*\n/, '').replace('    ports: ["8080:80"]\n', '')));
  const r = await applyStack(api(), 'home', without, options());
  t.same(r.pruned, ['Service home/web', 'Service home/web-published', 'DaemonSet home/agent']);
  const deletes = fake.requests.filter((q) => q.method === 'DELETE');
  t.same(
    deletes.map((q) => q.path),
    ['/api/v1/namespaces/home/services/web', '/api/v1/namespaces/home/services/web-published', '/apis/apps/v1/namespaces/home/daemonsets/agent'],
  );
  t.same(JSON.parse(deletes[0].body ?? ''), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
  t.ok(fake.objects.has('/api/v1/namespaces/home/persistentvolumeclaims/data'), 'the claim stays');
  t.ok(fake.objects.has('/apis/apps/v1/namespaces/home/deployments/web'));
});

t.test('a Service turning headless (endpoint_mode dnsrr) or back is deleted and made again; unchanged, it is not', async (t) => {
  const dnsrr = STACK.replace('    deploy: { replicas: 2 }', '    deploy: { replicas: 2, endpoint_mode: dnsrr }');
  const web = '/api/v1/namespaces/home/services/web';
  const run = async (text: string) => {
    fake.requests.length = 0;
    const lines: string[] = [];
    await applyStack(api(), 'home', translate(stackOf(text)), options(lines));
    const deletes = fake.requests.filter((q) => q.method === 'DELETE').map((q) => q.path);
    const replaced = lines.filter((l) => l.startsWith('replaced:'));
    return { deletes, replaced, clusterIP: (fake.objects.get(web)?.spec as { clusterIP?: string } | undefined)?.clusterIP };
  };
  await run(STACK);
  t.same(await run(dnsrr), { deletes: [web], replaced: ['replaced: Service home/web (headless now: it cannot change in place)\n'], clusterIP: 'None' });
  t.same(await run(dnsrr), { deletes: [], replaced: [], clusterIP: 'None' }, 'still headless: applied in place');
  t.same(await run(STACK), { deletes: [web], replaced: ['replaced: Service home/web (a cluster IP now: it cannot change in place)\n'], clusterIP: undefined });
  t.same(await run(STACK), { deletes: [], replaced: [], clusterIP: undefined });
  t.notOk(mustReplace(undefined, translate(stackOf(dnsrr)).objects.find((o) => o.kind === 'Service')!), 'a new Service: nothing to replace');
});

t.test('a wrong token is a 401 naming the object and how to fix it', async (t) => {
  const bad = httpsApi({ server: fake.url, ca: fake.caPem, token: 'wrong', insecure: false, context: 'test' });
  const e = await errorOf(applyStack(bad, 'home', translate(stackOf(STACK)), options()));
  t.match(e.message, /apply Namespace home: the API server refused the credentials \(401 Unauthorized\)/);
  t.match(e.hint, /fetch it again/);
});

t.test('a conflict with another field manager is refused unless forced', async (t) => {
  const path = '/apis/apps/v1/namespaces/home/deployments/web';
  fake.conflicts.add(path);
  const e = await errorOf(applyStack(api(), 'home', translate(stackOf(STACK)), options()));
  t.match(e.message, /apply Deployment home\/web: conflict \(409\): Apply failed with 1 conflict: conflict with "kubectl-edit"/);
  t.match(e.hint, /--force-conflicts/);
  fake.requests.length = 0;
  await applyStack(api(), 'home', translate(stackOf(STACK)), { ...options(), force: true });
  t.same(fake.requests.find((q) => q.path === path && q.method === 'PATCH')?.query, { fieldManager: 'muster', force: 'true' });
  fake.conflicts.clear();
});

t.test('an invalid object (422) names the object and the field', async (t) => {
  const path = '/api/v1/namespaces/home/services/web-published';
  fake.failures.set(path, {
    status: 422,
    body: {
      kind: 'Status',
      code: 422,
      reason: 'Invalid',
      message: 'Service "web-published" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range',
      details: { causes: [{ field: 'spec.ports[0].nodePort', message: 'Invalid value: 80: provided port is not in the valid range' }] },
    },
  });
  const e = await errorOf(applyStack(api(), 'home', translate(stackOf(STACK)), options()));
  t.match(
    e.message,
    /apply Service home\/web-published: the API server refused it as invalid \(422\): Service "web-published" is invalid: spec.ports\[0\].nodePort/,
  );
  t.match(e.hint, /muster export --engine k8s/);
  fake.failures.delete(path);
  fake.failures.set('/api/v1/namespaces/home', { status: 500, body: { message: 'etcd is down' } });
  t.match((await errorOf(applyStack(api(), 'home', translate(stackOf(STACK)), options()))).message, /answered 500: etcd is down/);
  fake.failures.clear();
});

t.test('workloads that do not roll out in time are named; refusals stop before any request', async (t) => {
  fake.stuck = true;
  const r = await applyStack(api(), 'home', translate(stackOf(STACK)), { ...options(), timeoutMs: 3000 });
  t.same(r.notReady, ['Deployment home/web', 'DaemonSet home/agent']);
  fake.stuck = false;
  fake.requests.length = 0;
  const refused = translate(stackOf('services:\n  s:\n    image: x\n    devices: ["/dev/ttyUSB0:/dev/ttyUSB0"]\n'));
  t.match((await errorOf(applyStack(api(), 'home', refused, options()))).message, /cannot run on Kubernetes as written/);
  t.equal(fake.requests.length, 0);
});

t.test('an API server that does not answer is E_UNREACHABLE; a wrong CA is refused', async (t) => {
  const other = await startFakeApiServer();
  const url = other.url;
  await other.close();
  const e = await errorOf(httpsApi({ server: url, ca: fake.caPem, token: 'x', insecure: false, context: 't' }).request('GET', '/version'));
  t.equal(e.code, 'E_UNREACHABLE');
  t.match(e.message, /cannot reach the Kubernetes API at https:\/\/127.0.0.1:\d+/);
  const third = await startFakeApiServer();
  const wrongCa = await errorOf(httpsApi({ server: fake.url, ca: third.caPem, token: fake.token, insecure: false, context: 't' }).request('GET', '/version'));
  await third.close();
  t.match(wrongCa.message, /cannot reach the Kubernetes API/);
});

t.test('kubeconfig: the current context, inline data, files, and what is missing', async (t) => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const doc = {
    'current-context': 'default',
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    clusters: [{ name: 'default', cluster: { server: 'https://10.0.0.2:6443/', 'certificate-authority-data': b64('CA') } }],
    users: [{ name: 'default', user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } }],
  };
  t.same(
    accessOf(doc, 'k.yaml', () => ''),
    { server: 'https://10.0.0.2:6443', ca: 'CA', token: undefined, cert: 'CERT', key: 'KEY', insecure: false, context: 'default' },
  );
  const files = {
    ...doc,
    users: [{ name: 'default', user: { tokenFile: '/tok' } }],
    clusters: [{ name: 'default', cluster: { server: 'https://h:6443', 'certificate-authority': '/ca' } }],
  };
  const read = (p: string) => (p === '/tok' ? 'TOKEN\n' : 'CAFILE');
  t.match(accessOf(files, 'k.yaml', read), { token: 'TOKEN', ca: 'CAFILE' });
  t.throws(() => accessOf({ ...doc, 'current-context': 'nope' }, 'k.yaml', read), /k.yaml: no context "nope"/);
  t.throws(() => accessOf({ ...doc, users: [{ name: 'default', user: {} }] }, 'k.yaml', read), /neither a token nor a client certificate/);
  t.throws(() => accessOf({}, 'k.yaml', read), /no current-context/);
});

t.test('a client certificate (what k3s writes into its kubeconfig) authenticates; one of another CA does not', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'muster-k8s-client-'));
  writeFileSync(join(d, 'ca.pem'), fake.caPem);
  writeFileSync(join(d, 'ca.key'), fake.caKeyPem);
  writeFileSync(join(d, 'ext.cnf'), 'extendedKeyUsage=clientAuth\n');
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
  ssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'client.key',
    '-subj',
    '/O=system:masters/CN=admin',
    '-out',
    'client.csr',
  );
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext.cnf', '-out', 'client.pem');
  const cert = readFileSync(join(d, 'client.pem'), 'utf8');
  const key = readFileSync(join(d, 'client.key'), 'utf8');
  fake.requests.length = 0;
  const api = httpsApi({ server: fake.url, ca: fake.caPem, cert, key, insecure: false, context: 'k3s' });
  const r = await applyStack(api, 'home', translate(stackOf(STACK)), options());
  t.same(r.notReady, []);
  t.ok(
    fake.requests.every((q) => q.authorization === undefined),
    'no token was sent',
  );
  const selfSigned = ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'other.key',
    '-subj',
    '/CN=other',
    '-days',
    '1',
    '-out',
    '-',
  ).toString();
  const other = httpsApi({
    server: fake.url,
    ca: fake.caPem,
    cert: selfSigned,
    key: readFileSync(join(d, 'other.key'), 'utf8'),
    insecure: false,
    context: 'k3s',
  });
  t.match((await errorOf(applyStack(other, 'home', translate(stackOf(STACK)), options()))).message, /401 Unauthorized/);
});
