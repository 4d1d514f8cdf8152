/**
 * The manager's UDP socket for heartbeats (the I/O edge of heartbeat-book.ts): bound on the API's address and
 * port number; every datagram goes to the book. A socket that cannot bind leaves the manager polling.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';

/** A bound heartbeat socket. */
export interface HeartbeatSocket {
  port: number;
  close(): Promise<void>;
}

/** Binds host:port (port 0: any free one) and hands each datagram to `onDatagram`. */
export function listenHeartbeats(host: string, port: number, onDatagram: (packet: Buffer) => void): Promise<HeartbeatSocket> {
  const socket: Socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (packet) => onDatagram(packet));
    socket.bind(port, host, () => {
      socket.off('error', reject);
      // a datagram that could not be read (the kernel says why) is dropped, as a lost one would be
      socket.on('error', () => {});
      resolve({
        port: socket.address().port,
        close: () => new Promise<void>((r) => socket.close(() => r())),
      });
    });
  });
}
