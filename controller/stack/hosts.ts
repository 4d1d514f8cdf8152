/** A service's `extra_hosts:` (a list of `host:ip` or `host=ip`, or a mapping) as `name:address` lines. */
import { isIP } from 'node:net';
import { type At, asString, asStringList, child, entries, items, schemaError } from './fields.js';

/** The extra /etc/hosts entries, as `name:address`. */
export function readExtraHosts(at: At): string[] {
  if (Array.isArray(at.v)) {
    return items(at).map((item) => {
      const text = asString(item);
      const eq = text.indexOf('=');
      const sep = eq >= 0 ? eq : text.indexOf(':');
      if (sep <= 0) throw schemaError(item, `"${text}" is not HOST:ADDRESS`, 'write host=address or host:address, such as nas=192.168.1.10');
      return line(item, text.slice(0, sep), text.slice(sep + 1));
    });
  }
  return entries(at).flatMap(([host, v]) => (Array.isArray(v.v) ? asStringList(v).map((ip, i) => line(child(v, i), host, ip)) : [line(v, host, asString(v))]));
}

function line(at: At, host: string, address: string): string {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (ip !== 'host-gateway' && isIP(ip) === 0) throw schemaError(at, `"${address}" is not an IP address`, `write the address of ${host} (or host-gateway)`);
  return `${host}:${ip}`;
}
