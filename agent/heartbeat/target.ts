/**
 * Where an agent's heartbeats go: the address the manager's PUT /v1/heartbeat came from and the UDP port it
 * named. Pure. An IPv4 client of a dual-stack listener shows as `::ffff:a.b.c.d`; its heartbeats go to the
 * plain IPv4 address over a udp4 socket, which is what the manager's IPv4 socket receives.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A heartbeat destination: the socket family, the host and port to send to, and `to` as people read it. */
export interface HeartbeatTarget {
  family: 'udp4' | 'udp6';
  host: string;
  port: number;
  /** `10.0.0.2:7946`, `[fd00::2]:7946` */
  to: string;
}

const MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The target for a client address and port, or undefined when the address is not an IP address. */
export function heartbeatTarget(address: string, port: number): HeartbeatTarget | undefined {
  const v4 = MAPPED.exec(address)?.[1] ?? address;
  if (isIPv4(v4)) return { family: 'udp4', host: v4, port, to: `${v4}:${port}` };
  if (isIPv6(address)) return { family: 'udp6', host: address, port, to: `[${address}]:${port}` };
  return undefined;
}
