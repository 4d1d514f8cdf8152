/** A service's `ports:` (short `"127.0.0.1:8080:80/udp"`, ranges, and the long form), published in host mode. */
import { isIP } from 'node:net';
import { type At, asInt, asOneOf, asString, type Ctx, checkKeys, child, has, items, schemaError } from './fields.js';
import type { ExposedPort, PortMapping } from './types.js';

const NO_HOST_PORT =
  'muster publishes ports in host mode, on the node that runs each replica: name the host port too ("8080:80" is host 8080 to container 80), or remove the entry if only services on the stack network use it';

/** All the mappings of a `ports:` list (ranges expanded), refusing a host port written twice. */
export function readPorts(ctx: Ctx, at: At): PortMapping[] {
  const out: PortMapping[] = [];
  const seen = new Map<string, string>();
  for (const item of items(at)) {
    const mappings = item.v !== null && typeof item.v === 'object' ? longPort(ctx, item) : shortPort(item);
    for (const p of mappings) {
      const key = `${p.hostIp ?? ''}:${p.published}/${p.protocol}`;
      const before = seen.get(key);
      if (before !== undefined)
        throw schemaError(item, `host port ${p.published}/${p.protocol} is published twice (also by ${before})`, 'publish each host port once');
      seen.set(key, item.path);
      out.push(p);
    }
  }
  return out;
}

/** The mappings of one short-syntax entry: `[[IP:]HOST:]CONTAINER[/PROTOCOL]`, HOST and CONTAINER ports or ranges. */
export function shortPort(at: At): PortMapping[] {
  const text = asString(at).trim();
  const slash = text.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : text.slice(slash + 1);
  if (protocol !== 'tcp' && protocol !== 'udp') throw schemaError(at, `protocol "${protocol}" is not supported`, 'write /tcp or /udp (tcp is the default)');
  let rest = slash < 0 ? text : text.slice(0, slash);
  let hostIp: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']:');
    if (close < 0) throw schemaError(at, `"${text}" is not a port mapping`, 'write [IPv6]:HOST:CONTAINER, such as "[::1]:8080:80"');
    hostIp = rest.slice(1, close);
    rest = rest.slice(close + 2);
    if (!rest.includes(':')) throw schemaError(at, `"${text}" has an address but no host port`, NO_HOST_PORT);
  }
  const parts = rest.split(':');
  if (parts.length > 3 || (hostIp !== undefined && parts.length !== 2))
    throw schemaError(
      at,
      `"${text}" is not a port mapping`,
      'write HOST:CONTAINER or IP:HOST:CONTAINER, such as "127.0.0.1:8080:80/udp" (bracket IPv6 addresses)',
    );
  if (parts.length === 3) hostIp = parts.shift();
  if (hostIp !== undefined && isIP(hostIp) === 0)
    throw schemaError(at, `"${hostIp}" is not an IP address`, 'write an IPv4 or [IPv6] address before the host port');
  if (parts.length === 1 || parts[0] === '') throw schemaError(at, `"${text}" publishes no host port`, NO_HOST_PORT);
  const host = range(at, parts[0], text);
  const target = range(at, parts[1], text);
  if (host.length !== target.length) {
    throw schemaError(
      at,
      `"${text}" maps ${host.length} host port(s) to ${target.length} container port(s)`,
      'give ranges of the same length on both sides ("9000-9002:9000-9002"), or one port on each side',
    );
  }
  return host.map((published, i) => withIp({ target: target[i], published, protocol }, hostIp));
}

// `80` or `9000-9002` as the list of its ports.
function range(at: At, text: string, whole: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw schemaError(at, `"${text}" in "${whole}" is not a port or a range`, 'write a port (1-65535) or a range such as 9000-9002');
  const lo = port(at, Number(m[1]), whole);
  const hi = m[2] === undefined ? lo : port(at, Number(m[2]), whole);
  if (hi < lo) throw schemaError(at, `range ${text} in "${whole}" ends before it starts`, 'write the lower port first');
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function port(at: At, n: number, whole: string): number {
  if (n < 1 || n > 65535) throw schemaError(at, `port ${n} in "${whole}" is out of range`, 'ports go from 1 to 65535');
  return n;
}

/** The mapping of one long-syntax entry (target, published, protocol, mode, host_ip). */
export function longPort(ctx: Ctx, at: At): PortMapping[] {
  checkKeys(ctx, at, ['target', 'published', 'protocol', 'mode', 'host_ip', 'name', 'app_protocol']);
  const target = asInt(child(at, 'target'), 1, 65535);
  const pub = child(at, 'published');
  if (!has(pub)) throw schemaError(at, `container port ${target} has no published host port`, NO_HOST_PORT.replace('("8080:80"', '(published: 8080'));
  const text = asString(pub);
  if (!/^\d+$/.test(text)) throw schemaError(pub, `"${text}" is not one port`, 'write the one host port this container port is published on');
  const published = asInt(pub, 1, 65535);
  const protocol = has(child(at, 'protocol')) ? asOneOf(child(at, 'protocol'), ['tcp', 'udp'] as const) : 'tcp';
  const modeAt = child(at, 'mode');
  const mode = has(modeAt) ? asOneOf(modeAt, ['host', 'ingress'] as const) : undefined;
  if (mode === 'ingress') {
    ctx.warnings.push({
      message: `${modeAt.path}: muster has no routing mesh; port ${published} is published in host mode on the nodes that run a replica`,
      pos: modeAt.pos,
      engine: 'native',
    });
  }
  const ip = child(at, 'host_ip');
  const hostIp = has(ip) ? asString(ip) : undefined;
  if (hostIp !== undefined && isIP(hostIp) === 0) throw schemaError(ip, `"${hostIp}" is not an IP address`, 'write an IPv4 or IPv6 address');
  const p = withIp({ target, published, protocol }, hostIp);
  // kept for Swarm, whose default is the routing mesh; muster's own engine publishes in host mode either way
  return [mode === 'host' ? { ...p, mode } : p];
}

function withIp(p: PortMapping, hostIp: string | undefined): PortMapping {
  return hostIp === undefined ? p : { ...p, hostIp };
}

/**
 * `expose:` entries (`80`, `"53/udp"`, `"9000-9002"`): the ports other services reach on the stack network,
 * ranges expanded, each port once. Undefined when none is written.
 */
export function readExpose(at: At): ExposedPort[] | undefined {
  const out = new Map<string, ExposedPort>();
  for (const item of items(at)) {
    const text = asString(item).trim();
    const m = /^(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(text);
    if (!m) throw schemaError(item, `"${text}" is not a port`, 'write a container port or range, such as 8080, 9000-9002 or 53/udp');
    const protocol = (m[2] ?? 'tcp') as ExposedPort['protocol'];
    for (const target of range(item, m[1], text)) out.set(`${target}/${protocol}`, { target, protocol });
  }
  return out.size > 0 ? [...out.values()] : undefined;
}
