/**
 * The remote half of wait_for: one POSIX sh loop that checks a port or a path until it holds or time runs out,
 * so that the whole wait costs one round trip. A local port is checked in the kernel's socket tables
 * (/proc/net/tcp and tcp6 LISTEN entries), which needs no client tool and opens no connection.
 */
import { raw, sh, type Script } from '../../command.js';

/** What to wait for, from the module's arguments. */
export interface WaitSpec {
  kind: 'port' | 'path';
  /** 'up': port open / file present (and matching); 'down': port closed / file absent */
  want: 'up' | 'down';
  host: string;
  port?: number;
  path?: string;
  searchRegex?: string;
  timeout: number;
  delay: number;
  sleep: number;
  connectTimeout: number;
}

/** The marker lines the loop prints; the module reads them back. */
export const WAIT_MARK = 'muster-wait:';

/** An IPv4 address as /proc/net/tcp prints it: the 32-bit word in the host's (little-endian) byte order, hex. */
export function hexIPv4(ip: string): string {
  return ip
    .split('.')
    .reverse()
    .map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

/** The IPv6 forms of an address in /proc/net/tcp6: four little-endian 32-bit words. */
function hexIPv6Words(bytes: number[]): string {
  let out = '';
  for (let w = 0; w < 4; w++) {
    out += bytes
      .slice(w * 4, w * 4 + 4)
      .reverse()
      .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
      .join('');
  }
  return out;
}

const V6_ANY = hexIPv6Words(new Array(16).fill(0));
const V6_LOOPBACK = hexIPv6Words([...new Array(15).fill(0), 1]);

function v4MappedHex(ip: string): string {
  return hexIPv6Words([...new Array(10).fill(0), 255, 255, ...ip.split('.').map(Number)]);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The local addresses whose LISTEN sockets answer a connection to `host` from the target itself,
 * or undefined when `host` is not one of the target's loopback or wildcard names (then a real connect is needed).
 */
export function listenAddresses(host: string): string[] | undefined {
  const h = host.trim().toLowerCase();
  if (h === '0.0.0.0' || h === '::' || h === '*') return ['*'];
  if (h === 'localhost') return ['00000000', hexIPv4('127.0.0.1'), V6_ANY, V6_LOOPBACK, v4MappedHex('127.0.0.1')];
  if (h === '::1') return [V6_ANY, V6_LOOPBACK];
  if (IPV4.test(h) && h.startsWith('127.')) return ['00000000', hexIPv4(h), V6_ANY, v4MappedHex(h)];
  return undefined;
}

/** Python-flavoured regex -> POSIX ERE for grep -E: named and non-capturing groups become plain groups; \d a class. */
export function toEre(re: string): string {
  return re
    .replace(/\(\?P<[A-Za-z_]\w*>/g, '(')
    .replace(/\(\?<[A-Za-z_]\w*>/g, '(')
    .replace(/\(\?:/g, '(')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\D/g, '[^0-9]');
}

/** The check as a sh function: returns 0 when the thing is there, 1 when not, 2 when it cannot be checked. */
function checkFunction(spec: WaitSpec): Script {
  if (spec.kind === 'path') {
    const path = spec.path ?? '';
    if (spec.searchRegex !== undefined) {
      return sh`check() { if [ -r ${path} ] && grep -E -q -e ${toEre(spec.searchRegex)} -- ${path} 2>/dev/null; then return 0; fi; return 1; }`;
    }
    return sh`check() { if [ -e ${path} ]; then return 0; fi; return 1; }`;
  }
  const port = spec.port ?? 0;
  const local = listenAddresses(spec.host);
  if (local) {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    // st 0A is TCP_LISTEN; the local address field is ADDR:PORT in hex
    const prog = `$4 == "0A" { split($2, a, ":"); if (a[2] == port && (addrs == " * " || index(addrs, " " a[1] " "))) found = 1 } END { exit found ? 0 : 1 }`;
    return sh`check() {
  if [ -r /proc/net/tcp ]; then
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v ${`port=${hexPort}`} -v ${`addrs= ${local.join(' ')} `} ${prog}
  elif command -v ss >/dev/null 2>&1; then
    ss -ltn 2>/dev/null | awk -v ${`p=:${port}`} ${'index($4, p) && substr($4, length($4) - length(p) + 1) == p { f = 1 } END { exit f ? 0 : 1 }'}
  else return 2; fi
}`;
  }
  return sh`check() {
  if command -v nc >/dev/null 2>&1; then nc -z -w ${spec.connectTimeout} ${spec.host} ${port} >/dev/null 2>&1 && return 0; return 1
  elif command -v bash >/dev/null 2>&1; then timeout ${spec.connectTimeout} bash -c ${'exec 3<>"/dev/tcp/$0/$1"'} ${spec.host} ${port} >/dev/null 2>&1 && return 0; return 1
  else return 2; fi
}`;
}

/** The whole wait as one script; it prints `muster-wait: ok|timeout|nocheck SECONDS` and exits 0, 1 or 3. */
export function waitForScript(spec: WaitSpec): Script {
  const want = spec.want === 'up' ? 0 : 1;
  const matched =
    spec.kind === 'path' && spec.searchRegex !== undefined && spec.want === 'up'
      ? sh`grep -E -m 1 -e ${toEre(spec.searchRegex)} -- ${spec.path ?? ''} 2>/dev/null`
      : raw(':');
  return sh`${checkFunction(spec)}
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
${spec.delay > 0 ? sh`sleep ${spec.delay}` : raw(':')}
while :; do
  check; c=$?
  if [ "$c" -eq 2 ]; then echo ${WAIT_MARK} nocheck "$(elapsed)"; exit 3; fi
  if [ "$c" -eq ${want} ]; then echo ${WAIT_MARK} ok "$(elapsed)"; ${matched}; exit 0; fi
  if [ "$(elapsed)" -ge ${spec.timeout} ]; then echo ${WAIT_MARK} timeout "$(elapsed)"; exit 1; fi
  sleep ${spec.sleep}
done`;
}
