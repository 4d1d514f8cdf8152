/**
 * Network facts: the default IPv4 route's interface and address, every IPv4 address, interface names.
 * From `ip` when present, else from /proc/net/route and /proc/net/fib_trie. Nothing here sends a packet.
 */
import type { Vars } from '../modules/types.js';
import { type IpLine, interfaceFacts, parseIpLines, parseRouteGet, parseSysNet } from './interfaces.js';
import { int, lines, type Sections } from './sections.js';

interface Addr {
  address: string;
  prefix: number;
  interface: string;
  alias: string;
  broadcast?: string;
}

interface DefaultRoute {
  interface: string;
  gateway?: string;
  src?: string;
  metric: number;
}

/** 32-bit number of a dotted quad. */
function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** /proc/net/route prints addresses as little-endian hex words. */
function hexToIp(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [0, 8, 16, 24].map((shift) => (n >>> shift) & 255).join('.');
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

/** `ip -4 -o addr show` lines. */
export function parseIpAddr(text: string): Addr[] {
  const out: Addr[] = [];
  for (const line of lines(text)) {
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[4].split('\\')[0];
    const words = rest.trim().split(/\s+/);
    const brd = words.indexOf('brd');
    const dev = m[1].split('@')[0];
    out.push({
      address: m[2],
      prefix: Number(m[3]),
      interface: dev,
      // the label (eth0:1 for an alias address) is the last word before the "\" continuation
      alias: words[words.length - 1]?.startsWith(dev) ? words[words.length - 1] : dev,
      broadcast: brd >= 0 ? words[brd + 1] : undefined,
    });
  }
  return out;
}

/** `ip -4 route show default` lines; the lowest metric wins. */
export function parseIpRoute(text: string): DefaultRoute | undefined {
  const routes = lines(text)
    .filter((l) => l.startsWith('default'))
    .map((l): DefaultRoute | undefined => {
      const w = l.split(/\s+/);
      const after = (k: string): string | undefined => (w.indexOf(k) >= 0 ? w[w.indexOf(k) + 1] : undefined);
      const dev = after('dev');
      return dev ? { interface: dev, gateway: after('via'), src: after('src'), metric: int(after('metric')) ?? 0 } : undefined;
    })
    .filter((r): r is DefaultRoute => r !== undefined);
  return routes.sort((a, b) => a.metric - b.metric)[0];
}

interface ProcRoute {
  iface: string;
  destination: number;
  mask: number;
  gateway: string;
  flags: number;
  metric: number;
}

function parseProcRoute(text: string): ProcRoute[] {
  return lines(text)
    .slice(1)
    .map((l) => l.split(/\s+/))
    .filter((w) => w.length >= 8)
    .map((w) => ({
      iface: w[0],
      destination: ipToInt(hexToIp(w[1])),
      gateway: hexToIp(w[2]),
      flags: Number.parseInt(w[3], 16),
      metric: Number(w[6]),
      mask: ipToInt(hexToIp(w[7])),
    }));
}

/** The default route from /proc/net/route (when `ip` is missing). */
export function defaultFromProcRoute(text: string): DefaultRoute | undefined {
  const RTF_UP = 1;
  const best = parseProcRoute(text)
    .filter((r) => r.destination === 0 && r.mask === 0 && r.flags & RTF_UP)
    .sort((a, b) => a.metric - b.metric)[0];
  return best && { interface: best.iface, gateway: best.gateway === '0.0.0.0' ? undefined : best.gateway, metric: best.metric };
}

/** Local addresses from /proc/net/fib_trie, placed on interfaces by the connected routes of /proc/net/route. */
export function addrsFromProc(fibTrie: string, procRoute: string): Addr[] {
  const local: string[] = [];
  let last: string | undefined;
  for (const line of fibTrie.split('\n')) {
    const ip = /\|--\s+([\d.]+)/.exec(line);
    if (ip) last = ip[1];
    else if (last && /\/32 host LOCAL/.test(line) && !local.includes(last)) local.push(last);
  }
  const connected = parseProcRoute(procRoute).filter((r) => r.gateway === '0.0.0.0' && r.mask !== 0);
  return local.map((address) => {
    const n = ipToInt(address);
    const route = connected.find((r) => (n & r.mask) >>> 0 === r.destination);
    const iface = route?.iface ?? (address.startsWith('127.') ? 'lo' : '');
    return { address, prefix: route ? popcount(route.mask) : address.startsWith('127.') ? 8 : 32, interface: iface, alias: iface };
  });
}

const V6_TARGET = '2404:6800:400a:800::1012';

/** `/sys/class/net/X/brif/Y` paths -> bridge ports; `device`/`module` link lines -> pciid and driver module. */
function linkFacts(text: string): { brif: Map<string, string[]>; links: Map<string, { pciid: string; module?: string }> } {
  const brif = new Map<string, string[]>();
  const links = new Map<string, { pciid: string; module?: string }>();
  for (const line of lines(text)) {
    const port = /^brif \/sys\/class\/net\/([^/]+)\/brif\/(\S+)$/.exec(line);
    if (port) brif.set(port[1], [...(brif.get(port[1]) ?? []), port[2]]);
    const link = /^device \/sys\/class\/net\/([^/]+)\/device (\S+)(?: (\S+))?$/.exec(line);
    if (link) links.set(link[1], { pciid: link[2].split('/').pop() ?? '', module: link[3]?.split('/').pop() });
  }
  return { brif, links };
}

/** Addresses found without `ip` (from /proc), as `ip -o addr` lines would give them. */
function asIpLines(addrs: Addr[]): IpLine[] {
  return addrs.map((a) => ({
    device: a.interface,
    family: 'inet',
    address: a.address,
    prefix: String(a.prefix),
    broadcast: a.broadcast ?? '',
    scope: '',
    label: a.alias || a.interface,
    secondary: false,
  }));
}

/** The default IPv4 route as Ansible's `ip route get` reading gives it: interface, gateway, source address. */
function defaultV4(s: Sections, haveIp: boolean, addrs: Addr[]): Vars {
  const got = parseRouteGet(s('route_get4'), '8.8.8.8');
  if (Object.keys(got).length || (haveIp && s('route_get4').trim())) return got;
  const route = haveIp ? parseIpRoute(s('ip_route')) : defaultFromProcRoute(s('proc_route'));
  if (!route) return {};
  const onIf = addrs.filter((a) => a.interface === route.interface);
  const a = onIf.find((x) => x.address === route.src) ?? onIf[0];
  const out: Vars = { interface: route.interface };
  if (a) out.address = a.address;
  if (route.gateway) out.gateway = route.gateway;
  return out;
}

/** default_ipv4/ipv6, all_ipv4/ipv6_addresses, interfaces, and one fact per interface (ansible_eth0...). */
export function networkFacts(s: Sections): Vars {
  const haveIp = s('ip_addr').trim() !== '' || s('ip_route').trim() !== '' || s('route_get4').trim() !== '';
  const addrs = haveIp ? parseIpAddr(s('ip_addr')) : addrsFromProc(s('fib_trie'), s('proc_route'));
  const ips = haveIp ? parseIpLines(s('ip_addr')) : asIpLines(addrs);
  const devices = lines(s('netdev')).map((l) => l.split(/\s+/)[0]);
  // sysfs lists every device; an address read from /proc may name one it did not list
  const names = [...new Set([...devices, ...ips.map((a) => a.device).filter(Boolean)])];
  const defaults = { v4: defaultV4(s, haveIp, addrs), v6: parseRouteGet(s('route_get6'), V6_TARGET) };
  const sys = parseSysNet(s('sysnet'));
  // probes without the sysfs grep (older output) still know each device's address and mtu
  for (const l of lines(s('netdev'))) {
    const [name, mac, mtu] = l.split(/\s+/);
    if (sys.has(name)) continue;
    const f = new Map<string, string>();
    if (mac) f.set('address', mac);
    if (int(mtu) !== undefined) f.set('mtu', mtu);
    sys.set(name, f);
  }
  const r = interfaceFacts(names, sys, linkFacts(s('netlinks')), ips, defaults);
  return {
    ...Object.fromEntries(r.interfaces),
    default_ipv4: r.default_ipv4,
    default_ipv6: r.default_ipv6,
    all_ipv4_addresses: r.all_ipv4_addresses,
    all_ipv6_addresses: r.all_ipv6_addresses,
    interfaces: [...r.interfaces.keys()],
  };
}
