/**
 * Applying a translated stack: server-side apply of every object in order (PATCH
 * application/apply-patch+yaml, field manager `muster`, conflicts refused unless forced), then prune of the
 * stack's objects no longer wanted (selected by the stack label; claims are kept, they hold data), then a
 * wait until every Deployment and DaemonSet has rolled out. A Service that turns headless or back (its
 * cluster IP cannot change in place) is deleted and made again.
 */
import { stringify } from 'yaml';
import { MusterError } from '../../../shared/errors.js';
import { apiError, type KubeApi } from './api.js';
import type { K8sObject, Translation } from './manifests.js';
import { STACK_LABEL } from './names.js';
import { collectionPath, describe, objectPath } from './paths.js';

export const FIELD_MANAGER = 'muster';
export const APPLY_CONTENT_TYPE = 'application/apply-patch+yaml';
/** What prune looks at, in deletion order. PersistentVolumeClaims are never pruned: they hold the data. */
export const PRUNED_KINDS = ['Service', 'DaemonSet', 'Deployment', 'ConfigMap', 'Secret'] as const;

export interface ApplyOptions {
  /** take over fields another manager owns (force=true) */
  force?: boolean;
  out(line: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** how long to wait for the rollouts */
  timeoutMs: number;
  pollMs?: number;
}

export interface ApplyResult {
  applied: string[];
  pruned: string[];
  /** workloads not rolled out when the wait ended (empty: all ready) */
  notReady: string[];
}

/** Server-side applies one object; throws with the object named. */
export async function applyObject(api: KubeApi, o: K8sObject, force = false): Promise<void> {
  const query = `?fieldManager=${FIELD_MANAGER}${force ? '&force=true' : ''}`;
  const res = await api.request('PATCH', objectPath(o) + query, { body: stringify(o, { lineWidth: 0 }), contentType: APPLY_CONTENT_TYPE });
  if (res.status !== 200 && res.status !== 201) throw apiError(res, `apply ${describe(o)}`);
}

const headless = (o: object | undefined): boolean => (o as { spec?: { clusterIP?: string } } | undefined)?.spec?.clusterIP === 'None';

/**
 * Whether a Service must be deleted before it is applied: a cluster IP cannot change in place, and an apply
 * that leaves clusterIP out keeps the one there, so turning endpoint_mode dnsrr on or off needs a new Service.
 */
export function mustReplace(existing: object | undefined, wanted: K8sObject): boolean {
  return wanted.kind === 'Service' && existing !== undefined && headless(existing) !== headless(wanted);
}

// Deletes a Service that cannot become `o` in place; says so.
async function replaceIfNeeded(api: KubeApi, o: K8sObject, out: (line: string) => void): Promise<void> {
  if (o.kind !== 'Service') return;
  const res = await api.request('GET', objectPath(o));
  // absent: nothing to replace; another answer: the apply that follows says what is wrong
  if (res.status !== 200) return;
  if (!mustReplace(res.body as object, o)) return;
  const del = await api.request('DELETE', objectPath(o));
  if (del.status !== 200 && del.status !== 202 && del.status !== 404) throw apiError(del, `replace ${describe(o)}`);
  out(`replaced: ${describe(o)} (${headless(o) ? 'headless now' : 'a cluster IP now'}: it cannot change in place)\n`);
}

/** Deletes the stack's objects of the pruned kinds that `wanted` does not hold; returns what went. */
export async function prune(api: KubeApi, stack: string, namespace: string, wanted: K8sObject[]): Promise<string[]> {
  const keep = new Set(wanted.map((o) => `${o.kind}/${o.metadata.name}`));
  const selector = encodeURIComponent(`${STACK_LABEL}=${stack}`);
  const gone: string[] = [];
  for (const kind of PRUNED_KINDS) {
    const res = await api.request('GET', `${collectionPath(kind, namespace)}?labelSelector=${selector}`);
    if (res.status === 404) continue; // the namespace is new
    if (res.status !== 200) throw apiError(res, `list ${kind}s of stack ${stack} in ${namespace}`);
    const items = ((res.body as { items?: K8sObject[] }).items ?? []).map((i) => ({ kind, metadata: { ...i.metadata, namespace } }));
    for (const item of items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      if (keep.has(`${kind}/${item.metadata.name}`)) continue;
      const del = await api.request('DELETE', objectPath(item), {
        body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }),
      });
      if (del.status !== 200 && del.status !== 202 && del.status !== 404) throw apiError(del, `prune ${describe(item)}`);
      gone.push(describe(item));
    }
  }
  return gone;
}

type Status = Record<string, number | undefined>;

/** Whether a workload as read back has rolled out: its generation observed, every replica updated and available. */
export function rolledOut(o: { kind: string; metadata?: { generation?: number }; spec?: { replicas?: number }; status?: Status }): boolean {
  const s = o.status ?? {};
  if ((s.observedGeneration ?? 0) < (o.metadata?.generation ?? 1)) return false;
  if (o.kind === 'DaemonSet') {
    const want = s.desiredNumberScheduled ?? 0;
    return (s.updatedNumberScheduled ?? 0) === want && (s.numberAvailable ?? 0) === want;
  }
  const want = o.spec?.replicas ?? 1;
  return (s.updatedReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
}

/** Polls every workload until it has rolled out or the time is up; returns those that did not. */
export async function waitRollout(api: KubeApi, workloads: K8sObject[], opts: ApplyOptions): Promise<string[]> {
  const deadline = opts.now() + opts.timeoutMs;
  let pending = workloads;
  for (;;) {
    const still: K8sObject[] = [];
    for (const w of pending) {
      const res = await api.request('GET', objectPath(w));
      if (res.status !== 200) throw apiError(res, `read ${describe(w)}`);
      if (rolledOut({ kind: w.kind, ...(res.body as object) })) opts.out(`rolled out: ${describe(w)}\n`);
      else still.push(w);
    }
    pending = still;
    if (pending.length === 0 || opts.now() >= deadline) return pending.map(describe);
    await opts.sleep(opts.pollMs ?? 2000);
  }
}

/** Applies a translation (refused while it has refusals), prunes, waits. */
export async function applyStack(api: KubeApi, stack: string, t: Translation, opts: ApplyOptions): Promise<ApplyResult> {
  if (t.refusals.length > 0) throw new MusterError('E_SCHEMA', `stack ${stack} cannot run on Kubernetes as written:\n  - ${t.refusals.join('\n  - ')}`);
  const applied: string[] = [];
  for (const o of t.objects) {
    await replaceIfNeeded(api, o, opts.out);
    await applyObject(api, o, opts.force);
    applied.push(describe(o));
    opts.out(`applied: ${describe(o)}\n`);
  }
  const pruned = await prune(api, stack, t.namespace, t.objects);
  for (const p of pruned) opts.out(`pruned: ${p}\n`);
  const workloads = t.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
  const notReady = await waitRollout(api, workloads, opts);
  return { applied, pruned, notReady };
}
