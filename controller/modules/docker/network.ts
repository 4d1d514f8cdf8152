/**
 * `docker_network`: a network present with its driver, options, IPAM pools, flags and labels (or absent),
 * and the containers in `connected` attached to it. As in Ansible, a network that differs (or `force`) is
 * recreated (its containers disconnected first), and containers not listed are disconnected unless `appends`.
 */
import type { Script } from '../../command.js';
import { cmd } from '../system/probe.js';
import type { Args, ArgSpecs, Plan, PlannedModule, Step } from '../types.js';
import { differingKeys, dockerSection, hasDocker, inspected, inspecting, inspectSection, NO_DOCKER, pairs, sectionsOf, strMap, withSbin } from './cli.js';

const args: ArgSpecs = {
  name: { type: 'str', required: true, aliases: ['network_name'] },
  connected: { type: 'list', elements: 'str', default: [], aliases: ['containers'] },
  state: { type: 'str', choices: ['present', 'absent'], default: 'present' },
  driver: { type: 'str', default: 'bridge' },
  driver_options: { type: 'dict', default: {} },
  force: { type: 'bool', default: false },
  appends: { type: 'bool', default: false, aliases: ['incremental'] },
  ipam_driver: { type: 'str' },
  ipam_driver_options: { type: 'dict' },
  ipam_config: { type: 'list', elements: 'dict' },
  enable_ipv6: { type: 'bool' },
  internal: { type: 'bool' },
  labels: { type: 'dict', default: {} },
  scope: { type: 'str', choices: ['local', 'global', 'swarm'] },
  attachable: { type: 'bool' },
  ingress: { type: 'bool' },
  config_from: { type: 'str' },
  config_only: { type: 'bool' },
  debug: { type: 'bool', ignored: 'the commands run are shown with -vv' },
  docker_host: { type: 'str', aliases: ['docker_url'], ignored: 'the docker CLI on the host talks to its own daemon' },
};

/** What the probe found. */
export interface NetworkState {
  docker: boolean;
  /** `docker network inspect`, undefined when there is no such network */
  network?: Record<string, unknown>;
}

/** The probe: the docker CLI and the network. */
export function probeNetwork(a: Args): Script {
  return withSbin(dockerSection(), inspectSection('network', 'network', String(a.name)));
}

/** Pure: probe output -> state. */
export function parseNetwork(stdout: string): NetworkState {
  const s = sectionsOf({ rc: 0, stdout, stderr: '' });
  return { docker: hasDocker(s), network: inspected(s.get('network')) };
}

type Pool = Record<string, unknown>;

/** An IPAM pool from the arguments (Ansible's names) or from inspect (Docker's) with Ansible's keys. */
function pool(p: Pool): Record<string, string | Record<string, string> | undefined> {
  const get = (...keys: string[]) => keys.map((k) => p[k]).find((v) => v !== undefined && v !== null && v !== '');
  const aux = get('aux_addresses', 'AuxiliaryAddresses');
  return {
    subnet: get('subnet', 'Subnet') as string | undefined,
    iprange: get('iprange', 'ip_range', 'IPRange') as string | undefined,
    gateway: get('gateway', 'Gateway') as string | undefined,
    aux_addresses: aux ? strMap(aux) : undefined,
  };
}

/** What differs between the network and the arguments; only what the task gives is compared. */
export function networkDifferences(a: Args, n: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (a.driver !== undefined && n.Driver !== a.driver) out.push(`driver (${String(n.Driver)} -> ${String(a.driver)})`);
  for (const k of differingKeys(strMap(a.driver_options), n.Options as Record<string, unknown>)) out.push(`driver_options.${k}`);
  const ipam = (n.IPAM ?? {}) as { Driver?: string; Options?: Record<string, string> | null; Config?: Pool[] | null };
  if (a.ipam_driver !== undefined && ipam.Driver !== a.ipam_driver) out.push('ipam_driver');
  if (a.ipam_driver_options !== undefined && JSON.stringify(sorted(ipam.Options ?? {})) !== JSON.stringify(sorted(strMap(a.ipam_driver_options)))) {
    out.push('ipam_driver_options');
  }
  const have = (ipam.Config ?? []).map(pool);
  ((a.ipam_config as Pool[] | undefined) ?? []).forEach((want, i) => {
    const w = pool(want);
    const match = have.find((h) => h.subnet === w.subnet) ?? {};
    for (const [k, v] of Object.entries(w)) {
      if (v !== undefined && JSON.stringify(v) !== JSON.stringify((match as Record<string, unknown>)[k])) out.push(`ipam_config[${i}].${k}`);
    }
  });
  const flags: [string, string][] = [
    ['enable_ipv6', 'EnableIPv6'],
    ['internal', 'Internal'],
    ['attachable', 'Attachable'],
    ['ingress', 'Ingress'],
  ];
  for (const [arg, key] of flags) if (a[arg] !== undefined && a[arg] !== (n[key] ?? false)) out.push(arg);
  if (a.scope !== undefined && a.scope !== n.Scope) out.push('scope');
  for (const k of differingKeys(strMap(a.labels), n.Labels as Record<string, unknown>)) out.push(`labels.${k}`);
  return out;
}

function sorted(m: Record<string, unknown>): [string, unknown][] {
  return Object.entries(m).sort(([x], [y]) => x.localeCompare(y));
}

/** `docker network create` with every given option. */
export function createNetwork(a: Args): Script {
  const pools = ((a.ipam_config as Pool[] | undefined) ?? [])
    .map(pool)
    .flatMap((p) => [
      p.subnet && `--subnet=${p.subnet}`,
      p.iprange && `--ip-range=${p.iprange}`,
      p.gateway && `--gateway=${p.gateway}`,
      ...pairs((p.aux_addresses as Record<string, string> | undefined) ?? {}).map((x) => `--aux-address=${x}`),
    ]);
  return withSbin(
    cmd(
      'docker',
      'network',
      'create',
      '--driver',
      String(a.driver),
      pairs(strMap(a.driver_options)).flatMap((o) => ['--opt', o]),
      a.ipam_driver !== undefined && ['--ipam-driver', String(a.ipam_driver)],
      pairs(strMap(a.ipam_driver_options)).flatMap((o) => ['--ipam-opt', o]),
      pools.filter((x): x is string => typeof x === 'string'),
      a.internal === true && '--internal',
      a.attachable === true && '--attachable',
      a.ingress === true && '--ingress',
      a.enable_ipv6 === true && '--ipv6',
      a.scope !== undefined && ['--scope', String(a.scope)],
      a.config_only === true && '--config-only',
      a.config_from !== undefined && ['--config-from', String(a.config_from)],
      pairs(strMap(a.labels)).flatMap((l) => ['--label', l]),
      String(a.name),
    ),
  );
}

/** Names of the containers attached to a network. */
export function attached(n: Record<string, unknown> | undefined): string[] {
  const cs = (n?.Containers ?? {}) as Record<string, { Name?: string }>;
  return Object.values(cs)
    .map((c) => c.Name ?? '')
    .filter(Boolean)
    .sort();
}

function describe(a: Args, connected: string[]): string {
  const o: Record<string, unknown> = { name: a.name, driver: a.driver, driver_options: strMap(a.driver_options), labels: strMap(a.labels) };
  for (const k of ['ipam_config', 'internal', 'attachable', 'enable_ipv6', 'scope']) if (a[k] !== undefined) o[k] = a[k];
  return `${JSON.stringify({ ...o, connected }, null, 2)}\n`;
}

function current(n: Record<string, unknown>): string {
  const ipam = (n.IPAM ?? {}) as { Config?: Pool[] | null };
  const o = {
    name: n.Name,
    driver: n.Driver,
    driver_options: n.Options ?? {},
    labels: n.Labels ?? {},
    ipam_config: (ipam.Config ?? []).map(pool),
    internal: n.Internal,
    attachable: n.Attachable,
    connected: attached(n),
  };
  return `${JSON.stringify(o, null, 2)}\n`;
}

/** Pure: what to do. */
export function planNetwork(a: Args, s: NetworkState): Plan {
  if (!s.docker) return { kind: 'fail', msg: NO_DOCKER };
  const name = String(a.name);
  const n = s.network;
  const disconnect = (c: string): Step => ({ exec: withSbin(cmd('docker', 'network', 'disconnect', '--force', name, c)) });
  const connect = (c: string): Step => ({ exec: withSbin(cmd('docker', 'network', 'connect', name, c)) });
  if (a.state === 'absent') {
    if (!n) return { kind: 'noop', reason: `network ${name} does not exist`, data: { network: {} } };
    const steps = [...(a.force === true ? attached(n).map(disconnect) : []), { exec: withSbin(cmd('docker', 'network', 'rm', name)) }];
    return { kind: 'change', steps, diff: [{ before: current(n), after: '' }], msg: `network ${name} removed`, data: { network: {} } };
  }
  const differs = n ? networkDifferences(a, n) : [];
  const recreate = n !== undefined && (a.force === true || differs.length > 0);
  const wanted = [...new Set((a.connected as string[]) ?? [])];
  const have = n && !recreate ? attached(n) : [];
  const toConnect = wanted.filter((c) => !have.includes(c));
  const toDisconnect = a.appends === true ? [] : have.filter((c) => !wanted.includes(c));
  const steps: Step[] = [];
  const actions: string[] = [];
  if (recreate && n) {
    steps.push(...attached(n).map(disconnect), { exec: withSbin(cmd('docker', 'network', 'rm', name)) });
    actions.push(`recreated (${a.force === true && differs.length === 0 ? 'force' : `differs in ${differs.join(', ')}`})`);
  }
  if (!n || recreate) {
    steps.push({ exec: createNetwork(a) });
    if (!n) actions.push('created');
  }
  steps.push(...toDisconnect.map(disconnect), ...toConnect.map(connect));
  if (toConnect.length) actions.push(`connected ${toConnect.join(', ')}`);
  if (toDisconnect.length) actions.push(`disconnected ${toDisconnect.join(', ')}`);
  if (steps.length === 0) return { kind: 'noop', reason: `network ${name} is as wanted`, data: { network: n } };
  const after = a.appends === true ? [...new Set([...have, ...wanted])].sort() : [...wanted].sort();
  return {
    kind: 'change',
    steps,
    diff: [{ before: n ? current(n) : '', after: describe(a, after) }],
    msg: `network ${name}: ${actions.join('; ')}`,
    data: { network: n ?? {} },
  };
}

const networkPlanned: PlannedModule<NetworkState> = {
  name: 'docker_network',
  args,
  checkMode: true,
  probe: probeNetwork,
  parse: (out) => parseNetwork(out.stdout),
  plan: planNetwork,
};

/** The `docker_network` module. */
export const dockerNetwork = inspecting(networkPlanned, 'network', (a) =>
  a.state === 'absent' ? undefined : withSbin(cmd('docker', 'network', 'inspect', String(a.name))),
);
