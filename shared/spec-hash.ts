/** The spec hash (shared: the agent labels containers with it, the controller compares desired sets with it). */
import { createHash } from 'node:crypto';
import type { ContainerSpec } from './wire.js';

/** The restart policy a spec gets when it names none: services run until told otherwise. */
export const DEFAULT_RESTART_POLICY = 'always';

/** A spec with defaults filled and empty collections dropped, so that equivalent specs look the same. */
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
  if (spec.env && Object.keys(spec.env).length > 0) out.env = sortedRecord(spec.env);
  if (spec.ports && spec.ports.length > 0) {
    out.ports = spec.ports
      .map((p) => ({ container: p.container, host: p.host, protocol: p.protocol ?? ('tcp' as const) }))
      .sort((a, b) => a.host - b.host || a.protocol.localeCompare(b.protocol) || a.container - b.container);
  }
  if (spec.memoryLimit !== undefined) out.memoryLimit = spec.memoryLimit;
  if (spec.memoryReservation !== undefined) out.memoryReservation = spec.memoryReservation;
  if (spec.cpus !== undefined) out.cpus = spec.cpus;
  if (spec.pidsLimit !== undefined) out.pidsLimit = spec.pidsLimit;
  if (spec.healthcheck) out.healthcheck = dropUndefined({ ...spec.healthcheck, test: [...spec.healthcheck.test] });
  if (spec.labels && Object.keys(spec.labels).length > 0) out.labels = sortedRecord(spec.labels);
  return out;
}

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
