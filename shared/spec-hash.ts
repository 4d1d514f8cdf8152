/** The spec hash (shared: the agent labels containers with it, the controller compares desired sets with it). */
import { createHash } from 'node:crypto';
import type { ContainerSpec } from './wire.js';

/** The restart policy a spec gets when it names none: services run until told otherwise. */
export const DEFAULT_RESTART_POLICY = 'always';

/** The log driver and options a spec gets when it names none: small, rotated logs (a Pi's SD card is not a log store). */
export const DEFAULT_LOGGING = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } } as const;

/** Seconds a container gets between SIGTERM and SIGKILL when the spec names none: Docker's own default. */
export const DEFAULT_STOP_GRACE_S = 10;

/** The file mode a secret gets when the spec names none: owner read only. */
export const DEFAULT_SECRET_MODE = 0o400;
/** The file mode a config gets when the spec names none: read for all. */
export const DEFAULT_CONFIG_MODE = 0o444;

/**
 * A spec with defaults filled and empty collections dropped, so that equivalent specs look the same. Order
 * is kept where Docker gives it a meaning (command, entrypoint, networks: the first is the primary one,
 * extra hosts: the first line for a name wins) and sorted where it has none (env, labels, ports, mounts and
 * files by target, devices by container path, capabilities, aliases). Fields left at what Docker does anyway
 * (privileged false, network mode bridge without networks, the default logging) are dropped, so specs made
 * before these fields existed keep their hash.
 */
export function normaliseSpec(spec: ContainerSpec): ContainerSpec {
  const out: ContainerSpec = {
    name: spec.name,
    stack: spec.stack,
    service: spec.service,
    replica: spec.replica,
    image: spec.image,
    restartPolicy: spec.restartPolicy ?? DEFAULT_RESTART_POLICY,
  };
  if (spec.command && spec.command.length > 0) out.command = [...spec.command];
  if (spec.entrypoint && spec.entrypoint.length > 0) out.entrypoint = [...spec.entrypoint];
  if (spec.env && Object.keys(spec.env).length > 0) out.env = sortedRecord(spec.env);
  if (spec.ports && spec.ports.length > 0) {
    out.ports = spec.ports
      .map((p) => dropUndefined({ container: p.container, host: p.host, protocol: p.protocol ?? ('tcp' as const), hostIp: hostIpOf(p.hostIp) }))
      .sort((a, b) => a.host - b.host || a.protocol.localeCompare(b.protocol) || (a.hostIp ?? '').localeCompare(b.hostIp ?? '') || a.container - b.container);
  }
  if (spec.mounts && spec.mounts.length > 0) {
    out.mounts = spec.mounts
      .map((m) => dropUndefined({ type: m.type, source: m.type === 'tmpfs' ? undefined : m.source, target: m.target, readOnly: m.readOnly ? true : undefined }))
      .sort((a, b) => compare(a.target, b.target));
  }
  if (spec.devices && spec.devices.length > 0) {
    out.devices = spec.devices
      .map((d) => ({ host: d.host, container: d.container, permissions: permissionsOf(d.permissions) }))
      .sort((a, b) => compare(a.container, b.container) || compare(a.host, b.host));
  }
  if (spec.privileged) out.privileged = true;
  const capAdd = capabilities(spec.capAdd);
  if (capAdd) out.capAdd = capAdd;
  const capDrop = capabilities(spec.capDrop);
  if (capDrop) out.capDrop = capDrop;
  if (spec.networkMode !== undefined && !(spec.networkMode === 'bridge' && !(spec.networks && spec.networks.length > 0))) out.networkMode = spec.networkMode;
  if (spec.networks && spec.networks.length > 0) {
    out.networks = spec.networks.map((n) => {
      const aliases = [...new Set(n.aliases ?? [])].sort(compare);
      return aliases.length > 0 ? { name: n.name, aliases } : { name: n.name };
    });
  }
  if (spec.extraHosts && spec.extraHosts.length > 0) out.extraHosts = [...spec.extraHosts];
  if (spec.user) out.user = spec.user;
  if (spec.workingDir) out.workingDir = spec.workingDir;
  const logging = loggingOf(spec.logging);
  if (canonicalJson(logging) !== canonicalJson(DEFAULT_LOGGING)) out.logging = logging;
  if (spec.files && spec.files.length > 0) {
    out.files = spec.files
      .map((f) => ({
        kind: f.kind,
        name: f.name,
        digest: f.digest,
        target: f.target,
        mode: f.mode ?? (f.kind === 'secret' ? DEFAULT_SECRET_MODE : DEFAULT_CONFIG_MODE),
        uid: f.uid ?? 0,
        gid: f.gid ?? 0,
      }))
      .sort((a, b) => compare(a.target, b.target));
  }
  if (spec.memoryLimit !== undefined) out.memoryLimit = spec.memoryLimit;
  if (spec.memoryReservation !== undefined) out.memoryReservation = spec.memoryReservation;
  if (spec.cpus !== undefined) out.cpus = spec.cpus;
  if (spec.pidsLimit !== undefined) out.pidsLimit = spec.pidsLimit;
  // Docker cannot change a container's stop timeout: a new grace period is a new container (the default written out is none)
  if (spec.stopGraceS !== undefined && spec.stopGraceS !== DEFAULT_STOP_GRACE_S) out.stopGraceS = spec.stopGraceS;
  if (spec.healthcheck) out.healthcheck = dropUndefined({ ...spec.healthcheck, test: [...spec.healthcheck.test] });
  if (spec.labels && Object.keys(spec.labels).length > 0) out.labels = sortedRecord(spec.labels);
  return out;
}

/**
 * The log driver and options Docker is given: the spec's, with json-file's rotation filled in when the spec
 * leaves it out (Docker's json-file keeps everything otherwise).
 */
export function loggingOf(logging: ContainerSpec['logging']): { driver: string; options: Record<string, string> } {
  if (!logging) return { driver: DEFAULT_LOGGING.driver, options: { ...DEFAULT_LOGGING.options } };
  const options = sortedRecord(logging.options ?? {});
  if (logging.driver === 'json-file') {
    options['max-size'] ??= DEFAULT_LOGGING.options['max-size'];
    options['max-file'] ??= DEFAULT_LOGGING.options['max-file'];
  }
  return { driver: logging.driver, options: sortedRecord(options) };
}

/** A capability as Docker spells it in HostConfig (`CAP_NET_ADMIN` and `net_admin` are `NET_ADMIN`; `ALL` stays). */
export function capabilityOf(name: string): string {
  const up = name.toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

/** Device cgroup permissions in Docker's order (`mrw` is `rwm`); `rwm` when none are given. */
export function permissionsOf(p: string | undefined): string {
  if (!p) return 'rwm';
  return ['r', 'w', 'm'].filter((c) => p.includes(c)).join('');
}

function capabilities(list: string[] | undefined): string[] | undefined {
  if (!list || list.length === 0) return undefined;
  return [...new Set(list.map(capabilityOf))].sort(compare);
}

// 0.0.0.0 is every address, as if none was given.
function hostIpOf(ip: string | undefined): string | undefined {
  return ip === undefined || ip === '' || ip === '0.0.0.0' ? undefined : ip;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A stable 16-hex-digit hash of the normalised spec (key order and defaults do not matter). */
export function specHash(spec: ContainerSpec): string {
  return createHash('sha256')
    .update(canonicalJson(normaliseSpec(spec)))
    .digest('hex')
    .slice(0, 16);
}

/** JSON with object keys sorted at every level, undefined entries dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
