/**
 * How the manager knows which nodes are alive and what they report: every node is read at start; then each
 * round a node heard by heartbeat lately (heartbeat-book.ts) naming the state of the report held costs
 * nothing, one whose state changed has its report read once, and the others are polled over kept-alive HTTPS
 * with If-None-Match. The readings a state leaves out (memory in use, load) are refreshed at a bounded pace:
 * every node at least each refreshMs, REFRESHES_PER_S reports a second at most, so that 1,000 quiet nodes
 * cost about 20 reads a second and as few open connections. A node's health follows its answers (health.ts)
 * and is kept on disk before anyone is told (node-records.ts). The manager (manager.ts) plans from what this
 * holds.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HEARTBEAT_INTERVAL_MS } from '../../shared/heartbeat.js';
import { reportStateTag } from '../../shared/report-state.js';
import type { NodeReport } from '../../shared/wire.js';
import { type FleetNode, type FleetPlan, readNode } from '../deploy/fleet.js';
import { askHeartbeats, pollReport } from '../fleet/agent-client.js';
import { keepAliveAgent } from '../fleet/tls-pool.js';
import { mapLimit } from '../runner/limit.js';
import { type Health, observe, unknownHealth } from './health.js';
import { HeartbeatBook } from './heartbeat-book.js';
import { type HeartbeatSocket, listenHeartbeats } from './heartbeat-socket.js';
import { healthAtStart, readNodeRecords, writeNodeRecords } from './node-records.js';

/** Heartbeats asked for at once at most (a manager starting with 1,000 nodes asks them a few at a time). */
const ASKING_AT_ONCE = 32;
/** Reports read a second at most only to refresh their readings (a changed state is read at once). */
export const REFRESHES_PER_S = 20;
/** A node heard by heartbeat has its readings refreshed at least this often when the fleet is small. */
export const REFRESH_MIN_MS = 10_000;

/** How often each node's readings are refreshed in a fleet of `nodes`: minMs, longer past 200 nodes. */
export const refreshMs = (nodes: number, minMs = REFRESH_MIN_MS): number => Math.max(minMs, Math.ceil((nodes * 1000) / REFRESHES_PER_S));

/** What the manager holds of a node's report: its ETag, its state tag, when it was read. */
interface Held {
  etag?: string;
  state: string | null;
  at: number;
}

/** How the watch runs. */
export interface WatchOptions {
  pollMs: number;
  pollTimeoutMs: number;
  downAfterMs: number;
  clock: { now(): number };
  log: (line: string) => void;
  /** where to take heartbeats (UDP); without it every node is polled */
  heartbeats?: { host: string; port: number };
  /** the shortest refresh of a node's readings (REFRESH_MIN_MS by default) */
  refreshMinMs?: number;
}

/** What one round saw. */
export interface Round {
  /** nodes that went down or came back */
  changes: { name: string; change: 'up' | 'down'; error?: string }[];
  /** some node's state changed (down, up, or first seen) */
  moved: boolean;
  /** some node's report changed, and nothing else about it */
  reportsChanged: boolean;
  /** a node came back or was seen for the first time: worth evening the fleet out */
  joined: boolean;
}

/** One node's answer to a round: its new report, or the whole node read again (nothing when unchanged). */
interface Answer {
  n: FleetNode;
  at: number;
  answered: boolean;
  report?: NodeReport;
  node?: FleetNode;
  error?: string;
  /** a timeout during this process's own stall: neither an answer nor silence */
  unsure?: boolean;
}

export class FleetWatch {
  readonly beats = new HeartbeatBook();
  readonly health = new Map<string, Health>();
  private nodeList: FleetNode[] = [];
  private indexOf = new Map<string, number>();
  /** what is known of each node's report held: a poll that finds it unchanged reads and parses nothing */
  private readonly held = new Map<string, Held>();
  /** refreshes left this round */
  private refreshes = 0;
  /** how late this process's timers ran (a busy manager must not take its silence for the nodes') */
  private readonly lag = monitorEventLoopDelay({ resolution: 20 });
  private socket: HeartbeatSocket | undefined;
  /** nodes asked for heartbeats right now, and those that said no once (told in the log once) */
  private readonly asking = new Set<string>();
  private readonly noBeats = new Set<string>();

  private constructor(
    private readonly fleet: FleetPlan,
    private readonly o: WatchOptions,
  ) {
    this.lag.enable();
  }

  /** Reads every node and the health kept on disk; binds the heartbeat socket when asked to. */
  static async open(fleet: FleetPlan, o: WatchOptions): Promise<FleetWatch> {
    const w = new FleetWatch(fleet, o);
    const now = o.clock.now();
    w.nodeList = await mapLimit(fleet.nodes, 64, (p) => readNode(fleet, p, 5000));
    const kept = await readNodeRecords(fleet.stateDir);
    for (const n of w.nodeList) w.health.set(n.name, healthAtStart(n.report !== undefined, kept[n.name], now));
    await w.keepRecords();
    if (o.heartbeats) {
      await w.listen(o.heartbeats);
      // every node that answered is asked at once, so that the first rounds need not poll them all
      await mapLimit(w.nodeList, 64, (n) => (w.health.get(n.name)?.state === 'up' ? w.askBeat(n, now) : Promise.resolve()));
    }
    return w;
  }

  /** The nodes in the inventory's order (an entry is replaced when it changes, never moved). */
  get nodes(): FleetNode[] {
    return this.nodeList;
  }

  node(name: string): FleetNode | undefined {
    if (this.indexOf.size !== this.nodeList.length) this.indexOf = new Map(this.nodeList.map((n, i) => [n.name, i]));
    const i = this.indexOf.get(name);
    return i === undefined ? undefined : this.nodeList[i];
  }

  update(name: string, patch: Partial<FleetNode>): void {
    const old = this.node(name);
    if (old) this.nodeList[this.indexOf.get(name) as number] = { ...old, ...patch };
  }

  /** Reads a node again (its report and its set); true when it answered. */
  async reread(name: string): Promise<boolean> {
    const p = this.fleet.nodes.find((n) => n.name === name);
    if (!p) return false;
    const fresh = await readNode(this.fleet, p, this.o.pollTimeoutMs * 2);
    if (!fresh.report || !this.node(name)) return false;
    this.nodeList[this.indexOf.get(name) as number] = fresh;
    this.held.delete(name);
    return true;
  }

  stop(): void {
    this.lag.disable();
    void this.socket?.close();
  }

  /** One round over every node. */
  async poll(): Promise<Round> {
    this.refreshes = Math.ceil((this.nodeList.length * this.o.pollMs) / this.refreshMs);
    // each answer carries its own time: a slow round must not make the nodes asked early look silent longer
    const answers = await mapLimit(this.nodeList, 64, (n) => this.ask(n));
    this.lag.reset();
    const now = this.o.clock.now();
    const round: Round = { changes: [], moved: false, reportsChanged: false, joined: false };
    for (const a of answers) {
      if (a.unsure) continue;
      const h = this.health.get(a.n.name) ?? unknownHealth(now);
      const { next, change } = observe(h, a.answered, a.at, a.error, this.o.downAfterMs);
      this.health.set(a.n.name, next);
      if (next.state !== h.state) round.moved = true;
      if (a.report) {
        this.update(a.n.name, { report: a.report });
        round.reportsChanged = true;
      }
      if (a.node) this.update(a.n.name, a.node);
      if (change === 'up' || (h.state === 'unknown' && next.state === 'up')) {
        round.joined = true;
        this.beats.forget(a.n.name); // asked again below: a node that was away may have forgotten its registration
      }
      if (change) round.changes.push({ name: a.n.name, change, error: a.error });
    }
    this.askBeats(now);
    // kept before anyone is told, so that a manager killed in between knows it when it starts again
    if (round.moved) await this.keepRecords();
    return round;
  }

  private async ask(n: FleetNode): Promise<Answer> {
    const now = () => this.o.clock.now();
    const h = this.health.get(n.name) ?? unknownHealth(now());
    if (!n.target) return { n, at: now(), answered: false, error: n.failure?.message };
    if (h.state !== 'up') {
      const fresh = await readNode(this.fleet, this.fleet.nodes.find((p) => p.name === n.name) ?? n, this.o.pollTimeoutMs);
      this.held.delete(n.name);
      return fresh.report ? { n, at: now(), answered: true, node: fresh } : { n, at: now(), answered: false, error: fresh.failure?.message };
    }
    const kept = n.report ? (this.held.get(n.name) ?? this.hold(n.name, n.report, undefined, now())) : undefined;
    // heard lately: alive; its report is read when the state it names is not the one held, or to refresh, over
    // a connection of its own (closed at once: a burst of reads must not leave 1,000 connections open)
    const beat = n.report ? this.beats.heard(n.name, now(), 1.5 * this.beatMs) : undefined;
    if (beat) {
      const same = kept !== undefined && (beat.state !== null ? beat.state === kept.state : beat.tag !== null && beat.tag === kept.etag);
      if (same && !this.refreshNow(kept, now())) return { n, at: beat.at, answered: true };
      const r = await pollReport(n.target, this.o.pollTimeoutMs, kept?.etag);
      if (!r.ok) return { n, at: beat.at, answered: true };
      if ('unchanged' in r) {
        this.held.set(n.name, { etag: kept?.etag, state: beat.state, at: now() });
        return { n, at: beat.at, answered: true };
      }
      this.hold(n.name, r.report, r.etag, now(), beat.state);
      return { n, at: beat.at, answered: true, report: r.report };
    }
    // not heard: polled every round through the kept-alive pool
    const r = await pollReport({ ...n.target, pool: keepAliveAgent(n.target.ca) }, this.o.pollTimeoutMs, kept?.etag);
    const at = now();
    if (r.ok && 'unchanged' in r) return { n, at, answered: true };
    if (r.ok) {
      this.hold(n.name, r.report, r.etag, at);
      // only the report: a set written while this poll ran must not be overwritten with the one read before
      return { n, at, answered: true, report: r.report };
    }
    // a timeout while this process itself was stalled says nothing of the node: its answer may be waiting
    // unread behind the stall (timers run before the I/O that came in meanwhile)
    if (r.kind === 'timeout' && this.stalled()) return { n, at, answered: false, error: r.message, unsure: true };
    return { n, at, answered: false, error: r.message };
  }

  /** Records a node's report as held: its ETag, and its state as a heartbeat named it or as computed here. */
  private hold(name: string, report: NodeReport, etag: string | undefined, at: number, state: string | null = reportStateTag(report)): Held {
    const h = { etag, state, at };
    this.held.set(name, h);
    return h;
  }

  /** Whether a report held since `kept.at` is read again now to refresh its readings (within this round's share). */
  private refreshNow(kept: Held, now: number): boolean {
    if (now - kept.at < this.refreshMs || this.refreshes <= 0) return false;
    this.refreshes -= 1;
    return true;
  }

  private get refreshMs(): number {
    return refreshMs(this.nodeList.length, this.o.refreshMinMs);
  }

  /** Whether this process's event loop stalled for half a poll timeout or more since the last round. */
  private stalled(): boolean {
    return this.lag.max / 1e6 >= this.o.pollTimeoutMs / 2;
  }

  /** The heartbeat interval asked of the agents: the poll interval, within what an agent accepts. */
  private get beatMs(): number {
    return Math.max(HEARTBEAT_INTERVAL_MS.min, Math.min(HEARTBEAT_INTERVAL_MS.max, this.o.pollMs));
  }

  private async listen(at: { host: string; port: number }): Promise<void> {
    try {
      this.socket = await listenHeartbeats(at.host, at.port, (packet) => this.beats.take(packet, (node) => this.node(node)?.target?.token, this.o.clock.now()));
    } catch (e) {
      this.o.log(`no heartbeats: cannot listen on UDP ${at.host}:${at.port} (${(e as NodeJS.ErrnoException).code ?? String(e)}); every node is polled`);
    }
  }

  /** Asks the nodes that answer and are due (heartbeat-book.ts askDue) for heartbeats, a few at a time. */
  private askBeats(now: number): void {
    for (const n of this.nodeList) {
      if (this.asking.size >= ASKING_AT_ONCE) return;
      if (this.asking.has(n.name) || this.health.get(n.name)?.state !== 'up' || !this.beats.askDue(n.name, now, 3 * this.beatMs)) continue;
      void this.askBeat(n, now);
    }
  }

  /** Asks one node for heartbeats with a fresh nonce (PUT /v1/heartbeat); one that refuses is told in the log once. */
  private async askBeat(n: FleetNode, now: number): Promise<void> {
    if (!this.socket || !n.target) return;
    const nonce = randomBytes(18).toString('base64url');
    this.beats.asked(n.name, nonce, now);
    this.asking.add(n.name);
    try {
      const r = await askHeartbeats(n.target, { node: n.name, port: this.socket.port, nonce, intervalMs: this.beatMs }, 5000);
      if (!r.ok && !this.noBeats.has(n.name)) {
        this.noBeats.add(n.name);
        this.o.log(`${n.name} sends no heartbeats (${r.message}): it is polled`);
      }
    } finally {
      this.asking.delete(n.name);
    }
  }

  /** Writes the nodes' health (manager/nodes.json); a failure is logged and tried again at the next change. */
  private async keepRecords(): Promise<void> {
    await writeNodeRecords(this.fleet.stateDir, this.health).catch((e) =>
      this.o.log(`cannot keep the node records: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}
