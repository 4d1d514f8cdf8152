/** Top-level `networks:` (a bridge per node) and a service's `networks:` and `network_mode:`. */
import { didYouMean } from '../../shared/errors.js';
import { type At, asBool, asList, asMap, asName, asString, asStringMap, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';
import type { NetworkDef } from './types.js';

const MODES = ['host', 'none', 'bridge'] as const;

/** The top-level networks: `<stack>_<key>` unless `name:` says otherwise; external ones by key or name. */
export function readNetworkDefs(ctx: Ctx, at: At): Record<string, NetworkDef> {
  const out: Record<string, NetworkDef> = {};
  for (const key of Object.keys(asMap(at))) {
    const v = child(at, key);
    checkKeys(ctx, v, ['name', 'external', 'driver', 'labels', 'attachable'], {
      driver_opts: undefined,
      ipam: undefined,
      internal: undefined,
      enable_ipv6: undefined,
      enable_ipv4: undefined,
    });
    const driver = child(v, 'driver');
    if (has(driver) && !['bridge', 'overlay'].includes(asString(driver))) {
      ctx.warnings.push({
        message: `${driver.path}: muster makes a bridge network on each node; driver "${asString(driver)}" is not used`,
        pos: driver.pos,
      });
    }
    const ext = child(v, 'external');
    const legacyName = ext.v !== null && typeof ext.v === 'object' ? child(ext, 'name') : undefined;
    const external = legacyName !== undefined || (has(ext) && asBool(ext));
    const named = has(child(v, 'name')) ? asName(child(v, 'name')) : legacyName && has(legacyName) ? asName(legacyName) : undefined;
    out[key] = { name: named ?? (external ? key : `${ctx.stack}_${key}`), external, labels: asStringMap(child(v, 'labels')) };
  }
  return out;
}

/** The network a stack gets when it declares no `default`: `<stack>_default`. */
export function defaultNetwork(stack: string): NetworkDef {
  return { name: `${stack}_default`, external: false, labels: {} };
}

/** `network_mode:` host, none or bridge. */
export function readNetworkMode(at: At): 'host' | 'none' | 'bridge' | undefined {
  if (!has(at)) return undefined;
  const mode = asString(at);
  if ((MODES as readonly string[]).includes(mode)) return mode as (typeof MODES)[number];
  const joins = /^(service|container):/.test(mode);
  throw schemaError(
    at,
    `network_mode "${mode}" is not supported${joins ? '' : didYouMean(mode, MODES)}`,
    joins
      ? 'muster cannot place a replica beside another container; put both services on one stack network and reach the other by its service name'
      : 'write host, none or bridge, or leave it out to join the stack networks',
  );
}

/** A service's `networks:` (a list of keys, or keys with aliases) checked against the declared networks. */
export function readServiceNetworks(ctx: Ctx, at: At, defs: Record<string, NetworkDef>): { key: string; aliases: string[] }[] {
  const out: { key: string; aliases: string[] }[] = [];
  const declared = (key: string, where: At): void => {
    if (key !== 'default' && !defs[key]) {
      throw schemaError(
        where,
        `refers to undefined network ${key}${didYouMean(key, Object.keys(defs))}`,
        `declare it under the top-level networks: key (\`networks: {${key}: {}}\`)`,
      );
    }
  };
  if (Array.isArray(at.v)) {
    for (const item of items(at)) {
      const key = asName(item);
      declared(key, item);
      out.push({ key, aliases: [] });
    }
    return out;
  }
  for (const key of Object.keys(asMap(at))) {
    const v = child(at, key);
    declared(key, v);
    checkKeys(ctx, v, ['aliases'], {
      ipv4_address: undefined,
      ipv6_address: undefined,
      link_local_ips: undefined,
      mac_address: undefined,
      priority: undefined,
      gw_priority: undefined,
      driver_opts: undefined,
      interface_name: undefined,
    });
    const aliases = asList(child(v, 'aliases')).map((_, i) => asName(child(child(v, 'aliases'), i)));
    out.push({ key, aliases });
  }
  return out;
}
