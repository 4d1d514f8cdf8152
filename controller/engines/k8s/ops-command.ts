/**
 * `muster ps|services|rm --engine k3s STACK`: the stack's objects read through the kubeconfig (the one its
 * deploy recorded, else --kubeconfig or the k3s playbook's). services: a row per Deployment or DaemonSet;
 * ps: a row per Pod; rm: its workloads, Services, ConfigMaps and Secrets deleted (claims and the namespace
 * kept: they hold data), then waited for until its pods are gone.
 * Exit: ps/services 0 all running, 2 not; rm 0 removed, 1 unknown stack, 2 pods still there at the timeout.
 */
import { MusterError } from '../../../shared/errors.js';
import { intOption, parse } from '../../cli/options.js';
import { apiError, type KubeApi } from './api.js';
import { prune } from './apply.js';
import { apiFromKubeconfig, type K3sDeployIo, kubeconfigPath } from './deploy-command.js';
import { namespaceOf, STACK_LABEL } from './names.js';
import {
  allPodsRunning,
  allServicesRunning,
  type PodItem,
  podRows,
  renderPods,
  renderServices,
  type ServiceItem,
  serviceRows,
  type WorkloadItem,
} from './ops-rows.js';
import { collectionPath } from './paths.js';
import { forgetK3sStack, k3sRecord } from './record.js';

const tail = '[--kubeconfig FILE] [--context NAME] [--json] [-T SECONDS]';
export const K3S_OPS_USAGE = {
  ps: `muster ps --engine k3s STACK ${tail}`,
  services: `muster services --engine k3s STACK ${tail}`,
  rm: 'muster rm --engine k3s STACK [--kubeconfig FILE] [--context NAME] [-T SECONDS]',
};

/** What the commands need from their surroundings: the same as deploy's. */
export type K3sOpsIo = K3sDeployIo;

const OPTIONS = {
  engine: { type: 'string' },
  // accepted so that `muster ps -i INV STACK` works for a stack recorded for k3s; the cluster needs no inventory
  inventory: { type: 'string', short: 'i' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  json: { type: 'boolean' },
  timeout: { type: 'string', short: 'T' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Target {
  stack: string;
  namespace: string;
  api: KubeApi;
  json: boolean;
  timeoutS: (fallback: number) => number;
}

// The stack, its namespace and the API: --kubeconfig/--context win over what the deploy recorded.
function target(argv: string[], io: K3sOpsIo, usage: string): Target | undefined {
  const { values: o, positionals } = parse(argv, OPTIONS, usage);
  if (o.help) return (io.out(`usage: ${usage}\n`), undefined);
  if (positionals.length !== 1) throw new MusterError('E_OPTION', `one stack, got ${positionals.length}`, { hint: `usage: ${usage}` });
  const stack = positionals[0];
  const rec = k3sRecord(io.env, stack);
  const namespace = rec?.namespace ?? namespaceOf(stack);
  if (namespace === undefined)
    throw new MusterError('E_OPTION', `"${stack}" is no stack name on Kubernetes (a letter first, at most 63 characters)`, { hint: `usage: ${usage}` });
  const api = io.api ?? apiFromKubeconfig(kubeconfigPath(o.kubeconfig ?? rec?.kubeconfig, io.env), o.context ?? rec?.context);
  return { stack, namespace, api, json: o.json === true, timeoutS: (fallback) => intOption('timeout', o.timeout, fallback) };
}

// The stack's objects of one kind (none when the namespace does not exist).
async function list<T>(t: Target, kind: string): Promise<T[]> {
  const res = await t.api.request('GET', `${collectionPath(kind, t.namespace)}?labelSelector=${encodeURIComponent(`${STACK_LABEL}=${t.stack}`)}`);
  if (res.status === 404) return [];
  if (res.status !== 200) throw apiError(res, `list ${kind}s of stack ${t.stack} in ${t.namespace}`);
  return ((res.body as { items?: T[] }).items ?? []).map((i) => ({ kind, ...i }));
}

const workloadsOf = async (t: Target) => [...(await list<WorkloadItem>(t, 'Deployment')), ...(await list<WorkloadItem>(t, 'DaemonSet'))];

const unknownStack = (t: Target) =>
  new MusterError(
    'E_SCHEMA',
    `no stack "${t.stack}" on the cluster: namespace ${t.namespace} has no Deployment or DaemonSet labelled ${STACK_LABEL}=${t.stack}`,
    {
      hint: `deploy it with muster deploy --engine k3s FILE (kubectl get deployments,daemonsets -A -l ${STACK_LABEL} lists muster's stacks)`,
    },
  );

/** `muster services --engine k3s STACK`: exit 0 every workload ready and rolled out, 2 not. */
export async function k3sServices(argv: string[], io: K3sOpsIo): Promise<number> {
  const t = target(argv, io, K3S_OPS_USAGE.services);
  if (!t) return 0;
  const workloads = await workloadsOf(t);
  if (workloads.length === 0) throw unknownStack(t);
  const rows = serviceRows(workloads, await list<ServiceItem>(t, 'Service'));
  io.out(t.json ? `${JSON.stringify({ services: rows }, null, 2)}\n` : renderServices(rows));
  return allServicesRunning(rows) ? 0 : 2;
}

/** `muster ps --engine k3s STACK`: exit 0 every pod running and ready, 2 not (or none where some are wanted). */
export async function k3sPs(argv: string[], io: K3sOpsIo): Promise<number> {
  const t = target(argv, io, K3S_OPS_USAGE.ps);
  if (!t) return 0;
  const [workloads, pods] = [await workloadsOf(t), await list<PodItem>(t, 'Pod')];
  if (workloads.length === 0 && pods.length === 0) throw unknownStack(t);
  const rows = podRows(pods);
  const wanted = serviceRows(workloads, []).reduce((n, r) => n + r.desired, 0);
  if (t.json) io.out(`${JSON.stringify({ pods: rows }, null, 2)}\n`);
  else io.out(rows.length > 0 ? renderPods(rows) : `no pods of stack ${t.stack} yet (${wanted} wanted)\n`);
  return allPodsRunning(rows) && (rows.length > 0 || wanted === 0) ? 0 : 2;
}

/** `muster rm --engine k3s STACK`: exit 0 removed and its pods gone, 1 nothing of the stack found, 2 pods left at the timeout. */
export async function k3sRm(argv: string[], io: K3sOpsIo): Promise<number> {
  const t = target(argv, io, K3S_OPS_USAGE.rm);
  if (!t) return 0;
  const timeoutS = t.timeoutS(120);
  const removed = await prune(t.api, t.stack, t.namespace, []);
  for (const r of removed) io.out(`removed: ${r}\n`);
  const claims = (await list<{ metadata: { name: string } }>(t, 'PersistentVolumeClaim')).map((c) => c.metadata.name);
  const deadline = io.now() + timeoutS * 1000;
  let pods = await list<PodItem>(t, 'Pod');
  if (removed.length === 0 && pods.length === 0) {
    await forgetK3sStack(io.env, t.stack);
    io.out(`no stack ${t.stack} on the cluster: nothing labelled ${STACK_LABEL}=${t.stack} in namespace ${t.namespace}\n`);
    return 1;
  }
  while (pods.length > 0 && io.now() < deadline) {
    await io.sleep(1000);
    pods = await list<PodItem>(t, 'Pod');
  }
  io.out(
    claims.length > 0
      ? `kept (they hold data): ${claims.map((c) => `PersistentVolumeClaim ${t.namespace}/${c}`).join(', ')}; kubectl -n ${t.namespace} delete pvc NAME removes one\n`
      : `persistent volume claims, if any, are kept: they hold data\n`,
  );
  if (pods.length > 0) {
    io.out(
      `rm ${t.stack}: ${pods.length} pod(s) still there after ${timeoutS}s: ${pods.map((p) => p.metadata.name).join(', ')}\n  see: kubectl -n ${t.namespace} get pods -l ${STACK_LABEL}=${t.stack}\n`,
    );
    return 2;
  }
  await forgetK3sStack(io.env, t.stack);
  io.out(`rm ${t.stack}: ${removed.length} object(s) removed, its pods are gone (namespace ${t.namespace} is kept)\n`);
  return 0;
}
