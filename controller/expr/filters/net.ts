/**
 * ansible.utils' IP filters (ipaddr, ipv4, ipv6, ipwrap, ipsubnet, ipmath, nthhost, next_nth_usable,
 * previous_nth_usable, network_in_usable, network_in_network) under their short and collection names;
 * ipaddr.ts answers the queries, subnets.ts computes with networks.
 */
import { isDict, typeName } from '../values.js';
import { ipaddr } from './ipaddr.js';
import { inRange, ipmath, ipsubnet, nthhost, nthUsable } from './subnets.js';
import type { CallCtx, Filter } from './types.js';

function checkValue(ctx: CallCtx, name: string, v: unknown, bools = false): void {
  if (typeof v === 'string' || Array.isArray(v) || (typeof v === 'number' && Number.isInteger(v)) || (bools && typeof v === 'boolean')) return;
  if (isDict(v) || v === null || typeof v === 'number' || typeof v === 'boolean') ctx.fail(`Unrecognized type <${typeName(v)}> for ${name} filter <value>`);
}

/** The IP filters, under their short names (as Ansible 2.14 resolves them) and their ansible.utils names. */
const base: Record<string, Filter> = {
  ipaddr: {
    params: ['query', 'version', 'alias'],
    fn: (v, [q, version], ctx) => {
      checkValue(ctx, 'ipaddr', v);
      return ipaddr(ctx, v, q ?? '', version ? Number(version) : undefined);
    },
  },
  ipv4: {
    params: ['query'],
    fn: (v, [q], ctx) => {
      checkValue(ctx, 'ipv4', v);
      return ipaddr(ctx, v, q ?? '', 4, 'ipv4');
    },
  },
  ipv6: {
    params: ['query'],
    fn: (v, [q], ctx) => {
      checkValue(ctx, 'ipv6', v);
      return ipaddr(ctx, v, q ?? '', 6, 'ipv6');
    },
  },
  ipwrap: {
    params: ['query'],
    fn: (v, [q], ctx) => {
      checkValue(ctx, 'ipwrap', v, true);
      const wrap = (x: unknown) => {
        try {
          const r = ipaddr(ctx, x, q ?? '', undefined, 'ipwrap');
          return r === false || r === null || r === '' ? x : ipaddr(ctx, r, 'wrap');
        } catch {
          return x;
        }
      };
      return Array.isArray(v) ? v.map(wrap) : wrap(v);
    },
  },
  ipsubnet: { params: ['query', 'index'], fn: (v, [q, i], ctx) => ipsubnet(ctx, v, q, i) },
  ipmath: { params: ['amount'], fn: (v, [amount], ctx) => ipmath(ctx, v, amount) },
  nthhost: { params: ['query'], fn: (v, [q], ctx) => nthhost(ctx, v, q) },
  next_nth_usable: { params: ['offset'], fn: (v, [o], ctx) => nthUsable(ctx, v, o, 1n) },
  previous_nth_usable: { params: ['offset'], fn: (v, [o], ctx) => nthUsable(ctx, v, o, -1n) },
  network_in_usable: { params: ['test'], fn: (v, [t], ctx) => inRange(ctx, v, t, true) },
  network_in_network: { params: ['test'], fn: (v, [t], ctx) => inRange(ctx, v, t, false) },
};

export const netFilters: Record<string, Filter> = {
  ...base,
  ...Object.fromEntries(
    Object.entries(base).flatMap(([k, f]) => [
      [`ansible.utils.${k}`, f],
      [`ansible.netcommon.${k}`, f],
    ]),
  ),
};
