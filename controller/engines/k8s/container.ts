/**
 * A service's container on Kubernetes: Compose's entrypoint is the container's command and Compose's
 * command its args; environment, resources (reservations are requests, limits are limits), the healthcheck
 * as probes, user, capabilities and privileged as the security context.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { Service } from '../../stack/types.js';
import { about, type Notes } from './notes.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';

/** requests from reservations, limits from limits; a limit alone makes Kubernetes request as much (as muster counts it). */
export function resourcesOf(svc: Service, notes: Notes): IResourceRequirements | undefined {
  const { limits: l, reservations: r } = svc.deploy;
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (l.cpus !== undefined) limits.cpu = cpuQuantity(l.cpus);
  if (l.memoryBytes !== undefined) limits.memory = memoryQuantity(l.memoryBytes);
  if (r.cpus !== undefined) requests.cpu = cpuQuantity(r.cpus);
  if (r.memoryBytes !== undefined) requests.memory = memoryQuantity(r.memoryBytes);
  if (l.pids !== undefined)
    notes.warnings.push(about(svc.name, `limits.pids ${l.pids} ignored: Kubernetes limits PIDs per node (the kubelet's podPidsLimit), not per pod`));
  const out: IResourceRequirements = {};
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The healthcheck's command as an exec probe's. */
function probeCommand(test: string[]): string[] {
  return test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
}

/**
 * The healthcheck as probes: readiness (a pod takes traffic and counts as updated only when healthy, as
 * Swarm waits for healthy) and liveness (an unhealthy container is restarted, as Swarm replaces an unhealthy
 * task); start_period becomes a startup probe that allows that long before liveness counts.
 */
export function probesOf(svc: Service): Pick<IContainer, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  const hc = svc.healthcheck;
  if (hc === undefined || hc.test[0] === 'NONE') return {};
  const periodSeconds = Math.max(1, Math.round(hc.intervalS ?? 30));
  const base: IProbe = {
    exec: { command: probeCommand(hc.test) },
    periodSeconds,
    timeoutSeconds: Math.max(1, Math.round(hc.timeoutS ?? 30)),
    failureThreshold: hc.retries ?? 3,
  };
  const out: Pick<IContainer, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> = { livenessProbe: base, readinessProbe: base };
  if (hc.startPeriodS !== undefined && hc.startPeriodS > 0) {
    out.startupProbe = { ...base, failureThreshold: Math.ceil(hc.startPeriodS / periodSeconds) + (hc.retries ?? 3) };
  }
  return out;
}

/** user, privileged and capabilities as the container's security context. */
function securityOf(svc: Service, notes: Notes): ISecurityContext | undefined {
  const sc: ISecurityContext = {};
  if (svc.user !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(svc.user);
    if (m) {
      sc.runAsUser = Number(m[1]);
      if (m[2] !== undefined) sc.runAsGroup = Number(m[2]);
    } else notes.refusals.push(about(svc.name, `user "${svc.user}": Kubernetes takes numeric ids only; write user: "UID[:GID]"`));
  }
  if (svc.privileged) sc.privileged = true;
  if (svc.capAdd.length > 0 || svc.capDrop.length > 0) {
    const cap = (c: string) => c.replace(/^CAP_/, '');
    sc.capabilities = {};
    if (svc.capAdd.length > 0) sc.capabilities.add = svc.capAdd.map(cap);
    if (svc.capDrop.length > 0) sc.capabilities.drop = svc.capDrop.map(cap);
  }
  return Object.keys(sc).length > 0 ? sc : undefined;
}

/** The service's one container (named after the service), without its volume mounts. */
export function containerOf(svc: Service, name: string, notes: Notes): IContainer {
  const c: IContainer = { name, image: svc.image, imagePullPolicy: 'IfNotPresent' };
  if (svc.entrypoint !== undefined) c.command = svc.entrypoint;
  if (svc.command !== undefined) c.args = svc.command;
  const env = Object.entries(svc.env);
  if (env.length > 0) c.env = env.map(([n, value]) => ({ name: n, value }));
  const ports = [...new Map(svc.ports.map((p) => [`${p.target}/${p.protocol}`, p])).values()];
  if (ports.length > 0) c.ports = ports.map((p) => ({ containerPort: p.target, protocol: p.protocol === 'udp' ? 'UDP' : 'TCP' }));
  if (svc.workingDir !== undefined) c.workingDir = svc.workingDir;
  const resources = resourcesOf(svc, notes);
  if (resources) c.resources = resources;
  Object.assign(c, probesOf(svc));
  const sc = securityOf(svc, notes);
  if (sc) c.securityContext = sc;
  return c;
}
