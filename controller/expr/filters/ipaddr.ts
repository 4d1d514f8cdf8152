/**
 * ansible.utils' ipaddr and its queries (address, network, prefix, size, public, private, 6to4, wrap...),
 * with their odd corners kept: an invalid value gives false, a query that does not apply gives none, and
 * lists keep only the items that pass. ipv4, ipv6 and ipwrap are ipaddr with a version or a query.
 */
import { toStr } from '../values.js';
import {
  broadcast,
  first,
  hostmask,
  ipText,
  isHostmask,
  isLinkLocal,
  isLoopback,
  isMulticast,
  isNetmask,
  isPrivate,
  last,
  maxInt,
  type Net,
  netmask,
  netText,
  parseNet,
  size,
  width,
  within,
} from './ipnet.js';
import type { CallCtx } from './types.js';

type VType = 'address' | 'network';
interface Parsed {
  v: Net;
  vtype: VType;
  value: string;
}

// a number while it is exact; beyond 2**53 (IPv6 sizes and values) the decimal text, which prints as Python's int does
const num = (n: bigint): number | string => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());

function fromInt(n: bigint, prefix4: number, prefix6: number, version?: number): Net | undefined {
  if ((!version || version === 4) && n <= maxInt(4)) return { version: 4, ip: n, prefix: prefix4 };
  if (n <= maxInt(6)) return { version: 6, ip: n, prefix: prefix6 };
  return undefined;
}

/** What ipaddr makes of a value: the network, whether it was written as one, and the value as text. */
export function parseValue(value: unknown, version?: number): Parsed | undefined {
  if (value === true || value === false || value === null || value === undefined || value === '' || value === 0) return undefined;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) {
    const v = fromInt(BigInt(text), 32, 128, version);
    return v && { v, vtype: 'address', value: netText(v) };
  }
  const v = parseNet(text);
  if (v) return { v, vtype: text.split('/').length === 2 ? 'network' : 'address', value: text };
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const n = BigInt(m[1]);
  const p = Number(m[2]);
  const w = p <= 32 && n <= maxInt(4) ? fromInt(n, p, p) : p <= 128 && n <= maxInt(6) ? ({ version: 6, ip: n, prefix: p } as Net) : undefined;
  return w && { v: w, vtype: 'network', value: netText(w) };
}

const ip = (v: Net) => ipText(v.version, v.ip);

export function firstLast(v: Net): [bigint, bigint] | undefined {
  if (size(v) === 2n) return [first(v), last(v)];
  if (size(v) > 1n) return [first(v) + 1n, last(v) - 1n];
  return undefined;
}

function notNetwork(ctx: CallCtx, vtype: VType): void {
  if (vtype === 'address') ctx.fail('Not a network address', "give a network with its prefix, e.g. '192.168.1.10/24'");
}

function ipv4Of(v: Net): string | false {
  if (v.version === 4) return netText(v);
  const p = v.prefix - 96;
  let addr: bigint | undefined;
  if (v.ip <= maxInt(4)) addr = v.ip;
  else if (v.ip <= 0xffffffffffffn) addr = v.ip - 0xffff00000000n;
  if (addr === undefined || p < 0) return false;
  return netText({ version: 4, ip: addr, prefix: p });
}

function sixToFour(ctx: CallCtx, p: Parsed): unknown {
  const { v, vtype, value } = p;
  if (v.version === 4) {
    let conv: string;
    if (size(v) === 1n) conv = ip(v);
    else if (v.ip !== first(v)) conv = ip(v);
    else return false;
    if (!ipaddr(ctx, conv, 'public') && !ipaddr(ctx, conv, 'private')) return false;
    const o = conv.split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
    return `2002:${o[0]}${o[1]}:${o[2]}${o[3]}::1/48`;
  }
  const in2002 = (t: string) => ipaddr(ctx, t, '2002::/16');
  if (vtype === 'address' && in2002(netText(v))) return value;
  if (vtype === 'network' && v.ip !== first(v) && in2002(ip(v))) return value;
  return false;
}

type Query = (p: Parsed, ctx: CallCtx) => unknown;
const addressPrefix: Query = ({ v }) => (size(v) > 2n && (v.ip === first(v) || v.ip === broadcast(v)) ? false : `${ip(v)}/${v.prefix}`);
const ipQuery: Query = ({ v }) => {
  if (size(v) === 1n) return ip(v);
  if (v.ip !== first(v) || broadcast(v) === undefined || v.version === 6) return ip(v);
  return null;
};

const QUERIES: Record<string, Query> = {
  '': ({ v, vtype }) => (vtype === 'address' ? ip(v) : netText(v)),
  '6to4': (p, ctx) => sixToFour(ctx, p),
  address: ipQuery,
  ip: ipQuery,
  'address/prefix': addressPrefix,
  gateway: addressPrefix,
  gw: addressPrefix,
  'host/prefix': addressPrefix,
  hostnet: addressPrefix,
  router: addressPrefix,
  bool: () => true,
  broadcast: ({ v }) => (size(v) > 2n ? ipText(v.version, broadcast(v) as bigint) : null),
  cidr: ({ v }) => netText(v),
  first_usable: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    if (size(v) === 2n) return ipText(v.version, first(v));
    return size(v) > 1n ? ipText(v.version, first(v) + 1n) : null;
  },
  last_usable: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    const fl = firstLast(v);
    return fl ? ipText(v.version, fl[1]) : null;
  },
  next_usable: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    const fl = firstLast(v);
    return fl && v.ip + 1n >= fl[0] && v.ip + 1n <= fl[1] ? ipText(v.version, v.ip + 1n) : null;
  },
  previous_usable: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    const fl = firstLast(v);
    return fl && v.ip - 1n >= fl[0] && v.ip - 1n <= fl[1] ? ipText(v.version, v.ip - 1n) : null;
  },
  range_usable: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    const fl = firstLast(v);
    return fl ? `${ipText(v.version, fl[0])}-${ipText(v.version, fl[1])}` : null;
  },
  peer: ({ v, vtype }, ctx) => {
    notNetwork(ctx, vtype);
    if (size(v) === 2n) return ipText(v.version, v.ip ^ 1n);
    if (size(v) === 4n) {
      if (v.ip % 4n === 0n) ctx.fail('Network address of /30 has no peer');
      if (v.ip % 4n === 3n) ctx.fail('Broadcast address of /30 has no peer');
      return ipText(v.version, v.ip ^ 3n);
    }
    return ctx.fail('Not a point-to-point network', 'peer needs a /31 or /30 (or /127, /126)');
  },
  host: ({ v }) => {
    if (size(v) === 1n) return netText(v);
    return v.ip !== first(v) || broadcast(v) === undefined ? `${ip(v)}/${v.prefix}` : null;
  },
  hostmask: ({ v }) => ipText(v.version, hostmask(v)),
  wildcard: ({ v }) => ipText(v.version, hostmask(v)),
  int: ({ v, vtype }) => (vtype === 'address' ? num(v.ip) : `${v.ip}/${v.prefix}`),
  'ip/prefix': ({ v }) => (size(v) === 2n || (size(v) > 1n && v.ip !== first(v)) ? `${ip(v)}/${v.prefix}` : null),
  ip_netmask: ({ v }) => (size(v) === 2n || (size(v) > 1n && v.ip !== first(v)) ? `${ip(v)} ${ipText(v.version, netmask(v))}` : null),
  ipv4: ({ v, value }) => (v.version === 6 ? ipv4Of(v) : value),
  v4: ({ v, value }) => (v.version === 6 ? ipv4Of(v) : value),
  ipv6: ({ v, value }) => (v.version === 4 ? netText({ version: 6, ip: 0xffff00000000n + v.ip, prefix: v.prefix + 96 }) : value),
  v6: ({ v, value }) => (v.version === 4 ? netText({ version: 6, ip: 0xffff00000000n + v.ip, prefix: v.prefix + 96 }) : value),
  'link-local': ({ v, value }) => (isLinkLocal({ ...v, prefix: width(v) }) ? value : null),
  lo: ({ v, value }) => (isLoopback(v.version, v.ip) ? value : null),
  loopback: ({ v, value }) => (isLoopback(v.version, v.ip) ? value : null),
  multicast: ({ v, value }) => (isMulticast(v) ? value : null),
  unicast: ({ v, value }) => (!isMulticast(v) ? value : null),
  private: ({ v, value }) => (isPrivate(v) ? value : null),
  public: ({ v, value }) => {
    const host: Net = { ...v, prefix: width(v) };
    const pub = !isMulticast(host) && !isPrivate(host) && !isLoopback(v.version, v.ip) && !isNetmask(v.version, v.ip) && !isHostmask(v.ip);
    return pub ? value : null;
  },
  net: ({ v }) => (size(v) > 1n && v.ip === first(v) ? `${ipText(v.version, first(v))}/${v.prefix}` : null),
  netmask: ({ v }) => ipText(v.version, netmask(v)),
  network: ({ v }) => ipText(v.version, first(v)),
  network_id: ({ v }) => ipText(v.version, first(v)),
  'network/prefix': ({ v }) => `${ipText(v.version, first(v))}/${v.prefix}`,
  subnet: ({ v }) => `${ipText(v.version, first(v))}/${v.prefix}`,
  network_netmask: ({ v }) => `${ipText(v.version, first(v))} ${ipText(v.version, netmask(v))}`,
  network_wildcard: ({ v }) => `${ipText(v.version, first(v))} ${ipText(v.version, hostmask(v))}`,
  prefix: ({ v }) => v.prefix,
  revdns: ({ v }) => {
    if (v.version === 4) return `${ip(v).split('.').reverse().join('.')}.in-addr.arpa.`;
    return `${v.ip.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa.`;
  },
  size: ({ v }) => num(size(v)),
  size_usable: ({ v }) => (size(v) === 1n ? 0 : size(v) === 2n ? 2 : num(size(v) - 2n)),
  type: ({ v }) => (size(v) === 1n || v.ip !== first(v) ? 'address' : 'network'),
  version: ({ v }) => v.version,
  wrap: ({ v, vtype, value }) => {
    if (v.version === 4) return value;
    return vtype === 'address' ? `[${ip(v)}]` : `[${ip(v)}]/${v.prefix}`;
  },
};

function byIndex(p: Parsed, query: number): unknown {
  const { v, vtype } = p;
  if (size(v) === 1n) return vtype === 'address' ? ip(v) : netText(v);
  if (!Number.isInteger(query)) return false;
  const i = query < 0 ? size(v) + BigInt(query) : BigInt(query);
  if (i < 0n || i >= size(v)) return false;
  return `${ipText(v.version, first(v) + i)}/${v.prefix}`;
}

/** ansible.utils' ipaddr(value, query, version): one value, or the passing items of a list. */
export function ipaddr(ctx: CallCtx, value: unknown, query: unknown = '', version?: number, alias = 'ipaddr'): unknown {
  if (Array.isArray(value)) {
    const q = typeof query === 'number' ? String(query) : query;
    return value.map((x) => ipaddr(ctx, x, q, version, alias)).filter((x) => x !== false && x !== null && x !== undefined && x !== '' && x !== 0);
  }
  const p = parseValue(value, version);
  if (!p) return false;
  let q = typeof query === 'number' ? query : toStr(query);
  let lookup: Net | undefined;
  if (typeof q === 'string' && q !== '' && (!Object.hasOwn(QUERIES, q) || q === 'cidr_lookup') && !/^\d+$/.test(q) && ipaddr(ctx, q, 'network')) {
    lookup = parseNet(q);
    q = 'cidr_lookup';
  }
  if (version && p.v.version !== version) return false;
  if (q === 'cidr_lookup') return lookup && within(p.v, lookup) ? p.value : null;
  if (typeof q === 'string' && Object.hasOwn(QUERIES, q)) return QUERIES[q](p, ctx);
  const n = typeof q === 'number' ? q : q.trim() !== '' && !Number.isNaN(Number(q)) ? Number(q) : undefined;
  if (n === undefined) return ctx.fail(`${alias}: unknown filter type: ${toStr(query)}`, 'see the ipaddr queries in docs/templates.md');
  return byIndex(p, n);
}

// the address or masked network a value stands for, as netaddr.IPNetwork(ipaddr(value, 'cidr'|'subnet'))
export function normalized(ctx: CallCtx, value: unknown): Net | undefined {
  const type = ipaddr(ctx, value, 'type');
  if (type === 'address') return parseNet(ipaddr(ctx, value, 'cidr') as string);
  if (type === 'network') return parseNet(ipaddr(ctx, value, 'subnet') as string);
  return undefined;
}
