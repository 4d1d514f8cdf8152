/**
 * Pure translation between muster's types and the Docker Engine API's JSON: a spec -> the create body,
 * an inspect answer -> an ObservedContainer. No dockerode here, so it is testable on plain objects.
 */
import { LABELS, type ObservedContainer } from '../types.js';
import type { ContainerSpec } from '../../shared/wire.js';
import { capabilityOf, loggingOf, permissionsOf } from '../../shared/spec-hash.js';

/** One entry of HostConfig.Mounts. */
export interface DockerMount {
  Type: 'volume' | 'bind' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  /** labels Docker puts on a named volume it makes at create time (the adapter makes them first anyway) */
  VolumeOptions?: { Labels: Record<string, string> };
}

/** The Docker Engine API's POST /containers/create body (the fields muster sets). */
export interface CreateBody {
  name: string;
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  /** seconds between SIGTERM and SIGKILL when the container is stopped without a timeout of its own */
  StopTimeout?: number;
  HostConfig: {
    Memory?: number;
    MemoryReservation?: number;
    NanoCpus?: number;
    PidsLimit?: number;
    PortBindings?: Record<string, { HostIp?: string; HostPort: string }[]>;
    RestartPolicy: { Name: 'no' };
    LogConfig: { Type: string; Config: Record<string, string> };
    Mounts?: DockerMount[];
    Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
    Privileged?: boolean;
    CapAdd?: string[];
    CapDrop?: string[];
    NetworkMode?: string;
    ExtraHosts?: string[];
  };
  /** the first network only: engines before API 1.44 (Debian's docker.io 20.10) take one endpoint at create */
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
}

/** Where the secrets and configs of one container were copied on the host: container target -> host path. */
export type FileSources = ReadonlyMap<string, string>;

const NS_PER_S = 1e9;

/**
 * A spec and its hash -> the create body. Docker's own restart policy stays `no`: the agent restarts, with
 * backoff. `files` says where each secret or config was copied on the host (see agent/state/files-store.ts);
 * a spec with files needs every one of them there.
 */
export function createBody(spec: ContainerSpec, hash: string, scope: string, files: FileSources = new Map()): CreateBody {
  const body: CreateBody = {
    name: spec.name,
    Image: spec.image,
    Labels: {
      ...(spec.labels ?? {}),
      [LABELS.managed]: scope,
      [LABELS.name]: spec.name,
      [LABELS.stack]: spec.stack,
      [LABELS.service]: spec.service,
      [LABELS.replica]: String(spec.replica),
      [LABELS.specHash]: hash,
    },
    HostConfig: {
      RestartPolicy: { Name: 'no' },
      // Small, rotated logs unless the spec says otherwise: a Pi's SD card is not a log store.
      LogConfig: logConfig(spec),
    },
  };
  if (spec.command && spec.command.length > 0) body.Cmd = spec.command;
  if (spec.entrypoint && spec.entrypoint.length > 0) body.Entrypoint = spec.entrypoint;
  if (spec.user) body.User = spec.user;
  if (spec.workingDir) body.WorkingDir = spec.workingDir;
  if (spec.env) body.Env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  if (spec.memoryLimit !== undefined) body.HostConfig.Memory = spec.memoryLimit;
  if (spec.memoryReservation !== undefined) body.HostConfig.MemoryReservation = spec.memoryReservation;
  if (spec.cpus !== undefined) body.HostConfig.NanoCpus = Math.round(spec.cpus * NS_PER_S);
  if (spec.pidsLimit !== undefined) body.HostConfig.PidsLimit = spec.pidsLimit;
  if (spec.stopGraceS !== undefined) body.StopTimeout = spec.stopGraceS;
  if (spec.ports && spec.ports.length > 0) {
    body.ExposedPorts = {};
    body.HostConfig.PortBindings = {};
    for (const p of spec.ports) {
      const key = `${p.container}/${p.protocol ?? 'tcp'}`;
      body.ExposedPorts[key] = {};
      // Host mode: the port is bound on this node only (no routing mesh).
      const binding = p.hostIp ? { HostIp: p.hostIp, HostPort: String(p.host) } : { HostPort: String(p.host) };
      (body.HostConfig.PortBindings[key] ??= []).push(binding);
    }
  }
  const mounts = [...(spec.mounts ?? []).map((m) => dockerMount(m, spec.stack, scope)), ...fileMounts(spec, files)];
  if (mounts.length > 0) body.HostConfig.Mounts = mounts;
  if (spec.devices && spec.devices.length > 0) {
    body.HostConfig.Devices = spec.devices.map((d) => ({ PathOnHost: d.host, PathInContainer: d.container, CgroupPermissions: permissionsOf(d.permissions) }));
  }
  if (spec.privileged) body.HostConfig.Privileged = true;
  if (spec.capAdd && spec.capAdd.length > 0) body.HostConfig.CapAdd = spec.capAdd.map(capabilityOf);
  if (spec.capDrop && spec.capDrop.length > 0) body.HostConfig.CapDrop = spec.capDrop.map(capabilityOf);
  if (spec.extraHosts && spec.extraHosts.length > 0) body.HostConfig.ExtraHosts = spec.extraHosts;
  if (spec.networkMode) body.HostConfig.NetworkMode = spec.networkMode;
  const first = spec.networks?.[0];
  if (!spec.networkMode && first) {
    body.HostConfig.NetworkMode = first.name;
    body.NetworkingConfig = { EndpointsConfig: { [first.name]: endpoint(first) } };
  }
  if (spec.healthcheck) {
    const h = spec.healthcheck;
    const ns = (s: number | undefined): number | undefined => (s === undefined ? undefined : Math.round(s * NS_PER_S));
    body.Healthcheck = { Test: h.test, Interval: ns(h.intervalS), Timeout: ns(h.timeoutS), Retries: h.retries, StartPeriod: ns(h.startPeriodS) };
  }
  return body;
}

/** The labels of a network or volume muster makes for a stack (the managed label says which agent made it). */
export function resourceLabels(scope: string, stack: string): Record<string, string> {
  return { [LABELS.managed]: scope, [LABELS.stack]: stack };
}

/** The networks a container joins after create, before start (all but the first, which create takes). */
export function laterNetworks(spec: ContainerSpec): { name: string; aliases?: string[] }[] {
  if (spec.networkMode) return [];
  return (spec.networks ?? []).slice(1).map((n) => (n.aliases && n.aliases.length > 0 ? { name: n.name, aliases: [...n.aliases] } : { name: n.name }));
}

/** The named volumes a container mounts (made with labels before the container if missing). */
export function namedVolumes(spec: ContainerSpec): string[] {
  return (spec.mounts ?? []).filter((m) => m.type === 'volume' && m.source).map((m) => m.source!);
}

/** The Docker networks a set of specs joins. */
export function networksOf(specs: ContainerSpec[]): Set<string> {
  return new Set(specs.filter((s) => !s.networkMode).flatMap((s) => (s.networks ?? []).map((n) => n.name)));
}

function endpoint(n: { aliases?: string[] }): { Aliases?: string[] } {
  return n.aliases && n.aliases.length > 0 ? { Aliases: [...n.aliases] } : {};
}

function logConfig(spec: ContainerSpec): CreateBody['HostConfig']['LogConfig'] {
  const l = loggingOf(spec.logging);
  return { Type: l.driver, Config: l.options };
}

function dockerMount(m: NonNullable<ContainerSpec['mounts']>[number], stack: string, scope: string): DockerMount {
  const out: DockerMount = { Type: m.type, Target: m.target };
  if (m.type !== 'tmpfs') out.Source = m.source;
  if (m.readOnly) out.ReadOnly = true;
  if (m.type === 'volume') out.VolumeOptions = { Labels: resourceLabels(scope, stack) };
  return out;
}

// Each secret or config: a read-only bind of the container's own copy of the delivered file.
function fileMounts(spec: ContainerSpec, files: FileSources): DockerMount[] {
  return (spec.files ?? []).map((f) => {
    const source = files.get(f.target);
    if (source === undefined) throw new Error(`${f.kind} ${f.name} for ${f.target} was not prepared on the host`);
    return { Type: 'bind', Source: source, Target: f.target, ReadOnly: true };
  });
}

/** The parts of GET /containers/{id}/json that muster reads. */
export interface InspectAnswer {
  Id: string;
  Name?: string;
  RestartCount?: number;
  State?: { Status?: string; Pid?: number; ExitCode?: number; StartedAt?: string; FinishedAt?: string; Health?: { Status?: string } };
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  HostConfig?: { Memory?: number; MemoryReservation?: number; NanoCpus?: number; PidsLimit?: number | null };
}

const STATES = new Set<ObservedContainer['state']>(['created', 'running', 'restarting', 'exited', 'paused', 'dead', 'removing']);
const HEALTH = new Set(['starting', 'healthy', 'unhealthy']);

// Docker writes 0001-01-01T00:00:00Z for "never".
function time(s: string | undefined): number | undefined {
  if (!s || s.startsWith('0001-')) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

const positive = (n: number | null | undefined): number | undefined => (typeof n === 'number' && n > 0 ? n : undefined);

/** An inspect answer -> what the reconciler and the report need. */
export function observedFromInspect(c: InspectAnswer): ObservedContainer {
  const labels = c.Config?.Labels ?? {};
  const status = c.State?.Status as ObservedContainer['state'] | undefined;
  const health = c.State?.Health?.Status;
  const replica = Number(labels[LABELS.replica]);
  const nanoCpus = positive(c.HostConfig?.NanoCpus);
  return {
    id: c.Id,
    name: labels[LABELS.name] ?? (c.Name ?? '').replace(/^\//, ''),
    specHash: labels[LABELS.specHash] ?? '',
    state: status && STATES.has(status) ? status : 'exited', // an unknown state: try to start it rather than remove it
    health: health && HEALTH.has(health) ? (health as ObservedContainer['health']) : undefined,
    restartCount: c.RestartCount ?? 0,
    exitCode: c.State?.ExitCode,
    startedAt: time(c.State?.StartedAt),
    finishedAt: time(c.State?.FinishedAt),
    pid: positive(c.State?.Pid),
    image: c.Config?.Image,
    stack: labels[LABELS.stack],
    service: labels[LABELS.service],
    replica: Number.isInteger(replica) ? replica : undefined,
    limits: {
      memory: positive(c.HostConfig?.Memory),
      memoryReservation: positive(c.HostConfig?.MemoryReservation),
      cpus: nanoCpus === undefined ? undefined : nanoCpus / NS_PER_S,
      pidsLimit: positive(c.HostConfig?.PidsLimit),
    },
  };
}
