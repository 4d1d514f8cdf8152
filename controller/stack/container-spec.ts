/** A service as the container spec every replica shares, its hash, and one replica's spec (name and slot). */
import { specHash } from '../../shared/spec-hash.js';
import type { ContainerSpec, FileMount } from '../../shared/wire.js';
import type { FileRef, Service, Stack } from './types.js';

/** The part of a ContainerSpec shared by all replicas of a service (name and replica come with replicaSpec). */
export type ContainerTemplate = Omit<ContainerSpec, 'name' | 'replica'>;

const CONDITION_TO_DOCKER = { none: 'no', 'on-failure': 'on-failure', any: 'always' } as const;

/**
 * The container spec a service's replicas share. Restart: `restart:` when written (and no
 * deploy.restart_policy), else the restart policy's condition as Docker names it (any -> always, as Swarm
 * restarts a task whatever ended it; on-failure -> on-failure; none -> no). Published ports are left out
 * with network_mode host or none (there is nothing to map). The agent adds its io.muster.* labels.
 */
export function containerTemplate(stack: Stack, service: Service): ContainerTemplate {
  const t: ContainerTemplate = {
    stack: stack.name,
    service: service.name,
    image: service.image,
    restartPolicy: service.restart ?? CONDITION_TO_DOCKER[service.deploy.restartPolicy.condition],
  };
  if (service.command) t.command = [...service.command];
  if (service.entrypoint) t.entrypoint = [...service.entrypoint];
  if (Object.keys(service.env).length > 0) t.env = { ...service.env };
  if (service.ports.length > 0 && service.networkMode !== 'host' && service.networkMode !== 'none') {
    t.ports = service.ports.map((p) => ({ container: p.target, host: p.published, protocol: p.protocol, ...(p.hostIp ? { hostIp: p.hostIp } : {}) }));
  }
  if (service.mounts.length > 0) t.mounts = service.mounts.map((m) => ({ ...m }));
  if (service.devices.length > 0) t.devices = service.devices.map((d) => ({ ...d }));
  if (service.privileged) t.privileged = true;
  if (service.capAdd.length > 0) t.capAdd = [...service.capAdd];
  if (service.capDrop.length > 0) t.capDrop = [...service.capDrop];
  if (service.networkMode) t.networkMode = service.networkMode;
  else if (service.networks.length > 0) {
    t.networks = service.networks.map((n) => ({ name: stack.networks[n.key]?.name ?? `${stack.name}_${n.key}`, aliases: [service.name, ...n.aliases] }));
  }
  if (service.extraHosts.length > 0) t.extraHosts = [...service.extraHosts];
  if (service.user !== undefined) t.user = service.user;
  if (service.workingDir !== undefined) t.workingDir = service.workingDir;
  if (service.logging) t.logging = { driver: service.logging.driver, options: { ...service.logging.options } };
  const files = [...service.secrets.map((r) => fileMount(stack, r, 'secret')), ...service.configs.map((r) => fileMount(stack, r, 'config'))];
  if (files.length > 0) t.files = files;
  const { limits, reservations } = service.deploy;
  if (limits.memoryBytes !== undefined) t.memoryLimit = limits.memoryBytes;
  if (reservations.memoryBytes !== undefined) t.memoryReservation = reservations.memoryBytes;
  if (limits.cpus !== undefined) t.cpus = limits.cpus;
  if (limits.pids !== undefined) t.pidsLimit = limits.pids;
  // Docker's stop timeout is whole seconds: a fraction is rounded up, so a replica gets at least its grace period
  if (service.stopGraceS !== undefined) t.stopGraceS = Math.ceil(service.stopGraceS);
  if (service.healthcheck) t.healthcheck = { ...service.healthcheck, test: [...service.healthcheck.test] };
  if (Object.keys(service.labels).length > 0) t.labels = { ...service.labels };
  return t;
}

function fileMount(stack: Stack, ref: FileRef, kind: 'secret' | 'config'): FileMount {
  const def = (kind === 'secret' ? stack.secrets : stack.configs)[ref.source];
  const m: FileMount = {
    kind,
    name: `${stack.name}_${ref.source}.${def.digest.slice(0, 12)}`,
    digest: def.digest,
    target: ref.target,
    mode: ref.mode ?? (kind === 'secret' ? 0o400 : 0o444),
  };
  if (ref.uid !== undefined) m.uid = ref.uid;
  if (ref.gid !== undefined) m.gid = ref.gid;
  return m;
}

/**
 * 16 hex digits naming a template: the shared spec hash (the agent's) of the template under a fixed name and
 * replica 0, so equivalent templates (key order, defaults written out or not) hash alike and any change differs.
 */
export function templateHash(template: ContainerTemplate): string {
  return specHash({ ...template, name: '-', replica: 0 });
}

/** One replica's spec: `<stack>_<service>.<slot>.<hash8>` (slot 0 for a global service's replica on each node). */
export function replicaSpec(stack: Stack, service: Service, template: ContainerTemplate, hash: string, slot: number): ContainerSpec {
  return { ...structuredClone(template), name: `${stack.name}_${service.name}.${slot}.${hash.slice(0, 8)}`, replica: slot };
}

/** Each service's template and its hash, by service name (what the scheduler's specHash and the deploy read). */
export function serviceTemplates(stack: Stack): Map<string, { template: ContainerTemplate; hash: string }> {
  const out = new Map<string, { template: ContainerTemplate; hash: string }>();
  for (const service of stack.services) {
    const template = containerTemplate(stack, service);
    out.set(service.name, { template, hash: templateHash(template) });
  }
  return out;
}
