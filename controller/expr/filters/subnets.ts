/**
 * ansible.utils' filters that compute with networks rather than query one: ipsubnet, ipmath, nthhost,
 * next_nth_usable, previous_nth_usable, network_in_usable and network_in_network.
 */
import { toStr } from '../values.js';
import { first, ipText, maxInt, type Net, netText, parseAddress, parseNet, size, width } from './ipnet.js';
import { firstLast, ipaddr, normalized } from './ipaddr.js';
import type { CallCtx } from './types.js';

export function ipsubnet(ctx: CallCtx, input: unknown, query: unknown, index: unknown): unknown {
  const n = normalized(ctx, input);
  if (!n) return false;
  const value: Net = { ...n, ip: first(n) };
  const vtype = size(value) === 1n ? 'address' : 'network';
  if (query === undefined || query === null || query === '') return netText(value);
  const bits = width(value);
  const qText = toStr(query);
  if (/^\d+$/.test(qText)) {
    const q = Number(qText);
    if (q < 0 || q > bits) return false;
    const supernets = (): Net[] => {
      const out: Net[] = [];
      for (let p = q; p < value.prefix; p++) out.push({ ...value, ip: first({ ...value, prefix: p }), prefix: p });
      return out;
    };
    if (index === undefined || index === null) {
      if (vtype === 'address') {
        const s = supernets();
        return s.length ? netText(s[0]) : ctx.fail(`ipsubnet: no /${q} network holds ${netText(value)}`);
      }
      if (q < value.prefix) ctx.fail(`Requested subnet size of ${q} is invalid`, `ask for a prefix of at least /${value.prefix}`);
      return String(2n ** BigInt(q - value.prefix));
    }
    let i = Number(index);
    if (!Number.isInteger(i)) ctx.fail(`ipsubnet: the index must be an integer, got ${toStr(index)}`);
    if (vtype === 'address') {
      if (i > bits + 1 - i || i < q - bits) return false;
      const s = supernets();
      const pick = s.at(i);
      return pick ? netText(pick) : ctx.fail('ipsubnet: list index out of range');
    }
    const count = 2n ** BigInt(q - value.prefix);
    if (i < 0) i += Number(count);
    if (i < 0 || BigInt(i) >= count) return false;
    return netText({ version: value.version, ip: value.ip + (BigInt(i) << BigInt(bits - q)), prefix: q });
  }
  const outer = normalized(ctx, query);
  if (!outer) return ctx.fail(`You must pass a valid subnet or IP address; ${qText} is invalid`);
  const shift = BigInt(bits - outer.prefix);
  if (value.ip >> shift === outer.ip >> shift) {
    const inner = BigInt(bits - value.prefix);
    return String((((value.ip & ((2n ** BigInt(value.prefix - outer.prefix) - 1n) << inner)) >> inner) + 1n).toString());
  }
  return ctx.fail(`${netText(value)} is not in the subnet ${netText({ ...outer, ip: first(outer) })}`);
}

export function ipmath(ctx: CallCtx, value: unknown, amount: unknown): string {
  const text = toStr(value);
  const addr = text.includes('/') ? parseNet(text) : parseAddress(text);
  if (!addr || typeof value !== 'string') return ctx.fail(`You must pass a valid IP address; ${text} is invalid`);
  const n = typeof amount === 'number' ? amount : /^-?\d+$/.test(toStr(amount).trim()) ? Number(toStr(amount)) : undefined;
  if (n === undefined || !Number.isInteger(n)) return ctx.fail(`You must pass an integer for arithmetic; ${toStr(amount)} is not a valid integer`);
  const r = addr.ip + BigInt(n);
  if (r < 0n || r > maxInt(addr.version)) ctx.fail('result outside valid IP address boundary!');
  return ipText(addr.version, r);
}

export function nthUsable(ctx: CallCtx, value: unknown, offset: unknown, sign: 1n | -1n): unknown {
  const t = ipaddr(ctx, value, 'type');
  const v = t === 'address' ? parseNet(toStr(ipaddr(ctx, value, 'cidr'))) : t === 'network' ? parseNet(toStr(ipaddr(ctx, value, 'subnet'))) : undefined;
  if (!v) return false;
  // the argument spec turns '2' into 2 before the filter sees it
  const text = toStr(offset).trim();
  if (typeof offset === 'boolean' || !/^[-+]?\d+$/.test(text)) ctx.fail('Must pass in an integer', 'write e.g. next_nth_usable(2)');
  const fl = firstLast(v);
  if (!fl) return null;
  const nth = v.ip + sign * BigInt(text);
  return nth >= fl[0] && nth <= fl[1] ? ipText(v.version, nth) : null;
}

export function inRange(ctx: CallCtx, value: unknown, test: unknown, usable: boolean): boolean {
  const int = (x: unknown) => BigInt(toStr(ipaddr(ctx, x, 'int')));
  const or = (a: unknown, b: unknown) => (a === false || a === null || a === '' ? b : a);
  const v = normalized(ctx, value);
  const w = normalized(ctx, test);
  if (!v || !w) return false;
  const vt = netText(v.prefix === width(v) ? v : { ...v, ip: first(v) });
  const wt = netText(w.prefix === width(w) ? w : { ...w, ip: first(w) });
  const vFirst = int(or(ipaddr(ctx, vt, usable ? 'first_usable' : 'network'), ipaddr(ctx, vt, 'address')));
  const vLast = int(or(ipaddr(ctx, vt, usable ? 'last_usable' : 'broadcast'), ipaddr(ctx, vt, 'address')));
  const wFirst = int(or(ipaddr(ctx, wt, 'network'), ipaddr(ctx, wt, 'address')));
  const wLast = int(or(ipaddr(ctx, wt, 'broadcast'), ipaddr(ctx, wt, 'address')));
  return wFirst >= vFirst && wFirst <= vLast && wLast >= vFirst && wLast <= vLast;
}

export function nthhost(ctx: CallCtx, value: unknown, query: unknown): unknown {
  const n = normalized(ctx, value);
  if (!n || query === undefined || query === null || query === '') return false;
  const v: Net = { ...n, ip: first(n) };
  const text = toStr(query).trim();
  if (!/^[-+]?\d+$/.test(text)) return false;
  const i = BigInt(text);
  if (size(v) <= i) return false;
  const at = i < 0n ? size(v) + i : i;
  if (at < 0n) return ctx.fail('nthhost: index out of range');
  return ipText(v.version, v.ip + at);
}
