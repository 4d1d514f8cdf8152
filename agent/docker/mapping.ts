/**
 * Pure translation between muster's types and the Docker Engine API's JSON: a spec -> the create body,
 * an inspect answer -> an ObservedContainer. No dockerode here, so it is testable on plain objects.
 */
import { LABELS, type ObservedContainer } from '../types.js';
import type { ContainerSpec } from '../../shared/wire.js';

/** The Docker Engine API's POST /containers/create body (the fields muster sets). */
export interface CreateBody {
  name: string;
  Image: string;
  Cmd?: string[];
  Env?: string[];
  Labels: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  HostConfig: {
    Memory?: number;
    MemoryReservation?: number;
    NanoCpus?: number;
    PidsLimit?: number;
    PortBindings?: Record<string, { HostIp?: string; HostPort: string }[]>;
    RestartPolicy: { Name: 'no' };
    LogConfig: { Type: 'json-file'; Config: Record<string, string> };
  };
}

const NS_PER_S = 1e9;

/** A spec and its hash -> the create body. Docker's own restart policy stays `no`: the agent restarts, with backoff. */
export function createBody(spec: ContainerSpec, hash: string, scope: string): CreateBody {
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
      // Small, rotated logs: a Pi's SD card is not a log store.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
  };
  if (spec.command && spec.command.length > 0) body.Cmd = spec.command;
  if (spec.env) body.Env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  if (spec.memoryLimit !== undefined) body.HostConfig.Memory = spec.memoryLimit;
  if (spec.memoryReservation !== undefined) body.HostConfig.MemoryReservation = spec.memoryReservation;
  if (spec.cpus !== undefined) body.HostConfig.NanoCpus = Math.round(spec.cpus * NS_PER_S);
  if (spec.pidsLimit !== undefined) body.HostConfig.PidsLimit = spec.pidsLimit;
  if (spec.ports && spec.ports.length > 0) {
    body.ExposedPorts = {};
    body.HostConfig.PortBindings = {};
    for (const p of spec.ports) {
      const key = `${p.container}/${p.protocol ?? 'tcp'}`;
      body.ExposedPorts[key] = {};
      // Host mode: the port is bound on this node only (no routing mesh).
      (body.HostConfig.PortBindings[key] ??= []).push({ HostPort: String(p.host) });
    }
  }
  if (spec.healthcheck) {
    const h = spec.healthcheck;
    const ns = (s: number | undefined): number | undefined => (s === undefined ? undefined : Math.round(s * NS_PER_S));
    body.Healthcheck = { Test: h.test, Interval: ns(h.intervalS), Timeout: ns(h.timeoutS), Retries: h.retries, StartPeriod: ns(h.startPeriodS) };
  }
  return body;
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
