/**
 * The `docker create` command line for docker_container's arguments, and the `docker network connect`
 * lines for the networks after the first one (the CLI creates a container on one network only). Pure.
 */
import { type Script, sh } from '../../command.js';
import { cmd } from '../system/probe.js';
import type { Args } from '../types.js';
import { pairs, strMap, withSbin } from './cli.js';
import { commandList, healthTest, mountSpec } from './container-values.js';

type Obj = Record<string, unknown>;
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const has = (a: Args, k: string) => a[k] !== undefined && a[k] !== null;

/** A network of the `networks` argument. */
export interface NetworkWanted {
  name: string;
  ipv4_address?: string;
  ipv6_address?: string;
  aliases?: string[];
  links?: string[];
}

/** The `networks` argument as typed entries. */
export function networksOf(a: Args): NetworkWanted[] {
  return ((a.networks as Obj[] | undefined) ?? []).map((n) => ({
    name: String(n.name),
    ipv4_address: n.ipv4_address === undefined || n.ipv4_address === null ? undefined : String(n.ipv4_address),
    ipv6_address: n.ipv6_address === undefined || n.ipv6_address === null ? undefined : String(n.ipv6_address),
    aliases: n.aliases === undefined || n.aliases === null ? undefined : strs(n.aliases),
    links: n.links === undefined || n.links === null ? undefined : strs(n.links),
  }));
}

/** The network the container is created on: network_mode, else (CLI-compatible) the first of `networks`. */
export function createNetwork(a: Args): string | undefined {
  if (has(a, 'network_mode')) return String(a.network_mode);
  const first = networksOf(a)[0];
  return first && a.networks_cli_compatible !== false ? first.name : undefined;
}

/** Flags that attach to one network: its address and aliases. */
function endpointFlags(n: NetworkWanted, connect: boolean): string[] {
  return [
    ...(n.ipv4_address ? ['--ip', n.ipv4_address] : []),
    ...(n.ipv6_address ? ['--ip6', n.ipv6_address] : []),
    ...(n.aliases ?? []).flatMap((x) => [connect ? '--alias' : '--network-alias', x]),
    ...(n.links ?? []).flatMap((x) => ['--link', x]),
  ];
}

/** A duration for the CLI: a bare number is seconds. */
function duration(v: unknown): string {
  return /^\d+(\.\d+)?$/.test(String(v)) ? `${String(v)}s` : String(v);
}

/** The test as one shell string for --health-cmd (CMD-SHELL), or undefined for NONE. */
function healthCmd(t: unknown): string | undefined {
  const test = healthTest(t);
  if (test[0] === 'NONE') return undefined;
  return test.slice(1).join(' ');
}

function healthFlags(h: Obj | undefined): string[] {
  if (!h) return [];
  if (h.test !== undefined && healthCmd(h.test) === undefined) return ['--no-healthcheck'];
  return [
    ...(h.test !== undefined ? ['--health-cmd', healthCmd(h.test) as string] : []),
    ...(h.interval !== undefined ? ['--health-interval', duration(h.interval)] : []),
    ...(h.timeout !== undefined ? ['--health-timeout', duration(h.timeout)] : []),
    ...(h.retries !== undefined ? ['--health-retries', String(h.retries)] : []),
    ...(h.start_period !== undefined ? ['--health-start-period', duration(h.start_period)] : []),
  ];
}

/** The image reference as given, `:latest` added when it names no tag, digest or ID. */
export function containerImage(image: string): string {
  if (image.includes('@') || /^(sha256:)?[0-9a-f]{12,64}$/.test(image)) return image;
  const last = image.slice(image.lastIndexOf('/') + 1);
  return last.includes(':') ? image : `${image}:latest`;
}

/** `docker create` with every given option. */
export function createContainer(a: Args): Script {
  const name = String(a.name);
  const ports = strs(a.published_ports);
  const first = networksOf(a)[0];
  const net = createNetwork(a);
  const ep = strs(a.entrypoint);
  const restart = has(a, 'restart_policy')
    ? ['--restart', a.restart_policy === 'on-failure' && has(a, 'restart_retries') ? `on-failure:${String(a.restart_retries)}` : String(a.restart_policy)]
    : [];
  const flag = (k: string, f: string) => (has(a, k) ? [f, String(a[k])] : []);
  const bool = (k: string, f: string) => (a[k] === true ? [f] : []);
  const words = [
    'docker',
    'create',
    '--name',
    name,
    pairs(strMap(a.env)).flatMap((e) => ['--env', e]),
    has(a, 'env_file') ? ['--env-file', String(a.env_file)] : [],
    pairs(strMap(a.labels)).flatMap((l) => ['--label', l]),
    ports.includes('all') ? ['--publish-all'] : [],
    ports.filter((p) => p !== 'all').flatMap((p) => ['--publish', p]),
    strs(a.exposed_ports).flatMap((p) => ['--expose', p]),
    strs(a.volumes).flatMap((v) => ['--volume', v]),
    ((a.mounts as Obj[] | undefined) ?? []).flatMap((m) => {
      const [type, source, target, ro] = mountSpec(m).split(':');
      return ['--mount', [`type=${type}`, source && `source=${source}`, `target=${target}`, ro && 'readonly'].filter(Boolean).join(',')];
    }),
    net ? ['--network', net] : [],
    first && net === first.name ? endpointFlags(first, false) : [],
    restart,
    flag('memory', '--memory'),
    flag('memory_reservation', '--memory-reservation'),
    flag('memory_swap', '--memory-swap'),
    flag('cpus', '--cpus'),
    flag('user', '--user'),
    flag('working_dir', '--workdir'),
    flag('hostname', '--hostname'),
    flag('domainname', '--domainname'),
    bool('privileged', '--privileged'),
    bool('init', '--init'),
    bool('tty', '--tty'),
    bool('interactive', '--interactive'),
    bool('read_only', '--read-only'),
    bool('auto_remove', '--rm'),
    strs(a.devices).flatMap((d) => ['--device', d]),
    strs(a.capabilities).flatMap((c) => ['--cap-add', c]),
    strs(a.cap_drop).flatMap((c) => ['--cap-drop', c]),
    flag('log_driver', '--log-driver'),
    pairs(strMap(a.log_options)).flatMap((o) => ['--log-opt', o]),
    healthFlags(a.healthcheck as Obj | undefined),
    flag('stop_signal', '--stop-signal'),
    flag('stop_timeout', '--stop-timeout'),
    Object.entries(strMap(a.etc_hosts)).flatMap(([h, ip]) => ['--add-host', `${h}:${ip}`]),
    strs(a.dns_servers).flatMap((d) => ['--dns', d]),
    ep.length ? ['--entrypoint', ep[0]] : [],
    containerImage(String(a.image)),
    ep.slice(1),
    commandList(a.command) ?? [],
  ];
  return withSbin(cmd(...words));
}

/** `docker network connect` for one network of the container. */
export function connectNetwork(container: string, n: NetworkWanted): Script {
  return withSbin(cmd('docker', 'network', 'connect', endpointFlags(n, true), n.name, container));
}

/** `docker network disconnect` of the container from one network. */
export function disconnectNetwork(container: string, network: string): Script {
  return withSbin(cmd('docker', 'network', 'disconnect', '--force', network, container));
}

/** Waits until the container's health check says healthy (fails when it says unhealthy or time runs out). */
export function waitHealthy(name: string, timeoutS: number): Script {
  const fmt = '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}';
  return withSbin(
    sh`i=0; while :; do s=$(docker container inspect --format ${fmt} ${name}) || exit 1
case "$s" in healthy) exit 0;; none) echo ${`container ${name} has no health check; state=healthy needs one`} >&2; exit 1;; unhealthy) echo ${`container ${name} is unhealthy`} >&2; exit 1;; esac
i=$((i+1)); [ "$i" -ge ${timeoutS} ] && { echo ${`container ${name} was not healthy within ${timeoutS} s (status: `}"$s)" >&2; exit 1; }
sleep 1; done`,
  );
}
