/** Rules on a desired set that a JSON schema cannot say: uniqueness across containers, limits that contradict. */
import type { ContainerSpec, DesiredSet } from '../../shared/wire.js';
import { capabilityOf } from '../../shared/spec-hash.js';
import { LABELS } from '../types.js';

/** A problem with one field of a request body. */
export interface FieldProblem {
  /** e.g. `containers[1].ports[0].host` */
  field: string;
  message: string;
}

const HEALTH_KINDS = new Set(['NONE', 'CMD', 'CMD-SHELL']);

/** The Linux capabilities (capabilities(7), up to CHECKPOINT_RESTORE), as Docker names them. */
export const CAPABILITIES = new Set(
  (
    'CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE ' +
    'NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT ' +
    'SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP ' +
    'MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE'
  ).split(' '),
);

// A clean absolute path: no `.` or `..` parts, no doubled or trailing slash (Docker would refuse or rewrite it).
const ABSOLUTE = /^(\/[^/\0]+)+$/;
const cleanAbsolute = (p: string): boolean => ABSOLUTE.test(p) && !p.split('/').some((part) => part === '.' || part === '..');
const DIGITS_OF_NAME = /\.([0-9a-f]{12})$/;
const RESERVED_LABEL = /^io\.muster\./;

/** The first problem of a schema-valid desired set, or undefined when it can be converged to. */
export function desiredSetProblem(set: DesiredSet): FieldProblem | undefined {
  const names = new Map<string, number>();
  const hostPorts = new Map<string, string>();
  for (const [i, c] of set.containers.entries()) {
    const at = `containers[${i}]`;
    const dup = names.get(c.name);
    if (dup !== undefined) return { field: `${at}.name`, message: `"${c.name}" is also containers[${dup}]: names must be unique on a node` };
    names.set(c.name, i);
    if (c.memoryReservation !== undefined && c.memoryLimit !== undefined && c.memoryReservation > c.memoryLimit) {
      return { field: `${at}.memoryReservation`, message: `${c.memoryReservation} is above memoryLimit ${c.memoryLimit}` };
    }
    for (const [j, p] of (c.ports ?? []).entries()) {
      const key = `${p.host}/${p.protocol ?? 'tcp'}`;
      const owner = hostPorts.get(key);
      if (owner !== undefined) return { field: `${at}.ports[${j}].host`, message: `host port ${key} is already published by ${owner}` };
      hostPorts.set(key, c.name);
    }
    const kind = c.healthcheck?.test[0];
    if (kind !== undefined && !HEALTH_KINDS.has(kind)) {
      return { field: `${at}.healthcheck.test[0]`, message: `"${kind}" must be NONE, CMD or CMD-SHELL (as in Docker)` };
    }
    for (const key of Object.keys(c.labels ?? {})) {
      if (RESERVED_LABEL.test(key)) return { field: `${at}.labels.${key}`, message: `labels under io.muster. are muster's own (${LABELS.managed}...)` };
    }
    const problem = featureProblem(c, at);
    if (problem) return problem;
  }
  return undefined;
}

/** The first problem of one container's mounts, devices, capabilities, networks and files. */
function featureProblem(c: ContainerSpec, at: string): FieldProblem | undefined {
  const targets = new Map<string, string>(); // container path -> the field that mounts there
  const claim = (target: string, field: string): FieldProblem | undefined => {
    const other = targets.get(target);
    if (other !== undefined) return { field, message: `${target} is also the target of ${other}: one mount per path` };
    targets.set(target, field);
    return undefined;
  };
  for (const [j, m] of (c.mounts ?? []).entries()) {
    const f = `${at}.mounts[${j}]`;
    if (!cleanAbsolute(m.target)) return { field: `${f}.target`, message: `"${m.target}" must be an absolute path without . or .. parts (not /)` };
    if (m.type === 'tmpfs' && m.source !== undefined) return { field: `${f}.source`, message: 'a tmpfs mount has no source' };
    if (m.type !== 'tmpfs' && m.source === undefined) return { field: `${f}.source`, message: `a ${m.type} mount needs a source` };
    if (m.type === 'bind' && !cleanAbsolute(m.source!)) return { field: `${f}.source`, message: `"${m.source}" must be an absolute host path` };
    if (m.type === 'volume' && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(m.source!)) {
      return { field: `${f}.source`, message: `"${m.source}" is not a volume name (letters, digits, _ . -)` };
    }
    const dup = claim(m.target, `mounts[${j}]`);
    if (dup) return { ...dup, field: `${f}.target` };
  }
  for (const [j, fm] of (c.files ?? []).entries()) {
    const f = `${at}.files[${j}]`;
    if (!cleanAbsolute(fm.target)) return { field: `${f}.target`, message: `"${fm.target}" must be an absolute path in the container` };
    const digits = DIGITS_OF_NAME.exec(fm.name)?.[1];
    if (digits !== fm.digest.slice(0, 12))
      return { field: `${f}.name`, message: `"${fm.name}" must end with .${fm.digest.slice(0, 12)}, the digest's first 12 digits` };
    const dup = claim(fm.target, `files[${j}]`);
    if (dup) return { ...dup, field: `${f}.target` };
  }
  const devices = new Set<string>();
  for (const [j, d] of (c.devices ?? []).entries()) {
    const f = `${at}.devices[${j}]`;
    if (!cleanAbsolute(d.host) || !d.host.startsWith('/dev/')) return { field: `${f}.host`, message: `"${d.host}" must be a device under /dev/` };
    if (!cleanAbsolute(d.container)) return { field: `${f}.container`, message: `"${d.container}" must be an absolute path in the container` };
    if (devices.has(d.container)) return { field: `${f}.container`, message: `${d.container} is given twice` };
    devices.add(d.container);
  }
  const added = new Set<string>();
  for (const [list, key] of [
    [c.capAdd, 'capAdd'],
    [c.capDrop, 'capDrop'],
  ] as const) {
    for (const [j, cap] of (list ?? []).entries()) {
      const name = capabilityOf(cap);
      if (name !== 'ALL' && !CAPABILITIES.has(name))
        return { field: `${at}.${key}[${j}]`, message: `"${cap}" is not a Linux capability (e.g. NET_ADMIN, SYS_TIME, ALL)` };
      if (key === 'capAdd') added.add(name);
      else if (name !== 'ALL' && added.has(name)) return { field: `${at}.${key}[${j}]`, message: `${name} is both added and dropped` };
    }
  }
  if (c.networkMode !== undefined && c.networks && c.networks.length > 0) {
    return {
      field: `${at}.networkMode`,
      message: `network mode ${c.networkMode} cannot be combined with networks (Compose: network_mode or networks, not both)`,
    };
  }
  if (c.networkMode === 'host' && c.ports && c.ports.length > 0) {
    return { field: `${at}.ports`, message: 'a container on the host network publishes no ports: it listens on the node directly' };
  }
  const nets = new Set<string>();
  for (const [j, n] of (c.networks ?? []).entries()) {
    if (nets.has(n.name)) return { field: `${at}.networks[${j}].name`, message: `${n.name} is joined twice` };
    nets.add(n.name);
  }
  if (c.workingDir !== undefined && !cleanAbsolute(c.workingDir) && c.workingDir !== '/') {
    return { field: `${at}.workingDir`, message: `"${c.workingDir}" must be an absolute path` };
  }
  return undefined;
}
