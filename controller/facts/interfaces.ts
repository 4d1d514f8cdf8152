/**
 * Per-interface facts shaped as Ansible's Linux network facts: `ansible_<device>` with device, macaddress,
 * mtu, active, type, promisc, speed, bridge and bonding details, ipv4, ipv4_secondaries and ipv6; and the
 * address lists. Read from /sys/class/net (one grep of its small files) and `ip -o addr show`.
 */
import type { Vars } from '../modules/types.js';
import { lines } from './sections.js';

// /sys/class/net/X/type -> Ansible's interface type.
const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

/** One address line of `ip -o addr show`. */
export interface IpLine {
  device: string;
  family: 'inet' | 'inet6';
  address: string;
  prefix: string;
  broadcast: string;
  scope: string;
  /** The label (eth0:1) for IPv4; the device for IPv6. */
  label: string;
  secondary: boolean;
}

/** Parses `ip -o addr show` (both families): the words after the device up to the `\` continuation. */
export function parseIpLines(text: string): IpLine[] {
  const out: IpLine[] = [];
  for (const line of lines(text)) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+(.*)$/.exec(line);
    if (!m) continue;
    const device = m[1].split('@')[0];
    const w = m[3].split('\\')[0].trim().split(/\s+/);
    const after = (k: string): string => (w.indexOf(k) >= 0 ? (w[w.indexOf(k) + 1] ?? '') : '');
    // "ADDR peer PEER/LEN": the prefix is the peer's; a bare IPv4 address without /LEN counts as /32.
    const [address, ownPrefix] = w[0].split('/');
    const prefix = ownPrefix ?? (w[1] === 'peer' ? (w[2]?.split('/')[1] ?? '') : '') ?? '';
    const family = m[2] as 'inet' | 'inet6';
    const secondary = w.includes('secondary') || w.includes('temporary');
    const label = family === 'inet' ? w[w.length - 1] : device;
    out.push({
      device,
      family,
      address,
      prefix: prefix || (family === 'inet' ? '32' : ''),
      // Ansible reads "brd" only right after ADDR/LEN
      broadcast: w[1] === 'brd' ? (w[2] ?? '') : '',
      scope: after('scope'),
      label,
      secondary,
    });
  }
  return out;
}

/** Sysfs values by device: `grep -H` lines "/sys/class/net/DEV/FILE:VALUE" (device names hold no ':'). */
export function parseSysNet(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const line of text.split('\n')) {
    const m = /^\/sys\/class\/net\/([^/:]+)\/([^:]+):(.*)$/.exec(line);
    if (!m) continue;
    if (!out.has(m[1])) out.set(m[1], new Map());
    out.get(m[1])?.set(m[2], m[3].trim());
  }
  return out;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Ansible's ipv4 dict of one address. */
function ipv4Of(a: IpLine): Vars {
  const len = Number(a.prefix);
  const mask = len === 0 ? 0 : (0xffffffff - (2 ** (32 - len) - 1)) >>> 0;
  return {
    address: a.address,
    broadcast: a.broadcast,
    netmask: intToIp(mask),
    network: intToIp((ipToInt(a.address) & mask) >>> 0),
    prefix: a.prefix,
  };
}

/** The device's own facts from sysfs (no addresses yet). */
function deviceFacts(device: string, f: Map<string, string>, s: { brif: string[]; link?: { pciid: string; module?: string } }): Vars {
  const d: Vars = { device };
  const mac = f.get('address');
  if (mac && mac !== '00:00:00:00:00:00') d.macaddress = mac;
  if (f.has('mtu')) d.mtu = Number(f.get('mtu'));
  if (f.has('operstate')) d.active = f.get('operstate') !== 'down';
  if (s.link?.module) d.module = s.link.module;
  if (f.has('type')) d.type = INTERFACE_TYPE[f.get('type') ?? ''] ?? 'unknown';
  if (f.has('bridge/bridge_id')) {
    d.type = 'bridge';
    d.interfaces = s.brif;
    d.id = f.get('bridge/bridge_id');
    if (f.has('bridge/stp_state')) d.stp = f.get('bridge/stp_state') === '1';
  }
  if (f.has('bonding/mode')) {
    d.type = 'bonding';
    d.slaves = (f.get('bonding/slaves') ?? '').split(/\s+/).filter(Boolean);
    d.mode = (f.get('bonding/mode') ?? '').split(/\s+/)[0];
    d.miimon = (f.get('bonding/miimon') ?? '').split(/\s+/)[0];
    d.lacp_rate = (f.get('bonding/lacp_rate') ?? '').split(/\s+/)[0];
    const primary = f.get('bonding/primary');
    if (primary) {
      d.primary = primary;
      if (f.has('bonding/all_slaves_active')) d.all_slaves_active = f.get('bonding/all_slaves_active') === '1';
    }
  }
  if (f.has('bonding_slave/perm_hwaddr')) d.perm_macaddress = f.get('bonding_slave/perm_hwaddr');
  if (s.link) d.pciid = s.link.pciid;
  const speed = f.get('speed');
  if (speed && /^-?\d+$/.test(speed)) d.speed = Number(speed);
  if (f.has('flags')) d.promisc = (Number.parseInt(f.get('flags') ?? '0', 16) & 0x100) > 0;
  return d;
}

export interface DefaultRoutes {
  v4: Vars;
  v6: Vars;
}

/** `ip -4 route get 8.8.8.8` / `ip -6 route get ...`: interface, address (src) and gateway, as Ansible reads them. */
export function parseRouteGet(text: string, target: string): Vars {
  const words = (text.split('\n')[0] ?? '').trim().split(/\s+/);
  const out: Vars = {};
  if (words[0] !== target) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== target) out.gateway = words[i + 1];
  }
  return out;
}

/**
 * Interfaces keyed by name (':' turned into '_'), the address lists, and default_ipv4/ipv6 completed from the
 * addresses, following Ansible's walk: per device its primary addresses, then its secondary ones.
 */
export function interfaceFacts(
  names: string[],
  sys: Map<string, Map<string, string>>,
  extra: { brif: Map<string, string[]>; links: Map<string, { pciid: string; module?: string }> },
  ips: IpLine[],
  defaults: DefaultRoutes,
): { interfaces: Map<string, Vars>; all_ipv4_addresses: string[]; all_ipv6_addresses: string[]; default_ipv4: Vars; default_ipv6: Vars } {
  const interfaces = new Map<string, Vars>();
  const all4: string[] = [];
  const all6: string[] = [];
  const v4 = { ...defaults.v4 };
  const v6 = { ...defaults.v6 };
  for (const device of names) {
    const f = sys.get(device) ?? new Map<string, string>();
    const dev = deviceFacts(device, f, { brif: extra.brif.get(device) ?? [], link: extra.links.get(device) });
    interfaces.set(device, dev);
    const rawMac = f.get('address') ?? '';
    const mine = ips.filter((a) => a.device === device);
    for (const secondary of [false, true]) {
      for (const a of mine.filter((x) => x.secondary === secondary)) {
        if (a.family === 'inet') {
          const facts = ipv4Of(a);
          if (a.label !== device) interfaces.set(a.label, {});
          const target = interfaces.get(a.label) as Vars;
          if (!secondary && !('ipv4' in target)) target.ipv4 = facts;
          else ((target.ipv4_secondaries ??= []) as Vars[]).push(facts);
          if (secondary) {
            dev.ipv4_secondaries ??= [];
            if (a.label !== device) (dev.ipv4_secondaries as Vars[]).push({ ...facts });
          }
          if (v4.address === a.address) {
            Object.assign(v4, { broadcast: a.broadcast, netmask: facts.netmask, network: facts.network, prefix: a.prefix });
            Object.assign(v4, { macaddress: rawMac, mtu: dev.mtu, type: dev.type ?? 'unknown', alias: a.label });
          }
          if (!a.address.startsWith('127.')) all4.push(a.address);
        } else {
          ((dev.ipv6 ??= []) as Vars[]).push({ address: a.address, prefix: a.prefix, scope: a.scope });
          if (v6.address === a.address) Object.assign(v6, { prefix: a.prefix, scope: a.scope, macaddress: rawMac, mtu: dev.mtu, type: dev.type ?? 'unknown' });
          if (a.address !== '::1') all6.push(a.address);
        }
      }
    }
  }
  const renamed = new Map([...interfaces].map(([k, v]) => [k.replace(/:/g, '_'), v]));
  return { interfaces: renamed, all_ipv4_addresses: all4, all_ipv6_addresses: all6, default_ipv4: v4, default_ipv6: v6 };
}
