/**
 * Heartbeats: a small UDP datagram an agent sends its manager every interval, so that the manager need not
 * hold a TLS connection to every node and ask it each second. A heartbeat says "alive" and names the tags of
 * the agent's report: its ETag, and its state tag (report-state.ts), which moves only when something the
 * manager acts on changed (the manager reads the report over HTTPS when that is not the one it holds).
 *
 * The manager asks for heartbeats over the agent's HTTPS API (PUT /v1/heartbeat) with a fresh random nonce;
 * every datagram carries that nonce and a sequence number counting from 1, and is signed with HMAC-SHA256
 * keyed by the agent's token, which both sides hold and which never travels. A datagram whose signature,
 * nonce or sequence does not check out is dropped: nobody without the token can make a node look alive, and
 * a recorded datagram replayed later is older than the last one taken. Pure: no sockets here.
 *
 * Wire form: the JSON of the body, a newline, the base64url of the HMAC of that JSON.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a heartbeat says. */
export interface Heartbeat {
  /** the node's name in the manager's inventory (given at registration) */
  node: string;
  /** the nonce of the registration this heartbeat belongs to */
  nonce: string;
  /** 1 for the first heartbeat of a registration, then one more each time */
  seq: number;
  /** the entity tag of the agent's report now (its ETag), null when it has none yet */
  tag: string | null;
  /** the state tag of that report (report-state.ts); null when there is none (agents before it send none) */
  state: string | null;
}

/** The body of PUT /v1/heartbeat: where the agent's heartbeats go (the address is the one the request came from). */
export interface HeartbeatRequest {
  node: string;
  /** the manager's UDP port */
  port: number;
  nonce: string;
  intervalMs: number;
}

/** A datagram bigger than this is not a heartbeat. */
export const HEARTBEAT_MAX_BYTES = 512;
/** A registration ends this long after it was made unless made again (the manager renews it well before). */
export const HEARTBEAT_TTL_MS = 120_000;
/** The interval bounds an agent accepts. */
export const HEARTBEAT_INTERVAL_MS = { min: 200, max: 10_000 } as const;
/** A nonce: 16 to 64 base64url characters. */
export const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const NODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// 32 bytes in 43 base64url characters: the last one carries 4 bits and 2 the decoder ignores, so only the
// characters whose ignored bits are zero are taken; otherwise 4 spellings of one signature would all check.
const SIGNATURE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

const mac = (body: string, token: string): Buffer => createHmac('sha256', token).update(body, 'utf8').digest();

/** The datagram of a heartbeat, signed with the agent's token. */
export function heartbeatPacket(hb: Heartbeat, token: string): Buffer {
  const body = JSON.stringify({ node: hb.node, nonce: hb.nonce, seq: hb.seq, tag: hb.tag, state: hb.state });
  return Buffer.from(`${body}\n${mac(body, token).toString('base64url')}`, 'utf8');
}

/** A datagram read: its heartbeat and what its signature is checked on, or why it is not a heartbeat. */
export type ReadHeartbeat = { ok: true; hb: Heartbeat; body: string; signature: Buffer } | { ok: false; reason: string };

/** Reads a datagram's shape (not its signature: that needs the node's token, see `signedWith`). */
export function readHeartbeat(packet: Buffer): ReadHeartbeat {
  if (packet.length > HEARTBEAT_MAX_BYTES) return { ok: false, reason: `larger than ${HEARTBEAT_MAX_BYTES} bytes` };
  const text = packet.toString('utf8');
  const nl = text.indexOf('\n');
  if (nl < 0) return { ok: false, reason: 'no signature line' };
  const body = text.slice(0, nl);
  const sig = text.slice(nl + 1);
  if (!SIGNATURE.test(sig)) return { ok: false, reason: 'the signature is not a base64url HMAC-SHA256' };
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const o = v as Partial<Heartbeat> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { ok: false, reason: 'the body is not an object' };
  if (typeof o.node !== 'string' || !NODE.test(o.node)) return { ok: false, reason: 'node: not a node name' };
  if (typeof o.nonce !== 'string' || !NONCE.test(o.nonce)) return { ok: false, reason: 'nonce: not 16 to 64 base64url characters' };
  if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 1) return { ok: false, reason: 'seq: not a whole number from 1' };
  if (o.tag !== null && (typeof o.tag !== 'string' || o.tag.length > 128)) return { ok: false, reason: 'tag: not a string of at most 128 characters, or null' };
  const state = o.state ?? null;
  if (state !== null && (typeof state !== 'string' || state.length > 128))
    return { ok: false, reason: 'state: not a string of at most 128 characters, or null' };
  return { ok: true, hb: { node: o.node, nonce: o.nonce, seq: o.seq, tag: o.tag, state }, body, signature: Buffer.from(sig, 'base64url') };
}

/** Whether a read datagram was signed with `token` (in the same time whatever the signature). */
export function signedWith(read: { body: string; signature: Buffer }, token: string): boolean {
  const want = mac(read.body, token);
  return read.signature.length === want.length && timingSafeEqual(read.signature, want);
}

/** The last heartbeat a manager took from a node, under the registration it holds for it. */
export interface HeartbeatWatch {
  nonce: string;
  seq: number;
}

/**
 * Pure: whether a signed heartbeat is taken. `watch` is the node's current registration (seq 0 before its
 * first heartbeat): another nonce is an old or foreign registration; a seq not above the last is a replay or
 * a datagram that arrived late.
 */
export function judgeHeartbeat(watch: HeartbeatWatch | undefined, hb: Heartbeat): 'take' | 'unknown-nonce' | 'old' {
  if (!watch || watch.nonce !== hb.nonce) return 'unknown-nonce';
  return hb.seq > watch.seq ? 'take' : 'old';
}

/** Pure: what is wrong with a PUT /v1/heartbeat body, or undefined when it is good. */
export function heartbeatRequestProblem(b: unknown): { field: string; message: string } | undefined {
  const o = b as Partial<HeartbeatRequest> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { field: '', message: 'the body must be an object: { node, port, nonce, intervalMs }' };
  const extra = Object.keys(o).find((k) => !['node', 'port', 'nonce', 'intervalMs'].includes(k));
  if (extra) return { field: extra, message: `unknown field ${extra}: the body is { node, port, nonce, intervalMs }` };
  if (typeof o.node !== 'string' || !NODE.test(o.node)) return { field: 'node', message: 'node must be a node name (letters, digits, . _ -)' };
  if (typeof o.port !== 'number' || !Number.isInteger(o.port) || o.port < 1 || o.port > 65535)
    return { field: 'port', message: 'port must be a UDP port, 1 to 65535' };
  if (typeof o.nonce !== 'string' || !NONCE.test(o.nonce)) return { field: 'nonce', message: 'nonce must be 16 to 64 base64url characters' };
  const { min, max } = HEARTBEAT_INTERVAL_MS;
  if (typeof o.intervalMs !== 'number' || !Number.isInteger(o.intervalMs) || o.intervalMs < min || o.intervalMs > max)
    return { field: 'intervalMs', message: `intervalMs must be a whole number of milliseconds from ${min} to ${max}` };
  return undefined;
}
