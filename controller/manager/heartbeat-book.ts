/**
 * What the manager knows of each node's heartbeats (shared/heartbeat.ts): the registration it asked for (its
 * nonce), the last datagram taken, when it was heard and the report tags it named, and when to ask again. A
 * node heard lately naming the report held needs no HTTPS request that round. Pure: datagrams and
 * times come in as arguments.
 */
import { HEARTBEAT_TTL_MS, judgeHeartbeat, readHeartbeat, signedWith } from '../../shared/heartbeat.js';

/** A node whose heartbeats stopped is asked again at most this often (an agent restarted forgets them). */
export const ASK_AGAIN_MS = 30_000;

interface Beats {
  nonce: string;
  seq: number;
  askedAt: number;
  heardAt?: number;
  tag?: string | null;
  state?: string | null;
}

/** Why a datagram was not taken (or that it was). */
export type Verdict = 'taken' | 'unknown-node' | 'bad-signature' | 'unknown-nonce' | 'old' | `malformed: ${string}`;

export class HeartbeatBook {
  private readonly beats = new Map<string, Beats>();

  /** datagrams by verdict (for /metrics and the tests) */
  readonly counts = new Map<Verdict | 'malformed', number>();

  /** A registration asked for: from now on only its datagrams are taken. */
  asked(node: string, nonce: string, at: number): void {
    this.beats.set(node, { nonce, seq: 0, askedAt: at });
  }

  /** Forgets a node's registration (it came back: its agent may have restarted): it is due to be asked at once. */
  forget(node: string): void {
    this.beats.delete(node);
  }

  /** One datagram, checked against the token of the node it names. */
  take(packet: Buffer, tokenOf: (node: string) => string | undefined, at: number): Verdict {
    const verdict = this.judge(packet, tokenOf, at);
    const key = verdict.startsWith('malformed') ? 'malformed' : verdict;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return verdict;
  }

  private judge(packet: Buffer, tokenOf: (node: string) => string | undefined, at: number): Verdict {
    const read = readHeartbeat(packet);
    if (!read.ok) return `malformed: ${read.reason}`;
    const token = tokenOf(read.hb.node);
    if (token === undefined) return 'unknown-node';
    if (!signedWith(read, token)) return 'bad-signature';
    const b = this.beats.get(read.hb.node);
    if (!b) return 'unknown-nonce';
    const v = judgeHeartbeat(b, read.hb);
    if (v !== 'take') return v;
    b.seq = read.hb.seq;
    b.heardAt = at;
    b.tag = read.hb.tag;
    b.state = read.hb.state;
    return 'taken';
  }

  /** The last heartbeat of a node if it was heard within `withinMs` before `now`. */
  heard(node: string, now: number, withinMs: number): { at: number; tag: string | null; state: string | null } | undefined {
    const b = this.beats.get(node);
    return b?.heardAt !== undefined && now - b.heardAt <= withinMs ? { at: b.heardAt, tag: b.tag ?? null, state: b.state ?? null } : undefined;
  }

  /**
   * Whether to ask a node (that answers) for heartbeats now: never asked; the registration is half its life
   * old; or none heard for `quietMs` and ASK_AGAIN_MS passed since the last ask (the agent restarted, or the
   * datagrams do not get through: the manager polls it meanwhile).
   */
  askDue(node: string, now: number, quietMs: number): boolean {
    const b = this.beats.get(node);
    if (!b) return true;
    if (now - b.askedAt >= HEARTBEAT_TTL_MS / 2) return true;
    const quiet = b.heardAt === undefined || now - b.heardAt > quietMs;
    return quiet && now - b.askedAt >= ASK_AGAIN_MS;
  }
}
