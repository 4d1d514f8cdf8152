/**
 * docker_container's options as comparable values: each option the task gives is read from the arguments
 * (with the image's env and labels under them, as Docker merges them) and from `docker container inspect`,
 * in the same shape, and compared as `comparisons` says (strict by default). Pure.
 */
import type { Args } from '../types.js';
import { sizeBytes, strMap } from './cli.js';
import { bind, cap, cfg, commandList, type Context, deviceSpec, envMap, healthDict, mountSpec, portSpecs, strs, wantedEnv } from './container-values.js';

export type { Context } from './container-values.js';

type Obj = Record<string, unknown>;
/** A comparable value: a scalar, a list (order matters), a set of strings, or a string map. */
export type Value = string | number | boolean | { list: string[] } | { set: string[] } | { dict: Record<string, string> };

/** One option: how to read it from the arguments (undefined: not given) and from the container. */
interface Option {
  wanted(a: Args, ctx: Context): Value | undefined;
  actual(c: Obj): Value;
}

const host = (c: Obj) => (c.HostConfig ?? {}) as Obj;
const set = (v: string[]) => ({ set: [...new Set(v)].sort() });
const given = (a: Args, k: string) => a[k] !== undefined && a[k] !== null;

const scalar =
  (key: (c: Obj) => unknown, arg: string, conv: (v: unknown) => string | number | boolean = String, dflt: string | number | boolean = '') =>
  (): Option => ({
    wanted: (a) => (given(a, arg) ? conv(a[arg]) : undefined),
    actual: (c) => {
      const v = key(c);
      return v === undefined || v === null ? dflt : conv(v);
    },
  });

/** Every compared option by its argument name. Networks and the image are compared apart. */
export const OPTIONS: Record<string, Option> = {
  command: {
    wanted: (a) => {
      const ep = strs(a.entrypoint);
      const cmd = commandList(a.command);
      if (ep.length > 1) return { list: [...ep.slice(1), ...(cmd ?? [])] };
      return cmd === undefined ? undefined : { list: cmd };
    },
    actual: (c) => ({ list: strs(cfg(c).Cmd) }),
  },
  entrypoint: {
    wanted: (a) => (given(a, 'entrypoint') ? { list: strs(a.entrypoint).slice(0, 1) } : undefined),
    actual: (c) => ({ list: strs(cfg(c).Entrypoint) }),
  },
  env: {
    wanted: (a, ctx) => (given(a, 'env') || given(a, 'env_file') ? { dict: wantedEnv(a, ctx) } : undefined),
    actual: (c) => ({ dict: envMap(cfg(c).Env) }),
  },
  labels: {
    wanted: (a, ctx) => (given(a, 'labels') ? { dict: { ...strMap(cfg(ctx.image ?? {}).Labels), ...strMap(a.labels) } } : undefined),
    actual: (c) => ({ dict: strMap(cfg(c).Labels) }),
  },
  published_ports: {
    wanted: (a) => (given(a, 'published_ports') && !strs(a.published_ports).includes('all') ? set(portSpecs(a.published_ports)) : undefined),
    actual: (c) => {
      const b = (host(c).PortBindings ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>;
      return set(Object.entries(b).flatMap(([port, list]) => (list ?? []).map((x) => `${x.HostIp ?? ''}:${x.HostPort ?? ''}:${port}`)));
    },
  },
  volumes: {
    wanted: (a) => (given(a, 'volumes') ? set(strs(a.volumes).map(bind)) : undefined),
    actual: (c) => {
      const binds = strs(host(c).Binds).map(bind);
      const targets = new Set(binds.map((b) => b.split(':')[1]));
      const mounts = ((c.Mounts ?? []) as Obj[]).filter((m) => m.Type === 'volume' && !targets.has(String(m.Destination)));
      const anon = mounts.filter((m) => Object.hasOwn((cfg(c).Volumes ?? {}) as Obj, String(m.Destination))).map((m) => String(m.Destination));
      return set([...binds, ...anon]);
    },
  },
  mounts: {
    wanted: (a) => (given(a, 'mounts') ? set(((a.mounts as Obj[]) ?? []).map(mountSpec)) : undefined),
    actual: (c) => set(((host(c).Mounts ?? []) as Obj[]).map(mountSpec)),
  },
  restart_policy: scalar((c) => (host(c).RestartPolicy as Obj | undefined)?.Name || 'no', 'restart_policy')(),
  restart_retries: scalar((c) => (host(c).RestartPolicy as Obj | undefined)?.MaximumRetryCount, 'restart_retries', Number, 0)(),
  memory: scalar(
    (c) => host(c).Memory,
    'memory',
    (v) => sizeBytes(v) ?? String(v),
    0,
  )(),
  memory_reservation: scalar(
    (c) => host(c).MemoryReservation,
    'memory_reservation',
    (v) => sizeBytes(v) ?? String(v),
    0,
  )(),
  memory_swap: scalar(
    (c) => host(c).MemorySwap,
    'memory_swap',
    (v) => sizeBytes(v) ?? String(v),
    0,
  )(),
  cpus: {
    wanted: (a) => (given(a, 'cpus') ? Math.round(Number(a.cpus) * 1e9) : undefined),
    actual: (c) => Number(host(c).NanoCpus ?? 0),
  },
  user: scalar((c) => cfg(c).User, 'user')(),
  working_dir: scalar((c) => cfg(c).WorkingDir, 'working_dir')(),
  hostname: scalar((c) => cfg(c).Hostname, 'hostname')(),
  domainname: scalar((c) => cfg(c).Domainname, 'domainname')(),
  privileged: scalar((c) => host(c).Privileged, 'privileged', Boolean, false)(),
  init: scalar((c) => host(c).Init, 'init', Boolean, false)(),
  tty: scalar((c) => cfg(c).Tty, 'tty', Boolean, false)(),
  interactive: scalar((c) => cfg(c).OpenStdin, 'interactive', Boolean, false)(),
  read_only: scalar((c) => host(c).ReadonlyRootfs, 'read_only', Boolean, false)(),
  auto_remove: scalar((c) => host(c).AutoRemove, 'auto_remove', Boolean, false)(),
  stop_signal: scalar((c) => cfg(c).StopSignal, 'stop_signal')(),
  stop_timeout: scalar((c) => cfg(c).StopTimeout, 'stop_timeout', Number, -1)(),
  network_mode: {
    wanted: (a) => {
      if (given(a, 'network_mode')) return String(a.network_mode) === 'default' ? 'bridge' : String(a.network_mode);
      const first = ((a.networks as Obj[] | undefined) ?? [])[0];
      return first && a.networks_cli_compatible !== false ? String(first.name) : undefined;
    },
    actual: (c) => (host(c).NetworkMode === 'default' ? 'bridge' : String(host(c).NetworkMode ?? '')),
  },
  devices: {
    wanted: (a) => (given(a, 'devices') ? set(strs(a.devices).map(deviceSpec)) : undefined),
    actual: (c) => set(((host(c).Devices ?? []) as Obj[]).map((d) => `${String(d.PathOnHost)}:${String(d.PathInContainer)}:${String(d.CgroupPermissions)}`)),
  },
  capabilities: {
    wanted: (a) => (given(a, 'capabilities') ? set(strs(a.capabilities).map(cap)) : undefined),
    actual: (c) => set(strs(host(c).CapAdd).map(cap)),
  },
  cap_drop: {
    wanted: (a) => (given(a, 'cap_drop') ? set(strs(a.cap_drop).map(cap)) : undefined),
    actual: (c) => set(strs(host(c).CapDrop).map(cap)),
  },
  log_driver: scalar((c) => (host(c).LogConfig as Obj | undefined)?.Type, 'log_driver')(),
  log_options: {
    wanted: (a) => (given(a, 'log_options') ? { dict: strMap(a.log_options) } : undefined),
    actual: (c) => ({ dict: strMap((host(c).LogConfig as Obj | undefined)?.Config) }),
  },
  healthcheck: {
    wanted: (a) => (given(a, 'healthcheck') ? { dict: healthDict(a.healthcheck as Obj, true) } : undefined),
    actual: (c) => ({ dict: healthDict((cfg(c).Healthcheck ?? {}) as Obj, false) }),
  },
  etc_hosts: {
    wanted: (a) => (given(a, 'etc_hosts') ? set(Object.entries(strMap(a.etc_hosts)).map(([h, ip]) => `${h}:${ip}`)) : undefined),
    actual: (c) => set(strs(host(c).ExtraHosts)),
  },
  dns_servers: {
    wanted: (a) => (given(a, 'dns_servers') ? { list: strs(a.dns_servers) } : undefined),
    actual: (c) => ({ list: strs(host(c).Dns) }),
  },
  exposed_ports: {
    wanted: (a) => (given(a, 'exposed_ports') ? set(strs(a.exposed_ports).map((p) => (p.includes('/') ? p : `${p}/tcp`))) : undefined),
    actual: (c) => set(Object.keys((cfg(c).ExposedPorts ?? {}) as Obj)),
  },
};

/** Ansible's comparison modes. */
export type Mode = 'strict' | 'ignore' | 'allow_more_present';

/** Options whose default comparison is not strict (what the image adds stays allowed). */
const DEFAULTS: Record<string, Mode> = { exposed_ports: 'allow_more_present', networks: 'allow_more_present' };

/** Argument aliases that comparisons may name. */
const ALIASES: Record<string, string> = { ports: 'published_ports', expose: 'exposed_ports', exposed: 'exposed_ports', log_opt: 'log_options' };

/** The comparison mode of one option: comparisons[name], else comparisons['*'], else its default. */
export function modeOf(name: string, comparisons: unknown): Mode {
  const c = Object.fromEntries(Object.entries(strMap(comparisons)).map(([k, v]) => [ALIASES[k] ?? k, v]));
  return (c[name] ?? (name === 'networks' || name === 'exposed_ports' ? undefined : c['*']) ?? DEFAULTS[name] ?? 'strict') as Mode;
}

function show(v: Value): string {
  if (typeof v !== 'object') return JSON.stringify(v);
  if ('dict' in v) return JSON.stringify(v.dict);
  return JSON.stringify('list' in v ? v.list : v.set);
}

/** Whether `have` satisfies `want` under a mode. */
export function satisfies(want: Value, have: Value, mode: Mode): boolean {
  if (mode === 'ignore') return true;
  if (typeof want !== 'object' || typeof have !== 'object') return want === have;
  if ('dict' in want && 'dict' in have) {
    const keys = Object.keys(want.dict);
    const extra = Object.keys(have.dict).filter((k) => !(k in want.dict));
    return keys.every((k) => have.dict[k] === want.dict[k]) && (mode === 'allow_more_present' || extra.length === 0);
  }
  if ('set' in want && 'set' in have) {
    const missing = want.set.filter((x) => !have.set.includes(x));
    return missing.length === 0 && (mode === 'allow_more_present' || have.set.length === want.set.length);
  }
  if ('list' in want && 'list' in have) {
    if (mode === 'allow_more_present') return want.list.every((x) => have.list.includes(x));
    return JSON.stringify(want.list) === JSON.stringify(have.list);
  }
  return false;
}

/** The options whose container value does not satisfy the arguments, each as `name: have -> want`. */
export function differences(a: Args, container: Obj, ctx: Context): string[] {
  const out: string[] = [];
  for (const [name, opt] of Object.entries(OPTIONS)) {
    const want = opt.wanted(a, ctx);
    if (want === undefined) continue;
    const have = opt.actual(container);
    if (!satisfies(want, have, modeOf(name, a.comparisons))) out.push(`${name}: ${show(have)} -> ${show(want)}`);
  }
  return out;
}
