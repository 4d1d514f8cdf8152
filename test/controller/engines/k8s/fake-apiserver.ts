/**
 * A fake Kubernetes API server for the apply tests: HTTPS on 127.0.0.1 with a CA of its own, a bearer
 * token, and a record of every request. It keeps applied objects by path, lists them by label selector,
 * deletes them, and answers workloads' status as rolled out (or never, or with a chosen error per path).
 * Pods are planted with `addPod`; deleting a Deployment or DaemonSet deletes its pods (as the garbage
 * collector does), unless `podsLinger`.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { BACKDATE_MS, newCa } from '../../../../controller/fleet/ca.js';
import { issueCertificate, keyPem, newKeyPair } from '../../../../controller/fleet/x509.js';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  authorization?: string;
  body?: string;
}

export interface FakeApiServer {
  url: string;
  caPem: string;
  /** the CA's key, to sign client certificates the server accepts (as k3s's kubeconfig holds one) */
  caKeyPem: string;
  token: string;
  requests: Recorded[];
  /** stored objects by path */
  objects: Map<string, Record<string, unknown>>;
  /** answers for a path (exact, without query) instead of the normal behaviour */
  failures: Map<string, { status: number; body: unknown }>;
  /** paths whose apply conflicts with another manager unless force=true */
  conflicts: Set<string>;
  /** workloads never roll out */
  stuck: boolean;
  /** pods stay when their workload is deleted (a node that does not answer, a finalizer) */
  podsLinger: boolean;
  close(): Promise<void>;
}

const status = (code: number, reason: string, message: string, causes?: unknown[]) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
  ...(causes ? { details: { causes } } : {}),
});

/** Starts the fake on a free port. */
export async function startFakeApiServer(): Promise<FakeApiServer> {
  const now = new Date();
  const ca = newCa(now);
  const keys = newKeyPair();
  const cert = issueCertificate({
    name: '127.0.0.1',
    publicKey: keys.publicKey,
    issuer: { cert: ca.cert, key: ca.key },
    notBefore: new Date(+now - BACKDATE_MS),
    notAfter: new Date(+now + 86_400_000),
    ca: false,
    sans: ['127.0.0.1'],
  });
  const fake = {
    url: '',
    caPem: ca.certPem,
    caKeyPem: ca.keyPem,
    token: 'fake-token-0123456789',
    requests: [] as Recorded[],
    objects: new Map<string, Record<string, unknown>>(),
    failures: new Map<string, { status: number; body: unknown }>(),
    conflicts: new Set<string>(),
    stuck: false,
    podsLinger: false,
    close: async () => {},
  };
  const server: Server = createServer({ key: keyPem(keys.privateKey), cert, ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
      const rec: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body,
      };
      fake.requests.push(rec);
      const send = (code: number, payload: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      // a client certificate the CA signed, or the bearer token
      const byCert = (req.socket as TLSSocket).authorized === true;
      if (!byCert && rec.authorization !== `Bearer ${fake.token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      const failure = fake.failures.get(rec.path);
      if (failure) return send(failure.status, failure.body);
      answer(fake, rec, send);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((r) => server.close(() => r()));
  return fake;
}

function answer(fake: FakeApiServer, rec: Recorded, send: (code: number, payload: unknown) => void): void {
  const stored = fake.objects.get(rec.path);
  if (rec.method === 'PATCH') {
    if (rec.contentType !== 'application/apply-patch+yaml') return send(415, status(415, 'UnsupportedMediaType', `unsupported patch type ${rec.contentType}`));
    if (!rec.query.fieldManager) return send(422, status(422, 'Invalid', 'fieldManager is required for apply requests'));
    if (fake.conflicts.has(rec.path) && rec.query.force !== 'true') {
      return send(409, status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas'));
    }
    const obj = parse(rec.body ?? '') as Record<string, unknown> & { metadata: Record<string, unknown> };
    const generation = ((stored?.metadata as { generation?: number } | undefined)?.generation ?? 0) + 1;
    obj.metadata = { ...obj.metadata, generation };
    fake.objects.set(rec.path, obj);
    return send(stored ? 200 : 201, obj);
  }
  if (rec.method === 'DELETE') {
    if (!stored) return send(404, status(404, 'NotFound', `${rec.path} not found`));
    fake.objects.delete(rec.path);
    if ((stored.kind === 'Deployment' || stored.kind === 'DaemonSet') && !fake.podsLinger) collectPods(fake, stored);
    return send(200, status(200, 'Success', 'deleted'));
  }
  if (rec.method === 'GET' && stored) return send(200, withStatus(stored, fake.stuck));
  if (rec.method === 'GET' && rec.query.labelSelector !== undefined) {
    const [k, v] = rec.query.labelSelector.split('=');
    const items = [...fake.objects]
      .filter(
        ([p, o]) =>
          p.startsWith(`${rec.path}/`) && !p.slice(rec.path.length + 1).includes('/') && (o.metadata as { labels?: Record<string, string> }).labels?.[k] === v,
      )
      .map(([, o]) => withStatus(o, fake.stuck));
    return send(200, { kind: 'List', apiVersion: 'v1', items });
  }
  send(404, status(404, 'NotFound', `${rec.path} not found`));
}

// A workload as read back: rolled out (every replica updated and available), unless stuck.
function withStatus(o: Record<string, unknown>, stuck: boolean): Record<string, unknown> {
  const generation = (o.metadata as { generation: number }).generation;
  const n = o.kind === 'DaemonSet' ? 2 : ((o.spec as { replicas?: number } | undefined)?.replicas ?? 1);
  if (o.kind === 'Deployment') {
    return {
      ...o,
      status: stuck
        ? { observedGeneration: generation, replicas: n, updatedReplicas: 0 }
        : { observedGeneration: generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n },
    };
  }
  if (o.kind === 'DaemonSet') {
    return {
      ...o,
      status: {
        observedGeneration: generation,
        desiredNumberScheduled: n,
        updatedNumberScheduled: stuck ? 0 : n,
        numberReady: stuck ? 0 : n,
        numberAvailable: stuck ? 0 : n,
      },
    };
  }
  return o;
}

/** What a planted pod is like: running and ready unless told; `waiting` is a container's waiting reason. */
export interface PodPlan {
  name: string;
  stack: string;
  service: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  restarts?: number;
  waiting?: string;
  unschedulable?: string;
}

/** Plants a pod of a stack's service, as the kubelet would report it. */
export function addPod(fake: FakeApiServer, p: PodPlan): void {
  const namespace = p.stack;
  const phase = p.phase ?? (p.unschedulable ? 'Pending' : 'Running');
  const ready = p.ready ?? (phase === 'Running' && p.waiting === undefined);
  fake.objects.set(`/api/v1/namespaces/${namespace}/pods/${p.name}`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace, labels: { 'muster/stack': p.stack, 'muster/service': p.service } },
    spec: p.unschedulable ? {} : { nodeName: p.node ?? 'n1' },
    status: {
      phase,
      ...(p.unschedulable ? { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: p.unschedulable }] } : {}),
      containerStatuses: p.unschedulable
        ? []
        : [{ name: p.service, ready, restartCount: p.restarts ?? 0, state: p.waiting ? { waiting: { reason: p.waiting } } : { running: {} } }],
    },
  });
}

// The garbage collector: a deleted workload's pods go with it.
function collectPods(fake: FakeApiServer, workload: Record<string, unknown>): void {
  const m = workload.metadata as { namespace?: string; labels?: Record<string, string> };
  const prefix = `/api/v1/namespaces/${m.namespace}/pods/`;
  for (const [path, o] of [...fake.objects]) {
    const labels = (o.metadata as { labels?: Record<string, string> }).labels ?? {};
    if (path.startsWith(prefix) && labels['muster/service'] === m.labels?.['muster/service'] && labels['muster/stack'] === m.labels?.['muster/stack'])
      fake.objects.delete(path);
  }
}

/** Writes a kubeconfig at `file` that reaches the fake with its CA and token (as the k3s playbook's would); returns `file`. */
export function writeKubeconfig(fake: FakeApiServer, file: string): string {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'default',
      contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
      clusters: [{ name: 'default', cluster: { server: fake.url, 'certificate-authority-data': Buffer.from(fake.caPem).toString('base64') } }],
      users: [{ name: 'default', user: { token: fake.token } }],
    }),
  );
  return file;
}
