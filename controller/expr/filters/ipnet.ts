/**
 * IP addresses and networks as netaddr (0.8) parses and prints them for ansible.utils' ipaddr filters:
 * partial IPv4 ('10.1' is 10.1.0.0), prefixes given as netmask or hostmask, IPv6 written as glibc's
 * inet_ntop writes it (`::ffff:1.2.3.4`, a single zero group kept).
 */

/** An address with a prefix length; the address keeps its host bits (192.168.1.10/24). */
export interface Net {
  version: 4 | 6;
  ip: bigint;
  prefix: number;
}

/** Address width in bits. */
export const width = (n: { version: 4 | 6 }) => (n.version === 4 ? 32 : 128);
/** Highest address value of the version. */
export const maxInt = (version: 4 | 6) => (1n << BigInt(version === 4 ? 32 : 128)) - 1n;
/** Number of addresses in the network. */
export const size = (n: Net) => 1n << BigInt(width(n) - n.prefix);
/** The prefix as a netmask value. */
export const netmask = (n: Net) => maxInt(n.version) ^ (size(n) - 1n);
/** The host bits as a value. */
export const hostmask = (n: Net) => size(n) - 1n;
/** The first address of the network. */
export const first = (n: Net) => n.ip & netmask(n);
/** The last address of the network. */
export const last = (n: Net) => first(n) | hostmask(n);
/** netaddr's broadcast: none for networks of one or two addresses. */
export const broadcast = (n: Net) => (width(n) - n.prefix <= 1 ? undefined : n.ip | hostmask(n));

function parseV4(text: string): bigint | undefined {
  // netaddr falls back to inet_aton-like partial forms: 1 to 4 decimal parts, missing ones are zero
  // (each part is read with Python's int(), which allows surrounding spaces)
  const parts = text.split('.').map((p) => p.trim());
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p) || Number(p) > 255)) return undefined;
  while (parts.length < 4) parts.push('0');
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  let groups = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[2].split('.');
    if (parts.some((p) => Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) return undefined;
    const v4 = parts.reduce((acc, p) => acc * 256 + Number(p), 0);
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    groups = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  } else if (text.includes('.')) return undefined;
  const [head, rest] = groups.includes('::') ? groups.split('::') : [groups, undefined];
  const words = (s: string) => (s === '' ? [] : s.split(':'));
  const a = words(head);
  const b = rest === undefined ? [] : words(rest);
  if ([...a, ...b].some((w) => !/^[0-9A-Fa-f]{1,4}$/.test(w))) return undefined;
  const fill = 8 - a.length - b.length - tail.length;
  if (rest === undefined ? fill !== 0 : fill < 1) return undefined;
  const all = [...a.map((w) => parseInt(w, 16)), ...Array(rest === undefined ? 0 : fill).fill(0), ...b.map((w) => parseInt(w, 16)), ...tail];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** One address: IPv6 when it holds a colon, else (partial) IPv4. */
export function parseAddress(text: string): { version: 4 | 6; ip: bigint } | undefined {
  if (text.includes(':')) {
    const ip = parseV6(text);
    return ip === undefined ? undefined : { version: 6, ip };
  }
  const ip = parseV4(text);
  return ip === undefined ? undefined : { version: 4, ip };
}

function maskBits(value: bigint, version: 4 | 6): number | undefined {
  const max = maxInt(version);
  const bits = width({ version });
  const isNetmask = (((value ^ max) + 1n) & (value ^ max)) === 0n;
  const isHostmask = ((value + 1n) & value) === 0n;
  const ones = value.toString(2).replace(/0/g, '').length;
  if (isNetmask) return ones;
  if (isHostmask) return bits - ones;
  return undefined;
}

/** netaddr.IPNetwork(text): 'address[/prefix|/netmask|/hostmask]'. */
export function parseNet(text: string): Net | undefined {
  const slash = text.indexOf('/');
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return undefined;
  const bits = width(addr);
  if (slash < 0) return { ...addr, prefix: bits };
  const p = text.slice(slash + 1);
  if (/^\d+$/.test(p)) return Number(p) <= bits ? { ...addr, prefix: Number(p) } : undefined;
  const mask = parseAddress(p);
  if (!mask || mask.version !== addr.version) return undefined;
  const prefix = maskBits(mask.ip, addr.version);
  return prefix === undefined ? undefined : { ...addr, prefix };
}

function v4Text(ip: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 255n)).join('.');
}

// glibc's inet_ntop for AF_INET6: the longest run of two or more zero groups becomes '::'
function v6Text(ip: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  words.forEach((w, i) => {
    if (w === 0) {
      cur = cur.base === -1 ? { base: i, len: 1 } : { base: cur.base, len: cur.len + 1 };
      if (cur.len > best.len) best = cur;
    } else cur = { base: -1, len: 0 };
  });
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += v4Text(ip & 0xffffffffn);
      return out;
    }
    out += words[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/** An address as netaddr prints it. */
export function ipText(version: 4 | 6, ip: bigint): string {
  return version === 4 ? v4Text(ip) : v6Text(ip);
}

/** 'address/prefix', the address with its host bits. */
export function netText(n: Net): string {
  return `${ipText(n.version, n.ip)}/${n.prefix}`;
}

/** Whether network `inner` lies wholly inside `outer` (netaddr's `in`). */
export function within(inner: Net, outer: Net): boolean {
  return inner.version === outer.version && first(inner) >= first(outer) && last(inner) <= last(outer);
}

const nets = (...texts: string[]) => texts.map((t) => parseNet(t) as Net);
const V4_PRIVATE = nets('10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '239.0.0.0/8');
const V6_PRIVATE = nets('fc00::/7', 'fec0::/10');
const [V4_LINK_LOCAL, V6_LINK_LOCAL, V4_MULTICAST, V6_MULTICAST, V4_LOOPBACK] = nets('169.254.0.0/16', 'fe80::/10', '224.0.0.0/4', 'ff00::/8', '127.0.0.0/8');

/** netaddr's is_link_local. */
export const isLinkLocal = (n: Net) => within(n, n.version === 4 ? V4_LINK_LOCAL : V6_LINK_LOCAL);
/** netaddr's is_private: the private ranges, and link-local. */
export const isPrivate = (n: Net) => (n.version === 4 ? V4_PRIVATE : V6_PRIVATE).some((r) => within(n, r)) || isLinkLocal(n);
/** netaddr's is_multicast. */
export const isMulticast = (n: Net) => within(n, n.version === 4 ? V4_MULTICAST : V6_MULTICAST);
/** netaddr's is_loopback of the address. */
export const isLoopback = (version: 4 | 6, ip: bigint) => (version === 4 ? within({ version, ip, prefix: 32 }, V4_LOOPBACK) : ip === 1n);
/** Whether the address value is a netmask (ones then zeros). */
export const isNetmask = (version: 4 | 6, ip: bigint) => {
  const inv = ip ^ maxInt(version);
  return ((inv + 1n) & inv) === 0n;
};
/** Whether the address value is a hostmask (zeros then ones). */
export const isHostmask = (ip: bigint) => ((ip + 1n) & ip) === 0n;
