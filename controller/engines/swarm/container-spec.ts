/**
 * A stack service's container as Swarm's `ContainerSpec`, field by field as `docker stack deploy` converts it:
 * entrypoint -> Command, command -> Args, environment sorted as `KEY=value`, `host:IP` extra hosts turned
 * round to `IP host`, secrets and configs by name (their IDs are looked up when applied).
 */
import type { FileRef, Service } from '../../stack/types.js';
import type { ContainerSpec, FileReference, Mount } from './api-types.js';
import { ns, scoped, withStack } from './names.js';

const SECRETS_DIR = '/run/secrets/';

/** The `ContainerSpec` of one service of `stack`. */
export function containerSpec(stack: string, s: Service): ContainerSpec {
  const spec: ContainerSpec = { Image: s.image, Labels: withStack(stack, s.labels) };
  if (s.entrypoint) spec.Command = [...s.entrypoint];
  if (s.command) spec.Args = [...s.command];
  const env = Object.entries(s.env).map(([k, v]) => `${k}=${v}`);
  if (env.length) spec.Env = env.sort();
  if (s.workingDir) spec.Dir = s.workingDir;
  if (s.user) spec.User = s.user;
  if (s.mounts.length) spec.Mounts = s.mounts.map((m) => mountOf(stack, m));
  if (s.extraHosts.length) spec.Hosts = s.extraHosts.map(hostLine);
  if (s.capAdd.length) spec.CapabilityAdd = s.capAdd.map(capability);
  if (s.capDrop.length) spec.CapabilityDrop = s.capDrop.map(capability);
  if (s.healthcheck) {
    const h = s.healthcheck;
    spec.Healthcheck = { Test: [...h.test] };
    if (h.intervalS !== undefined) spec.Healthcheck.Interval = ns(h.intervalS);
    if (h.timeoutS !== undefined) spec.Healthcheck.Timeout = ns(h.timeoutS);
    if (h.retries !== undefined) spec.Healthcheck.Retries = h.retries;
    if (h.startPeriodS !== undefined) spec.Healthcheck.StartPeriod = ns(h.startPeriodS);
  }
  if (s.stopGraceS !== undefined) spec.StopGracePeriod = ns(s.stopGraceS);
  if (s.secrets.length) spec.Secrets = s.secrets.map((r) => ({ ...fileOf(r, 'secret'), SecretName: scoped(stack, r.source) }));
  if (s.configs.length) spec.Configs = s.configs.map((r) => ({ ...fileOf(r, 'config'), ConfigName: scoped(stack, r.source) }));
  return spec;
}

function mountOf(stack: string, m: Service['mounts'][number]): Mount {
  const out: Mount = { Type: m.type, Target: m.target };
  if (m.source !== undefined) out.Source = m.source;
  if (m.readOnly) out.ReadOnly = true;
  if (m.type === 'volume') out.VolumeOptions = { Labels: withStack(stack) };
  return out;
}

/** The daemon's spelling, as the CLI sends it: `NET_ADMIN` -> `CAP_NET_ADMIN` (`ALL` stays). */
function capability(name: string): string {
  const up = name.toUpperCase();
  return up === 'ALL' || up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/** Compose writes `host:IP` (IPv6 addresses have colons too: the host is before the first one). */
function hostLine(entry: string): string {
  const at = entry.search(/[:=]/);
  return at < 0 ? entry : `${entry.slice(at + 1)} ${entry.slice(0, at)}`;
}

/** Swarm's file reference, named as the CLI sends them: secrets relative to /run/secrets, a config's default target by its name. */
function fileOf(r: FileRef, kind: 'secret' | 'config'): FileReference {
  const name = kind === 'secret' && r.target.startsWith(SECRETS_DIR) ? r.target.slice(SECRETS_DIR.length) : r.target === `/${r.source}` ? r.source : r.target;
  return { File: { Name: name, UID: String(r.uid ?? 0), GID: String(r.gid ?? 0), Mode: r.mode ?? 0o444 } };
}
