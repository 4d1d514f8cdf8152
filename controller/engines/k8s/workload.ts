/**
 * A service as a workload: replicated services are Deployments, global ones DaemonSets. update_config
 * becomes the rolling update strategy; restart_policy, update monitor, rollback_config, logging and
 * networks, which Kubernetes does differently or not at all, are told in warnings.
 */
import { createHash } from 'node:crypto';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { UPDATE_DEFAULTS } from '../../stack/deploy.js';
import type { Service, Stack, UpdateConfig } from '../../stack/types.js';
import { containerOf } from './container.js';
import { SERVICE_LABEL, selectorLabels, splitLabels } from './names.js';
import { about, type Notes } from './notes.js';
import { placementOf } from './placement.js';
import { storageOf } from './storage.js';

/** How many pods change at once: update_config's parallelism, 0 meaning all of them. */
function batch(u: UpdateConfig): number | string {
  return u.parallelism === 0 ? '100%' : u.parallelism;
}

/**
 * The rolling update of a Deployment or DaemonSet: start-first surges new pods before old ones go
 * (maxUnavailable 0), stop-first takes old pods down first (maxSurge 0), `parallelism` at a time.
 */
export function rollingUpdate(u: UpdateConfig): { maxSurge: number | string; maxUnavailable: number | string } {
  return u.order === 'start-first' ? { maxSurge: batch(u), maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: batch(u) };
}

function updateWarnings(svc: Service, notes: Notes): void {
  const u = svc.deploy.update;
  if (u.failureAction === 'rollback')
    notes.warnings.push(
      about(svc.name, 'update_config.failure_action rollback: Kubernetes stops a failed rollout but does not roll back; run muster rollback'),
    );
  if (u.delayS > 0)
    notes.warnings.push(about(svc.name, `update_config.delay ${u.delayS}s is minReadySeconds: a new pod must stay ready that long before the next batch`));
  if (u.monitorS !== UPDATE_DEFAULTS.monitorS)
    notes.warnings.push(
      about(
        svc.name,
        `update_config.monitor ${u.monitorS}s ignored: Kubernetes does not watch a new pod after it is ready (progressDeadlineSeconds bounds the whole rollout)`,
      ),
    );
  if (JSON.stringify(svc.deploy.rollback) !== JSON.stringify(UPDATE_DEFAULTS))
    notes.warnings.push(about(svc.name, 'rollback_config ignored: a rollback (muster rollback, kubectl rollout undo) follows the update strategy'));
  const rp = svc.deploy.restartPolicy;
  if (rp.condition !== 'any') {
    notes.warnings.push(
      about(svc.name, `restart_policy ${rp.condition}: a Deployment's or DaemonSet's pods always restart (restartPolicy Always); a Job would run once`),
    );
  }
  if (rp.maxAttempts !== undefined)
    notes.warnings.push(about(svc.name, 'restart_policy.max_attempts ignored: the kubelet restarts with a back-off, without a limit'));
}

/** The pod spec of a service: its container, mounts, placement and network mode. */
export function podSpecOf(stack: Stack, svc: Service, name: string, notes: Notes): IPodSpec {
  const selector = selectorLabels(stack.name, name);
  const container = containerOf(svc, name, notes);
  const storage = storageOf(stack, svc, notes);
  if (storage.mounts.length > 0) container.volumeMounts = storage.mounts;
  const spec: IPodSpec = { containers: [container], restartPolicy: 'Always' };
  if (storage.volumes.length > 0) spec.volumes = storage.volumes;
  Object.assign(spec, placementOf(svc, selector, notes));
  if (svc.stopGraceS !== undefined) {
    // whole seconds: a fraction is rounded up, so a pod gets at least its grace period
    spec.terminationGracePeriodSeconds = Math.ceil(svc.stopGraceS);
    if (!Number.isInteger(svc.stopGraceS))
      notes.warnings.push(
        about(svc.name, `stop_grace_period ${svc.stopGraceS}s is terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} (whole seconds)`),
      );
  }
  if (svc.networkMode === 'host') spec.hostNetwork = true;
  else if (svc.networkMode === 'bridge')
    notes.warnings.push(about(svc.name, "network_mode bridge ignored: a pod has its own network, on the cluster's pod network"));
  else if (svc.networkMode === 'none') notes.refusals.push(about(svc.name, 'network_mode none: every Kubernetes pod has a network; remove it'));
  const hostAliases = new Map<string, string[]>();
  for (const entry of svc.extraHosts) {
    const at = entry.indexOf(':');
    const [host, ip] = entry.includes('=') ? entry.split('=', 2) : [entry.slice(0, at), entry.slice(at + 1)];
    hostAliases.set(ip, [...(hostAliases.get(ip) ?? []), host]);
  }
  if (hostAliases.size > 0) spec.hostAliases = [...hostAliases].map(([ip, hostnames]) => ({ ip, hostnames }));
  if (svc.logging !== undefined)
    notes.warnings.push(about(svc.name, `logging driver ${svc.logging.driver} ignored: the kubelet keeps container logs (kubectl logs)`));
  if (svc.networks.length > 1 || svc.networks.some((n) => n.aliases.length > 0)) {
    notes.warnings.push(about(svc.name, 'networks and aliases ignored: every pod of the stack reaches every Service of its namespace by name'));
  }
  return spec;
}

/**
 * The digest of the secrets and configs a service mounts, as a pod template annotation: a changed content
 * changes the template, so the pods roll (a subPath mount never sees a Secret's or ConfigMap's update).
 */
export function filesDigest(stack: Stack, svc: Service): Record<string, string> {
  const parts = [
    ...svc.secrets.map((r) => `secret:${r.source}:${stack.secrets[r.source]?.digest ?? ''}`),
    ...svc.configs.map((r) => `config:${r.source}:${stack.configs[r.source]?.digest ?? ''}`),
  ];
  if (parts.length === 0) return {};
  return { 'muster/files-digest': createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 16) };
}

/** The Deployment or DaemonSet of one service. */
export function workloadOf(
  stack: Stack,
  svc: Service,
  name: string,
  namespace: string,
  labels: Record<string, string>,
  notes: Notes,
): IDeployment | IDaemonSet {
  const selector = selectorLabels(stack.name, name);
  const own = splitLabels(svc.deploy.labels);
  const pod = splitLabels(svc.labels);
  for (const k of [...own.invalid, ...pod.invalid]) notes.refusals.push(about(svc.name, `label "${k}" is not a valid Kubernetes label or annotation key`));
  for (const k of [...own.moved, ...pod.moved])
    notes.warnings.push(about(svc.name, `label ${k}'s value is no valid Kubernetes label value: it is an annotation`));
  const metadata = {
    name,
    namespace,
    labels: { ...own.labels, ...labels, [SERVICE_LABEL]: name },
    ...(Object.keys(own.annotations).length > 0 ? { annotations: own.annotations } : {}),
  };
  const annotations = { ...pod.annotations, ...filesDigest(stack, svc) };
  const template = {
    metadata: { labels: { ...pod.labels, ...selector }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: podSpecOf(stack, svc, name, notes),
  };
  updateWarnings(svc, notes);
  const minReady = svc.deploy.update.delayS > 0 ? { minReadySeconds: Math.round(svc.deploy.update.delayS) } : {};
  if (svc.deploy.mode === 'global') {
    return {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata,
      spec: {
        selector: { matchLabels: selector },
        template,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: rollingUpdate(svc.deploy.update) },
        ...minReady,
      },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: svc.deploy.replicas,
      selector: { matchLabels: selector },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: rollingUpdate(svc.deploy.update) },
      ...minReady,
    },
  };
}
