/**
 * What the simulated fleet's heartbeat tests share: a 3-node fleet on a clock the tests move, a manager-like UDP
 * listener that reads and checks what arrives, and the API calls that register, stop and read.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { startSimFleet } from '../../../bench/lib/sim-fleet.mjs';
import { type AgentTarget, agentRequest } from '../../../controller/fleet/agent-request.js';
import { type Heartbeat, readHeartbeat, signedWith } from '../../../shared/heartbeat.js';
import { reportStateTag } from '../../../shared/report-state.js';
import type { NodeReport } from '../../../shared/wire.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TIMEOUT = 2_000;
export const INTERVAL = 200; // the shortest an agent accepts: the tests wait a few of them
export const QUIET = 4 * INTERVAL; // no datagram for this long: none is being sent
const T0 = Date.parse('2026-12-01T00:00:00Z');

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Starts the fleet (closed when `t` ends) and returns it with the helpers over it. */
export async function heartbeatFleet(t: Test) {
  let clock = T0;
  const dir = mkdtempSync(join(tmpdir(), 'muster-sim-heartbeat-'));
  const fleet = await startSimFleet({ nodes: 3, dir, codeRoot: ROOT, now: () => clock });
  t.teardown(async () => {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tokenOf = (name: string) => fleet.target(name).token;
  async function listener(t: Test, name: string) {
    const l = await new Listener(tokenOf(name)).open();
    t.teardown(() => l.close());
    return l;
  }
  let nonces = 0;
  const nonce = () => `nonce-${String(++nonces).padStart(12, '0')}`;
  const body = (name: string, port: number, n = nonce(), intervalMs = INTERVAL) => ({ node: name, port, nonce: n, intervalMs });
  const register = (name: string, value: unknown) => call(fleet.target(name), 'PUT', '/v1/heartbeat', value);
  const unregister = (name: string) => call(fleet.target(name), 'DELETE', '/v1/heartbeat');
  // the tags a heartbeat should name now: the report's ETag and the real code's state tag of its body
  const reportTags = async (name: string) => {
    const a = await call(fleet.target(name), 'GET', '/v1/report');
    return { tag: a.etag, state: reportStateTag(a.body as NodeReport) };
  };
  return {
    fleet,
    tokenOf,
    listener,
    nonce,
    body,
    register,
    unregister,
    reportTags,
    raw: (name: string, method: string, path: string, token: string | null, text?: string) => raw(fleet.target(name), method, path, token, text),
    now: () => clock,
    setClock: (ms: number) => {
      clock = ms;
    },
  };
}

/** What a manager's UDP socket received: every datagram read, and when it came. */
interface Received {
  hb: Heartbeat;
  signed: boolean;
  from: string;
}
export class Listener {
  socket: Socket = createSocket('udp4');
  got: Received[] = [];
  bad: string[] = [];
  wake: () => void = () => {};
  constructor(readonly token: string) {}
  async open() {
    await new Promise<void>((done) => this.socket.bind(0, '127.0.0.1', () => done()));
    this.socket.on('message', (m, from) => {
      const read = readHeartbeat(m);
      if (!read.ok) this.bad.push(read.reason);
      else this.got.push({ hb: read.hb, signed: signedWith(read, this.token), from: from.address });
      this.wake();
    });
    return this;
  }
  get port() {
    return this.socket.address().port;
  }
  /** Waits until `n` datagrams came (since the last clear), or fails after TIMEOUT. */
  async wait(n: number): Promise<Received[]> {
    const until = Date.now() + TIMEOUT;
    while (this.got.length < n) {
      if (Date.now() > until) throw new Error(`${this.got.length} heartbeats came in ${TIMEOUT} ms, not ${n}`);
      await new Promise<void>((done) => {
        this.wake = done;
        setTimeout(done, 50);
      });
    }
    return this.got.slice(0, n);
  }
  /** Forgets what came, after what was under way landed. */
  async clear() {
    await sleep(50);
    this.got = [];
  }
  close() {
    this.socket.close();
  }
}

export async function call(target: AgentTarget, method: string, path: string, value?: unknown) {
  const a = await agentRequest(target, method, path, TIMEOUT, value);
  if (!a.ok) throw new Error(`${method} ${path}: ${a.message}`);
  return { status: a.status, body: a.body ? JSON.parse(a.body) : undefined, etag: a.etag };
}

/** A raw HTTPS request (verified against the fleet CA) with the token given, or none. */
function raw(target: AgentTarget, method: string, path: string, token: string | null, text?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((done, fail) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (text !== undefined) headers['content-type'] = 'application/json';
    const req = request({ host: target.address, port: target.port, method, path, ca: target.ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const s = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, headers: res.headers, body: s ? JSON.parse(s) : undefined });
      });
    });
    req.on('error', fail);
    req.end(text);
  });
}
