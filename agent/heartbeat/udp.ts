/**
 * The one file that opens UDP sockets (node:dgram), behind the narrow port the heartbeat sender uses. The
 * socket is unref()'d: heartbeats never keep the agent's process alive.
 */
import { createSocket } from 'node:dgram';

/** A socket that sends datagrams; errors reach `done` (or the socket's onError), never a throw. */
export interface DatagramPort {
  send(packet: Buffer, port: number, host: string, done: (err: Error | null) => void): void;
  close(): void;
}

/** Opens a datagram socket of `family`; `onError` hears the socket's own errors (no listener would crash the process). */
export type OpenDatagram = (family: 'udp4' | 'udp6', onError: (err: Error) => void) => DatagramPort;

/** A real UDP socket, bound on first send to an ephemeral port. */
export const openUdp: OpenDatagram = (family, onError) => {
  const socket = createSocket(family);
  socket.on('error', onError);
  socket.unref();
  let closed = false;
  return {
    send(packet, port, host, done) {
      if (closed) return done(new Error('the heartbeat socket is closed'));
      try {
        socket.send(packet, port, host, (err) => done(err ?? null));
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
};
