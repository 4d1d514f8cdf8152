/**
 * The agent's heartbeat sender: once the manager asked (PUT /v1/heartbeat), a signed datagram every interval
 * to the manager's UDP port saying this node is alive and naming its report's tag, so that the manager reads
 * the report over HTTPS only when it changed. One registration at a time; a new one replaces it. It ends by
 * itself HEARTBEAT_TTL_MS after it was last made, so an agent whose manager went away falls silent.
 *
 * I/O edge: the wire form and its checks are in shared/heartbeat.ts, the destination in target.ts, the
 * socket in udp.ts. Nothing here throws at the caller or keeps the process alive.
 */
import { HEARTBEAT_TTL_MS, type HeartbeatRequest, heartbeatPacket } from '../../shared/heartbeat.js';
import { reportStateTag } from '../../shared/report-state.js';
import { reportEtag, type TaggableReport } from '../api/report-etag.js';
import type { Log } from '../log.js';
import { heartbeatTarget, type HeartbeatTarget } from './target.js';
import { type DatagramPort, type OpenDatagram, openUdp } from './udp.js';

/** A repeating timer. */
export interface Timers {
  every(ms: number, fn: () => void): { cancel(): void };
}

/** The real timers, unref()'d: a heartbeat never keeps the agent's process alive. */
export const realTimers: Timers = {
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

/** What the sender needs. */
export interface HeartbeatSenderDeps {
  /** the agent's API token: the HMAC key */
  token: string;
  /** the report as GET /v1/report serves it (its tag is the ETag) */
  report(): Promise<TaggableReport>;
  log: Pick<Log, 'info' | 'warn'>;
  /** milliseconds (default Date.now) */
  now?(): number;
  timers?: Timers;
  open?: OpenDatagram;
}

/** What start() answers: where the heartbeats go, or why they cannot. */
export type HeartbeatStart = { ok: true; to: string; intervalMs: number; ttlMs: number } | { ok: false; message: string };

/** What the sender is doing. */
export type HeartbeatStatus =
  | { running: false }
  | { running: true; to: string; node: string; nonce: string; intervalMs: number; seq: number; expiresInMs: number; sendError?: string };

/** The heartbeat sender. */
export interface HeartbeatSender {
  /** starts heartbeats for `req` toward `address` (the requester's), replacing the registration running */
  start(req: HeartbeatRequest, address: string): HeartbeatStart;
  /** stops them and closes the socket; whether a registration was running */
  stop(): boolean;
  status(): HeartbeatStatus;
}

interface Registration {
  req: HeartbeatRequest;
  target: HeartbeatTarget;
  /** the last seq sent */
  seq: number;
  until: number;
  socket: DatagramPort;
  timer: { cancel(): void };
  busy: boolean;
  sendError?: string;
}

const describe = (e: unknown): string => (e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e));

/** A heartbeat sender over `deps`. */
export function heartbeatSender(deps: HeartbeatSenderDeps): HeartbeatSender {
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const open = deps.open ?? openUdp;
  let current: Registration | undefined;

  const end = (r: Registration): void => {
    r.timer.cancel();
    r.socket.close();
    if (current === r) current = undefined;
  };

  // Once per registration: a manager that is unreachable for an hour logs one line, not 3,600.
  const failed = (r: Registration, err: unknown): void => {
    if (current !== r || r.sendError !== undefined) return;
    r.sendError = describe(err);
    deps.log.warn(`heartbeats to ${r.target.to} fail (${r.sendError}); the manager polls this node meanwhile`);
  };

  const expired = (r: Registration): boolean => {
    if (now() < r.until) return false;
    end(r);
    deps.log.info(`heartbeats to ${r.target.to} stopped: not renewed within ${HEARTBEAT_TTL_MS / 1000} s`);
    return true;
  };

  const beat = async (r: Registration): Promise<void> => {
    if (r.busy || current !== r || expired(r)) return; // a slow report skips a beat rather than piling them up
    r.busy = true;
    let tag: string | null;
    let state: string | null;
    try {
      const report = await deps.report();
      tag = reportEtag(report);
      state = reportStateTag(report);
    } catch {
      tag = null;
      state = null;
    } finally {
      r.busy = false;
    }
    if (current !== r || expired(r)) return; // replaced, stopped or expired while the report was read
    r.seq += 1;
    try {
      r.socket.send(heartbeatPacket({ node: r.req.node, nonce: r.req.nonce, seq: r.seq, tag, state }, deps.token), r.target.port, r.target.host, (err) => {
        if (err) failed(r, err);
      });
    } catch (e) {
      failed(r, e);
    }
  };

  return {
    start(req, address) {
      const target = heartbeatTarget(address, req.port);
      if (!target) return { ok: false, message: `cannot send heartbeats to "${address}": not an IP address` };
      const before = current;
      let socket: DatagramPort;
      try {
        socket = open(target.family, (err) => failed(r, err));
      } catch (e) {
        return { ok: false, message: `cannot open a ${target.family} socket: ${describe(e)}` };
      }
      // The same nonce again (a retried PUT) keeps counting: seq from 1 would be taken for replays until it
      // passed the last one the manager took.
      const seq = before?.req.nonce === req.nonce ? before.seq : 0;
      const r: Registration = { req, target, seq, until: now() + HEARTBEAT_TTL_MS, socket, timer: { cancel() {} }, busy: false };
      if (before) end(before);
      current = r;
      r.timer = timers.every(req.intervalMs, () => void beat(r));
      if (before?.target.to !== target.to || before.req.node !== req.node)
        deps.log.info(`heartbeats to ${target.to} every ${req.intervalMs} ms as node ${req.node}`);
      void beat(r); // the first one now: the manager learns at once that the registration works
      return { ok: true, to: target.to, intervalMs: req.intervalMs, ttlMs: HEARTBEAT_TTL_MS };
    },
    stop() {
      if (!current) return false;
      const running = now() < current.until; // one past its TTL whose next beat has not come yet had stopped
      end(current);
      return running;
    },
    status() {
      const r = current;
      if (!r || now() >= r.until) return { running: false };
      const { node, nonce, intervalMs } = r.req;
      return {
        running: true,
        to: r.target.to,
        node,
        nonce,
        intervalMs,
        seq: r.seq,
        expiresInMs: r.until - now(),
        ...(r.sendError !== undefined ? { sendError: r.sendError } : {}),
      };
    },
  };
}
